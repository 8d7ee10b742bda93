"""smotekit.evaluation._verdict: helps / hurts / no detectable difference, per metric family,
Bonferroni-corrected; the report and summarize open with it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smotekit.evaluation import summarize, write_report
from smotekit.evaluation._compare import RESULT_COLUMNS
from smotekit.evaluation._summary import paired_interval
from smotekit.evaluation._verdict import verdict, verdict_lines


def _results(scores: dict[str, dict[str, list[float]]], n_train=80, n_test=20) -> pd.DataFrame:
    """``{metric: {sampler: [fold values]}}`` in the layout of compare (5 folds per repeat)."""
    rows = [
        (sampler, f // 5, f % 5, metric, v, 0.1, 0.01, n_train, n_test, 0, n_train)
        for metric, by_sampler in scores.items()
        for sampler, values in by_sampler.items()
        for f, v in enumerate(values)
    ]
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


BASE = [0.70, 0.74, 0.69, 0.73, 0.71, 0.72, 0.75, 0.70, 0.71, 0.73]


def _shifted(shift: float, noise: float = 0.002, seed: int = 0) -> list[float]:
    rng = np.random.default_rng(seed)
    return [b + shift + rng.normal(0, noise) for b in BASE]


def test_outcomes_follow_the_sign_of_a_clear_difference():
    results = _results(
        {
            "roc_auc": {
                "none": BASE,
                "good": _shifted(0.05),
                "bad": _shifted(-0.05, seed=1),
                "same": _shifted(0.0, noise=0.03, seed=2),
            }
        }
    )
    table = verdict(results).set_index("sampler")
    assert table.loc["good", "outcome"] == "helps" and table.loc["good", "low"] > 0
    assert table.loc["bad", "outcome"] == "hurts" and table.loc["bad", "high"] < 0
    assert table.loc["same", "outcome"] == "no detectable difference"
    assert (table["comparisons"] == 3).all() and (table["reference"] == "none").all()
    line = verdict_lines(verdict(results))[0]
    assert "helps: good (ROC-AUC +0.05" in line and "hurts: bad (ROC-AUC -0.05" in line
    assert line.endswith("no detectable difference: same.")


def test_bonferroni_widens_intervals_with_the_number_of_comparisons():
    # One modest improvement, then the same improvement among nine noise samplers.
    modest = _shifted(0.012, noise=0.008, seed=5)
    alone = verdict(_results({"roc_auc": {"none": BASE, "modest": modest}}))
    crowd = {"none": BASE, "modest": modest}
    crowd |= {f"noise{i}": _shifted(0.0, noise=0.02, seed=10 + i) for i in range(9)}
    many = verdict(_results({"roc_auc": crowd})).set_index("sampler")
    one = alone.iloc[0]
    assert one["outcome"] == "helps"
    assert many.loc["modest", "outcome"] == "no detectable difference"
    assert many.loc["modest", "comparisons"] == 10
    width_one, width_many = (
        one["high"] - one["low"],
        many.loc["modest", "high"] - many.loc["modest", "low"],
    )
    assert width_many > width_one
    assert many.loc["modest", "p_adjusted"] == pytest.approx(
        min(1.0, 10 * many.loc["modest", "p_value"])
    )
    uncorrected = verdict(_results({"roc_auc": crowd}), correction=None).set_index("sampler")
    assert uncorrected.loc["modest", "outcome"] == "helps"


def test_threshold_metrics_are_judged_against_the_tuned_threshold():
    results = _results(
        {
            "roc_auc": {"none": BASE, "smote": _shifted(0.0, noise=0.03)},
            "balanced_accuracy": {
                "none": BASE,
                "smote": _shifted(0.10, seed=3),
                "tuned_threshold": _shifted(0.10, seed=4),
            },
        }
    )
    table = verdict(results)
    free = table[table["family"] == "threshold-free"]
    hard = table[table["family"] == "threshold"].set_index("sampler")
    assert free["reference"].tolist() == ["none"] and "tuned_threshold" not in set(free["sampler"])
    assert hard.loc["smote", "reference"] == "tuned_threshold"
    assert hard.loc["smote", "outcome"] == "no detectable difference"  # it only moved the threshold
    assert hard.loc["tuned_threshold", "reference"] == "none"
    assert hard.loc["tuned_threshold", "outcome"] == "helps"
    lines = verdict_lines(table)
    assert len(lines) == 2
    assert lines[1].startswith("Threshold metrics (balanced accuracy), against the tuned threshold")
    assert "Tuning the threshold alone, against no resampling: balanced accuracy +0.1" in lines[1]


def test_without_a_tuned_baseline_threshold_metrics_are_judged_against_none():
    results = _results({"g_mean": {"none": BASE, "smote": _shifted(0.08)}})
    table = verdict(results)
    assert table["reference"].tolist() == ["none"] and table["outcome"].tolist() == ["helps"]
    assert "against no resampling" in verdict_lines(table)[0]


def test_one_line_per_dataset_and_family():
    one = _results({"roc_auc": {"none": BASE, "smote": _shifted(0.05)}})
    two = _results({"roc_auc": {"none": BASE, "smote": _shifted(-0.05)}})
    results = pd.concat([one.assign(dataset="a"), two.assign(dataset="b")], ignore_index=True)
    lines = summarize(results).attrs["verdict"]
    assert len(lines) == 2
    assert lines[0].startswith("a: ") and "helps: smote" in lines[0]
    assert lines[1].startswith("b: ") and "hurts: smote" in lines[1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-0.2, 0.2), min_size=3, max_size=15),
    st.floats(0.05, 0.5),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_paired_interval_contains_its_mean_and_decides_like_its_p_value(diffs, ratio, level):
    values = np.asarray(diffs)
    mean, low, high, p = paired_interval(values, ratio, level)
    assert low <= mean + 1e-12 and mean <= high + 1e-12
    if values.std(ddof=1) > 1e-9 and -1 < low and high < 1:  # not clipped, not degenerate
        excludes_zero = low > 0 or high < 0
        assert excludes_zero == (p < 1 - level) or abs(p - (1 - level)) < 1e-9


def test_report_opens_with_the_verdict(tmp_path):
    results = _results(
        {
            "roc_auc": {"none": BASE, "smote": _shifted(-0.04)},
            "minority_f1": {
                "none": BASE,
                "smote": _shifted(0.06),
                "tuned_threshold": _shifted(0.06, seed=9),
            },
        }
    )
    results.attrs["notes"] = ["adasyn was skipped: it needs numeric features."]
    paths = write_report(results, tmp_path, figures=None, inputs={"command": "smotekit compare"})
    md = paths["markdown"].read_text()
    page = paths["html"].read_text()
    verdict_at = md.index("## Verdict")
    assert verdict_at < md.index("## Cross-validated scores") < md.index("## Inputs")
    assert "Bonferroni" in md[verdict_at : md.index("## Cross-validated scores")]
    assert "- Threshold-free metrics (ROC-AUC), against no resampling: hurts: smote" in md
    assert "- Threshold metrics (minority F1), against the tuned threshold" in md
    assert "adasyn was skipped" in md and "| command | smotekit compare |" in md
    assert '<ul class="verdict">' in page and page.index("Verdict") < page.index("<table>")
