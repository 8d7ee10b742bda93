"""``sampling_strategy`` of every kind equals imbalanced-learn's, for every form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.utils import check_sampling_strategy

from smotekit._strategy import sampling_targets

KINDS = ["over-sampling", "under-sampling", "clean-sampling"]
STRINGS = ["auto", "all", "minority", "majority", "not minority", "not majority"]


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 40), min_size=2, max_size=5),
    kind=st.sampled_from(KINDS),
    name=st.sampled_from(STRINGS),
)
def test_strings_match_imbalanced_learn(counts, kind, name):
    y = np.repeat(np.arange(len(counts)), counts)
    try:
        expected = dict(check_sampling_strategy(name, y, kind))
    except ValueError:
        with pytest.raises(ValueError):
            sampling_targets(kind, name, y)
        return
    assert sampling_targets(kind, name, y) == expected


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(1, 40), min_size=2, max_size=2),
    ratio=st.floats(0.05, 1.0),
    kind=st.sampled_from(KINDS[:2]),
)
def test_floats_match_imbalanced_learn(counts, ratio, kind):
    y = np.repeat(np.arange(2), counts)
    try:
        expected = dict(check_sampling_strategy(ratio, y, kind))
    except ValueError:
        # imbalanced-learn also refuses a ratio already reached (0 new rows); smotekit
        # over-samples nothing then.
        reached = kind == "over-sampling" and int(max(counts) * ratio) == min(counts)
        if reached:
            assert sorted(sampling_targets(kind, ratio, y).values()) == [0]
            return
        with pytest.raises(ValueError):
            sampling_targets(kind, ratio, y)
        return
    assert sampling_targets(kind, ratio, y) == expected


@pytest.mark.parametrize("kind", KINDS[:2])
def test_dicts_match_imbalanced_learn(kind):
    y = np.repeat([0, 1, 2], [30, 20, 10])
    strategy = {0: 30, 2: 10} if kind == "over-sampling" else {0: 5, 1: 20}
    if kind == "over-sampling":
        strategy = {1: 25, 2: 40}
    assert sampling_targets(kind, strategy, y) == dict(check_sampling_strategy(strategy, y, kind))


def test_cleaning_takes_a_list_not_a_dict_or_float():
    y = np.repeat([0, 1, 2], [30, 20, 10])
    assert sampling_targets("clean-sampling", [0, 2], y) == dict(
        check_sampling_strategy([0, 2], y, "clean-sampling")
    )
    for bad in ({0: 3}, 0.5):
        with pytest.raises(ValueError, match="cannot be a number or a dict"):
            sampling_targets("clean-sampling", bad, y)
