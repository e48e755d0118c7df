"""Property tests of the reduction arithmetic (hypothesis): any mix of outcomes."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.reduction import STATUS_ORDER, _tally, pooled

CATEGORIES = ["各镇", "党委部门", "群团部门", "执法监督部门", "综合经济部门", "社会事务部门"]

items = st.lists(
    st.tuples(
        st.sampled_from(CATEGORIES),
        st.sampled_from([s for s in STATUS_ORDER if s != "entrust"]),
        st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False)),
    ),
    min_size=1,
    max_size=80,
)


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["category", "status", "points"])


@given(items)
@settings(max_examples=200, deadline=None)
def test_rates_are_shares_and_counts_add_up(rows):
    table = _tally(frame(rows), ["category"])
    assert ((table["rate"] >= 0) & (table["rate"] <= 1)).all()
    assert ((table["points_rate"] >= 0) & (table["points_rate"] <= 1)).all()
    removed = table["dropped"] + table["merged_away"] + table["converted"]
    assert (table["after"] + removed == table["before"]).all()
    assert table["before"].sum() == len(rows)
    assert table["after"].sum() == sum(1 for _, status, _ in rows if status == "keep")


@given(items)
@settings(max_examples=200, deadline=None)
def test_pooled_groups_use_summed_counts_not_averaged_rates(rows):
    table = _tally(frame(rows), ["category"])
    groups = pooled(table).set_index("group")
    departments = table[table["category"] != "各镇"]
    if departments.empty:
        return
    expected = 1 - departments["after"].sum() / departments["before"].sum()
    assert abs(groups.loc["县直部门（五类合计）", "rate"] - round(expected, 4)) < 1e-9
