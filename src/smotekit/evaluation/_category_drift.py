"""The audit's inputs split into numeric and categorical features; category drift.

:func:`~smotekit.evaluation.synthetic_quality` measures distances on the numeric
features only.  Here its inputs are read and split (which features are
categorical, their values, which rows are synthetic), and the categorical
features are compared class by class: the category frequencies of the real rows
against those of the synthetic rows.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

from .._categorical import resolve_categorical_features
from .._categorical._features import is_categorical_dtype

__all__ = [
    "CATEGORY_COLUMNS",
    "CATEGORY_DRIFT_THRESHOLD",
    "CategoryDriftWarning",
    "Features",
    "categorical_indices",
    "category_drift",
    "drift_sentences",
    "empty_categories",
    "read_features",
    "synthetic_part",
    "warn_drift",
]

#: Default threshold: a class's synthetic category frequencies of a feature whose
#: total variation distance from the real rows' frequencies exceeds it drift.
CATEGORY_DRIFT_THRESHOLD = 0.1

#: Columns of :attr:`SyntheticQuality.categories`.
CATEGORY_COLUMNS = [
    "label",
    "feature",
    "tvd",
    "worst_category",
    "real_share",
    "synthetic_share",
    "n_categories_real",
    "unseen_share",
    "drift",
]

_DTYPES = {
    "tvd": "float64",
    "real_share": "float64",
    "synthetic_share": "float64",
    "n_categories_real": "int64",
    "unseen_share": "float64",
    "drift": "bool",
}


class CategoryDriftWarning(UserWarning):
    """Synthetic category frequencies drift from the real ones beyond the threshold.

    Issued once per :func:`~smotekit.evaluation.synthetic_quality` call that finds
    drift; silence it with ``warnings.simplefilter("ignore", CategoryDriftWarning)``.
    """


class _Missing:
    """The one category that stands for every missing value (NaN, None, pandas NA)."""

    def __repr__(self) -> str:
        return "missing"


MISSING = _Missing()


def n_features_of(X: Any, name: str) -> int:
    """Number of columns of a 2-D input, or a ValueError naming it."""
    shape = X.shape if hasattr(X, "shape") else np.shape(np.asarray(X, dtype=object))
    if len(shape) != 2:
        raise ValueError(f"{name} must be 2-D; got shape {tuple(shape)}.")
    return int(shape[1])


def categorical_indices(X: Any, spec: Any) -> np.ndarray:
    """Positions of X's categorical features named by ``categorical_features``.

    ``None`` and ``"auto"``: the ``category``, ``object``, ``string`` and ``bool``
    columns of a pandas DataFrame, and none of any other input.  Otherwise the
    forms of :class:`~smotekit.SMOTENC`'s parameter: indices, names or a mask.

    Examples
    --------
    >>> import pandas as pd
    >>> categorical_indices(pd.DataFrame({"a": [1.0], "b": ["x"], "c": [True]}), None)
    array([1, 2])
    >>> categorical_indices([[1.0, 2.0]], [-1])
    array([1])
    """
    if spec is None or (isinstance(spec, str) and spec == "auto"):
        if isinstance(X, pd.DataFrame):
            return np.flatnonzero([is_categorical_dtype(d) for d in X.dtypes]).astype(np.int64)
        return np.empty(0, dtype=np.int64)
    n_features = n_features_of(X, "X")
    return resolve_categorical_features(spec, X, n_features, "synthetic_quality")


def as_frame(X: Any) -> pd.DataFrame:
    """X as a DataFrame whose columns keep their values (object columns for arrays)."""
    if isinstance(X, pd.DataFrame):
        return X
    if sparse.issparse(X):
        X = X.toarray()
    return pd.DataFrame(np.asarray(X, dtype=object))


def category_values(column: pd.Series) -> np.ndarray:
    """A column's values as an object array, every missing value the one category MISSING."""
    values = column.astype(object).to_numpy(copy=True)
    values[pd.isna(values)] = MISSING
    return values


class Features(NamedTuple):
    """One input split into its numeric matrix and its categorical columns."""

    numeric: np.ndarray
    numeric_names: list[str]
    categories: list[np.ndarray]
    categorical_names: list[str]


def _as_matrix(X: Any, name: str) -> tuple[np.ndarray, list[str]]:
    columns = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    if hasattr(X, "dtypes"):
        bad = [str(c) for c, d in X.dtypes.items() if not _numeric(d)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric column(s) {bad[:5]} that are not among the "
                "categorical features; synthetic_quality measures distances on numeric "
                "features and compares categorical ones by their frequencies. Name them in "
                "categorical_features (or encode or drop them)."
            )
    if sparse.issparse(X):
        X = X.toarray()
    try:
        matrix = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must hold numeric values outside its categorical features; declare "
            "the categorical columns with categorical_features=[...] (indices, names or a "
            "boolean mask)."
        ) from None
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be 2-D; got shape {matrix.shape}.")
    if not np.isfinite(matrix).all():
        raise ValueError(f"{name} contains NaN or infinite values.")
    return matrix, columns or [f"x{j}" for j in range(matrix.shape[1])]


