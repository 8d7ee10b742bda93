"""Progress bars on stderr: whether to show them, and one over the stages of a command."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["stages", "want_progress"]


def want_progress(flag: bool | None) -> bool:
    """Whether to show progress: as asked, else when stderr is a terminal and tqdm is installed.

    Parameters
    ----------
    flag : bool or None
        ``--progress`` / ``--no-progress``, or None when neither was given.

    Returns
    -------
    bool
    """
    if flag is not None:
        return flag
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return sys.stderr.isatty()


@contextmanager
def stages(enabled: bool, total: int, desc: str) -> Iterator[Callable[[str], None]]:
    """A progress bar over named stages (a no-op without tqdm or when disabled).

    Parameters
    ----------
    enabled : bool
        Show the bar.
    total : int
        Number of stages.
    desc : str
        Label of the bar.

    Yields
    ------
    callable
        ``step(name)`` marks a stage done.

    Examples
    --------
    >>> with stages(False, 2, "demo") as step:
    ...     step("first")
    ...     step("second")
    """
    bar = None
    if enabled:
        try:
            from tqdm.auto import tqdm

            bar = tqdm(total=total, desc=desc, unit="step", leave=False, file=sys.stderr)
        except ImportError:
            bar = None

    def step(name: str) -> None:
        if bar is not None:
            bar.set_postfix_str(name)
            bar.update(1)

    try:
        yield step
    finally:
        if bar is not None:
            bar.close()
