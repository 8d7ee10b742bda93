"""The reference experiment: does SMOTE, ADASYN or Borderline-SMOTE help a random forest?

The tutorial that defines smotekit ends with this experiment, reproduced here exactly
(:func:`reference_experiment`): for each of three imbalanced datasets (ecoli,
thyroid_sick, arrhythmia),

1. ``train_test_split(X, y, test_size=0.3, random_state=0)`` (not stratified);
2. ``MinMaxScaler`` fitted on the training part, applied to both parts;
3. ``RandomForestClassifier(n_estimators=100, max_depth=2, random_state=39)`` trained on
   the training part as it is, or resampled by ``SMOTE(random_state=0, k_neighbors=5)``,
   ``ADASYN(random_state=0, n_neighbors=5)`` or Borderline-1 ``BorderlineSMOTE(
   random_state=0, k_neighbors=5, m_neighbors=10)`` (``sampling_strategy="auto"``);
4. score: test ROC-AUC of ``predict_proba[:, 1]``.

One split and one resampling seed make a noisy measurement, so :func:`cv_experiment`
repeats the comparison under repeated stratified cross-validation with intervals
(:func:`smotekit.evaluation.compare`), and :func:`reference_over_seeds` varies the
resampling seed.  :func:`run_demo` (``python -m smotekit demo``, ``make run``) prints
the table and writes a report.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.parallel import Parallel, delayed

__all__ = [
    "CONDITIONS",
    "REFERENCE_DATASETS",
    "cv_experiment",
    "reference_estimator",
    "reference_experiment",
    "reference_over_seeds",
    "reference_samplers",
    "reference_split",
    "run_demo",
    "toy_data",
]

#: The datasets of the reference experiment (bundled with smotekit).
REFERENCE_DATASETS: tuple[str, ...] = ("ecoli", "thyroid_sick", "arrhythmia")
#: The conditions compared, in table order.
CONDITIONS: tuple[str, ...] = ("none", "smote", "adasyn", "borderline1")
_LIBRARIES = {"smotekit": "smotekit", "imblearn": "imblearn.over_sampling"}


def reference_samplers(random_state: int = 0, *, library: str = "smotekit") -> dict[str, Any]:
    """The four conditions of the protocol, ``{name: sampler or None}``.

    Parameters
    ----------
    random_state : int, default=0
        Seed of every sampler (the protocol uses 0).
    library : {"smotekit", "imblearn"}, default="smotekit"
        Whose samplers: smotekit's, or imbalanced-learn's (for comparison; needs
        imbalanced-learn installed).

    Examples
    --------
    >>> reference_samplers()["adasyn"]
    ADASYN(random_state=0)
    """
    if library not in _LIBRARIES:
        raise ValueError(f"library must be one of {sorted(_LIBRARIES)}; got {library!r}.")
    lib = importlib.import_module(_LIBRARIES[library])
    return {
        "none": None,
        "smote": lib.SMOTE(sampling_strategy="auto", random_state=random_state, k_neighbors=5),
        "adasyn": lib.ADASYN(sampling_strategy="auto", random_state=random_state, n_neighbors=5),
        "borderline1": lib.BorderlineSMOTE(
            sampling_strategy="auto",
            random_state=random_state,
            k_neighbors=5,
            m_neighbors=10,
            kind="borderline-1",
        ),
    }


def reference_estimator() -> RandomForestClassifier:
    """``RandomForestClassifier(n_estimators=100, max_depth=2, random_state=39)``."""
    return RandomForestClassifier(n_estimators=100, max_depth=2, random_state=39)


def reference_split(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The protocol's split and scaling: ``(X_train, X_test, y_train, y_test)``.

    ``train_test_split(test_size=0.3, random_state=0)`` (not stratified), then a
    ``MinMaxScaler`` fitted on the training part and applied to both.

    Examples
    --------
    >>> from smotekit.datasets import load_dataset
    >>> X_train, X_test, y_train, y_test = reference_split(*load_dataset("ecoli"))
    >>> X_train.shape, X_test.shape, float(X_train.min()), float(X_train.max())
    ((235, 7), (101, 7), 0.0, 1.0)
    """
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    scaler = MinMaxScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def _score(split: Sequence[np.ndarray], sampler: Any) -> float:
    X_train, X_test, y_train, y_test = split
    if sampler is not None:
        X_train, y_train = clone(sampler).fit_resample(X_train, y_train)
    model = reference_estimator().fit(X_train, y_train)
    return float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    from .datasets import BUNDLED_DATASETS, fetch_datasets, load_dataset

    if name in BUNDLED_DATASETS:
        return load_dataset(name)
    bunch = fetch_datasets([name])[name]
    return bunch.data, bunch.target


