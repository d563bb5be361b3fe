"""The key of a regional line as one 64-bit integer (`cle`), in the table's storage order.

A kept line's key (year, flow, territory, quarter, CPF4, country) packed in trade.STORAGE_ORDER: two lines
share a `cle` exactly when they share a key, and ordering by `cle` is ordering by those six columns. DuckDB
then finds duplicates and sorts on one integer instead of six strings. Each part is computed once per
distinct value of a block (the reference codes' ranks, a CPF4's number), never per line.

A CPF4 code of four digits that are not ASCII (« ١٢٣٤ » passes the CPF4 check) has no number in that
order: such lines share one slot and the block says so (`exotic`), so that the import groups on `cle` and
`code_produit` together and sorts on the columns themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from fichex.data import reference

FLOWS = ("E", "I")  # in string order: E < I
QUARTERS = 4
CPF4_SLOTS = 10_001  # 0000 to 9999, then one slot for the CPF4 codes of non-ASCII digits
EXOTIC_CPF4 = CPF4_SLOTS - 1


@dataclass(frozen=True)
class KeySpace:
    """The ranks of the codes of the reference tables, in string order, and the span of the years."""

    year_min: int
    years: int
    territories: dict[str, int]  # territory code (« 971 ») → its rank among the territory codes
    countries: dict[str, int]  # country code → its rank among the country codes


@lru_cache(maxsize=4)
def key_space(year_min: int, year_max: int) -> KeySpace:
    """The key space of the years year_min to year_max (the reference tables read once)."""
    table = reference.departements()
    territories = sorted(set(table.loc[table["dgddi"], "code_departement"]))
    countries = sorted(set(reference.countries()["code_pays"]))
    return KeySpace(year_min=year_min, years=year_max - year_min + 1,
                    territories={code: rank for rank, code in enumerate(territories)},
                    countries={code: rank for rank, code in enumerate(countries)})


def ranks(values: list, of: dict[str, int]) -> np.ndarray:
    """The rank of each distinct value (-1 when it has none: its lines are rejected anyway)."""
    return np.array([of.get(value, -1) if value is not None else -1 for value in values], dtype=np.int64)


def cpf4_numbers(values: list[str]) -> tuple[np.ndarray, bool]:
    """The number of each distinct CPF4 code (EXOTIC_CPF4 for four non-ASCII digits, -1 when not a code),
    and whether one such exotic code is among them."""
    numbers = [int(v) if v.isascii() and len(v) == 4 and v.isdigit() else
               EXOTIC_CPF4 if len(v) == 4 and v.isdigit() else -1 for v in values]
    return np.array(numbers, dtype=np.int64), EXOTIC_CPF4 in numbers


def order_key(space: KeySpace, year: np.ndarray, flow: np.ndarray, territory: np.ndarray, quarter: np.ndarray,
              cpf4: np.ndarray, country: np.ndarray) -> np.ndarray:
    """The `cle` of each line from its parts, each already a number per line: the year, the flow's and the
    territory's rank, the quarter (1 to 4), the CPF4's number and the country's rank. Meaningful for the
    lines whose parts are all valid (the kept ones)."""
    key = np.clip(year - space.year_min, 0, space.years - 1)
    key = key * len(FLOWS) + flow
    key = key * max(len(space.territories), 1) + territory
    key = key * QUARTERS + (quarter - 1)
    key = key * CPF4_SLOTS + cpf4
    return key * max(len(space.countries), 1) + country


def span(space: KeySpace, year: int, flow: str, first: str, last: str) -> tuple[int, int]:
    """The smallest and largest `cle` of the lines of `year`, `flow` and the territories `first` to `last`
    (territory codes, in string order): the lines of such a part are the `cle` between the two."""
    flow_rank = FLOWS.index(flow)
    parts = ([year, year], [flow_rank, flow_rank], [space.territories[first], space.territories[last]],
             [1, QUARTERS], [0, CPF4_SLOTS - 1], [0, max(len(space.countries), 1) - 1])
    low, high = order_key(space, *(np.array(p, dtype=np.int64) for p in parts))
    return int(low), int(high)


FILTER_BITS = 1 << 28  # 32 MB: about 1 % of a year's keys (4 million) come out as possible repeats
REPEAT_LIMIT = 500_000  # possible repeats kept at most (4 MB); beyond (about 15 million lines), every line is looked at


class SeenKeys:
    """The keys that may have been met more than once, found while the blocks are staged: a filter of
    FILTER_BITS bits, one set per key met (a key's bit already set: maybe a repeat; two keys may share a
    bit). What it returns holds every key met twice or more, and a few that were not: DuckDB then groups only
    the lines of those keys, and none when there is none (an import without duplicates, the usual case).
    Not thread-safe: the caller holds a lock."""

    def __init__(self, bits: int = FILTER_BITS, limit: int = REPEAT_LIMIT) -> None:
        self.shift = np.uint64(64 - int(bits).bit_length() + 1)
        self.bits = np.zeros(bits // 8, dtype=np.uint8)
        self.limit = limit
        self.found: list[np.ndarray] | None = []
        self.count = 0

    def note(self, keys: np.ndarray) -> None:
        """Note the keys of one block (int64)."""
        if self.found is None or not len(keys):
            return
        unique, counts = np.unique(keys, return_counts=True)
        # Fibonacci hashing: the key times 2⁶⁴/φ, its top bits as the slot.
        slot = (unique.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> self.shift
        byte, bit = slot >> np.uint64(3), np.left_shift(np.uint8(1), (slot & np.uint64(7)).astype(np.uint8))
        repeated = unique[(counts > 1) | ((self.bits[byte] & bit) != 0)]
        while len(byte):  # keys sharing a byte: the last write wins, the others are written again
            self.bits[byte] |= bit
            lost = (self.bits[byte] & bit) == 0
            byte, bit = byte[lost], bit[lost]
        if len(repeated):
            self.found.append(repeated)
            self.count += len(repeated)
            if self.count > self.limit:
                self.found = None  # too many to be worth it: every line is looked at
                self.bits = np.zeros(0, dtype=np.uint8)

    def repeated(self) -> np.ndarray | None:
        """The keys that may have been met more than once (sorted, distinct), or None when there were more
        than `limit` of them."""
        if self.found is None:
            return None
        return np.unique(np.concatenate(self.found)) if self.found else np.zeros(0, dtype=np.int64)
