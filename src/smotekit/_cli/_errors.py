"""User errors and the one-line messages the command prints on stderr."""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Mapping

__all__ = [
    "DATASET_FLAGS",
    "PROG",
    "SAMPLER_FLAGS",
    "UsageError",
    "flagged",
    "print_error",
    "print_warnings",
]

#: The command's name, which starts every message.
PROG = "smotekit"

#: Parameters of the dataset functions and the flags that set them.
DATASET_FLAGS: Mapping[str, str] = {
    "mirror": "--mirror",
    "data_home": "--data-home",
    "timeout": "--timeout",
    "progress": "--progress",
}

#: Parameters of the samplers (and of ``resample_with_passthrough``) and their flags; the
#: neighbour count's parameter differs by method, so callers add ``{k_param: "--k"}``.
SAMPLER_FLAGS: Mapping[str, str] = {
    "m_neighbors": "--m",
    "sampling_strategy": "--strategy",
    "random_state": "--seed",
    "n_jobs": "--n-jobs",
    "categorical_features": "--categorical",
    "passthrough": "--passthrough",
    "fill": "--passthrough-fill",
    "flag_synthetic": "--flag-synthetic",
}

# Objects cannot be given on the command line, so scikit-learn's "or an object ..." is noise.
_OBJECT_CLAUSE = re.compile(r" or an object implementing '\w+'(?: and '\w+')?")


class UsageError(Exception):
    """A user error: reported on one line, exit status 2."""


def flagged(message: str, flags: Mapping[str, str]) -> str:
    """``message`` with the Python parameters it names replaced by the CLI flags that set them.

    Replaced: scikit-learn's ``The 'name' parameter of Owner``, ``'name'`` (or ``"name"``,
    ```name```) in quotes, ``name=value`` (becomes ``--flag value``), and the bare word
    ``name`` when it has an underscore (a plain word such as ``mirror`` is left alone
    when unquoted, as it is also a noun).  The clause "or an object implementing ..."
    goes: objects cannot be given on the command line.

    Parameters
    ----------
    message : str
        An error message of the Python API.
    flags : mapping of str to str
        ``{parameter: flag}``, e.g. ``{"mirror": "--mirror"}``.

    Returns
    -------
    str

    Examples
    --------
    >>> flagged("Check the connection, or pass mirror=... (or set SMOTEKIT_MIRROR).",
    ...         {"mirror": "--mirror"})
    'Check the connection, or pass --mirror ... (or set SMOTEKIT_MIRROR).'
    >>> flagged("The 'k_neighbors' parameter of SMOTE must be an int in the range [1, inf) "
    ...         "or an object implementing 'kneighbors'. Got 0 instead.", {"k_neighbors": "--k"})
    '--k must be an int in the range [1, inf). Got 0 instead.'
    >>> flagged("too few for k_neighbors=500; use k_neighbors <= 18.", {"k_neighbors": "--k"})
    'too few for --k 500; use --k <= 18.'
    """
    if not flags:
        return message
    message = _OBJECT_CLAUSE.sub("", message)
    names = "|".join(re.escape(name) for name in sorted(flags, key=len, reverse=True))
    pattern = re.compile(
        rf"[Tt]he (?P<q1>['\"`])(?P<a>{names})(?P=q1) parameter(?: of [\w.]+)?"
        rf"|(?P<q2>['\"`])(?P<b>{names})(?P=q2)"
        rf"|(?<![\w.-])(?P<c>{names})="
        rf"|(?<![\w.'\"`-])(?P<d>{names})(?![\w'\"`-])"
    )

    def replace(match: re.Match[str]) -> str:
        for group, suffix in (("a", ""), ("b", ""), ("c", " ")):
            if match.group(group):
                return flags[match.group(group)] + suffix
        name = match.group("d")
        return flags[name] if "_" in name else name

    return pattern.sub(replace, message)


def print_error(message: str) -> None:
    """Print ``smotekit: error: MESSAGE`` on one line of stderr.

    Parameters
    ----------
    message : str
        Runs of whitespace, newlines included, become single spaces.
    """
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)


def print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print each caught warning as ``smotekit: warning: MESSAGE`` on one line of stderr.

    Parameters
    ----------
    caught : list of warnings.WarningMessage
        From ``warnings.catch_warnings(record=True)``.
    """
    for w in caught:
        print(f"{PROG}: warning: {' '.join(str(w.message).split())}", file=sys.stderr)
