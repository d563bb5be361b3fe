"""aggregation/grouping.py: sums on the categories' codes are pandas' own sums, in pandas' order."""

import numpy as np
import pandas as pd
import pytest

from fichex.aggregation import grouping


def _frame(seed: int, rows: int = 400) -> pd.DataFrame:
    """Codes as categories (some unused, some rows missing a code) and values with cents, in no order: sums
    whose last bits depend on the order the rows are added in."""
    rng = np.random.default_rng(seed)
    pays = pd.Categorical(rng.choice(["US", "DE", "CN", "BE", "QU", None], rows), categories=["BE", "CN", "DE",
                                                                                            "FR", "QU", "US"])
    return pd.DataFrame({
        "flux": pd.Categorical(rng.choice(["E", "I"], rows)),
        "code_pays": pays,
        "code_a129": pd.Categorical(rng.choice(["C10A", "C20B", "A01Z"], rows)),
        "valeur_eur": rng.random(rows) * 10 ** rng.integers(0, 12, rows) + rng.integers(0, 100, rows) / 100,
    })


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("keys", [["code_pays"], ["flux"], ["code_a129", "code_pays"], ["code_pays", "flux"]])
def test_sums_on_codes_are_the_groupby_sums_in_its_order(seed, keys):
    frame = _frame(seed)
    expected = frame.groupby(keys, observed=True, sort=False)["valeur_eur"].sum()
    index = expected.index.tolist() if len(keys) > 1 else [(code,) for code in expected.index.tolist()]
    assert grouping.sums_by(frame, keys) == [(tuple(map(str, codes)), float(value))
                                             for codes, value in zip(index, expected.tolist())]
    # The same from text columns (no categories), and from no row at all.
    as_text = frame.astype({key: object for key in keys})
    assert grouping.sums_by(as_text, keys) == grouping.sums_by(frame, keys)
    assert grouping.sums_by(frame.iloc[0:0], keys) == []


@pytest.mark.parametrize("seed", range(3))
def test_rows_of_distinct_codes_are_their_own_sums_as_pandas_gives_them(seed):
    """A territory's rows of the year aggregate name each (product, partner) once a flow: each group is one row,
    summed without grouping; the same values (a missing one 0, -0 as 0) in the same order as pandas'."""
    frame = _frame(seed, rows=60)
    frame = frame.drop_duplicates(["code_a129", "code_pays"]).sample(frac=1.0, random_state=seed)
    frame.loc[frame.index[:2], "valeur_eur"] = [-0.0, np.nan]
    expected = frame.groupby(["code_a129", "code_pays"], observed=True, sort=False)["valeur_eur"].sum()
    positions, names, values = grouping.grouped(frame, ["code_a129", "code_pays"])
    assert [(names[0][i], names[1][j]) for i, j in zip(positions[0], positions[1])] == [
        tuple(map(str, codes)) for codes in expected.index.tolist()]
    assert np.array_equal(values, expected.to_numpy()) and not np.signbit(values).any()


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("key", ["code_pays", "code_a129"])
def test_sums_by_flow_are_each_flows_rows_summed(seed, key):
    """The sums by code and flow, read by a territory's partners, activities and exposure, are exactly those of
    each flow's rows grouped by code."""
    frame = _frame(seed)
    by_flow = grouping.sums_by_flow(frame, key)
    for flow in ("E", "I"):
        rows = frame[frame["flux"] == flow]
        assert by_flow[flow] == {codes[0]: value for codes, value in grouping.sums_by(rows, [key])}
    assert grouping.sums_by_flow(frame, key) is by_flow  # once per frame


def test_a_frame_memo_names_each_frame_alone_and_forgets_the_oldest():
    memo = grouping.FrameMemo(size=2)
    first, second, third = (pd.DataFrame({"a": [i]}) for i in range(3))
    memo.of(first)["x"] = 1
    assert memo.of(first) == {"x": 1} and memo.of(second) == {}
    memo.of(third)
    assert memo.of(first) == {}  # forgotten: computed again, never another frame's
