"""smotekit.evaluation._report: the Markdown and HTML reports, written atomically."""

from __future__ import annotations

import sys
import warnings

import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from smotekit import SMOTE
from smotekit.evaluation import compare, summarize, synthetic_quality, write_report

pytest.importorskip("matplotlib")


def test_write_report_markdown_and_html(tmp_path, data):
    X, y = data
    results = compare(X, y, [SMOTE(random_state=0)], LogisticRegression(), cv="3x1")
    quality = synthetic_quality(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    paths = write_report(results, tmp_path / "out", quality=quality)
    md = paths["markdown"].read_text()
    page = paths["html"].read_text()
    assert "| smote |" in md and "| smote vs none |" in md
    assert "| smote vs tuned_threshold |" in md
    assert "![scores_roc_auc](figures/scores_roc_auc.png)" in md
    assert (tmp_path / "out" / "figures" / "quality.png").exists()
    # ROC-AUC and balanced-accuracy score plots and the quality plot, each with a caption
    assert page.count("data:image/png;base64,") == 3
    assert page.count("<figcaption>") == 3
    assert "<table>" in page and "Nadeau-Bengio" in page
    assert not [p for p in (tmp_path / "out").rglob(".*")]  # no temporary files left


def test_write_report_is_atomic(tmp_path, monkeypatch, make_results):
    results = make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    paths = write_report(results, tmp_path, figures=None, title="first")
    before = paths["markdown"].read_text()

    class Broken:
        def savefig(self, *args, **kwargs):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_report(results, tmp_path, figures={"bad": Broken()}, title="second")
    assert paths["markdown"].read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report.html", "report.md"]


def test_write_report_custom_tables_and_bad_figures(tmp_path, make_results):
    results = make_results({"none": [0.5, 0.6, 0.55], "smote": [0.9, 0.95, 0.92]})
    paths = write_report(
        results,
        tmp_path,
        figures=None,
        tables={"Extra": pd.DataFrame({"a": [1]})},
        notes=["Hello | world"],
    )
    md = paths["markdown"].read_text()
    assert "## Extra" in md and "Hello | world" in md
    assert "**+0.373 [" in md  # the difference excludes 0: bold
    with pytest.raises(ValueError, match="figures must be a dict, 'auto' or None"):
        write_report(results, tmp_path, figures="all")


def test_interval_table(make_results):
    from smotekit.evaluation._report import interval_table

    summary = summarize(make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]}))
    table = interval_table(summary)
    assert list(table.columns) == ["sampler", "roc_auc [95% CI]", "difference vs none"]
    assert table["difference vs none"].iloc[0] == ""
    assert table["difference vs none"].iloc[1].startswith("+0.100 [")
    with pytest.raises(ValueError, match="No 'g_mean' rows in the summary"):
        interval_table(summary, "g_mean")


def test_write_report_without_matplotlib(tmp_path, monkeypatch, make_results):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    results = make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = write_report(results, tmp_path)
    assert "install matplotlib" in paths["markdown"].read_text()