def reference_experiment(
    datasets: Iterable[str] = REFERENCE_DATASETS, *, library: str = "smotekit"
) -> pd.DataFrame:
    """Test ROC-AUC of every condition on every dataset, by the exact protocol.

    Parameters
    ----------
    datasets : iterable of str, default=REFERENCE_DATASETS
        Bundled dataset names (others are fetched with
        :func:`smotekit.datasets.fetch_datasets`).
    library : {"smotekit", "imblearn"}, default="smotekit"
        Whose samplers to run.

    Returns
    -------
    table : DataFrame
        Index ``dataset``, one column per condition (:data:`CONDITIONS`).

    Examples
    --------
    >>> table = reference_experiment(["ecoli"])
    >>> print(table.to_string(float_format="{:.4f}".format))  # doctest: +NORMALIZE_WHITESPACE
              none  smote  adasyn  borderline1
    dataset
    ecoli   0.9408 0.9577  0.9698       0.9891
    """
    samplers = reference_samplers(library=library)
    rows = {}
    for name in datasets:
        split = reference_split(*_load(name))
        rows[name] = {condition: _score(split, s) for condition, s in samplers.items()}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(CONDITIONS))
    table.index.name = "dataset"
    return table


def _seed_runs(
    split: Sequence[np.ndarray], dataset: str, condition: str, seeds: list[int], library: str
) -> list[tuple]:
    return [
        (
            dataset,
            condition,
            seed,
            library,
            _score(split, reference_samplers(seed, library=library)[condition]),
        )
        for seed in seeds
    ]


