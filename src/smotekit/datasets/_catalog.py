"""What we know about each benchmark dataset, and how a dataset's content is checked.

The 27 datasets are those of imbalanced-learn's ``fetch_datasets`` (Z. Ding's collection,
Zenodo record 61452). For each one the catalogue records its Zenodo id, its name, its
expected shape and minority count, and, where it could be computed from an exact copy of the
archive's ``x{ID}data.npz`` file, a SHA-256 of its content (see :func:`content_sha256`).

Where the numbers come from (``../shared/data/README.md`` of the project):

* ``"exact"``: 22 datasets whose npz files were available; shape, minority count and
  checksum were computed from them (the checksum is recomputed by
  ``tests/datasets/test_datasets_catalog.py`` whenever the copies are present).
* ``"converted"``: scene, coil_2000 and webpage were rebuilt from their original sources.
  Their shapes match imbalanced-learn's documented shapes and their class counts are those
  of the rebuilt files, but the values or the row order may differ from the archive's, so
  no checksum is recorded.
* ``"missing"``: isolet and protein_homo were not available. Only the documented shape is
  known, plus the documented imbalance ratio, which is checked loosely.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["BENCHMARK_DATASETS", "DatasetInfo", "content_sha256"]

Provenance = Literal["exact", "converted", "missing"]

#: Relative tolerance of the imbalance-ratio check used when the minority count is unknown.
RATIO_TOLERANCE = 0.10


@dataclass(frozen=True)
class DatasetInfo:
    """Catalogue entry of one benchmark dataset.

    Parameters
    ----------
    id : int
        Zenodo id: the archive member is ``x{id}data.npz``.
    name : str
        Name used by imbalanced-learn's ``fetch_datasets``.
    n_samples, n_features : int
        Expected shape of the data matrix.
    n_minority : int or None
        Expected number of samples labelled ``1`` (the minority class); ``None`` when
        unknown.
    ratio : float
        Imbalance ratio (majority : minority) as documented in Ding's table.
    sha256 : str or None
        Expected :func:`content_sha256` of the dataset; ``None`` when no exact copy of the
        archive's file was available to compute it.
    provenance : {"exact", "converted", "missing"}
        Where the expected values come from (see the module docstring).
    """

    id: int
    name: str
    n_samples: int
    n_features: int
    n_minority: int | None
    ratio: float
    sha256: str | None
    provenance: Provenance

    @property
    def filename(self) -> str:
        """Name of the dataset's member in the Zenodo archive, ``x{id}data.npz``."""
        return f"x{self.id}data.npz"

    def problems(self, X: np.ndarray, y: np.ndarray) -> list[str]:
        """List every way ``(X, y)`` differs from this entry; empty when it matches.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Data matrix.
        y : ndarray of shape (n_samples,)
            Labels, ``1`` for the minority class and ``-1`` for the majority class.

        Returns
        -------
        problems : list of str
            Human-readable descriptions of the mismatches.
        """
        expected = (self.n_samples, self.n_features)
        if X.ndim != 2 or X.shape != expected:
            return [f"data has shape {X.shape}, expected {expected}"]
        if y.shape != (self.n_samples,):
            return [f"target has shape {y.shape}, expected ({self.n_samples},)"]
        labels = set(np.unique(y).tolist())
        if not labels <= {-1, 1}:
            return [f"target holds labels {sorted(labels)}, expected only -1 and 1"]
        n_minority = int(np.count_nonzero(y == 1))
        found: list[str] = []
        if self.n_minority is not None and n_minority != self.n_minority:
            found.append(f"{n_minority} minority samples, expected {self.n_minority}")
        if self.n_minority is None:
            ratio = (self.n_samples - n_minority) / max(n_minority, 1)
            if abs(ratio / self.ratio - 1.0) > RATIO_TOLERANCE:
                found.append(
                    f"imbalance ratio {ratio:.2f}, expected about {self.ratio:g} "
                    f"(within {RATIO_TOLERANCE:.0%})"
                )
        if not found and self.sha256 is not None:
            digest = content_sha256(X, y)
            if digest != self.sha256:
                found.append(f"content SHA-256 {digest}, expected {self.sha256}")
        return found


def content_sha256(X: np.ndarray, y: np.ndarray) -> str:
    """SHA-256 of a dataset's content, independent of how it was stored.

    The digest covers the bytes of ``X`` as a C-ordered float64 array followed by those of
    ``y`` as a C-ordered int64 array, so the same values give the same digest whether they
    were read from an npz file, a CSV file or the package.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data matrix.
    y : array-like of shape (n_samples,)
        Labels.

    Returns
    -------
    digest : str
        Hexadecimal SHA-256.

    Examples
    --------
    >>> import numpy as np
    >>> from smotekit.datasets import content_sha256
    >>> content_sha256(np.zeros((1, 1)), np.ones(1))[:16]
    '9d34149fbd1fe777'
    """
    digest = hashlib.sha256(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.int64).tobytes())
    return digest.hexdigest()


def _entry(
    id: int,
    name: str,
    n_samples: int,
    n_features: int,
    n_minority: int | None,
    ratio: float,
    sha256: str | None,
) -> DatasetInfo:
    if sha256 is not None:
        provenance: Provenance = "exact"
    elif n_minority is not None:
        provenance = "converted"
    else:
        provenance = "missing"
    return DatasetInfo(id, name, n_samples, n_features, n_minority, ratio, sha256, provenance)


