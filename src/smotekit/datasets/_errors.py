"""The error of the benchmark-dataset fetcher."""

from __future__ import annotations

__all__ = ["DatasetError"]


class DatasetError(OSError):
    """A benchmark dataset could not be obtained or failed verification.

    Raised for failed or truncated downloads, unreadable files, unsafe archives, data that
    do not match the catalogue (shape, class counts or checksum), and datasets that are not
    cached when ``download_if_missing=False``. It subclasses :class:`OSError`, like
    scikit-learn's fetchers' "data not found" errors. The message names the dataset and
    the source, and when it is raised the cache holds nothing new for that dataset.
    """
