"""The reference experiment: protocol, table, cross-validated extension, fidelity to imblearn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

from smotekit import ADASYN, SMOTE, BorderlineSMOTE
from smotekit.datasets import load_dataset
from smotekit.experiment import (
    CONDITIONS,
    REFERENCE_DATASETS,
    cv_experiment,
    reference_estimator,
    reference_experiment,
    reference_over_seeds,
    reference_samplers,
    reference_split,
    run_demo,
    toy_data,
)


def test_protocol_parameters():
    samplers = reference_samplers()
    assert list(samplers) == list(CONDITIONS) and samplers["none"] is None
    assert samplers["smote"].get_params()["k_neighbors"] == 5
    assert samplers["adasyn"].get_params()["n_neighbors"] == 5
    border = samplers["borderline1"].get_params()
    assert (border["k_neighbors"], border["m_neighbors"], border["kind"]) == (5, 10, "borderline-1")
    assert all(s.random_state == 0 for s in list(samplers.values())[1:])
    assert all(s.sampling_strategy == "auto" for s in list(samplers.values())[1:])
    forest = reference_estimator().get_params()
    assert (forest["n_estimators"], forest["max_depth"], forest["random_state"]) == (100, 2, 39)
    with pytest.raises(ValueError, match=r"library must be one of \['imblearn', 'smotekit'\]"):
        reference_samplers(library="sklearn")


def test_split_is_the_protocols():
    X, y = load_dataset("thyroid_sick")
    X_train, X_test, y_train, y_test = reference_split(X, y)
    raw_train, raw_test, ref_y_train, ref_y_test = train_test_split(
        X, y, test_size=0.3, random_state=0
    )
    scaler = MinMaxScaler().fit(raw_train)
    assert np.array_equal(X_train, scaler.transform(raw_train))
    assert np.array_equal(X_test, scaler.transform(raw_test))
    assert np.array_equal(y_train, ref_y_train) and np.array_equal(y_test, ref_y_test)


def test_reference_table_matches_a_hand_written_protocol():
    table = reference_experiment(["arrhythmia"])
    assert table.index.tolist() == ["arrhythmia"] and list(table.columns) == list(CONDITIONS)
    X, y = load_dataset("arrhythmia")
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=0)
    scaler = MinMaxScaler().fit(X_tr)
    X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
    conditions = {
        "none": None,
        "smote": SMOTE(sampling_strategy="auto", random_state=0, k_neighbors=5),
        "adasyn": ADASYN(sampling_strategy="auto", random_state=0, n_neighbors=5),
        "borderline1": BorderlineSMOTE(
            sampling_strategy="auto",
            random_state=0,
            k_neighbors=5,
            m_neighbors=10,
            kind="borderline-1",
        ),
    }
    for name, sampler in conditions.items():
        Xr, yr = (X_tr, y_tr) if sampler is None else sampler.fit_resample(X_tr, y_tr)
        model = RandomForestClassifier(n_estimators=100, max_depth=2, random_state=39)
        auc = roc_auc_score(y_te, model.fit(Xr, yr).predict_proba(X_te)[:, 1])
        assert table.loc["arrhythmia", name] == pytest.approx(auc, abs=0)


def test_over_seeds_varies_only_the_sampler_seed():
    runs = reference_over_seeds(["ecoli"], seeds=[0, 1], conditions=["smote"])
    assert list(runs.columns) == ["dataset", "condition", "seed", "library", "roc_auc"]
    assert runs["seed"].tolist() == [0, 1] and runs["roc_auc"].between(0, 1).all()
    table = reference_experiment(["ecoli"])
    assert runs.loc[runs["seed"] == 0, "roc_auc"].item() == table.loc["ecoli", "smote"]
    with pytest.raises(ValueError, match=r"Unknown condition\(s\) \['tomek'\]"):
        reference_over_seeds(["ecoli"], seeds=[0], conditions=["tomek"])


def test_cv_experiment_has_a_dataset_column():
    results = cv_experiment(["ecoli"], cv="2x1", scoring=["roc_auc"])
    assert set(results["dataset"]) == {"ecoli"}
    assert list(dict.fromkeys(results["sampler"])) == list(CONDITIONS)
    assert len(results) == 2 * len(CONDITIONS)
    assert results.attrs["baseline"] == "none"


def test_toy_data_is_the_tutorials():
    X, y = toy_data()
    assert X.shape == (1000, 2) and np.bincount(y).tolist() == [800, 200]
    assert abs(X[y == 1].mean(axis=0) - 5).max() < 0.5 and abs(X[y == 0].mean(axis=0)).max() < 0.5


def test_run_demo_without_report():
    shown = []
    result = run_demo(None, cv="2x1", echo=shown.append)
    assert result["paths"] == {} and set(result["table"].index) == set(REFERENCE_DATASETS)
    text = "\n".join(shown)
    assert "ecoli" in text and "difference vs none" in text


# ------------------------------------------------------------------------------ fidelity


def test_fidelity_with_imbalanced_learn():
    """Over 20 resampling seeds per dataset, smotekit's mean test ROC-AUC of each sampler is
    within max(0.01, 2 standard errors of the difference of the means) of imblearn's, under
    the reference protocol."""
    pytest.importorskip("imblearn", reason="the fidelity check compares with imbalanced-learn")
    seeds = range(20)
    ours = reference_over_seeds(seeds=seeds, library="smotekit", n_jobs=2)
    theirs = reference_over_seeds(seeds=seeds, library="imblearn", n_jobs=2)
    both = pd.concat([ours, theirs])
    stats = both.groupby(["dataset", "condition", "library"])["roc_auc"].agg(["mean", "var"])
    table = stats.unstack("library")
    n = len(seeds)
    se = np.sqrt((table[("var", "smotekit")] + table[("var", "imblearn")]) / n)
    difference = (table[("mean", "smotekit")] - table[("mean", "imblearn")]).abs()
    allowed = np.maximum(0.01, 2 * se)
    report = pd.DataFrame(
        {
            "smotekit": table[("mean", "smotekit")],
            "imblearn": table[("mean", "imblearn")],
            "difference": difference,
            "allowed": allowed,
        }
    )
    print("\n" + report.round(4).to_string())
    assert len(report) == 9
    assert (difference <= allowed).all(), report[difference > allowed]
