"""``--estimator``: the classifiers ``smotekit compare`` knows by name, or any by import path."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import Callable
from typing import Any, NamedTuple

from ._errors import UsageError

__all__ = ["ESTIMATORS", "describe_estimators", "estimator_names", "make_estimator"]


class _Estimator(NamedTuple):
    """A classifier ``--estimator`` knows by name (``random_state`` is set where it exists)."""

    path: str  # "module:Class"
    params: dict[str, Any]
    summary: str
    package: str | None = None  # an optional package it needs (not a smotekit dependency)


_FOREST = {"n_estimators": 100}
#: The classifiers of ``--estimator NAME``; each has predict_proba or decision_function.
ESTIMATORS: dict[str, _Estimator] = {
    "random_forest": _Estimator(
        "sklearn.ensemble:RandomForestClassifier", _FOREST, "random forest, 100 trees (default)"
    ),
    "extra_trees": _Estimator(
        "sklearn.ensemble:ExtraTreesClassifier", _FOREST, "extremely randomised trees, 100 trees"
    ),
    "gradient_boosting": _Estimator(
        "sklearn.ensemble:GradientBoostingClassifier", {}, "gradient boosting, 100 stages"
    ),
    "hist_gradient_boosting": _Estimator(
        "sklearn.ensemble:HistGradientBoostingClassifier", {}, "histogram gradient boosting"
    ),
    "logistic_regression": _Estimator(
        "sklearn.linear_model:LogisticRegression", {"max_iter": 1000}, "logistic regression"
    ),
    "decision_tree": _Estimator("sklearn.tree:DecisionTreeClassifier", {}, "one decision tree"),
    "knn": _Estimator("sklearn.neighbors:KNeighborsClassifier", {}, "5 nearest neighbours"),
    "svc": _Estimator("sklearn.svm:SVC", {}, "RBF support vector machine (decision_function)"),
    "naive_bayes": _Estimator("sklearn.naive_bayes:GaussianNB", {}, "Gaussian naive Bayes"),
    "lightgbm": _Estimator("lightgbm:LGBMClassifier", {"verbose": -1}, "LightGBM", "lightgbm"),
    "xgboost": _Estimator("xgboost:XGBClassifier", {}, "XGBoost", "xgboost"),
}


def _installed(package: str | None) -> bool:
    return package is None or importlib.util.find_spec(package) is not None


def estimator_names() -> list[str]:
    """The names ``--estimator`` takes, in the order they are listed.

    Returns
    -------
    list of str

    Examples
    --------
    >>> estimator_names()[:3]
    ['random_forest', 'extra_trees', 'gradient_boosting']
    """
    return list(ESTIMATORS)


def describe_estimators() -> str:
    """What ``--estimator list`` prints: one line per name, with the classifier it builds.

    Returns
    -------
    str

    Examples
    --------
    >>> describe_estimators().splitlines()[0].split()[:2]
    ['random_forest', 'sklearn.ensemble.RandomForestClassifier:']
    """
    width = max(map(len, ESTIMATORS)) + 1
    lines = []
    for name, spec in ESTIMATORS.items():
        line = f"{name:<{width}} {spec.path.replace(':', '.')}: {spec.summary}"
        if not _installed(spec.package):
            line += f" (needs {spec.package}: pip install {spec.package})"
        lines.append(line)
    lines.append(
        f"{'MODULE.CLASS':<{width}} any classifier by import path, e.g. sklearn.svm.SVC or "
        "sklearn.svm:SVC (built with no arguments; random_state=--seed where it has one)"
    )
    return "\n".join(lines)


def _unknown(name: str, why: str) -> UsageError:
    return UsageError(
        f"--estimator {name!r} {why}; use one of {', '.join(ESTIMATORS)} (see --estimator "
        "list) or an import path such as sklearn.svm.SVC"
    )


def _import(name: str) -> Callable[..., Any]:
    """The class an import path ``module.Class`` or ``module:Class`` names."""
    module_name, sep, attribute = name.partition(":")
    if not sep:
        module_name, _, attribute = name.rpartition(".")
    if not module_name or not attribute:
        raise _unknown(name, "is not a known name")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # ImportError, or whatever the module raises on import
        raise _unknown(name, f"cannot be imported ({type(exc).__name__}: {exc})") from None
    found = module
    for part in attribute.split("."):
        found = getattr(found, part, None)
        if found is None:
            raise _unknown(name, f"is not in module {module_name!r}")
    if not inspect.isclass(found):
        raise _unknown(name, "is not a class")
    return found


def _with_seed(estimator: Any, seed: int | None) -> Any:
    params = estimator.get_params(deep=False) if hasattr(estimator, "get_params") else {}
    if "random_state" in params:
        estimator.set_params(random_state=seed)
    return estimator


def make_estimator(name: str, seed: int | None) -> Any:
    """The classifier of ``--estimator``: a name of :data:`ESTIMATORS` or an import path.

    Parameters
    ----------
    name : str
        A name (``random_forest``, ``logistic_regression``, ... see
        :func:`describe_estimators`; case and ``-`` for ``_`` do not matter), or an import
        path ``module.Class`` or ``module:Class``, built with no arguments.
    seed : int or None
        ``random_state`` of the classifier, where it has one.

    Returns
    -------
    classifier
        With ``fit``, ``predict`` and ``predict_proba`` or ``decision_function``.

    Raises
    ------
    UsageError
        For an unknown name, a path that cannot be imported or built, a package that is
        not installed, or an object that is not a classifier.

    Examples
    --------
    >>> make_estimator("logistic_regression", 0)
    LogisticRegression(max_iter=1000, random_state=0)
    >>> make_estimator("sklearn.tree:DecisionTreeClassifier", 3)
    DecisionTreeClassifier(random_state=3)
    """
    key = name.strip().lower().replace("-", "_")
    spec = ESTIMATORS.get(key)
    if spec is not None:
        if not _installed(spec.package):
            raise UsageError(
                f"--estimator {key} needs the {spec.package} package: pip install {spec.package}"
            )
        return _with_seed(_import(spec.path)(**spec.params), seed)
    if "." not in name and ":" not in name:
        raise _unknown(name, "is not a known name")
    cls = _import(name.strip())
    try:
        estimator = cls()
    except Exception as exc:
        raise _unknown(name, f"cannot be built with no arguments ({exc})") from None
    if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
        raise _unknown(name, "is not a classifier (it needs fit and predict)")
    from sklearn.base import is_regressor

    if is_regressor(estimator):
        raise _unknown(name, "is a regressor, not a classifier")
    if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
        raise _unknown(
            name, "has neither predict_proba nor decision_function, which the scores need"
        )
    return _with_seed(estimator, seed)
