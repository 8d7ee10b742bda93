"""What is benchmarked: the samplers, their constructor arguments and the targets.

Shared by the harness (``run_benchmarks.py``) and the per-case subprocess (``_one_case.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Module each library's samplers are imported from.
LIBRARY_MODULES: dict[str, str] = {
    "imblearn": "imblearn.over_sampling",
    "smotekit": "smotekit",
}

_UNDER = "imblearn.under_sampling"
# The family's issue sets speed targets only (memory is reported, not judged).
_ANY = float("inf")

#: ``random_state`` given to every sampler of both libraries.
SAMPLER_RANDOM_STATE = 0


@dataclass(frozen=True)
class Target:
    """The issue's acceptance target for one sampler.

    Parameters
    ----------
    min_speedup : float
        Required ``imblearn_time / smotekit_time`` (at least).
    max_memory_ratio : float
        Bound on ``smotekit_peak / imblearn_peak``.
    strict_memory : bool, default=False
        If True the memory ratio must be strictly below ``max_memory_ratio`` ("lower peak
        memory"); otherwise at most equal to it.
    """

    min_speedup: float
    max_memory_ratio: float
    strict_memory: bool = False

    def describe(self) -> str:
        """Short human-readable form, e.g. ``">=4x faster, RSS <=0.8x"``."""
        speed = "not slower" if self.min_speedup == 1.0 else f">={self.min_speedup:g}x faster"
        if self.max_memory_ratio == float("inf"):
            return speed
        if self.strict_memory:
            memory = f"RSS <{self.max_memory_ratio:g}x"
        else:
            memory = f"RSS <={self.max_memory_ratio:g}x"
        return f"{speed}, {memory}"


@dataclass(frozen=True)
class SamplerCase:
    """One sampler as benchmarked in both libraries.

    Parameters
    ----------
    key : str
        Command-line name (``smote``, ``borderline1``, ...).
    class_name : str
        Class name, identical in both libraries.
    params : dict
        Constructor arguments besides ``random_state`` (defaults otherwise).
    target : Target
        The acceptance target.
    """

    key: str
    class_name: str
    target: Target
    params: dict[str, object] = field(default_factory=dict)
    imblearn_module: str = "imblearn.over_sampling"
    seeded: bool = True

    def constructor_kwargs(self) -> dict[str, object]:
        """Arguments passed to the constructor in both libraries."""
        return (
            {**self.params, "random_state": SAMPLER_RANDOM_STATE}
            if self.seeded
            else dict(self.params)
        )

    def module(self, lib: str) -> str:
        """The module ``lib`` exports this sampler from."""
        return self.imblearn_module if lib == "imblearn" else LIBRARY_MODULES[lib]


SAMPLERS: dict[str, SamplerCase] = {
    case.key: case
    for case in (
        SamplerCase("smote", "SMOTE", Target(4.0, 0.8)),
        SamplerCase("borderline1", "BorderlineSMOTE", Target(4.0, 1.0), {"kind": "borderline-1"}),
        SamplerCase("borderline2", "BorderlineSMOTE", Target(4.0, 1.0), {"kind": "borderline-2"}),
        SamplerCase("adasyn", "ADASYN", Target(4.0, 1.0)),
        SamplerCase("ros", "RandomOverSampler", Target(1.0, 1.0, strict_memory=True)),
        # The rest of the family (measured at 100k x 20: ``make bench-family``).
        SamplerCase("smoteenn", "SMOTEENN", Target(5.0, _ANY), imblearn_module="imblearn.combine"),
        SamplerCase(
            "smotetomek", "SMOTETomek", Target(5.0, _ANY), imblearn_module="imblearn.combine"
        ),
        SamplerCase("svmsmote", "SVMSMOTE", Target(3.0, _ANY)),
        SamplerCase("kmeanssmote", "KMeansSMOTE", Target(1.0, _ANY)),
        *(
            SamplerCase(key, name, Target(speed, _ANY), imblearn_module=_UNDER, seeded=seeded)
            for key, name, speed, seeded in (
                ("tomek", "TomekLinks", 5.0, False),
                ("enn", "EditedNearestNeighbours", 5.0, False),
                ("renn", "RepeatedEditedNearestNeighbours", 5.0, False),
                ("allknn", "AllKNN", 5.0, False),
                ("ncr", "NeighbourhoodCleaningRule", 1.0, False),
                ("nearmiss", "NearMiss", 1.0, False),
                ("cnn", "CondensedNearestNeighbour", 10.0, True),
                ("oss", "OneSidedSelection", 1.0, True),
                ("rus", "RandomUnderSampler", 1.0, True),
                ("iht", "InstanceHardnessThreshold", 1.0, True),
                ("cc", "ClusterCentroids", 1.0, True),
            )
        ),
    )
}

#: Samplers run when ``--samplers`` is not given (``all`` adds the others).
DEFAULT_SAMPLERS: tuple[str, ...] = ("smote", "borderline1", "adasyn", "ros")

#: The samplers of ``make bench-family`` (SMOTE + cleaning, SVM/k-means SMOTE, under-samplers).
FAMILY_SAMPLERS: tuple[str, ...] = (
    "smoteenn",
    "smotetomek",
    "svmsmote",
    "kmeanssmote",
    "tomek",
    "enn",
    "renn",
    "allknn",
    "ncr",
    "nearmiss",
    "cnn",
    "oss",
    "rus",
    "iht",
    "cc",
)
