"""A territory's exports and imports over the years and quarters of the data, with growth rates, and the
evolution of its main partners: the figures of the « Évolution » page (issue 12).

A partial year (fewer than four quarters) is compared with the same quarters of the year before, never
with a whole year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fichex.aggregation import grouping
from fichex.aggregation.model import (EMEBI_BREAK_YEAR, EXPORT, IMPORT, Evolution, PartnerEvolution, PartnerTrade,
                                     QuarterFigures, YearFigures)

PARTNERS_FOLLOWED = 5




def _growth(now: float, before: float) -> float | None:
    return (now / before - 1.0) * 100.0 if before > 0 else None


def _quarter_cells(quarterly: pd.DataFrame) -> dict[tuple[int, int, str], float]:
    """The quarterly rows summed by year, quarter and flow, in that order: what
    `quarterly.groupby(["annee", "trimestre", "flux"])["valeur_eur"].sum()` gives. The store gives one row a
    year, quarter and flow: each sum is then that row's value as pandas sums one value, and the rows are only
    sorted; rows naming a cell twice are grouped by pandas."""
    keys = list(zip(quarterly["annee"].tolist(), quarterly["trimestre"].tolist(), quarterly["flux"].tolist()))
    if len(set(keys)) == len(keys) and all(pd.notna(y) and pd.notna(q) and isinstance(f, str) for y, q, f in keys):
        values = grouping.alone(quarterly["valeur_eur"].to_numpy(dtype="float64")).tolist()
        return {(int(y), int(q), f): v for (y, q, f), v in sorted(zip(keys, values), key=lambda cell: cell[0])}
    sums = quarterly.groupby(["annee", "trimestre", "flux"])["valeur_eur"].sum()
    return {(int(y), int(q), str(f)): float(v) for (y, q, f), v in sums.items()}


def _partner_sums(detail: pd.DataFrame, codes: list[str]) -> dict[tuple[str, int, str], float]:
    """The detail's values summed by partner, year and flow, for the partners `codes` only: the sums
    `detail.groupby(["code_pays", "annee", "flux"])["valeur_eur"].sum()` gives them (each of their groups the
    same rows in the same order), without a frame filtered or grouped on text."""
    if not len(detail) or not codes:
        return {}
    chosen = np.flatnonzero(detail["code_pays"].isin(codes).to_numpy(dtype=bool))
    if not len(chosen):
        return {}
    partner = detail["code_pays"].to_numpy(dtype=object)[chosen]
    table = pd.Series(detail["valeur_eur"].to_numpy()[chosen]).groupby(
        [partner, detail["annee"].to_numpy()[chosen], detail["flux"].to_numpy(dtype=object)[chosen]]).sum()
    return dict(zip(table.index.tolist(), table.tolist()))


def evolution_of(quarterly: pd.DataFrame, detail: pd.DataFrame, partners: tuple[PartnerTrade, ...],
                 n_partners: int = PARTNERS_FOLLOWED) -> Evolution:
    """The evolution of one territory.

    Args:
        quarterly: its rows summed by annee, trimestre, flux (store.quarterly); trimestre 0 = annual.
        detail: its detail table (annee, flux, code_pays, valeur_eur…: aggregate.detail_table).
        partners: its partners of the fiche's year, largest total trade first (countries only are followed).
    """
    cells = _quarter_cells(quarterly)
    years = sorted({y for y, _, _ in cells})
    quarters_of = {y: tuple(sorted({q for yy, q, _ in cells if yy == y})) for y in years}

    def total(year: int, flow: str, only: tuple[int, ...] | None = None) -> float:
        return sum(v for (y, q, f), v in cells.items() if y == year and f == flow and (only is None or q in only))

    figures = []
    for year in years:
        quarters = quarters_of[year]
        current = YearFigures(year, quarters, total(year, EXPORT), total(year, IMPORT))
        before = year - 1
        if before in quarters_of:
            # A partial year against the same quarters of the year before (if that year has them all).
            same = quarters if current.partial else None
            if same is None or set(same) <= set(quarters_of[before]):
                current = YearFigures(year, quarters, current.exports_eur, current.imports_eur,
                                      _growth(current.exports_eur, total(before, EXPORT, same)),
                                      _growth(current.imports_eur, total(before, IMPORT, same)))
        figures.append(current)
    by_quarter = tuple(QuarterFigures(y, q, cells.get((y, q, EXPORT), 0.0), cells.get((y, q, IMPORT), 0.0))
                       for y in years for q in quarters_of[y] if q != 0)

    followed = [p for p in partners if p.country][:n_partners]
    sums = _partner_sums(detail, [p.code for p in followed])  # looked up a few dozen times
    detail_years = sorted({int(y) for y in detail["annee"].unique()}) if len(detail) else []
    partner_rows = tuple(
        PartnerEvolution(p.code, p.nom, tuple((y, float(sums.get((p.code, y, EXPORT), 0.0)),
                                               float(sums.get((p.code, y, IMPORT), 0.0))) for y in detail_years))
        for p in followed)
    return Evolution(tuple(figures), by_quarter, partner_rows,
                     break_inside=bool(years) and years[0] < EMEBI_BREAK_YEAR <= years[-1])
