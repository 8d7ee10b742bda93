"""smotekit.evaluation._summary: means, corrected intervals and paired differences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.evaluation import summarize


def test_summarize_matches_the_corrected_t_test(make_results):
    from scipy import stats

    base = [0.70, 0.75, 0.72, 0.78]
    other = [0.74, 0.80, 0.73, 0.83]
    summary = summarize(make_results({"none": base, "smote": other}))
    row = summary.set_index("sampler").loc["smote"]
    d = np.subtract(other, base)
    se = d.std(ddof=1) * np.sqrt(1 / 4 + 20 / 80)
    half = stats.t.ppf(0.975, 3) * se
    assert row["diff"] == pytest.approx(d.mean())
    assert row["diff_low"] == pytest.approx(d.mean() - half)
    assert row["diff_high"] == pytest.approx(d.mean() + half)
    assert row["p_value"] == pytest.approx(2 * stats.t.sf(d.mean() / se, 3))
    assert row["mean"] == pytest.approx(np.mean(other)) and row["n"] == 4
    plain = summarize(make_results({"none": base, "smote": other}), correction=None)
    plain_row = plain.set_index("sampler").loc["smote"]
    assert plain_row["diff_high"] - plain_row["diff_low"] < row["diff_high"] - row["diff_low"]
    assert summary.set_index("sampler").loc["none", "diff"] == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=12))
def test_summarize_identical_samplers_differ_by_zero(make_results, values):
    summary = summarize(make_results({"none": values, "copy": values}))
    row = summary.set_index("sampler").loc["copy"]
    assert row["diff"] == 0 and row["p_value"] == 1.0
    assert 0 <= row["ci_low"] <= row["mean"] + 1e-12 and row["ci_high"] <= 1


def test_summarize_groups_by_dataset(make_results):
    a = make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]}).assign(dataset="a")
    b = make_results({"none": [0.9, 0.8], "smote": [0.7, 0.6]}).assign(dataset="b")
    summary = summarize(pd.concat([a, b]))
    assert list(summary["dataset"]) == ["a", "a", "b", "b"]
    diffs = summary[summary["sampler"] == "smote"]["diff"].to_numpy()
    assert diffs == pytest.approx([0.1, -0.2])


def test_summarize_rejects(make_results):
    results = make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]})
    with pytest.raises(ValueError, match=r"baseline 'raw' is not among the samplers"):
        summarize(results, baseline="raw")
    with pytest.raises(ValueError, match=r"lack the column\(s\) \['value'\]"):
        summarize(results.drop(columns="value"))
    with pytest.raises(ValueError, match="correction must be one of"):
        summarize(results, correction="bonferroni")
    with pytest.raises(ValueError, match=r"confidence must be in \(0, 1\)"):
        summarize(results, confidence=95)


def test_summarize_single_fold_has_no_interval(make_results):
    summary = summarize(make_results({"none": [0.5], "smote": [0.6]}))
    assert summary["ci_low"].isna().all() and summary["diff_low"].isna().all()
