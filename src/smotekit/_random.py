"""The one place where randomness starts: ``random_state`` -> independent streams.

``random_state`` is converted once, at the top of ``fit_resample``, into a
:class:`numpy.random.SeedSequence`.  Every class being resampled then gets its
own child stream, keyed by the class's position among the sorted labels, so the
rows generated for one class never depend on another class, on the number of
threads, or on internal block sizes.  (imbalanced-learn re-seeds one stream per
class from the same integer, so with an int seed all classes replay the same
random numbers.)
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["RandomStateLike", "child_generator", "to_seed_sequence"]

RandomStateLike = int | np.random.RandomState | np.random.Generator | None


def to_seed_sequence(random_state: RandomStateLike) -> np.random.SeedSequence:
    """Convert a ``random_state`` parameter into a seed sequence.

    Parameters
    ----------
    random_state : None, int, numpy.random.RandomState or numpy.random.Generator
        ``None`` draws fresh entropy; an int seeds deterministically; a
        ``RandomState`` or ``Generator`` is asked for one 63-bit integer (so it
        advances, as scikit-learn estimators advance a shared ``RandomState``).

    Returns
    -------
    numpy.random.SeedSequence

    Raises
    ------
    ValueError
        For any other value.

    Examples
    --------
    >>> to_seed_sequence(0).entropy
    0
    """
    if random_state is None:
        return np.random.SeedSequence()
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise ValueError(f"random_state must be a non-negative integer; got {random_state}.")
        return np.random.SeedSequence(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.SeedSequence(int(random_state.randint(0, 2**63 - 1, dtype=np.int64)))
    if isinstance(random_state, np.random.Generator):
        return np.random.SeedSequence(int(random_state.integers(0, 2**63 - 1)))
    raise ValueError(
        "random_state must be None, an int, a numpy.random.RandomState or a "
        f"numpy.random.Generator; got {random_state!r}."
    )


def child_generator(seed: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """An independent generator for the stream named by ``key``.

    The child is derived from ``seed`` and ``key`` alone (not from how many
    children were spawned before), so it is the same in every process, thread
    or partition that asks for it.

    Parameters
    ----------
    seed : numpy.random.SeedSequence
        The root sequence from :func:`to_seed_sequence`.
    *key : int
        The stream's name, e.g. ``(class_position,)`` or ``(class_position, chunk)``.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> root = to_seed_sequence(0)
    >>> a = child_generator(root, 1).random()
    >>> b = child_generator(root, 1).random()
    >>> a == b
    True
    """
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key))
    return np.random.Generator(np.random.PCG64(child))
