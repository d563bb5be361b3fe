"""Sums of `valeur_eur` by code columns, grouped on the codes of categories, and what is remembered per frame.

A fiche groups its territory's few hundred rows of the year aggregate a dozen ways. Grouping pandas categories
builds an index of categories for each sum, which costs more than the sum; grouping their integer codes sums
the same rows in the same order (pandas' own sum: the same floats), and the codes are named afterwards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def grouped(frame: pd.DataFrame, keys: list[str]) -> tuple[list[np.ndarray], list[list[str]], np.ndarray]:
    """`frame.groupby(keys, observed=True, sort=False)["valeur_eur"].sum()` as arrays, in the same order (each
    group where it first appears; rows with a missing code are left out, as there): for each key, each group's
    position in that key's names and the names (codes as str), then the sums (float64)."""
    columns = [frame[key] for key in keys]
    if not all(isinstance(column.dtype, pd.CategoricalDtype) for column in columns):
        sums = frame.groupby(keys, observed=True, sort=False)["valeur_eur"].sum()
        levels = [sums.index.get_level_values(i) for i in range(len(keys))] if len(keys) > 1 else [sums.index]
        factorized = [pd.factorize(np.asarray(level.astype(str), dtype=object)) for level in levels]
        return ([np.asarray(codes, dtype=np.int64) for codes, _ in factorized],
                [list(uniques) for _, uniques in factorized], sums.to_numpy(dtype="float64"))
    codes = [column.cat.codes.to_numpy() for column in columns]
    kept = np.logical_and.reduce([c >= 0 for c in codes])
    names = [_names(column.cat.categories) for column in columns]
    values = frame["valeur_eur"].to_numpy()[kept]
    codes = [c[kept] for c in codes]
    if _distinct(codes, [len(n) for n in names]):  # each group one row, in the rows' order
        return [np.asarray(c, dtype=np.int64) for c in codes], names, alone(values.astype("float64"))
    sums = pd.Series(values).groupby(codes, sort=False).sum()
    positions = ([sums.index.get_level_values(i).to_numpy() for i in range(len(keys))] if len(keys) > 1
                 else [sums.index.to_numpy()])
    return [np.asarray(p, dtype=np.int64) for p in positions], names, sums.to_numpy(dtype="float64")


def alone(values: np.ndarray) -> np.ndarray:
    """Each value as pandas' groupby sums a group of that value alone: 0 + value (-0 as 0), 0 when missing."""
    return np.where(np.isnan(values), 0.0, values + 0.0)


def _distinct(codes: list[np.ndarray], sizes: list[int]) -> bool:
    """Whether no two rows have the same codes (each a position among `sizes[i]` names): a territory's rows of
    the year aggregate by flow, product and partner, whose groups are then single rows, found without grouping."""
    if len(codes[0]) < 2:
        return True
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for column, size in zip(codes, sizes):
        combined = combined * max(size, 1) + column
    return len(np.unique(combined)) == len(combined)


_NAMES: dict[int, tuple[pd.Index, list[str]]] = {}


def _names(categories: pd.Index) -> list[str]:
    """The categories as str, once per categories: every territory's rows of a year aggregate share them."""
    found = _NAMES.get(id(categories))
    if found is None or found[0] is not categories:
        if len(_NAMES) >= 16:
            _NAMES.pop(next(iter(_NAMES)))
        found = _NAMES[id(categories)] = (categories, np.asarray(categories.astype(str), dtype=object).tolist())
    return found[1]


def sums_by(frame: pd.DataFrame, keys: list[str]) -> list[tuple[tuple[str, ...], float]]:
    """`grouped` as (codes as str, sum) pairs, in the same order."""
    positions, names, values = grouped(frame, keys)
    found = [np.asarray(n, dtype=object)[p].tolist() for p, n in zip(positions, names)]
    return list(zip(zip(*found), values.tolist()))


def sums_by_flow(frame: pd.DataFrame, key: str) -> dict[str, dict[str, float]]:
    """`sums_by(frame, [key, "flux"])` as {flow: {code: sum}}, once per frame: a territory's partners and
    activities, and its exposure, read them. Each (code, flow) group sums the same rows in the same order as the
    group of that code among the flow's rows, so the sums are those of a grouping of each flow's rows."""
    found = _FLOW_SUMS.of(frame)
    if key not in found:
        by_flow: dict[str, dict[str, float]] = {}
        for (code, flow), value in sums_by(frame, [key, "flux"]):
            by_flow.setdefault(flow, {})[code] = value
        found[key] = by_flow
    return found[key]


class FrameMemo:
    """What has been computed from a frame, remembered while the frame is one of the last `size` seen. The frame
    is held, so that its id names it alone; the frames passed are never changed after (a copy changed in place
    would be a new frame to pass)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: dict[int, tuple[pd.DataFrame, dict]] = {}

    def of(self, frame: pd.DataFrame) -> dict:
        """The dict of what has been computed from `frame` (empty the first time)."""
        entry = self._entries.get(id(frame))
        if entry is None or entry[0] is not frame:
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            entry = self._entries[id(frame)] = (frame, {})
        return entry[1]


_FLOW_SUMS = FrameMemo(size=4)
