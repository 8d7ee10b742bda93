"""SMOTEENN and SMOTETomek: SMOTE, then a cleaner (imbalanced-learn's combined samplers)."""

from __future__ import annotations

from typing import Any, ClassVar

from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods

from .._params import N_JOBS, RANDOM_STATE, sampling_strategy_constraint
from .._polars import from_polars
from .._random import RandomStateLike
from .._validation import check_target
from ..base import BaseSampler
from ._over_then_clean import check_step, over_then_clean, surviving_provenance

__all__ = ["SMOTEENN", "SMOTETomek"]

_STEP = [HasMethods(["fit_resample"]), None]


class _SMOTEThenClean(BaseSampler):
    """SMOTE (or the given over-sampler), then the cleaner in ``_cleaner_param``."""

    _sampling_type = "over-sampling"
    _cleaner_param: ClassVar[str] = ""

    def _check_params(self) -> None:
        owner = type(self).__name__
        check_step(self.smote, "smote", owner, ("over-sampling",))
        check_step(
            getattr(self, self._cleaner_param),
            self._cleaner_param,
            owner,
            ("clean-sampling", "under-sampling"),
        )

    def _default_cleaner(self) -> Any:
        raise NotImplementedError

    def _steps(self) -> tuple[Any, Any]:
        from ..over_sampling import SMOTE

        over = (
            clone(self.smote)
            if self.smote is not None
            else SMOTE(
                sampling_strategy=self.sampling_strategy,
                random_state=self.random_state,
                n_jobs=self.n_jobs,
            )
        )
        given = getattr(self, self._cleaner_param)
        return over, clone(given) if given is not None else self._default_cleaner()

    def fit_resample(self, X: Any, y: Any, **params: Any) -> tuple[Any, Any]:
        """Over-sample with ``smote``, then clean the result.

        Parameters
        ----------
        X : {array-like, DataFrame, sparse matrix} of shape (n_samples, n_features)
            Feature matrix.
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Unused; accepted for pipeline compatibility.

        Returns
        -------
        X_resampled : same container as X
            The over-sampler's output (original rows, then synthetic rows by
            class) less the rows the cleaner removed, in that order.
        y_resampled : same container as y
        """
        self._check_all_params()
        X, y, back = from_polars(X, y)
        table = self._read_X(X)
        check_target(y, table.n_rows)
        self._record_features(X)
        over, cleaner = self._steps()
        X_res, y_res, over, cleaner = over_then_clean(over, cleaner, X, y)
        self.smote_ = over
        setattr(self, f"{self._cleaner_param}_", cleaner)
        self.sampling_strategy_ = dict(over.sampling_strategy_)
        self.provenance_ = surviving_provenance(over, cleaner, table.n_rows)
        return back(X_res, y_res)


class SMOTEENN(_SMOTEThenClean):
    """Over-sample with SMOTE, then clean with the edited nearest neighbours rule.

    SMOTE balances the classes; ENN (Wilson's editing) then removes every row,
    of any class, whose nearest neighbours disagree with its label, original
    or synthetic (Batista, Prati and Monard, 2004).  Both steps run on
    smotekit's exact neighbour engine.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        SMOTE's ``sampling_strategy`` (used when ``smote`` is None).
    random_state : int, RandomState, Generator or None, default=None
        SMOTE's seed (used when ``smote`` is None).
    smote : over-sampler or None, default=None
        The over-sampling step: smotekit's :class:`~smotekit.SMOTE` (or another
        smotekit or imbalanced-learn over-sampler).  None:
        ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state,
        n_jobs=n_jobs)``.
    enn : cleaner or None, default=None
        The cleaning step: :class:`~smotekit.EditedNearestNeighbours` (or another
        smotekit or imbalanced-learn cleaner / under-sampler).  None:
        ``EditedNearestNeighbours(sampling_strategy="all", n_jobs=n_jobs)``.
    n_jobs : int or None, default=None
        Threads of the default steps' neighbour searches.

    Attributes
    ----------
    sampling_strategy_ : dict
        The over-sampling step's ``sampling_strategy_`` (rows it made per class).
    smote_ : sampler
        The fitted over-sampling step.
    enn_ : sampler
        The fitted cleaning step; its ``sample_indices_`` are rows of the
        over-sampling step's output.
    provenance_ : DataFrame or None
        For the synthetic rows that survived cleaning, the over-sampler's
        provenance (seed, neighbour, gap) and their ``output_row`` in the result;
        None when a step does not report it (e.g. imbalanced-learn's).
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTETomek : SMOTE, then removal of Tomek links.

    Notes
    -----
    imbalanced-learn's ``SMOTEENN`` sets ``sampling_strategy_`` to the raw
    ``sampling_strategy`` parameter; smotekit's is the over-sampling step's
    dict, like every other sampler's.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTEENN
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> bool(len(y_res) < 180), sorted(set(y_res.tolist()))
    (True, [0, 1])
    """

    _cleaner_param = "enn"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "smote": _STEP,
        "enn": _STEP,
        "n_jobs": N_JOBS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        smote: Any = None,
        enn: Any = None,
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _default_cleaner(self) -> Any:
        from ..under_sampling import EditedNearestNeighbours

        return EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)


class SMOTETomek(_SMOTEThenClean):
    """Over-sample with SMOTE, then remove the Tomek links.

    SMOTE balances the classes; the rows of every class that form a Tomek link
    (two rows of different classes, each the other's nearest neighbour) are then
    removed (Batista, Bazzan and Monard, 2003).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        SMOTE's ``sampling_strategy`` (used when ``smote`` is None).
    random_state : int, RandomState, Generator or None, default=None
        SMOTE's seed (used when ``smote`` is None).
    smote : over-sampler or None, default=None
        The over-sampling step (smotekit's or imbalanced-learn's).  None:
        ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state,
        n_jobs=n_jobs)``.
    tomek : cleaner or None, default=None
        The cleaning step: :class:`~smotekit.TomekLinks` (or another smotekit or
        imbalanced-learn cleaner / under-sampler).  None:
        ``TomekLinks(sampling_strategy="all", n_jobs=n_jobs)``.
    n_jobs : int or None, default=None
        Threads of the default steps' neighbour searches.

    Attributes
    ----------
    sampling_strategy_ : dict
        The over-sampling step's ``sampling_strategy_``.
    smote_ : sampler
        The fitted over-sampling step.
    tomek_ : sampler
        The fitted cleaning step; its ``sample_indices_`` are rows of the
        over-sampling step's output.
    provenance_ : DataFrame or None
        Provenance of the surviving synthetic rows (see :class:`SMOTEENN`).
    n_features_in_ : int
        Number of features seen.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.

    See Also
    --------
    SMOTEENN : SMOTE, then edited nearest neighbours.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit import SMOTETomek
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (90, 2)), rng.normal(1.5, 1, (10, 2))])
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> X_res, y_res = SMOTETomek(random_state=0).fit_resample(X, y)
    >>> bool(len(y_res) <= 180)
    True
    """

    _cleaner_param = "tomek"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "sampling_strategy": sampling_strategy_constraint("over-sampling"),
        "random_state": RANDOM_STATE,
        "smote": _STEP,
        "tomek": _STEP,
        "n_jobs": N_JOBS,
    }

    def __init__(
        self,
        *,
        sampling_strategy: Any = "auto",
        random_state: RandomStateLike = None,
        smote: Any = None,
        tomek: Any = None,
        n_jobs: int | None = None,
    ) -> None:
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _default_cleaner(self) -> Any:
        from ..under_sampling import TomekLinks

        return TomekLinks(sampling_strategy="all", n_jobs=self.n_jobs)
