"""``-o -`` (standard output), ``--estimator`` by name or import path, errors that name flags."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from smotekit._cli._errors import DATASET_FLAGS, SAMPLER_FLAGS, flagged
from smotekit._cli._estimators import (
    ESTIMATORS,
    describe_estimators,
    estimator_names,
    make_estimator,
)
from smotekit._cli._tables import check_output, write_table
from smotekit.cli import UsageError, main
from smotekit.evaluation._inputs import single_threaded, thread_params

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def table_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 150
    label = (rng.random(n) < 0.2).astype(int)
    frame = pd.DataFrame({"a": rng.normal(size=n) + label, "b": rng.normal(size=n), "y": label})
    path = tmp_path / "in.csv"
    frame.to_csv(path, index=False)
    return path, frame


# ---------------------------------------------------------------------------------- -o -
def test_resample_to_stdout_in_a_real_process(table_csv, tmp_path):
    path, frame = table_csv
    done = subprocess.run(
        [sys.executable, "-m", "smotekit", "resample", str(path), "--target", "y", "-o", "-"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    out = pd.read_csv(io.StringIO(done.stdout))
    counts = frame["y"].value_counts()
    assert len(out) == 2 * counts.max()  # "auto": the minority grows to the majority's size
    assert list(out.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(out.iloc[: len(frame)], frame)
    assert done.stderr.startswith(f"wrote standard output ({len(out)} rows")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # no file named "-"


def test_stdout_keeps_warnings_off_stdout(tmp_path, capsys):
    rng = np.random.default_rng(1)
    n = 60
    frame = pd.DataFrame(
        {"id": [f"u{i}" for i in range(n)], "c": rng.choice(["p", "q"], n), "y": [0, 0, 1] * 20}
    )
    path = tmp_path / "cat.csv"
    frame.to_csv(path, index=False)
    code = main(["resample", str(path), "--target", "y", "--method", "smoten", "-o", "-"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert len(pd.read_csv(io.StringIO(out))) == 80
    assert "looks like an identifier" in err and "looks like" not in out


def test_write_table_and_check_output_accept_stdout(capsys):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    check_output(Path("-"), "-o")  # nothing to check, no error
    write_table(frame, Path("-"))
    assert capsys.readouterr().out == "a,b\n1,x\n2,y\n"
    write_table(frame, Path("-"), "json")
    assert json.loads(capsys.readouterr().out) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]
    with pytest.raises(UsageError, match="Parquet cannot be written to standard output"):
        check_output(Path("-"), "-o", "parquet")


def test_json_file_output_is_written_atomically(tmp_path):
    frame = pd.DataFrame({"a": [1.5, 2.5]})
    write_table(frame, tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text()) == [{"a": 1.5}, {"a": 2.5}]
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]


# ---------------------------------------------------------------------------- --estimator
def small_problem():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] + 0.3 * rng.normal(size=80) > 0.5).astype(int)
    return X, y


@pytest.mark.parametrize("name", estimator_names())
def test_every_named_estimator_is_a_scoreable_seeded_classifier(name):
    if ESTIMATORS[name].package is not None:
        pytest.importorskip(ESTIMATORS[name].package)
    model = make_estimator(name, 7)
    assert hasattr(model, "predict_proba") or hasattr(model, "decision_function")
    params = model.get_params()
    if "random_state" in params:
        assert params["random_state"] == 7
    X, y = small_problem()
    model.fit(X, y)
    assert set(model.predict(X)) <= {0, 1}
    assert model.score(X, y) > 0.6
    assert name in describe_estimators()


def test_default_estimator_is_the_forest_of_before():
    model = make_estimator("random_forest", 3)
    assert isinstance(model, RandomForestClassifier)
    assert model.n_estimators == 100 and model.random_state == 3
    assert type(make_estimator("Hist-Gradient-Boosting", 0)).__name__ == (
        "HistGradientBoostingClassifier"
    )


@pytest.mark.parametrize("path", ["sklearn.svm.SVC", "sklearn.svm:SVC"])
def test_import_path_builds_the_class_with_the_seed(path):
    model = make_estimator(path, 11)
    assert type(model).__name__ == "SVC" and model.random_state == 11
    assert type(make_estimator("sklearn.naive_bayes.GaussianNB", 1)).__name__ == "GaussianNB"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("forest", "is not a known name"),
        ("nosuchmodule.Model", "cannot be imported"),
        ("sklearn.svm.NoSuchClass", "is not in module 'sklearn.svm'"),
        ("sklearn.linear_model.LinearRegression", "is a regressor"),
        ("sklearn.pipeline.Pipeline", "cannot be built with no arguments"),
        ("os.path", "is not a class"),
        ("sklearn.preprocessing.StandardScaler", "is not a classifier"),
    ],
)
def test_bad_estimator_names_the_flag_and_lists_the_names(value, why):
    with pytest.raises(UsageError) as info:
        make_estimator(value, 0)
    message = str(info.value)
    assert message.startswith(f"--estimator {value!r} {why}")
    assert all(name in message for name in estimator_names())


def test_single_threaded_sets_thread_parameters_to_one_and_leaves_the_original():
    forest = RandomForestClassifier(n_jobs=-1)
    one = single_threaded(forest)
    assert one.n_jobs == 1 and forest.n_jobs == -1
    pipe = make_pipeline(StandardScaler(), RandomForestClassifier(n_jobs=4))
    assert thread_params(pipe) == ["randomforestclassifier__n_jobs"]
    assert single_threaded(pipe).get_params()["randomforestclassifier__n_jobs"] == 1
    assert pipe.get_params()["randomforestclassifier__n_jobs"] == 4
    # scikit-learn's None already means one thread (setting LogisticRegression's warns)
    logistic = LogisticRegression()
    assert single_threaded(logistic) is logistic
    assert single_threaded(make_estimator("random_forest", 0)).n_jobs is None
    assert thread_params(make_estimator("naive_bayes", 0)) == []
    assert clone(single_threaded(forest)).n_jobs == 1


# ------------------------------------------------------------------ errors name the flags
def test_flagged_replaces_parameters_by_flags():
    flags = {**SAMPLER_FLAGS, "k_neighbors": "--k"}
    message = flagged("The 'sampling_strategy' parameter of SMOTE must be a float.", flags)
    assert message == "--strategy must be a float."
    assert flagged("pass data_home='/x' or mirror=...", DATASET_FLAGS) == (
        "pass --data-home '/x' or --mirror ..."
    )
    # plain words are not parameters
    assert flagged("Unsupported mirror 'ftp://x'", DATASET_FLAGS) == "Unsupported mirror 'ftp://x'"
    assert flagged("no k_neighbors_ver here", flags) == "no k_neighbors_ver here"


def test_resample_errors_name_the_flag_not_the_parameter(table_csv, tmp_path, capsys):
    path, _ = table_csv
    base = ["resample", str(path), "--target", "y", "-o", str(tmp_path / "o.csv")]
    assert main([*base, "--k", "0"]) == 2
    err = capsys.readouterr().err
    assert "--k must be an int" in err and "k_neighbors" not in err and "object" not in err
    assert main([*base, "--method", "enn", "--k", "500"]) == 2
    err = capsys.readouterr().err
    assert "--k" in err and "n_neighbors" not in err
    assert main([*base, "--method", "borderline1", "--m", "0"]) == 2
    err = capsys.readouterr().err
    assert "--m must be" in err and "m_neighbors" not in err


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasets_fetch_error_names_the_mirror_flag(tmp_path, capsys):
    mirror = f"http://127.0.0.1:{_closed_port()}/"
    args = ["datasets", "fetch", "ecoli", "--mirror", mirror, "--data-home", str(tmp_path)]
    code = main([*args, "--timeout", "5"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "--mirror" in err and "mirror=" not in err, err
    assert err.count("\n") == 1
