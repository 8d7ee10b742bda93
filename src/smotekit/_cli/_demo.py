"""``smotekit demo``: run the reference experiment (:func:`smotekit.experiment.run_demo`)."""

from __future__ import annotations

import argparse

from ._options import parse_cv
from ._progress import want_progress

__all__ = ["cmd_demo"]


def cmd_demo(args: argparse.Namespace) -> int:
    """Run ``smotekit demo``.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand.

    Returns
    -------
    int
        0 (failures raise).
    """
    from ..experiment import run_demo

    cv = parse_cv(args.cv) if args.cv else None
    run_demo(
        None if args.no_report else args.report,
        cv=cv,
        n_jobs=args.n_jobs,
        progress=want_progress(args.progress),
    )
    return 0