# fmt: off
#: The 27 benchmark datasets, in Zenodo id order.
BENCHMARK_DATASETS: tuple[DatasetInfo, ...] = (
    _entry(1, "ecoli", 336, 7, 35, 8.6,
           "71bfe23e24473d43252ee8421ff82632a99829db89c1085eba57e7720aac6f39"),
    _entry(2, "optical_digits", 5620, 64, 554, 9.1,
           "d2052fdb30bb96216373d8b3c279cb772cf036a0dd808780f6b05b188a24021c"),
    _entry(3, "satimage", 6435, 36, 626, 9.3,
           "0481ea101b7478ed9c17fe7a66018ed1184b8371834fd10b2f77f8481dda1ce6"),
    _entry(4, "pen_digits", 10992, 16, 1055, 9.4,
           "3f3d80eb900492663b41f346fbcf3eb968ac559e409b998bf11042738ae8c742"),
    _entry(5, "abalone", 4177, 10, 391, 9.7,
           "e3b08a9758d5ff66dd6ab1c8fe09cade76c1af21fd370dc0f0feb17e16d4811e"),
    _entry(6, "sick_euthyroid", 3163, 42, 293, 9.8,
           "9ecc758bd696a1ca19072ac2951ff18896872a1994be5d1c5b3bbd3a347f4028"),
    _entry(7, "spectrometer", 531, 93, 45, 11,
           "ef5337a1b75fedd181971fe1d40c9a3810e50ae5d3ba236e2fca9d0bfeff8d6a"),
    _entry(8, "car_eval_34", 1728, 21, 134, 12,
           "f3780d07aa3527be8cfe303118ddf84d1bfb5fb04358165b6c80458dec138fa3"),
    _entry(9, "isolet", 7797, 617, None, 12, None),
    _entry(10, "us_crime", 1994, 100, 150, 12,
           "efa18ef5822dc11cc92efac7432df8e508ecff52e54f9e4b4c7bad73417ff499"),
    _entry(11, "yeast_ml8", 2417, 103, 178, 13,
           "e4b442522ab7f8b4c97dded5d01bed989adc89f92ddeed94cb56417aa60f583d"),
    _entry(12, "scene", 2407, 294, 177, 13, None),
    _entry(13, "libras_move", 360, 90, 24, 14,
           "99ea444c4d3d357dea0cedabd5027eda4fdb2516bf47f161fce38861f3adec9b"),
    _entry(14, "thyroid_sick", 3772, 52, 231, 15,
           "c94ef9b7bb3b39e754d2337f7dd48209bb398eb9210edae199c1a14e1f1b5087"),
    _entry(15, "coil_2000", 9822, 85, 586, 16, None),
    _entry(16, "arrhythmia", 452, 278, 25, 17,
           "cbe1caebccfa41f8385b21e18a7f0c4f974d201e2cbf9829116f7fd735aa8243"),
    _entry(17, "solar_flare_m0", 1389, 32, 68, 19,
           "175f4f32edf662492ef9dcac780d1228c31b487fff08a1699e72fd1e6ed280e4"),
    _entry(18, "oil", 937, 49, 41, 22,
           "201ddbf033c5a1700f7463b0dd4ad01f66f2368d6622ff3535f8ab56e8736835"),
    _entry(19, "car_eval_4", 1728, 21, 65, 26,
           "f0a4f2229f5f03bbe5b0399ac6f6aea9f3be3c9eddfe2cd61bc0ca0945ac462d"),
    _entry(20, "wine_quality", 4898, 11, 183, 26,
           "78c275b869a4fbaaf05ef31973c728d41e0980a58f567eb70ff4f4d3395d2809"),
    _entry(21, "letter_img", 20000, 16, 734, 26,
           "af7ffc486310d5a6b684167eba2a7fdcd4db70ac4bd4f7db538de425ff1e1f46"),
    _entry(22, "yeast_me2", 1484, 8, 51, 28,
           "d6dc306cc74ca68e9b374dd123ffe5e3abac77f4539e117c06dcfe0a0f567318"),
    _entry(23, "webpage", 34780, 300, 981, 33, None),
    _entry(24, "ozone_level", 2536, 72, 73, 34,
           "7998d037dffd859bfaea3283a15abd61b50ae52cfcb4e897876cc608662979d6"),
    _entry(25, "mammography", 11183, 6, 260, 42,
           "d2276a67226ca457d81e4ce73a04e374cc8a15906957b5c424af1ed2f9c57585"),
    _entry(26, "protein_homo", 145751, 74, None, 111, None),
    _entry(27, "abalone_19", 4177, 10, 32, 130,
           "687933fab91bf92170f8a680ac395fe99f92ae0a5030cace630d61e81a9dad57"),
)
# fmt: on

_BY_NAME = {info.name: info for info in BENCHMARK_DATASETS}
_BY_ID = {info.id: info for info in BENCHMARK_DATASETS}


def resolve(names: object) -> list[DatasetInfo]:
    """Catalogue entries for ``names`` (names or ids), in catalogue order, without repeats."""
    if names is None:
        return list(BENCHMARK_DATASETS)
    if isinstance(names, (str, int, np.integer)):
        names = [names]
    try:
        items = list(names)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"names must be None, or a list of dataset names or ids, got {names!r}."
        ) from None
    chosen: set[int] = set()
    for item in items:
        if isinstance(item, str) and item in _BY_NAME:
            chosen.add(_BY_NAME[item].id)
        elif (
            isinstance(item, (int, np.integer))
            and not isinstance(item, bool)
            and int(item) in _BY_ID
        ):
            chosen.add(int(item))
        else:
            valid = ", ".join(info.name for info in BENCHMARK_DATASETS)
            raise ValueError(
                f"Unknown benchmark dataset {item!r}. Valid names are: {valid}; "
                f"or their ids 1 to {len(BENCHMARK_DATASETS)}."
            )
    return [_BY_ID[i] for i in sorted(chosen)]