def reference_over_seeds(
    datasets: Iterable[str] = REFERENCE_DATASETS,
    seeds: Iterable[int] = range(20),
    *,
    library: str = "smotekit",
    conditions: Iterable[str] = CONDITIONS[1:],
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """The protocol's test ROC-AUC for many resampling seeds.

    The split, the scaling and the forest stay those of the protocol; only the
    samplers' ``random_state`` varies.  This separates the resampler's effect from
    the luck of one seed, and is how smotekit is checked against
    imbalanced-learn (``tests/test_experiment.py``).

    Parameters
    ----------
    datasets : iterable of str, default=REFERENCE_DATASETS
    seeds : iterable of int, default=range(20)
    library : {"smotekit", "imblearn"}, default="smotekit"
    conditions : iterable of str, default=("smote", "adasyn", "borderline1")
    n_jobs : int or None, default=None
        Parallel processes over (dataset, condition) pairs.

    Returns
    -------
    DataFrame
        Columns ``dataset``, ``condition``, ``seed``, ``library``, ``roc_auc``.
    """
    seeds = list(seeds)
    conditions = list(conditions)
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        raise ValueError(f"Unknown condition(s) {unknown}; valid: {', '.join(CONDITIONS)}.")
    splits = {name: reference_split(*_load(name)) for name in datasets}
    tasks = (
        delayed(_seed_runs)(splits[name], name, condition, seeds, library)
        for name in splits
        for condition in conditions
    )
    chunks = Parallel(n_jobs=n_jobs)(tasks)
    records = [row for chunk in chunks for row in chunk]
    return pd.DataFrame(records, columns=["dataset", "condition", "seed", "library", "roc_auc"])


def cv_experiment(
    datasets: Iterable[str] = REFERENCE_DATASETS,
    *,
    cv: Any = None,
    scoring: Any = None,
    n_jobs: int | None = -1,
    progress: bool = False,
) -> pd.DataFrame:
    """The reference comparison under repeated stratified cross-validation.

    Same samplers, forest and scaling as the protocol, but ``MinMaxScaler`` and
    the samplers are fitted on each training fold only, over 3 repeats of
    stratified 5-fold by default; the result is the tidy frame of
    :func:`smotekit.evaluation.compare` with a ``dataset`` column.

    Parameters
    ----------
    datasets : iterable of str, default=REFERENCE_DATASETS
    cv : see :func:`smotekit.evaluation.check_cv`, default=None (``"5x3"``)
    scoring : list of str or None, default=None (all metrics)
    n_jobs : int or None, default=-1
        Cores for the folds (-1: all; see :func:`smotekit.evaluation.compare`).
    progress : bool, default=False
        Progress bar over folds (needs tqdm).

    Returns
    -------
    DataFrame
    """
    from .evaluation import combine_results, compare

    samplers = {k: v for k, v in reference_samplers().items() if v is not None}
    runs = {}
    for name in datasets:
        X, y = _load(name)
        runs[name] = compare(
            X,
            y,
            samplers,
            reference_estimator(),
            cv=cv,
            scoring=scoring,
            preprocessor=MinMaxScaler(),
            n_jobs=n_jobs,
            progress=progress,
        )
    details = {name: {"source": "bundled with smotekit"} for name in runs}
    return combine_results(runs, details=details)


def toy_data(random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The tutorial's toy example: two blobs, 800 majority and 200 minority rows.

    ``make_blobs(n_samples=1600, centers=[(0, 0), (5, 5)], n_features=2,
    cluster_std=1.5)``, keeping the first 200 rows of class 1.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = toy_data()
    >>> X.shape, np.bincount(y).tolist()
    ((1000, 2), [800, 200])
    """
    X, y = make_blobs(
        n_samples=1600,
        centers=[(0, 0), (5, 5)],
        n_features=2,
        cluster_std=1.5,
        random_state=random_state,
    )
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:200]])
    keep.sort()
    return X[keep], y[keep]


def run_demo(
    report_dir: str | Path | None = "reports",
    *,
    cv: Any = None,
    n_jobs: int | None = -1,
    progress: bool = False,
    echo: Callable[[str], Any] = print,
) -> dict[str, Any]:
    """Run the reference experiment and its cross-validated extension; write a report.

    Prints the dataset x condition table of the exact protocol, then the verdict of
    the cross-validated comparison (:func:`smotekit.evaluation.verdict`) and its
    ROC-AUC with intervals and differences against no resampling,
    and writes ``report.md`` and ``report.html`` (with figures when matplotlib is
    installed) to ``report_dir``.

    Parameters
    ----------
    report_dir : str, path or None, default="reports"
        Where to write the report; None writes nothing.
    cv : see :func:`smotekit.evaluation.check_cv`, default=None (``"5x3"``)
    n_jobs : int or None, default=-1
        Cores for the folds (-1: all; see :func:`smotekit.evaluation.compare`).
    progress : bool, default=False
        Progress bar over folds.
    echo : callable, default=print
        Receives each block of text to show.

    Returns
    -------
    dict
        ``"table"`` (reference table), ``"results"`` (cross-validated tidy
        results), ``"summary"`` and ``"paths"`` (what was written).
    """
    from .evaluation import summarize
    from .evaluation._report import interval_table

    table = reference_experiment()
    echo(
        "Reference experiment (tutorial protocol): test ROC-AUC\n"
        "70/30 split (random_state=0), MinMaxScaler, RandomForest(100 trees, max_depth=2, "
        "random_state=39), samplers with random_state=0\n"
    )
    echo(table.to_string(float_format=lambda v: f"{v:.4f}") + "\n")
    results = cv_experiment(cv=cv, n_jobs=n_jobs, progress=progress)
    summary = summarize(results)
    cv_table = interval_table(summary)
    echo(f"Cross-validated ({results.attrs.get('cv')}), scaler and sampler fitted per fold:\n")
    verdict = "\n".join(f"- {line}" for line in summary.attrs["verdict"])
    echo(f"Verdict (Bonferroni-corrected within each dataset and metric family):\n{verdict}\n")
    echo(cv_table.to_string(index=False) + "\n")
    paths: dict[str, Path] = {}
    if report_dir is not None:
        paths = _demo_report(Path(report_dir), table, results)
        echo(f"Report written to {paths['html']} and {paths['markdown']}")
    return {"table": table, "results": results, "summary": summary, "paths": paths}


def _demo_report(directory: Path, table: pd.DataFrame, results: pd.DataFrame) -> dict[str, Path]:
    from . import evaluation

    samplers = {k: v for k, v in reference_samplers().items() if v is not None}
    X_train, _, y_train, _ = reference_split(*_load("ecoli"))
    quality = {}
    for name, sampler in samplers.items():
        fitted = clone(sampler)
        X_res, y_res = fitted.fit_resample(X_train, y_train)
        quality[name] = evaluation.synthetic_quality(
            X_train, y_train, X_res, y_res, provenance=fitted.provenance_
        )
    figures: Any = {}
    try:
        figures["scores_roc_auc"] = evaluation.plot_scores(results, "roc_auc")
        X_toy, y_toy = toy_data()
        for name, sampler in samplers.items():
            figures[f"toy_{name}"] = evaluation.plot_resampling(
                X_toy,
                y_toy,
                *clone(sampler).fit_resample(X_toy, y_toy),
                title=f"Toy example (tutorial): {name}",
            )
        figures["quality_ecoli"] = evaluation.plot_quality(quality)
    except ImportError:
        figures = "auto"  # write_report notes that matplotlib is missing
    reference = table.map(lambda v: f"{v:.4f}").reset_index()
    return evaluation.write_report(
        results,
        directory,
        quality=quality,
        figures=figures,
        title="smotekit reference experiment: does resampling help a random forest?",
        tables={"Reference experiment (tutorial protocol): test ROC-AUC": reference},
        notes=[
            "Protocol of the tutorial, exactly: train_test_split(test_size=0.3, "
            "random_state=0), MinMaxScaler fitted on the training part, "
            "RandomForestClassifier(n_estimators=100, max_depth=2, random_state=39), samplers "
            "with sampling_strategy='auto', random_state=0 (SMOTE k_neighbors=5, ADASYN "
            "n_neighbors=5, Borderline-1 k_neighbors=5, m_neighbors=10); score: test ROC-AUC.",
            "One split and one seed are a noisy measurement; the cross-validated section "
            "repeats the comparison with the scaler and the sampler fitted on each training "
            "fold. The quality section audits the synthetic rows each sampler makes from "
            "ecoli's training part.",
        ],
    )
