"""smotekit.evaluation._plots: the figures (need matplotlib)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from smotekit import SMOTE, RandomOverSampler
from smotekit.evaluation import (
    plot_quality,
    plot_resampling,
    plot_scores,
    sampler_name,
    synthetic_quality,
)

pytest.importorskip("matplotlib")


def test_plot_resampling_2d_draws_classes_and_synthetic_rows():
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.array([0] * 50 + [1] * 10)
    X_res, y_res = SMOTE(random_state=0, k_neighbors=3).fit_resample(X, y)
    fig = plot_resampling(X, y, X_res, y_res, title="t")
    before, after = fig.axes
    assert len(before.collections) == 2  # one scatter per class
    assert len(after.collections) == 3  # plus the synthetic minority rows
    assert after.collections[2].get_offsets().shape == (40, 2)
    assert before.get_xlabel() == "x0"
    assert "before: 0: 50, 1: 10" == before.get_title()


def test_plot_resampling_projects_high_dimensional_data(data):
    X, y = data
    fig = plot_resampling(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    assert fig.axes[0].get_xlabel().startswith("PC1 (")
    one = plot_resampling(X[:, :1], y, *SMOTE(random_state=0).fit_resample(X[:, :1], y))
    assert one.axes[0].get_xlabel() == "x0"


def test_plot_resampling_rejects_under_sampled_data(data):
    X, y = data
    with pytest.raises(ValueError, match="fewer rows"):
        plot_resampling(X, y, X[:10], y[:10])


def test_plot_scores_one_panel_per_dataset(make_results):
    a = make_results({"none": [0.5, 0.6], "smote": [0.6, 0.7]}).assign(dataset="a")
    b = make_results({"none": [0.9, 0.8], "smote": [0.7, 0.6]}).assign(dataset="b")
    fig = plot_scores(pd.concat([a, b]))
    assert len(fig.axes) == 2
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["none", "smote"]
    assert len(fig.axes[0].get_lines()) > 0  # boxes and the baseline line
    with pytest.raises(ValueError, match="No 'g_mean' scores"):
        plot_scores(a, "g_mean")


def test_plot_quality_for_several_samplers(data):
    X, y = data
    quality = {}
    for sampler in (SMOTE(random_state=0), RandomOverSampler(random_state=0)):
        quality[sampler_name(sampler)] = synthetic_quality(X, y, *sampler.fit_resample(X, y))
    fig = plot_quality(quality)
    assert len(fig.axes) == 3
    assert len(fig.axes[1].patches) == 3  # real + two samplers, one class
    assert len(fig.axes[2].patches) == 2 * X.shape[1]
    with pytest.raises(TypeError, match="SyntheticQuality or a dict"):
        plot_quality({})


def test_plots_explain_how_to_install_matplotlib(monkeypatch, data):
    X, y = data
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install smotekit\[plot\]"):
        plot_resampling(X, y, X, y)


def test_figure_renders_to_png(tmp_path, data):
    X, y = data
    fig = plot_resampling(X, y, *SMOTE(random_state=0).fit_resample(X, y))
    fig.savefig(tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
