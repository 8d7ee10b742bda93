"""Fixtures of the smotekit.evaluation tests.

Only fixtures live here (test modules never import this file), so the tests work under any
pytest import mode."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from smotekit.evaluation._compare import RESULT_COLUMNS


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    """A small imbalanced binary problem: 240 rows, 5 features, about 15 % minority."""
    X, y = make_classification(
        n_samples=240, n_features=5, weights=[0.85], class_sep=0.8, random_state=3
    )
    return X, y


def _frame(values: dict[str, list[float]], n_train=80, n_test=20, metric="roc_auc"):
    rows = [
        (s, f // 2, f % 2, metric, v, 0.1, 0.01, n_train, n_test, 0, n_train)
        for s, vals in values.items()
        for f, v in enumerate(vals)
    ]
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))


@pytest.fixture(scope="session")
def make_results() -> Callable[..., pd.DataFrame]:
    """``make_results({sampler: [fold values]}, n_train=80, n_test=20, metric="roc_auc")``:
    results in the layout of compare, two folds per repeat."""
    return _frame
