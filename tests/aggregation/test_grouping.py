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


def test_a_frame_memo_names_each_frame_alone_and_forgets_the_oldest():
    memo = grouping.FrameMemo(size=2)
    first, second, third = (pd.DataFrame({"a": [i]}) for i in range(3))
    memo.of(first)["x"] = 1
    assert memo.of(first) == {"x": 1} and memo.of(second) == {}
    memo.of(third)
    assert memo.of(first) == {}  # forgotten: computed again, never another frame's
