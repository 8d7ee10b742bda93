"""Utilities: discovering smotekit's samplers."""

from ._discovery import all_samplers

__all__ = ["all_samplers"]
