"""Shared checks on every sampler: imbalanced-learn's sampler checks, scikit-learn's API."""

from __future__ import annotations

import numpy as np
import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

import smotekit
from smotekit import ADASYN, SMOTE, SMOTEN, SMOTENC, BorderlineSMOTE, RandomOverSampler

SAMPLERS = [
    SMOTE(random_state=0),
    SMOTE(random_state=0, seed_selection="uniform"),
    BorderlineSMOTE(random_state=0),
    BorderlineSMOTE(random_state=0, kind="borderline-2"),
    ADASYN(random_state=0),
    RandomOverSampler(random_state=0),
    RandomOverSampler(random_state=0, shrinkage=0.5),
    SMOTENC(categorical_features=[0], random_state=0),
    SMOTEN(random_state=0),
]


@parametrize_with_checks(SAMPLERS)
def test_imblearn_sampler_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: repr(s))
def test_clone_and_params_round_trip(sampler):
    params = sampler.get_params()
    twin = clone(sampler)
    assert twin.get_params() == params
    assert type(twin)(**params).get_params() == params


def test_public_api_is_consistent():
    for name in smotekit.__all__:
        assert hasattr(smotekit, name), name
    assert not any(n.startswith("_") and n != "__version__" for n in smotekit.__all__)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: repr(s))
def test_in_imblearn_pipeline_with_cross_validation(sampler):
    from imblearn.pipeline import make_pipeline
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_validate

    X, y = make_classification(n_samples=300, weights=[0.85], random_state=1)
    pipe = make_pipeline(clone(sampler), LogisticRegression())
    scores = cross_validate(pipe, X, y, cv=3, scoring="roc_auc")
    assert np.all(np.isfinite(scores["test_score"]))
    step = type(sampler).__name__.lower()
    grid = GridSearchCV(pipe, {f"{step}__random_state": [0, 1]}, cv=3).fit(X, y)
    assert grid.best_params_


@sklearn_parametrize_with_checks(SAMPLERS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
