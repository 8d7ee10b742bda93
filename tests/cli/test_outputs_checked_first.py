"""Every output path of the CLI is checked before any work: a long run never loses its results."""

from __future__ import annotations

import pandas as pd
import pytest

import smotekit.evaluation
from smotekit.cli import main


@pytest.fixture
def numeric_table(tmp_path):
    rng = pd.Series(range(200))
    frame = pd.DataFrame(
        {
            "a": (rng * 7 % 13) / 13.0,
            "b": (rng * 3 % 11) / 11.0,
            "label": (rng % 10 == 0).astype(int),
        }
    )
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def compare_args(path, *extra):
    return [
        "compare",
        str(path),
        "--target",
        "label",
        "--methods",
        "random",
        "--cv",
        "2x1",
        "--metrics",
        "roc_auc",
        "--estimator",
        "logistic_regression",
        *map(str, extra),
    ]


def test_output_inside_the_report_folder_it_creates(numeric_table, tmp_path, capsys):
    """The issue's case: --output out/folds.csv --report out, with no out/ yet."""
    out = tmp_path / "out"
    code = main(compare_args(numeric_table, "--output", out / "folds.csv", "--report", out))
    assert code == 0, capsys.readouterr().err
    assert (out / "folds.csv").exists() and (out / "report.md").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--output", "missing/folds.csv"], "output folder"),
        (["--output", "folds.txt"], ".txt"),
        (["--report", "data.csv"], "is a file"),
    ],
)
def test_a_bad_output_fails_before_any_fold_is_computed(
    numeric_table, tmp_path, capsys, monkeypatch, extra, message
):
    def no_work(*args, **kwargs):
        raise AssertionError("compare ran before the outputs were checked")

    monkeypatch.setattr(smotekit.evaluation, "compare", no_work)
    monkeypatch.chdir(tmp_path)
    code = main(compare_args(numeric_table, *extra))
    err = capsys.readouterr().err
    assert code != 0 and message in err, err


def test_resample_checks_its_output_folder_before_resampling(numeric_table, capsys, monkeypatch):
    import smotekit.over_sampling._smote as smote

    def no_work(*args, **kwargs):
        raise AssertionError("resampled before the output was checked")

    monkeypatch.setattr(smote.SMOTE, "fit_resample", no_work)
    code = main(["resample", str(numeric_table), "--target", "label", "-o", "nope/out.csv"])
    err = capsys.readouterr().err
    assert code != 0 and "does not exist; check -o" in err, err
