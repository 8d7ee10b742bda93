"""Shared checks on every sampler: imbalanced-learn's sampler checks, scikit-learn's API."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.base import clone
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

import smotekit
from smotekit import SMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.utils import all_samplers

# Parameters a sampler cannot be built without.
REQUIRED = {"SMOTENC": {"categorical_features": [0]}}


def _seeded(cls, **params):
    """``cls(**params)``, with ``random_state=0`` when the sampler has randomness."""
    if "random_state" in inspect.signature(cls).parameters:
        params["random_state"] = 0
    return cls(**params)


def default_instances():
    """Every public sampler at its defaults (seeded), from the discovery function."""
    return [_seeded(cls, **REQUIRED.get(name, {})) for name, cls in all_samplers()]


def _randomized():
    return [s for s in default_instances() if "random_state" in s.get_params()]


def _checkable(sampler):
    """The instance imbalanced-learn's checks need: ClusterCentroids' ``voting="auto"`` is hard
    for sparse X and soft for dense, so its sparse-vs-dense checks need one voting (as
    imbalanced-learn's own ``_set_checking_parameters`` does)."""
    if type(sampler).__name__ == "ClusterCentroids":
        from sklearn.cluster import KMeans

        return sampler.set_params(
            voting="soft", estimator=KMeans(random_state=0, algorithm="lloyd", n_init=1)
        )
    return sampler


SAMPLERS = [
    *(_checkable(s) for s in default_instances()),
    SMOTE(random_state=0, seed_selection="uniform"),
    BorderlineSMOTE(random_state=0, kind="borderline-2"),
    RandomOverSampler(random_state=0, shrinkage=0.5),
]


def test_discovery_finds_every_sampler_of_every_kind():
    names = [name for name, _ in all_samplers()]
    assert names == sorted(names)
    assert {"SMOTE", "SMOTENC", "RandomOverSampler", "RandomUnderSampler"} <= set(names)
    over = dict(all_samplers("over-sampling"))
    assert "RandomUnderSampler" not in over and "SMOTE" in over
    assert [n for n, _ in all_samplers(["under-sampling"])] == [
        "ClusterCentroids",
        "InstanceHardnessThreshold",
        "NearMiss",
        "RandomUnderSampler",
    ]
    assert [n for n, _ in all_samplers("clean-sampling")] == [
        "AllKNN",
        "CondensedNearestNeighbour",
        "EditedNearestNeighbours",
        "NeighbourhoodCleaningRule",
        "OneSidedSelection",
        "RepeatedEditedNearestNeighbours",
        "TomekLinks",
    ]
    assert {"SMOTEENN", "SMOTETomek", "SVMSMOTE", "KMeansSMOTE"} <= set(over)
    for name, cls in all_samplers():
        assert getattr(smotekit, name) is cls, name
    with pytest.raises(ValueError, match="Unknown sampler kind"):
        all_samplers("resampling")


@pytest.mark.parametrize(
    "sampler, param, value",
    [(s, "sampling_strategy", "most") for s in default_instances()]
    + [(s, "random_state", "seed") for s in _randomized()],
    ids=lambda v: type(v).__name__ if hasattr(v, "fit_resample") else str(v),
)
def test_bad_parameters_raise_invalid_parameter_error(sampler, param, value):
    from sklearn.utils._param_validation import InvalidParameterError

    X = np.random.default_rng(0).normal(size=(40, 2))
    y = np.array([0] * 30 + [1] * 10)
    bad = clone(sampler).set_params(**{param: value})
    message = f"The '{param}' parameter of {type(sampler).__name__} must be"
    with pytest.raises(InvalidParameterError, match=message):
        bad.fit_resample(X, y)


@pytest.mark.parametrize("sampler", default_instances(), ids=lambda s: type(s).__name__)
def test_in_imblearn_ensembles(sampler):
    from imblearn.ensemble import BalancedBaggingClassifier
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=300, weights=[0.85], random_state=2)
    if type(sampler).__name__ in ("SMOTENC", "SMOTEN"):
        X = np.column_stack([X[:, :3], (X[:, 3] > 0).astype(int)])
        sampler = clone(sampler)
        if type(sampler).__name__ == "SMOTENC":
            sampler.set_params(categorical_features=[3])
        else:
            X = (X > 0).astype(int)
    model = BalancedBaggingClassifier(sampler=clone(sampler), n_estimators=3, random_state=0)
    model.fit(X, y)
    assert model.score(X, y) > 0.5


def _allow_smoten_floats(sampler, monkeypatch):
    """imbalanced-learn's checks feed continuous floats to every sampler; SMOTEN refuses
    non-integral float columns on purpose (tests/over_sampling/test_smoten_float_columns.py),
    so for these checks it treats them as categories, as imbalanced-learn's SMOTEN does."""
    if type(sampler).__name__ == "SMOTEN":
        from smotekit.over_sampling import _smoten

        monkeypatch.setattr(_smoten, "check_float_columns", lambda table, owner="SMOTEN": None)


@parametrize_with_checks(SAMPLERS)
def test_imblearn_sampler_checks(estimator, check, monkeypatch):
    _allow_smoten_floats(estimator, monkeypatch)
    check(estimator)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: repr(s))
def test_clone_and_params_round_trip(sampler):
    def shown(estimator):
        return {k: repr(v) for k, v in estimator.get_params(deep=False).items()}

    twin = clone(sampler)
    assert shown(twin) == shown(sampler)
    assert shown(type(twin)(**sampler.get_params(deep=False))) == shown(sampler)


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
    if type(sampler).__name__ == "SMOTEN":
        X = np.round(X)  # SMOTEN takes categories: whole-number floats, not measurements
    pipe = make_pipeline(clone(sampler), LogisticRegression())
    scores = cross_validate(pipe, X, y, cv=3, scoring="roc_auc")
    assert np.all(np.isfinite(scores["test_score"]))
    step = type(sampler).__name__.lower()
    searched = "random_state" if "random_state" in sampler.get_params() else "sampling_strategy"
    values = [0, 1] if searched == "random_state" else ["auto", "all"]
    grid = GridSearchCV(pipe, {f"{step}__{searched}": values}, cv=3).fit(X, y)
    assert grid.best_params_


@sklearn_parametrize_with_checks(SAMPLERS)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
