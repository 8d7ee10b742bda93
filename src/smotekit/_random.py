"""The one place where randomness starts: ``random_state`` -> independent streams.

``random_state`` is converted once, at the top of ``fit_resample``, into a
:class:`numpy.random.SeedSequence`.  Streams are keyed by *what* they generate,
never by who generates it:

* ``(c,)``: the class-level draws of the class at position ``c`` among the
  sorted labels (which rows seed how many new rows, which rows an
  under-sampler keeps);
* ``(c, j)``: chunk ``j`` of that class's synthetic rows, i.e. rows
  ``j * CHUNK_ROWS`` to ``(j + 1) * CHUNK_ROWS - 1`` of its synthetic index
  range (seeds, neighbour ranks, gaps, vote tie-breaks, noise).

``CHUNK_ROWS`` is part of the output contract, not a tuning knob: with it fixed,
the same seed gives the same rows for any thread count, block size or (on a
cluster) partitioning, and any chunk can be generated alone.  (imbalanced-learn
re-seeds one stream per class from the same integer, so with an int seed all
classes replay the same random numbers.)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CHUNK_ROWS",
    "ClassStreams",
    "RandomStateLike",
    "child_generator",
    "to_seed_sequence",
]

# Synthetic rows per random-stream chunk (see the module docstring).
CHUNK_ROWS = 1 << 16

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


@dataclass(frozen=True)
class ClassStreams:
    """The random streams of one class: class-level draws and one stream per chunk.

    Parameters
    ----------
    seed : numpy.random.SeedSequence
        The root sequence of the ``fit_resample`` call.
    position : int
        The class's position among the sorted labels.

    Examples
    --------
    >>> streams = ClassStreams(to_seed_sequence(0), 1)
    >>> [(j, start, stop) for j, start, stop, _ in streams.chunks(2 * CHUNK_ROWS + 5)]
    [(0, 0, 65536), (1, 65536, 131072), (2, 131072, 131077)]
    """

    seed: np.random.SeedSequence
    position: int
    window: tuple[int, int] | None = None

    def span(self, n_new: int) -> tuple[int, int]:
        """The synthetic rows ``[lo, hi)`` a plan makes: all ``n_new``, or the window's.

        A *window* (``lo`` a multiple of ``CHUNK_ROWS``) makes a plan produce
        only those rows of its class, exactly as they are in the whole: an
        engine can then make each chunk where its rows are written, never
        holding the whole class's recipe (:mod:`smotekit.dask`).
        """
        if self.window is None:
            return 0, n_new
        lo, hi = self.window
        return min(lo, n_new), min(hi, n_new)

    def size(self, n_new: int) -> int:
        """Number of synthetic rows a plan makes (see :meth:`span`)."""
        lo, hi = self.span(n_new)
        return hi - lo

    def windowed(self, lo: int, hi: int) -> ClassStreams:
        """These streams restricted to the synthetic rows ``[lo, hi)``."""
        if lo % CHUNK_ROWS or hi < lo:
            raise ValueError(f"A window starts at a multiple of {CHUNK_ROWS}; got [{lo}, {hi}).")
        return ClassStreams(self.seed, self.position, (lo, hi))

    def selection(self) -> np.random.Generator:
        """The generator of the class-level draws (key ``(position,)``)."""
        return child_generator(self.seed, self.position)

    def chunk(self, j: int) -> np.random.Generator:
        """The generator of synthetic chunk ``j`` (key ``(position, j)``)."""
        return child_generator(self.seed, self.position, j)

    def chunks(self, n_new: int) -> Iterator[tuple[int, int, int, np.random.Generator]]:
        """``(j, start, stop, generator)`` for every chunk of ``n_new`` synthetic rows.

        ``start:stop`` are positions among the rows made (see :meth:`span`):
        the rows of chunk ``j`` are ``lo + start .. lo + stop - 1`` of the class.
        """
        lo, hi = self.span(n_new)
        for j in range(lo // CHUNK_ROWS, -(-hi // CHUNK_ROWS)):
            start = j * CHUNK_ROWS
            yield j, start - lo, min(start + CHUNK_ROWS, hi) - lo, self.chunk(j)
