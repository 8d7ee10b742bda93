"""smotekit: fast, exact and audited SMOTE-family resamplers."""

__version__ = "0.1.0"

__all__ = ["__version__"]
