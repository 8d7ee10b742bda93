"""Registry of neighbour backends, looked up by name; optional ones load lazily."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ._protocol import NeighborBackend

BackendFactory = Callable[..., NeighborBackend]

# name -> "module:attribute" (imported on first use) or a factory.
_REGISTRY: dict[str, str | BackendFactory] = {
    "exact": "smotekit.neighbors._exact:ExactNeighbors",
    "tree": "smotekit.neighbors._tree:TreeNeighbors",
    # Optional: the GPU backend (extra [gpu]) and the approximate ones (extra [approx]).
    "torch": "smotekit.neighbors._torch:TorchNeighbors",
    "ivf": "smotekit.neighbors._ivf:IVFNeighbors",
    "hnsw": "smotekit.neighbors._hnsw:HNSWNeighbors",
}


def register_backend(name: str, factory: str | BackendFactory) -> None:
    """Register a neighbour backend under ``name``.

    Parameters
    ----------
    name : str
        The name users pass as ``neighbors=name`` to a sampler.
    factory : str or callable
        A callable ``factory(n_jobs=..., **options) -> backend``, or a
        ``"module:attribute"`` string naming one, imported on first use (so
        optional dependencies are only needed by those who use them).
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"A backend name must be a non-empty string, got {name!r}.")
    _REGISTRY[name] = factory


def available_backends() -> list[str]:
    """Names of the registered backends, plus ``"auto"``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from smotekit.neighbors import available_backends
    >>> "exact" in available_backends()
    True
    """
    return ["auto", *sorted(_REGISTRY)]


def get_backend(name: str) -> BackendFactory:
    """Return the factory registered under ``name``.

    Parameters
    ----------
    name : str
        A registered backend name (see :func:`available_backends`).

    Returns
    -------
    callable
        ``factory(n_jobs=..., **options)`` building an unfitted backend.

    Raises
    ------
    ValueError
        If no backend has that name.
    ImportError
        If the backend needs an optional dependency that is not installed.
    """
    try:
        factory = _REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(repr(n) for n in available_backends())
        raise ValueError(
            f"Unknown neighbour backend {name!r}. Choose one of {known}, or pass an "
            "object with a scikit-learn style kneighbors method."
        ) from None
    if isinstance(factory, str):
        module_name, _, attribute = factory.partition(":")
        factory = getattr(import_module(module_name), attribute)
        _REGISTRY[name] = factory
    return factory
