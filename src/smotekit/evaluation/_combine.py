"""Results of several datasets in one frame, their records of inputs, times and notes kept apart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["combine_results"]

_PER_DATASET = {
    "rows": "rows",
    "features": "features",
    "class_counts": "class counts",
    "categorical_features": "categorical",
}


def combine_results(
    results: Mapping[str, pd.DataFrame], *, details: Mapping[str, Mapping[str, Any]] | None = None
) -> pd.DataFrame:
    """Concatenate :func:`compare` results of several datasets, with a ``dataset`` column.

    ``attrs`` are merged so that a report shows each dataset's own record:
    ``inputs["datasets"]`` holds, per dataset, its rows, features, class counts and
    categorical columns (plus ``details``), the other inputs are those shared by the
    runs (the last run's, for what differs), ``timing`` is per dataset, and each
    note is prefixed by its dataset.

    Parameters
    ----------
    results : mapping of str to DataFrame
        ``{dataset name: results of compare}``, in report order.
    details : mapping of str to mapping, optional
        More per-dataset fields, e.g. ``{"ecoli": {"source": "bundled"}}`` (placed first).

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from smotekit.evaluation import compare
    >>> runs = {}
    >>> for seed in (0, 1):
    ...     X, y = make_classification(n_samples=200, weights=[0.8], random_state=seed)
    ...     runs[f"data{seed}"] = compare(X, y, [], LogisticRegression(), cv="2x1",
    ...                                   scoring=["roc_auc"], n_jobs=1)
    >>> combined = combine_results(runs)
    >>> sorted(combined.attrs["inputs"]["datasets"]), combined["dataset"].unique().tolist()
    (['data0', 'data1'], ['data0', 'data1'])
    """
    if not results:
        raise ValueError("results is empty: give at least one dataset's results.")
    details = details or {}
    frames, per_dataset, timing, notes = [], {}, {}, []
    shared: dict[str, Any] = {}
    attrs: dict[str, Any] = {}
    for name, frame in results.items():
        attrs = dict(frame.attrs)
        record = dict(attrs.get("inputs") or {})
        per_dataset[name] = {
            **details.get(name, {}),
            **{label: record.pop(key) for key, label in _PER_DATASET.items() if key in record},
        }
        if not per_dataset[name].get("categorical"):
            per_dataset[name]["categorical"] = "none"
        shared |= record
        timing[name] = attrs.get("timing", {})
        notes += [f"{name}: {note}" for note in attrs.get("notes", [])]
        frames.append(frame.assign(dataset=name))
    combined = pd.concat(frames, ignore_index=True)
    combined = combined[["dataset", *[c for c in combined.columns if c != "dataset"]]]
    combined.attrs.update(
        {k: v for k, v in attrs.items() if k not in ("inputs", "timing", "notes")},
        inputs={"datasets": per_dataset, **shared},
        timing=timing,
        notes=notes,
    )
    return combined
