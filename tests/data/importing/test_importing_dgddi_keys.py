"""The key of a regional line as one integer (`cle`): its order is the table's storage order, a part's lines
lie in its span, and the filter of repeated keys never misses one."""

import numpy as np
import pytest

from fichex.data.importing import dgddi, dgddi_keys


@pytest.fixture(scope="module")
def space():
    return dgddi_keys.key_space(dgddi.YEAR_MIN, dgddi.YEAR_MAX)


def _keys(space, rows):
    """The `cle` of rows (year, flow, territory, quarter, CPF4, country) given as codes."""
    columns = list(zip(*rows))
    numbers, _ = dgddi_keys.cpf4_numbers(list(columns[4]))
    return dgddi_keys.order_key(
        space, np.array(columns[0]), dgddi_keys.ranks(list(columns[1]), {"E": 0, "I": 1}),
        dgddi_keys.ranks(list(columns[2]), space.territories), np.array(columns[3]), numbers,
        dgddi_keys.ranks(list(columns[5]), space.countries))


def test_ordering_by_the_key_is_ordering_by_the_six_columns(space):
    rng = np.random.default_rng(3)
    territories, countries = sorted(space.territories), sorted(space.countries)
    rows = [(int(rng.integers(2015, 2026)), "EI"[rng.integers(2)], territories[rng.integers(len(territories))],
             int(rng.integers(1, 5)), f"{rng.integers(10_000):04d}", countries[rng.integers(len(countries))])
            for _ in range(2000)]
    keys = _keys(space, rows)
    # trade.STORAGE_ORDER: year, flow, territory, quarter, product, country
    by_columns = sorted(range(len(rows)), key=lambda i: (rows[i][0], rows[i][1], rows[i][2], rows[i][3], rows[i][4],
                                                          rows[i][5]))
    assert [rows[i] for i in np.argsort(keys, kind="stable")] == [rows[i] for i in by_columns]
    assert len(set(keys.tolist())) == len(set(rows))  # one key per distinct row: duplicates share it


def test_the_lines_of_a_part_lie_in_its_span_and_no_other(space):
    rows = [(2024, "E", "01", 1, "0000", "AD"), (2024, "E", "13", 4, "9999", "ZW"), (2024, "E", "14", 1, "0000", "AD"),
            (2024, "I", "01", 1, "0111", "BE"), (2023, "E", "05", 2, "0111", "BE")]
    low, high = dgddi_keys.span(space, 2024, "E", "01", "13")
    assert [bool(low <= key <= high) for key in _keys(space, rows)] == [True, True, False, False, False]


def test_a_cpf4_code_of_non_ascii_digits_is_told_apart():
    numbers, exotic = dgddi_keys.cpf4_numbers(["0111", "١٢٣٤", "12a4"])
    assert numbers.tolist() == [111, dgddi_keys.EXOTIC_CPF4, -1] and exotic
    assert not dgddi_keys.cpf4_numbers(["0111"])[1]


def test_every_key_met_twice_is_among_the_repeated_ones():
    seen = dgddi_keys.SeenKeys(bits=1 << 12)  # a tiny filter: many keys share a bit
    keys = np.arange(0, 30_000, 7, dtype=np.int64)
    seen.note(keys[:3000])
    seen.note(np.concatenate([keys[2500:], [5, 5]]))  # 500 keys again, one key twice in the same block
    repeated = set(seen.repeated().tolist())
    assert set(keys[2500:3000].tolist()) | {5} <= repeated


def test_no_key_repeated_means_none_to_look_at():
    seen = dgddi_keys.SeenKeys()
    for start in range(0, 100_000, 10_000):
        seen.note(np.arange(start, start + 10_000, dtype=np.int64) * 1_000_003)
    assert seen.repeated().tolist() == []


def test_too_many_possible_repeats_give_up_the_filter():
    seen = dgddi_keys.SeenKeys(limit=10)
    seen.note(np.arange(100, dtype=np.int64))
    seen.note(np.arange(100, dtype=np.int64))
    assert seen.repeated() is None
