"""Which samplers the Dask engine runs, and what each needs from it.

A sampler stays configuration; the engine only needs to know, before it
builds the graph, how many neighbours among all rows its plan will ask for,
whether it reads categorical columns, whether its recipe may point at rows of
other classes, and whether its new rows are plain copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["SUPPORTED", "DaskSupport", "support_for"]


@dataclass(frozen=True)
class DaskSupport:
    """What the Dask engine must know about one sampler class (read after ``_configure``).

    Attributes
    ----------
    among_all : callable ``sampler -> int``
        The most neighbours among all rows a class's plan asks for (0: none); they
        are searched exactly, whatever backend the sampler names (same answer).
    within : callable ``sampler -> int``
        Neighbours within the class its plan asks for (batched mode builds them).
    categorical : bool
        Reads categorical columns (their codes need every value of the column).
    all_space : callable ``sampler -> bool``
        Its recipe may interpolate towards rows of other classes.
    copy_rows : callable ``sampler -> bool``
        Its new rows are copies of rows (random over-sampling without noise).
    n_voters : callable ``sampler -> int``
        Voter columns of its provenance.
    may_skip : bool
        A class may make no rows at all (Borderline-SMOTE without DANGER rows), so
        the output's sizes are known only once the plans ran.
    batched : bool
        Runs in batched mode (rows never gathered in one task).
    vdm : bool
        Needs the class-conditional value frequencies of all the data (SMOTEN).
    rule : {"plan", "tomek", "edited"}
        ``"plan"``: per-class plans; ``"tomek"``, ``"edited"``: the Tomek-link or
        editing rule across classes.
    """

    among_all: Callable[[Any], int] = lambda s: 0
    within: Callable[[Any], int] = lambda s: 0
    categorical: bool = False
    all_space: Callable[[Any], bool] = lambda s: False
    copy_rows: Callable[[Any], bool] = lambda s: False
    n_voters: Callable[[Any], int] = lambda s: 0
    may_skip: bool = False
    batched: bool = True
    vdm: bool = False
    rule: str = "plan"


def _borderline_among(s: Any) -> int:
    return max(s._m, s._k) if s.kind == "borderline-2" else s._m


SUPPORTED: dict[str, DaskSupport] = {
    "SMOTE": DaskSupport(within=lambda s: s._k),
    "BorderlineSMOTE": DaskSupport(
        among_all=_borderline_among,
        within=lambda s: s._k if s.kind == "borderline-1" else 0,
        all_space=lambda s: s.kind == "borderline-2",
        may_skip=True,
    ),
    "ADASYN": DaskSupport(among_all=lambda s: s._k, within=lambda s: s._k),
    "RandomOverSampler": DaskSupport(copy_rows=lambda s: s.shrinkage_ is None),
    "SMOTENC": DaskSupport(categorical=True, n_voters=lambda s: s._k, batched=False),
    "SMOTEN": DaskSupport(categorical=True, n_voters=lambda s: s._k + 1, batched=False, vdm=True),
    "RandomUnderSampler": DaskSupport(),
    "TomekLinks": DaskSupport(batched=False, rule="tomek"),
    "EditedNearestNeighbours": DaskSupport(rule="edited"),
}


def support_for(sampler: Any) -> DaskSupport:
    """The engine's knowledge of ``sampler``'s class (the nearest smotekit base class).

    Raises
    ------
    NotImplementedError
        For a sampler the Dask engine does not run yet, naming those it runs.
    """
    from .. import over_sampling, under_sampling

    for cls in type(sampler).__mro__:
        found = SUPPORTED.get(cls.__name__)
        if found is not None and cls.__module__.startswith("smotekit."):
            return found
    known = {**vars(over_sampling), **vars(under_sampling)}
    name = type(sampler).__name__
    where = "" if name in known else " (it is not a smotekit sampler)"
    raise NotImplementedError(
        f"The Dask engine does not run {name}{where} yet. It runs: {', '.join(SUPPORTED)}. "
        "The other cleaning samplers search the neighbours of every row among all rows; on "
        "data that fits in memory call sampler.fit_resample(X.compute(), y.compute())."
    )
