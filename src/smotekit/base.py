"""The base of every sampler: validate once -> strategy -> plans -> output -> restore.

A sampler is configuration: its parameters, their ``_parameter_constraints``,
its ``_sampling_type`` (``"over-sampling"``, ``"under-sampling"`` or
``"clean-sampling"``, as imbalanced-learn names them), how it reads X
(``_read_X``) and a plan (``_plan``: a pure per-class function with the
configuration bound).  :meth:`BaseSampler.fit_resample` does the rest, the same
way for every kind: over-samplers return the original rows then their
synthetic rows (recipes in ``SyntheticBatch``), under-samplers and cleaners a
subset of the rows (``sample_indices_``).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils import InputTags, Tags, TargetTags
from sklearn.utils._param_validation import Interval, InvalidParameterError, make_constraint

from ._containers import restore_X, restore_y
from ._engine import InMemoryNeighbors, class_positions, run_plans
from ._output import synthesize, synthetic_labels, take_rows
from ._plan import ClassTask
from ._polars import from_polars
from ._random import to_seed_sequence
from ._recipe import ClassPlan, SyntheticBatch, provenance_table
from ._strategy import sampling_targets
from ._table import Table, numeric_table
from ._validation import check_target
from .neighbors._report import neighbors_report

__all__ = ["BaseSampler", "SamplerTags"]


@dataclass(slots=True)
class SamplerTags:
    """Sampler-specific tags (read by imbalanced-learn's sampler checks).

    Parameters
    ----------
    sample_indices : bool, default=False
        Whether the sampler exposes ``sample_indices_`` after fitting.
    """

    sample_indices: bool = False


@dataclass(slots=True)
class _SamplerInputTags(InputTags):
    dataframe: bool = True


@dataclass(slots=True)
class _SamplerEstimatorTags(Tags):
    sampler_tags: SamplerTags | None = field(default_factory=SamplerTags)


class BaseSampler(OneToOneFeatureMixin, BaseEstimator):
    """Base class of every smotekit sampler (not for direct use).

    ``fit_resample`` checks the parameters against ``_parameter_constraints``
    (scikit-learn's ``InvalidParameterError`` for a bad value), validates ``X``
    (``_read_X``) and ``y`` once, turns ``sampling_strategy`` into
    ``sampling_strategy_`` for the sampler's kind, converts ``random_state``
    (when the sampler has one) into a seed sequence, runs ``_plan`` on every
    targeted class through the in-memory engine, sets the fitted attributes
    (``_set_fitted``) and gives the result back in the caller's containers.
    When a neighbour search of the engine ran on a backend that is not exact
    (``neighbors="ivf"``, ``"hnsw"``, a user object), it also sets
    ``neighbors_report_``: recall against exact search, timings, and the
    sampler's own agreement figures (see ``_neighbors_agreement``).

    Subclasses set ``_sampling_type`` and ``_parameter_constraints`` and
    implement ``_plan``; they may override ``_read_X``, ``_check_params`` (checks
    that constraints cannot express), ``_prepare`` (checks on the data before
    any work) and ``_set_fitted``.  Under-samplers and cleaners whose rule is
    not per class override ``_select`` (the kept rows) instead of ``_plan``;
    those that make new rows (ClusterCentroids) override ``_reduce``.
    """

    _estimator_type = "sampler"
    _sampling_type = "over-sampling"
    _sample_indices = False
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {}

    def fit(self, X: Any, y: Any) -> BaseSampler:
        """Check the inputs and compute ``sampling_strategy_``.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : object
        """
        self._check_all_params()
        X, y, _ = from_polars(X, y)
        table = self._read_X(X)
        y_arr, _ = check_target(y, table.n_rows)
        self._record_features(X)
        self.sampling_strategy_ = sampling_targets(
            self._sampling_type, self.sampling_strategy, y_arr
        )
        return self

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Resample the dataset.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Feature matrix (pandas or polars DataFrame: the result is one too).
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Unused; accepted for pipeline compatibility.

        Returns
        -------
        X_resampled : same container as X, shape (n_samples_new, n_features)
            Over-samplers: the original rows, unchanged and in their order, then
            the new rows grouped by class.  Under-samplers and cleaners: the
            rows kept (``X[sample_indices_]``).
        y_resampled : same container as y, shape (n_samples_new,)
        """
        self._check_all_params()
        X, y, back = from_polars(X, y)
        table = self._read_X(X)
        y_arr, y_kind = check_target(y, table.n_rows)
        self._record_features(X)
        self.sampling_strategy_ = sampling_targets(
            self._sampling_type, self.sampling_strategy, y_arr
        )
        seed = to_seed_sequence(self.random_state) if hasattr(self, "random_state") else None
        targets = self._targets()
        self._prepare(table, y_arr, targets)
        if self._sampling_type == "over-sampling":
            plans = self._run_engine(table, y_arr, targets, seed)
            batches = [p.batch for p in plans if p.batch is not None]
            self._keep_provenance(batches, y_arr.dtype)
            X_res = self._synthesize(table, batches)
            y_res = synthetic_labels(y_arr, batches)
        else:
            X_res, y_res = self._reduce(table, y_arr, targets, seed)
        return back(X_res, restore_y(y_res, y_kind))

    @property
    def provenance_(self) -> Any:
        """Where each synthetic row came from (over-samplers; see :func:`provenance_table`).

        Built on first access from the recipes the fit kept, so that ``fit_resample``
        never holds the table and the output at once (at 1M x 20 SMOTE, 28 MiB less
        at its peak).
        """
        if "_provenance" in self.__dict__:
            return self.__dict__["_provenance"]
        source = self.__dict__.get("_provenance_source")
        if source is None:
            raise AttributeError(
                f"This {type(self).__name__} has no provenance_: it is set by "
                "fit_resample of an over-sampler."
            )
        table = provenance_table(*source)
        self.__dict__["_provenance"] = table
        del self.__dict__["_provenance_source"]
        return table

    @provenance_.setter
    def provenance_(self, table: Any) -> None:
        self.__dict__.pop("_provenance_source", None)
        self.__dict__["_provenance"] = table

    def _keep_provenance(self, batches: list[SyntheticBatch], label_dtype: Any) -> None:
        """Keep what :attr:`provenance_` is built from (the recipes, without feature values)."""
        self.__dict__.pop("_provenance", None)
        slim = [replace(b, codes=None, noise=None) for b in batches]
        self.__dict__["_provenance_source"] = (slim, label_dtype)

    def _check_all_params(self) -> None:
        """Check ``_parameter_constraints`` (no bool for an int), then ``_check_params``."""
        self._validate_params()
        for name, constraints in self._parameter_constraints.items():
            value = getattr(self, name)
            int_only = any(
                isinstance(c, Interval) and c.type is numbers.Integral for c in constraints
            )
            if int_only and isinstance(value, bool | np.bool_):
                shown = [str(make_constraint(c)) for c in constraints if c is not None]
                accepted = (
                    ", ".join(shown[:-1]) + " or " + shown[-1] if len(shown) > 1 else shown[0]
                )
                raise InvalidParameterError(
                    f"The {name!r} parameter of {type(self).__name__} must be {accepted} (a "
                    f"bool is not an int here). Got {value!r} instead."
                )
        self._check_params()

    # ----------------------------------------------------------------- hooks
    def _check_params(self) -> None:
        """Checks of the parameters that ``_parameter_constraints`` cannot express."""

    def _read_X(self, X: Any) -> Table:
        """Validate X once (numeric features by default)."""
        return numeric_table(X, type(self).__name__)

    def _targets(self) -> dict[Any, int]:
        """The classes the plan runs on: those with rows to make, or targeted for removal."""
        if self._sampling_type == "over-sampling":
            return {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        return dict(self.sampling_strategy_)

    def _prepare(self, table: Table, y: np.ndarray, targets: dict[Any, int]) -> None:
        """Check the data against the parameters before any work (e.g. class sizes).

        By default :meth:`_configure` with the row count and class sizes; samplers
        that fit something on the whole data first (an SVM, a clustering, VDM
        tables) extend it.
        """
        labels, counts = np.unique(y, return_counts=True)
        sizes = {_plain(label): int(n) for label, n in zip(labels, counts)}
        self._configure(table.n_rows, sizes, targets)

    def _configure(self, n_rows: int, class_sizes: dict[Any, int], targets: dict[Any, int]) -> None:
        """Resolve the parameters against the data's shape and check it, before any work.

        Needs only counts, so an engine that never holds all the rows in one
        place (:mod:`smotekit.dask`) calls it with the counts of its first pass.

        Parameters
        ----------
        n_rows : int
            Rows of X.
        class_sizes : dict
            ``{label: rows}`` for every class.
        targets : dict
            The classes the plan runs on (see ``_targets``).
        """

    def _plan(self, task: ClassTask) -> ClassPlan:
        raise NotImplementedError

    def _reduce(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> tuple[Any, np.ndarray]:
        """The output of an under-sampler or cleaner: ``(X_res, y_res)``.

        By default the rows ``_select`` keeps (``sample_indices_``), in the
        caller's container.  Under-samplers that make new rows instead
        (ClusterCentroids' centres) override this.
        """
        self.sample_indices_ = np.asarray(self._select(table, y, targets, seed), dtype=np.intp)
        X_res = restore_X(take_rows(table.source, self.sample_indices_), table.layout)
        return X_res, y[self.sample_indices_]

    def _select(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> np.ndarray:
        """The rows an under-sampler or cleaner keeps (``sample_indices_``).

        By default the per-class plans choose them (classes without a plan keep
        every row) and the output is grouped by class in label order.  Samplers
        whose rule looks at several classes at once (Tomek links, repeated
        editing, condensing) override this with a pure function of the data.
        """
        plans = self._run_engine(table, y, targets, seed)
        return _kept_rows(plans, y)

    def _set_fitted(self, plans: list[ClassPlan], table: Table, y: np.ndarray) -> None:
        """Set the fitted attributes from the plans' diagnostics."""

    def _run_engine(
        self,
        table: Table,
        y: np.ndarray,
        targets: dict[Any, int],
        seed: np.random.SeedSequence | None,
    ) -> list[ClassPlan]:
        """Run the plans in memory, set the fitted attributes and ``neighbors_report_``.

        ``neighbors_report_`` (see :func:`smotekit.neighbors._report.neighbors_report`)
        is set when some Euclidean search ran on a backend that is not exact, and
        removed otherwise: exact runs neither compute nor keep it.
        """
        n_jobs = getattr(self, "n_jobs", None)
        source = InMemoryNeighbors(table, y, n_jobs)
        plans = run_plans(self._plan, table, y, targets, seed, n_jobs=n_jobs, source=source)
        self._set_fitted(plans, table, y)
        if not source.searches:
            self.__dict__.pop("neighbors_report_", None)
            return plans
        state = getattr(self, "random_state", None)
        state = int(state) if isinstance(state, numbers.Integral) else 0
        self.neighbors_report_ = neighbors_report(
            source.searches,
            agreement=self._neighbors_agreement(plans, table, y, state),
            random_state=state,
            n_jobs=n_jobs,
        )
        return plans

    def _neighbors_agreement(
        self, plans: list[ClassPlan], table: Table, y: np.ndarray, random_state: int
    ) -> dict[str, Any]:
        """Entries of ``neighbors_report_`` comparing the sampler's decisions with exact search.

        Called only when some search was approximate; none by default.
        """
        return {}

    def _synthesize(self, table: Table, batches: list[SyntheticBatch]) -> Any:
        """The output X of an over-sampler: original rows, then the batches' rows."""
        return synthesize(table, batches, getattr(self, "n_jobs", None))

    # --------------------------------------------------------------- helpers
    def _record_features(self, X: Any) -> None:
        self.n_features_in_ = int(np.shape(X)[1]) if hasattr(X, "shape") else len(X[0])
        columns = getattr(X, "columns", None)
        if columns is not None and all(isinstance(c, str) for c in columns):
            self.feature_names_in_ = np.asarray(columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def __sklearn_tags__(self) -> Tags:
        base = super().__sklearn_tags__()
        return _SamplerEstimatorTags(
            estimator_type="sampler",
            target_tags=TargetTags(required=True),
            input_tags=_SamplerInputTags(sparse=True, two_d_array=True),
            non_deterministic=base.non_deterministic,
            sampler_tags=SamplerTags(sample_indices=self._sample_indices),
        )


def _plain(label: Any) -> Any:
    """A numpy scalar label as the Python value ``sampling_strategy_`` keys use."""
    return label.item() if isinstance(label, np.generic) else label


def _kept_rows(plans: list[ClassPlan], y: np.ndarray) -> np.ndarray:
    """Rows kept by a row-subset sampler: per class in label order, in row order.

    Classes without a plan keep every row.
    """
    kept = {p.label: p for p in plans}
    parts = []
    for label in class_positions(y):
        rows = np.flatnonzero(y == label)
        plan = kept.get(label)
        parts.append(rows if plan is None or plan.keep is None else rows[plan.keep])
    return np.concatenate(parts).astype(np.intp)
