"""smotekit.evaluation._samplers: sampler names and neighbour-count sweeps."""

from __future__ import annotations

import pytest
from sklearn.linear_model import LogisticRegression

from smotekit import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from smotekit.evaluation import compare, k_sweep, sampler_name


def test_sampler_names_are_made_unique(data):
    X, y = data
    results = compare(
        X,
        y,
        [SMOTE(random_state=0), SMOTE(random_state=1), None],
        LogisticRegression(),
        cv=2,
        scoring="roc_auc",
    )
    assert list(dict.fromkeys(results["sampler"])) == [
        "none",
        "smote",
        "smote_2",
    ]  # None is the baseline
    assert sampler_name(BorderlineSMOTE()) == "borderline1"
    assert sampler_name(RandomOverSampler()) == "randomoversampler"


def test_k_sweep_builds_named_copies():
    sweep = k_sweep(ADASYN(random_state=0), [2, 4])
    assert list(sweep) == ["adasyn(k=2)", "adasyn(k=4)"]
    assert [s.n_neighbors for s in sweep.values()] == [2, 4]
    assert k_sweep(BorderlineSMOTE(), [7], param="m_neighbors")["borderline1(k=7)"].m_neighbors == 7


def test_k_sweep_rejects():
    with pytest.raises(ValueError, match="has no k_neighbors or n_neighbors parameter"):
        k_sweep(RandomOverSampler(), [1, 2])
    with pytest.raises(ValueError, match="has no parameter 'q'"):
        k_sweep(SMOTE(), [1], param="q")
    with pytest.raises(ValueError, match="ks is empty"):
        k_sweep(SMOTE(), [])
