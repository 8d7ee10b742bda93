"""Mixed tables in a comparison: which columns are categories, and how samplers and models see them.

A comparison on a table with string, ``category`` or ``bool`` columns follows
three documented rules (``docs/evaluation.md``, "Mixed tables"):

* **samplers**: the categorical samplers (SMOTENC on a mixed table, SMOTEN when
  every feature is categorical) and random over- and under-sampling (they copy or
  drop rows, whatever they hold) run on the raw columns; a sampler that measures
  distances on numeric features (SMOTE, ADASYN, Borderline-SMOTE, the cleaners,
  random over-sampling with ``shrinkage``) is skipped with a note naming the
  sampler to use instead;
* **preprocessing**: a scaler given as ``preprocessor`` is applied to the numeric
  columns only; the categorical columns pass through unchanged, so the sampler
  still sees categories;
* **estimator**: the model is fitted on a one-hot encoding of the categorical
  columns (:func:`encoding_pipeline`), fitted on each (resampled) training fold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

__all__ = [
    "ENCODING",
    "categorical_columns",
    "encoding_pipeline",
    "mixed_samplers",
    "numeric_preprocessor",
]

#: The encoding the estimator gets on a mixed table, as the report states it.
ENCODING = (
    "one-hot encoding of the categorical columns (at most 50 indicator columns per feature, "
    "the rarer categories merged into one 'infrequent' column; categories unseen in the "
    "training fold encode as all zeros), numeric columns unchanged"
)
_MAX_CATEGORIES = 50


def categorical_columns(X: Any) -> list[Any]:
    """The columns of a DataFrame that hold categories: object, string, category, bool.

    Parameters
    ----------
    X : DataFrame or array-like
        Anything but a DataFrame has no categorical columns.

    Returns
    -------
    list
        Column labels, in table order.

    Examples
    --------
    >>> import pandas as pd
    >>> categorical_columns(pd.DataFrame({"a": [1.0], "b": ["x"], "c": [True]}))
    ['b', 'c']
    """
    if not isinstance(X, pd.DataFrame):
        return []
    return [
        column
        for column, dtype in X.dtypes.items()
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    ]


def _needs_numeric(sampler: Any) -> bool:
    """Whether a sampler measures distances on numeric features only."""
    tags = getattr(sampler, "__sklearn_tags__", None)
    if tags is None:
        return False
    try:
        input_tags = tags().input_tags
    except Exception:  # a foreign sampler without scikit-learn tags
        return False
    if input_tags.categorical:
        return False
    name = type(sampler).__name__
    return name not in {"RandomOverSampler", "RandomUnderSampler"} or bool(
        getattr(sampler, "shrinkage", None) is not None
    )


def mixed_samplers(samplers: Mapping[str, Any], X: Any) -> tuple[dict[str, Any], list[str]]:
    """The samplers that can run on ``X`` as given, and a note for each one skipped.

    Parameters
    ----------
    samplers : mapping of str to sampler or None
    X : DataFrame or array-like

    Returns
    -------
    samplers : dict
        Those kept, in order.
    notes : list of str
        One sentence per skipped sampler.

    Examples
    --------
    >>> import pandas as pd
    >>> from smotekit import SMOTE, SMOTENC
    >>> X = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    >>> kept, notes = mixed_samplers({"none": None, "smote": SMOTE(),
    ...     "smotenc": SMOTENC(categorical_features="auto")}, X)
    >>> list(kept), len(notes)
    (['none', 'smotenc'], 1)
    """
    categorical = categorical_columns(X)
    if not categorical:
        return dict(samplers), []
    all_categorical = len(categorical) == X.shape[1]
    instead = "smoten" if all_categorical else "smotenc"
    shown = ", ".join(map(str, categorical[:4])) + (", ..." if len(categorical) > 4 else "")
    kept, notes = {}, []
    for name, sampler in samplers.items():
        if sampler is not None and _needs_numeric(sampler):
            notes.append(
                f"{name} was skipped: it needs numeric features and the table has "
                f"categorical columns ({shown}); {instead} handles them."
            )
            continue
        kept[name] = sampler
    return kept, notes


def numeric_preprocessor(preprocessor: Any, X: Any) -> Any:
    """``preprocessor`` applied to the numeric columns only, the others passed through.

    On a table without categorical columns ``preprocessor`` is returned as is.  The
    result keeps pandas output and the column order, so a categorical sampler
    downstream still sees the categories.

    Parameters
    ----------
    preprocessor : transformer or None
    X : DataFrame or array-like

    Returns
    -------
    transformer or None
    """
    categorical = categorical_columns(X)
    if preprocessor is None or not categorical:
        return preprocessor
    from sklearn.compose import ColumnTransformer

    numeric = [c for c in X.columns if c not in set(categorical)]
    if not numeric:
        return None
    transformer = ColumnTransformer(
        [("numeric", preprocessor, numeric)],
        remainder="passthrough",
        verbose_feature_names_out=False,
    )
    return _KeepOrder(transformer, list(X.columns))


class _KeepOrder(TransformerMixin, BaseEstimator):
    """A ColumnTransformer whose pandas output is put back in the input's column order."""

    def __init__(self, transformer: Any, columns: list[Any]) -> None:
        self.transformer = transformer
        self.columns = columns

    def fit(self, X: Any, y: Any = None) -> _KeepOrder:
        self.transformer.set_output(transform="pandas")
        self.transformer.fit(X, y)
        return self

    def transform(self, X: Any) -> pd.DataFrame:
        out = self.transformer.transform(X)
        out = out[self.columns]
        for column in self.columns:  # passthrough columns keep their dtype
            if out[column].dtype != X[column].dtype and not pd.api.types.is_numeric_dtype(
                X[column].dtype
            ):
                out[column] = out[column].astype(X[column].dtype)
        out.index = X.index
        return out


def encoding_pipeline(estimator: Any, X: Any) -> Any:
    """``estimator`` behind a one-hot encoding of ``X``'s categorical columns (:data:`ENCODING`).

    Parameters
    ----------
    estimator : classifier
    X : DataFrame or array-like
        Without categorical columns, ``estimator`` is returned as is.

    Returns
    -------
    classifier
        A :class:`sklearn.pipeline.Pipeline` ``[("encode", ColumnTransformer),
        ("model", estimator)]``, or ``estimator``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": ["x", "y", "x", "y"]})
    >>> model = encoding_pipeline(LogisticRegression(), X).fit(X, [0, 1, 0, 1])
    >>> model.predict(X).tolist()
    [0, 1, 0, 1]
    """
    categorical = categorical_columns(X)
    if not categorical:
        return estimator
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(
        handle_unknown="infrequent_if_exist",
        max_categories=_MAX_CATEGORIES,
        sparse_output=False,
    )
    encode = ColumnTransformer(
        [("categorical", _AsText(encoder), categorical)], remainder="passthrough"
    )
    return Pipeline([("encode", encode), ("model", estimator)])


class _AsText(TransformerMixin, BaseEstimator):
    """An encoder fed its columns as text, with missing values as their own category."""

    def __init__(self, encoder: Any) -> None:
        self.encoder = encoder

    @staticmethod
    def _text(X: Any) -> Any:
        frame = pd.DataFrame(X)
        return frame.astype(object).where(frame.notna(), "<missing>").astype(str)

    def fit(self, X: Any, y: Any = None) -> _AsText:
        self.encoder.fit(self._text(X))
        return self

    def transform(self, X: Any) -> Any:
        return self.encoder.transform(self._text(X))
