"""smotekit.evaluation._cv: the cross-validation specifications."""

from __future__ import annotations

import pytest
from sklearn.model_selection import KFold, RepeatedStratifiedKFold, StratifiedKFold

from smotekit.evaluation import check_cv


def test_check_cv_forms():
    assert isinstance(check_cv(None), RepeatedStratifiedKFold)
    assert check_cv(None).get_n_splits() == 15
    cv = check_cv("2x5", random_state=3)
    assert cv.n_repeats == 5 and cv.get_n_splits() == 10 and cv.random_state == 3
    assert check_cv(" 2 X 4 ").get_n_splits() == 8
    assert isinstance(check_cv(4), StratifiedKFold) and check_cv(4).n_splits == 4
    splitter = KFold(3)
    assert check_cv(splitter) is splitter


@pytest.mark.parametrize(
    ("cv", "error", "match"),
    [
        ("3y5", ValueError, "not of the form 'KxR'"),
        ("1x3", ValueError, "not of the form 'KxR'"),
        ("5x0", ValueError, "not of the form 'KxR'"),
        (1, ValueError, "at least 2 folds"),
        (2.5, TypeError, "cv must be None, an int"),
    ],
)
def test_check_cv_rejects(cv, error, match):
    with pytest.raises(error, match=match):
        check_cv(cv)
