"""``smotekit compare`` in a real subprocess: a mixed table with an ID column, the verdict
first, results to stdout or JSON, folds saved as they finish and ``--resume``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_CLI = [sys.executable, "-m", "smotekit"]


def _churn(path: Path, n: int = 900, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.08).astype(int)
    pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(n)],
            "tenure": rng.integers(1, 72, n) - 12 * y,
            "monthly": rng.normal(60, 15, n) + 12 * y,
            "plan": np.where(
                rng.random(n) < 0.3 + 0.4 * y, "basic", rng.choice(["plus", "pro"], n)
            ),
            "paperless": rng.random(n) < 0.5 + 0.2 * y,
            "churn": y,
        }
    ).to_csv(path, index=False)
    return path


def _run(args: list, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*_CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env, **kwargs
    )


FAST = ["--cv", "3x1", "--estimator", "logistic_regression", "--metrics", "roc_auc,g_mean"]


def test_mixed_table_with_an_id_column_end_to_end(tmp_path):
    data = _churn(tmp_path / "churn.csv")
    done = _run(
        [
            "compare",
            data,
            "--target",
            "churn",
            *FAST,
            "--output",
            "out/folds.csv",
            "--report",
            "out",
        ],
        tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Verdict (Bonferroni-corrected")
    assert lines[1].startswith("- churn: Threshold-free metrics (ROC-AUC), against no resampling")
    assert "left out of the comparison: customer_id" in done.stdout
    folds = pd.read_csv(tmp_path / "out" / "folds.csv")
    assert set(folds["sampler"]) == {"none", "smotenc", "randomoversampler", "tuned_threshold"}
    assert not (tmp_path / "out" / "partial").exists()  # removed once the outputs are written
    report = (tmp_path / "out" / "report.md").read_text()
    assert report.index("## Verdict") < report.index("## Cross-validated scores")
    assert "- churn: Threshold metrics (G-mean), against the tuned threshold" in report
    assert "| command | smotekit compare" in report and "| churn | " in report
    assert "class counts" in report and "scikit-learn" in report  # inputs recorded
    assert "Categorical features: total variation distance" in report  # the category audit
    page = (tmp_path / "out" / "report.html").read_text()
    assert '<ul class="verdict">' in page and "<figcaption>" in page


def test_results_to_stdout_as_csv_and_as_json(tmp_path):
    data = _churn(tmp_path / "churn.csv", n=500)
    as_csv = _run(["compare", data, "--target", "churn", *FAST, "-o", "-"], tmp_path, timeout=300)
    assert as_csv.returncode == 0, as_csv.stderr
    folds = pd.read_csv(StringIO(as_csv.stdout))
    assert len(folds) == 3 * (3 * 2 + 1) and "Verdict" in as_csv.stderr
    as_json = _run(
        ["compare", data, "--target", "churn", *FAST, "-o", "-", "--format", "json"],
        tmp_path,
        timeout=300,
    )
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert sorted(document) == ["inputs", "results", "summary", "verdict"]
    assert len(document["results"]) == len(folds) and len(document["verdict"]) == 2
    assert document["inputs"]["datasets"]["churn"]["class counts"]["1"] == int(
        (pd.read_csv(data)["churn"] == 1).sum()
    )


def test_an_interrupted_run_keeps_its_folds_and_resume_finishes_it(tmp_path):
    data = _churn(tmp_path / "churn.csv", n=1200)
    args = ["compare", data, "--target", "churn", "--cv", "5x2", "--n-jobs", "1"]
    args += ["--metrics", "roc_auc", "--output", "folds.csv"]
    partial = tmp_path / "folds.csv.partial"
    process = subprocess.Popen(
        [*_CLI, *map(str, args)], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 240
    while len(list(partial.glob("*.csv"))) < 2 and time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"compare ended before it was interrupted: {process.communicate()}")
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 128 + signal.SIGTERM
    said = process.stderr.read().decode()
    assert "finished fold(s) are saved in" in said and "--resume" in said, said
    kept = sorted(partial.glob("*.csv"))
    assert 2 <= len(kept) < 10 and not (tmp_path / "folds.csv").exists()
    saved = pd.concat(map(pd.read_csv, kept))

    changed = _run([*args, "--seed", "1", "--resume"], tmp_path, timeout=60)
    assert changed.returncode == 2 and "come from another run" in changed.stderr
    resumed = _run([*args, "--resume"], tmp_path, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    folds = pd.read_csv(tmp_path / "folds.csv")
    assert len(folds) == 10 * 3 and not partial.exists()  # ROC-AUC: no tuned baseline
    key = ["sampler", "repeat", "fold", "metric"]
    merged = saved.merge(folds, on=key, suffixes=("_saved", ""))
    assert len(merged) == len(saved)
    np.testing.assert_array_equal(merged["value_saved"], merged["value"])


def test_resume_without_saved_folds_and_bad_options_fail_before_work(tmp_path):
    data = _churn(tmp_path / "churn.csv", n=300)
    nothing = _run(["compare", data, "--target", "churn", "-o", "f.csv", "--resume"], tmp_path)
    assert nothing.returncode == 2 and "no finished folds are saved" in nothing.stderr
    ignored = _run(["compare", data, "--target", "churn", "--ignore", "nope"], tmp_path)
    assert ignored.returncode == 2 and "--ignore names column(s) nope" in ignored.stderr
    fmt = _run(["compare", data, "--target", "churn", "--format", "json"], tmp_path)
    assert fmt.returncode == 2 and "--format applies to --output" in fmt.stderr
    listing = _run(["compare", "--estimator", "list"], tmp_path)
    assert listing.returncode == 0 and "random_forest" in listing.stdout