def _numeric(dtype: Any) -> bool:
    if isinstance(dtype, pd.SparseDtype):
        dtype = dtype.subtype
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def read_features(X: Any, name: str, categorical: np.ndarray) -> Features:
    """Split X into its numeric features (validated) and its categorical columns."""
    if categorical.size == 0:
        matrix, names = _as_matrix(X, name)
        return Features(matrix, names, [], [])
    frame = as_frame(X)
    names = (
        [str(c) for c in frame.columns]
        if isinstance(X, pd.DataFrame)
        else [f"x{j}" for j in range(frame.shape[1])]
    )
    numeric = np.setdiff1d(np.arange(frame.shape[1]), categorical)
    part = frame.iloc[:, numeric]
    if not isinstance(X, pd.DataFrame):
        bad = [names[j] for j, column in zip(numeric, part.columns) if not _floats(part[column])]
        if bad:
            raise TypeError(
                f"{name} has non-numeric values in column(s) {bad[:5]}, which are not among "
                "the categorical features; name them in categorical_features (or encode or "
                "drop them)."
            )
        part = part.to_numpy(dtype=np.float64)
    matrix, _ = _as_matrix(part, name)
    return Features(
        matrix,
        [names[j] for j in numeric],
        [category_values(frame.iloc[:, j]) for j in categorical],
        [names[j] for j in categorical],
    )


def _floats(column: pd.Series) -> bool:
    try:
        np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True


def synthetic_part(
    real: Features,
    y: np.ndarray,
    X_res: Any,
    y_res: Any,
    provenance: Any,
    categorical: np.ndarray,
) -> tuple[Features, np.ndarray]:
    """The synthetic rows and labels, from the resampled data or from provenance."""
    X = real.numeric
    n = X.shape[0]
    if X_res is None and y_res is None:
        if provenance is None:
            raise ValueError(
                "Give the resampled data (X_res, y_res) or provenance=sampler.provenance_."
            )
        if categorical.size:
            raise ValueError(
                f"X has categorical feature(s) {real.categorical_names[:5]}, whose synthetic "
                "values (votes) provenance cannot rebuild; pass the resampled data X_res, "
                "y_res as well (provenance= is then attached to the rows table)."
            )
        seeds = np.asarray(provenance["seed"], dtype=np.int64)
        neighbors = np.asarray(provenance["neighbor"], dtype=np.int64)
        gaps = np.asarray(provenance["gap"], dtype=np.float64)[:, None]
        if seeds.size and (
            min(seeds.min(), neighbors.min()) < 0 or max(seeds.max(), neighbors.max()) >= n
        ):
            raise ValueError(
                "provenance refers to rows outside X; pass the X the sampler was fitted on."
            )
        rows = X[seeds] + gaps * (X[neighbors] - X[seeds])
        return real._replace(numeric=rows), np.asarray(provenance["label"])
    if X_res is None or y_res is None:
        raise ValueError("Give both X_res and y_res, or neither (with provenance=).")
    n_features = len(real.numeric_names) + len(real.categorical_names)
    if n_features_of(X_res, "X_res") != n_features:
        raise ValueError(
            f"X_res has {n_features_of(X_res, 'X_res')} features but X has {n_features}."
        )
    resampled = read_features(X_res, "X_res", categorical)
    y_res = np.asarray(y_res)
    n_res = resampled.numeric.shape[0]
    if y_res.shape[0] != n_res:
        raise ValueError(f"X_res has {n_res} rows but y_res has {y_res.shape[0]}.")
    if (
        n_res < n
        or not np.array_equal(resampled.numeric[:n], X)
        or not all(np.array_equal(a[:n], b) for a, b in zip(resampled.categories, real.categories))
        or not np.array_equal(y_res[:n], y)
    ):
        raise ValueError(
            "X_res, y_res do not start with the rows of X, y, so the synthetic rows cannot "
            "be told apart (smotekit's and imbalanced-learn's over-samplers put the original "
            "rows first; under-samplers drop rows). Pass provenance=sampler.provenance_ "
            "without X_res and y_res instead."
        )
    if provenance is not None and len(provenance) != n_res - n:
        raise ValueError(
            f"provenance has {len(provenance)} rows but there are {n_res - n} synthetic rows."
        )
    synthetic = resampled._replace(
        numeric=resampled.numeric[n:], categories=[c[n:] for c in resampled.categories]
    )
    return synthetic, y_res[n:]


