"""A Territoire d'industrie's départements side by side: the figures its deck and workbook compare, read from
each département's Fiche (customs data stops at the département: a territory has no figures of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from fichex.aggregation.model import Fiche, FlowShare, PartnerTrade
from fichex.defaults import DETAIL_MAX_ROWS


@dataclass(frozen=True)
class DepartementFigures:
    """One département of a Territoire d'industrie, as its comparison slide and sheet show it."""

    code: str
    nom: str
    region: str
    exports: FlowShare
    imports: FlowShare
    first_client: PartnerTrade | None    # the first partner country of its exports
    first_supplier: PartnerTrade | None  # the first partner country of its imports

    @property
    def balance_eur(self) -> float:
        return self.exports.total_eur - self.imports.total_eur


def _first_country(partners: tuple[PartnerTrade, ...]) -> PartnerTrade | None:
    return next((p for p in partners if p.country), None)


def departement_figures(fiche: Fiche) -> DepartementFigures:
    """The compared figures of one département's fiche."""
    return DepartementFigures(
        code=fiche.territory.code, nom=fiche.territory.nom, region=fiche.region.nom,
        exports=fiche.exports, imports=fiche.imports,
        first_client=_first_country(fiche.local.top_partners_export),
        first_supplier=_first_country(fiche.local.top_partners_import))


def check_same_year(fiches: list[Fiche] | tuple[Fiche, ...]) -> None:
    """A territory's fiches are one year's, one per département, at least one.

    Raises:
        ValueError: no fiche, fiches of several years, or a département twice.
    """
    if not fiches:
        raise ValueError("a Territoire d'industrie needs the fiche of at least one département")
    if len({(f.year, f.quarters) for f in fiches}) != 1:
        raise ValueError("the fiches of a Territoire d'industrie must cover the same period")
    codes = [f.territory.code for f in fiches]
    if len(set(codes)) != len(codes):
        raise ValueError(f"a département appears twice among the fiches: {codes}")


def territoire_detail(fiches: Sequence[Fiche], max_rows: int = DETAIL_MAX_ROWS) -> pd.DataFrame:
    """The départements' detail rows together (each fiche's `detail`, in the fiches' order), for one Excel
    sheet: when they would not fit in `max_rows`, the fiches' year and the most recent others that fit
    with it, as a département's own table is cut (aggregate.detail_table)."""
    from fichex.aggregation.aggregate import years_that_fit

    rows = pd.concat([f.detail for f in fiches], ignore_index=True)
    if "annee" not in rows.columns:
        return rows
    kept = years_that_fit(rows, fiches[0].year, max_rows)
    if len(kept) < rows["annee"].nunique():
        rows = rows[rows["annee"].isin(kept)].reset_index(drop=True)
    return rows


def summed_totals(fiches: Sequence[Fiche]) -> tuple[float, float]:
    """The départements' exports and imports added up, in euros: what their detail rows of the fiches' year
    sum to (the whole départements' trade, not the territory's, which customs data cannot give)."""
    return sum(f.exports.total_eur for f in fiches), sum(f.imports.total_eur for f in fiches)


def detail_years(rows: pd.DataFrame, fiches: Sequence[Fiche]) -> tuple[int, ...]:
    """The years the départements' detail rows hold, in order (the first fiche's when the rows carry no year)."""
    if "annee" not in rows.columns:
        return fiches[0].detail_years
    return tuple(sorted(int(y) for y in rows["annee"].unique()))
