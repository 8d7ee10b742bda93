"""Under-samplers: keep a subset of the rows of the classes targeted."""

from ._random_under import RandomUnderSampler

__all__ = ["RandomUnderSampler"]