def empty_categories() -> pd.DataFrame:
    """The categories table without rows."""
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, object)) for c in CATEGORY_COLUMNS})


def category_drift(
    real: list[np.ndarray],
    y_real: np.ndarray,
    synthetic: list[np.ndarray],
    y_synthetic: np.ndarray,
    names: list[str],
    threshold: float,
) -> pd.DataFrame:
    """One row per synthetic class and categorical feature: frequency drift.

    Parameters
    ----------
    real, synthetic : list of ndarray of object
        Each categorical feature's values (from :func:`category_values`) for the
        real and the synthetic rows.
    y_real, y_synthetic : ndarray
        Their labels.
    names : list of str
        The features' names.
    threshold : float
        ``drift`` is ``tvd > threshold``.

    Returns
    -------
    DataFrame
        Columns :data:`CATEGORY_COLUMNS`.
    """
    records = []
    labels = list(dict.fromkeys(y_synthetic.tolist()))
    masks = {label: (y_real == label, y_synthetic == label) for label in labels}
    for label in labels:
        real_mask, synthetic_mask = masks[label]
        for name, real_values, synthetic_values in zip(names, real, synthetic):
            shares = _compare(real_values[real_mask], synthetic_values[synthetic_mask], threshold)
            records.append((label, name, *shares))
    if not records:
        return empty_categories()
    table = pd.DataFrame(records, columns=CATEGORY_COLUMNS)
    return table.astype(_DTYPES)


def _compare(real: np.ndarray, synthetic: np.ndarray, threshold: float) -> tuple[Any, ...]:
    """tvd, worst category, its two shares, real categories, unseen share, drift."""
    codes, uniques = pd.factorize(np.concatenate([real, synthetic]))
    n_real = real.shape[0]
    real_counts = np.bincount(codes[:n_real], minlength=len(uniques))
    synthetic_counts = np.bincount(codes[n_real:], minlength=len(uniques))
    if n_real == 0 or synthetic.shape[0] == 0:
        nan = float("nan")
        return (nan, None, nan, nan, int((real_counts > 0).sum()), nan, False)
    p_real = real_counts / n_real
    p_synthetic = synthetic_counts / synthetic.shape[0]
    gap = np.abs(p_synthetic - p_real)
    tvd = min(1.0, 0.5 * float(gap.sum()))
    worst = int(np.argmax(gap))
    category = uniques[worst]
    return (
        tvd,
        None if category is MISSING else category,
        float(p_real[worst]),
        float(p_synthetic[worst]),
        int((real_counts > 0).sum()),
        float(p_synthetic[real_counts == 0].sum()),
        bool(tvd > threshold),
    )


def _category_text(value: Any) -> str:
    if value is None or value is MISSING or (isinstance(value, float) and np.isnan(value)):
        return "missing values"
    return f"'{value}'" if isinstance(value, str) else repr(value)


def drift_sentences(categories: pd.DataFrame, threshold: float) -> list[str]:
    """One plain-English sentence per drifting (class, feature) of a categories table.

    Examples
    --------
    >>> table = pd.DataFrame({"label": [1], "feature": ["plan"], "tvd": [0.23],
    ...                       "worst_category": ["basic"], "real_share": [0.64],
    ...                       "synthetic_share": [0.87], "drift": [True]})
    >>> drift_sentences(table, 0.1)[0]
    "class 1, feature 'plan': synthetic rows hold 'basic' 87.0% of the time, real rows 64.0% (total variation 0.23 > 0.10)"
    """  # noqa: E501
    sentences = []
    for row in categories[categories["drift"].astype(bool)].itertuples(index=False):
        sentences.append(
            f"class {row.label}, feature '{row.feature}': synthetic rows hold "
            f"{_category_text(row.worst_category)} {row.synthetic_share:.1%} of the time, "
            f"real rows {row.real_share:.1%} (total variation {row.tvd:.2f} > {threshold:.2f})"
        )
    return sentences


def warn_drift(categories: pd.DataFrame, threshold: float) -> None:
    """Issue one :class:`CategoryDriftWarning` summarizing the drift, if there is any."""
    sentences = drift_sentences(categories, threshold)
    if not sentences:
        return
    worst = categories.loc[categories["drift"].astype(bool), "tvd"].to_numpy().argmax()
    warnings.warn(
        f"Synthetic category frequencies drift from the real ones (total variation > "
        f"{threshold:.2f}) for {len(sentences)} of {len(categories)} (class, feature) pairs; "
        f"worst: {sentences[worst]}. SyntheticQuality.drift_warnings() lists them all.",
        CategoryDriftWarning,
        stacklevel=3,
    )
