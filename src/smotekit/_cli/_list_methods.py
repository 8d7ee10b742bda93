"""``smotekit methods``: every method of ``--method`` / ``--methods``, one line each."""

from __future__ import annotations

import argparse

from ._methods import aliases, methods

__all__ = ["cmd_methods", "method_lines"]


def _summary(cls: type) -> str:
    """The first sentence of a sampler's docstring."""
    doc = (cls.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(doc.split())


def method_lines() -> list[str]:
    """``name  kind  Class: summary  (aliases: ...)`` for every method, in the CLI's order.

    Examples
    --------
    >>> smote = next(line for line in method_lines() if line.startswith("smote "))
    >>> smote.split()[:3]
    ['smote', 'over-sampling', 'SMOTE:']
    """
    by_method: dict[str, list[str]] = {}
    for alias, name in aliases().items():
        if alias != name:
            by_method.setdefault(name, []).append(alias)
    table = methods()
    width = max(len(name) for name in table)
    lines = []
    for name, method in table.items():
        kind = method.cls._sampling_type
        also = by_method.get(name, [])
        shown = [a for a in also if a != method.cls.__name__.lower()]
        tail = f"  (also: {', '.join(sorted(shown))})" if shown else ""
        lines.append(
            f"{name:<{width}}  {kind:<14}  {method.cls.__name__}: {_summary(method.cls)}{tail}"
        )
    return lines


def cmd_methods(args: argparse.Namespace) -> int:
    """Run ``smotekit methods``: print the methods, one line each.

    Parameters
    ----------
    args : argparse.Namespace
        The options of the subcommand (none).

    Returns
    -------
    int
        0.
    """
    print("\n".join(method_lines()))
    return 0
