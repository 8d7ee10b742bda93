"""Global options, set for a block of code with :func:`config_context`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["config_context", "get_config", "progress_bar"]

_DEFAULTS: dict[str, Any] = {"progress": False}
_CONFIG: ContextVar[dict[str, Any] | None] = ContextVar("smotekit_config", default=None)


def _current() -> dict[str, Any]:
    return _CONFIG.get() or _DEFAULTS


def get_config() -> dict[str, Any]:
    """The current options (a copy).

    Returns
    -------
    dict
        ``progress`` (bool): show progress bars on long neighbour searches
        (needs ``tqdm``; ``pip install smotekit[progress]``).

    Examples
    --------
    >>> get_config()["progress"]
    False
    """
    return dict(_current())


@contextmanager
def config_context(**options: Any) -> Iterator[None]:
    """Set options for the code inside the ``with`` block.

    Parameters
    ----------
    **options
        ``progress=True`` shows a progress bar (on stderr) for long searches.

    Examples
    --------
    >>> with config_context(progress=True):
    ...     get_config()["progress"]
    True
    """
    unknown = set(options) - set(_DEFAULTS)
    if unknown:
        raise ValueError(
            f"Unknown smotekit option(s) {sorted(unknown)}; known: {sorted(_DEFAULTS)}."
        )
    token = _CONFIG.set({**_current(), **options})
    try:
        yield
    finally:
        _CONFIG.reset(token)


class _NoBar:
    def update(self, n: int = 1) -> None:
        """Do nothing."""

    def close(self) -> None:
        """Do nothing."""


def progress_bar(total: int, description: str, *, min_total: int = 64) -> Any:
    """A tqdm bar when progress is enabled, tqdm is installed and the work is long."""
    if not _current()["progress"] or total < min_total:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=description, unit="block", leave=False)
