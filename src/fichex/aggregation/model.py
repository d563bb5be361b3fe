"""The typed aggregate every renderer reads: a Fiche for one département and one year.

A leaf: it imports nothing of fichex but the leaf `fichex.provenance` (`DataSource`, re-exported here), so
renderers depend on it and on nothing of the data layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fichex.provenance import DataSource

if TYPE_CHECKING:
    import pandas as pd

OTHERS_CODE = "AUTRES"
EXPORT = "E"   # exports (FAB), the canonical table's « flux » code
IMPORT = "I"   # imports (CAF)
FLOWS = (EXPORT, IMPORT)


def _by_flow(flow: str, exports, imports):
    """`exports` for « E », `imports` for « I » (the one place a flow code chooses between two things)."""
    if flow == EXPORT:
        return exports
    if flow == IMPORT:
        return imports
    raise ValueError(f"flow must be {EXPORT!r} or {IMPORT!r}, not {flow!r}")


class _TwoFlows:
    """What a record of exports and imports (`exports_eur`, `imports_eur`) says of itself."""

    exports_eur: float
    imports_eur: float

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur

    def value(self, flow: str) -> float:
        """Exports (« E ») or imports (« I »), in euros."""
        return _by_flow(flow, self.exports_eur, self.imports_eur)


@dataclass(frozen=True)
class Territory:
    """A département, a région or France."""

    level: str  # "departement" | "region" | "france"
    code: str
    nom: str
    # INSEE's « type de nom en clair » (0 or 1: no article, 2 « le », 3 « la », 4 « les », 5 « l' »), for
    # sentences naming the territory (wording.commentary); None when unknown.
    tncc: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class TerritoryExports:
    """One territory's exports for the France map: every territory of the data, the fiche's included."""

    code: str
    nom: str
    exports_eur: float
    population: int  # COG 2024 (0 where unknown: Monaco)

    @property
    def per_inhabitant_eur(self) -> float | None:
        return self.exports_eur / self.population if self.population else None


@dataclass(frozen=True)
class ExportPosition:
    """Where the fiche's territory stands among all: exports, rank, exports per inhabitant and its rank."""

    exports_eur: float
    rank: int
    n_territories: int
    per_inhabitant_eur: float | None
    per_inhabitant_rank: int | None
    n_with_population: int


@dataclass(frozen=True)
class FlowShare:
    """A flow total of the département and its place in the région and in France."""

    total_eur: float
    region_total_eur: float
    france_total_eur: float
    rank: int  # 1 = largest département of France for this flow and year
    n_departements: int
    # Whether the data holds every département of the région / of France (an import of one région's
    # files does not): shares of an incomplete total are flagged wherever they are shown.
    region_complete: bool = True
    france_complete: bool = True
    departements_in_data: int = 0
    departements_total: int = 0
    rank_level: str = "departement"  # what `rank` counts: « departement », or « region » in a région's fiche

    @property
    def share_of_region_pct(self) -> float:
        return 100.0 * self.total_eur / self.region_total_eur if self.region_total_eur else 0.0

    @property
    def share_of_france_pct(self) -> float:
        return 100.0 * self.total_eur / self.france_total_eur if self.france_total_eur else 0.0


@dataclass(frozen=True)
class PartnerTrade(_TwoFlows):
    """Trade of a territory with one partner country."""

    code: str
    nom: str
    zone: str
    exports_eur: float
    imports_eur: float
    country: bool = True  # False for codes that name no country (« Avitaillement et soutage », « QU »…)


@dataclass(frozen=True)
class ActivityTrade(_TwoFlows):
    """Trade of a territory in one A129 product position, with its A38 group."""

    code: str
    libelle: str
    libelle_court: str
    code_a38: str
    libelle_a38: str
    exports_eur: float
    imports_eur: float


@dataclass(frozen=True)
class ActivityTile:
    """One compartment of the activities treemap: an activity, or « Autres » gathering the rest."""

    label: str
    value_eur: float
    is_others: bool = False


@dataclass(frozen=True)
class FlowNode:
    """A row or column of a flow matrix: a product or a country, or « Autres »."""

    code: str
    label: str

    @property
    def is_others(self) -> bool:
        return self.code == OTHERS_CODE


@dataclass(frozen=True)
class FlowMatrix:
    """Top sources × top targets with « Autres » row and column; totals are those of the whole flow.

    For exports the sources are products and the targets countries; for imports the reverse.
    `values[i][j]` is the flow from sources[i] to targets[j] in euros.
    """

    flow: str  # "E" | "I"
    sources: tuple[FlowNode, ...]
    targets: tuple[FlowNode, ...]
    values: tuple[tuple[float, ...], ...]
    highlighted: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    @property
    def source_totals(self) -> tuple[float, ...]:
        return tuple(sum(row) for row in self.values)

    @property
    def target_totals(self) -> tuple[float, ...]:
        return tuple(sum(row[j] for row in self.values) for j in range(len(self.targets)))

    @property
    def total(self) -> float:
        return sum(self.source_totals)

    def links(self) -> list[tuple[int, int, float]]:
        """Non-zero cells as (source index, target index, value), largest first."""
        cells = [(i, j, v) for i, row in enumerate(self.values) for j, v in enumerate(row) if v > 0]
        return sorted(cells, key=lambda c: (-c[2], c[0], c[1]))


@dataclass(frozen=True)
class ScopeSummary:
    """What a territory trades: totals, main partners, main activities and flows."""

    territory: Territory
    exports_eur: float
    imports_eur: float
    top_partners_export: tuple[PartnerTrade, ...]
    top_partners_import: tuple[PartnerTrade, ...]
    top_activities_export: tuple[ActivityTrade, ...]
    top_activities_import: tuple[ActivityTrade, ...]
    export_flows: FlowMatrix
    import_flows: FlowMatrix

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur

    def total(self, flow: str) -> float:
        """Exports or imports of the territory, in euros."""
        return _by_flow(flow, self.exports_eur, self.imports_eur)

    def top_partners(self, flow: str) -> tuple[PartnerTrade, ...]:
        """Main clients (« E ») or suppliers (« I »), largest first."""
        return _by_flow(flow, self.top_partners_export, self.top_partners_import)

    def top_activities(self, flow: str) -> tuple[ActivityTrade, ...]:
        """Main activities exported or imported, largest first."""
        return _by_flow(flow, self.top_activities_export, self.top_activities_import)

    def flows(self, flow: str) -> FlowMatrix:
        """Product → country (« E ») or country → product (« I ») flows."""
        return _by_flow(flow, self.export_flows, self.import_flows)


# Reading bands of the Herfindahl-Hirschman index (0 to 10 000), from the US Department of Justice and
# Federal Trade Commission's Horizontal Merger Guidelines (2010): used here only to describe a spread.
HHI_MODERATE = 1500.0
HHI_HIGH = 2500.0
HHI_BANDS = ("peu_concentre", "moderement_concentre", "tres_concentre")


def hhi_band(value: float) -> str:
    """The reading band of an HHI, one of HHI_BANDS (as the JSON writes it; wording.deck.HHI_BAND_LABEL names it):
    below HHI_MODERATE, up to HHI_HIGH, above."""
    if value < HHI_MODERATE:
        return HHI_BANDS[0]
    return HHI_BANDS[1] if value <= HHI_HIGH else HHI_BANDS[2]


@dataclass(frozen=True)
class FlowExposure:
    """How one flow of a territory is spread over partners and products (aggregation/exposure.py).

    Every share is a percentage of the flow's total (codes that name no country included in the total,
    never ranked as a partner); the HHI are sums of squared shares × 10 000 (0 to 10 000)."""

    total_eur: float
    us_pct: float
    china_pct: float
    eu27_pct: float
    first_partner_code: str  # "" when the flow has no country partner
    first_partner_name: str
    first_partner_pct: float
    top3_pct: float  # the three largest partner countries together
    hhi_partners: float  # over partner countries
    hhi_products: float  # over A129 positions


@dataclass(frozen=True)
class UsExposedProduct:
    """An A129 position exported to the United States: the value and the US share of its exports."""

    code: str
    libelle: str
    us_exports_eur: float
    exports_eur: float

    @property
    def us_share_pct(self) -> float:
        return 100.0 * self.us_exports_eur / self.exports_eur if self.exports_eur else 0.0


@dataclass(frozen=True)
class ImportDependence:
    """One of the main imported products, with its first supplier country and that country's share."""

    code: str
    libelle: str
    imports_eur: float
    supplier_code: str
    supplier_name: str
    supplier_eur: float

    @property
    def supplier_share_pct(self) -> float:
        return 100.0 * self.supplier_eur / self.imports_eur if self.imports_eur else 0.0

    @property
    def dependent(self) -> bool:
        """More than half of the product's imports come from one country."""
        return self.supplier_share_pct > 50.0


@dataclass(frozen=True)
class Exposure:
    """Exposure and dependences of a département: partner shares beside its région and France, the products
    most exported to the United States, import dependences, concentration and the national US rank."""

    local_exports: FlowExposure
    local_imports: FlowExposure
    region_exports: FlowExposure
    region_imports: FlowExposure
    france_exports: FlowExposure
    france_imports: FlowExposure
    us_products: tuple[UsExposedProduct, ...]
    import_dependences: tuple[ImportDependence, ...]
    us_rank: int  # 1 = the département whose exports go most to the United States (share of its exports)
    n_ranked: int  # départements with exports

    def flow(self, level: str, flow: str) -> FlowExposure:
        """The FlowExposure of « departement », « region » or « france » for exports or imports."""
        by_level = {"departement": (self.local_exports, self.local_imports),
                    "region": (self.region_exports, self.region_imports),
                    "france": (self.france_exports, self.france_imports)}
        return _by_flow(flow, *by_level[level])

    @property
    def n_dependent(self) -> int:
        return sum(1 for d in self.import_dependences if d.dependent)


@dataclass(frozen=True)
class BreakdownPart(_TwoFlows):
    """One part of a région (a département) or of France (a région) in the fiche's breakdown."""

    code: str
    nom: str
    exports_eur: float
    imports_eur: float


# Columns of the pivot-ready detail table (Fiche.detail), in order.
DETAIL_COLUMNS = ("annee", "flux", "libelle_flux", "code_departement", "departement", "code_region", "region",
                  "code_a129", "produit", "libelle_a129", "code_a38", "libelle_a38", "code_a10", "libelle_a10",
                  "code_pays", "pays", "zone", "ue27", "valeur_eur")
# France's detail table: its territories summed together, so without the territory columns.
FRANCE_DETAIL_COLUMNS = tuple(c for c in DETAIL_COLUMNS
                              if c not in ("code_departement", "departement", "code_region", "region"))


# Evolution over the years and quarters of the data (computed by aggregation/evolution.py).
EMEBI_BREAK_YEAR = 2022  # January 2022: the EMEBI survey replaced the DEB for intra-EU trade (series break)

@dataclass(frozen=True)
class YearFigures:
    """One year of the data (or the quarters of it the data holds)."""

    year: int
    quarters: tuple[int, ...]  # quarters present (0: annual values)
    exports_eur: float
    imports_eur: float
    # Growth in % against the year before (on the same quarters for a partial year); None without a base.
    exports_growth_pct: float | None = None
    imports_growth_pct: float | None = None

    @property
    def partial(self) -> bool:
        present = set(self.quarters)
        return bool(present) and 0 not in present and not {1, 2, 3, 4} <= present

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur


@dataclass(frozen=True)
class QuarterFigures:
    year: int
    quarter: int
    exports_eur: float
    imports_eur: float


@dataclass(frozen=True)
class PartnerEvolution:
    """A main partner of the fiche's year and its trade in every year of the detail table."""

    code: str
    nom: str
    by_year: tuple[tuple[int, float, float], ...]  # (year, exports, imports)


@dataclass(frozen=True)
class Evolution:
    years: tuple[YearFigures, ...]
    quarters: tuple[QuarterFigures, ...]  # empty when the data is annual
    partners: tuple[PartnerEvolution, ...]
    break_inside: bool  # the years span the January 2022 collection break

    def year(self, year: int) -> YearFigures | None:
        return next((y for y in self.years if y.year == year), None)


# Specialisation and competitiveness by product code (computed by aggregation/specialisation.py).
UNIT_VALUE_MIN_MASS_COVERAGE_PCT = 90.0  # a unit value (€/kg) is given only where masses cover this much value
OVER_REPRESENTED_SHOWN = 8               # the slide's and sheet's bars of the most over-represented products
OVER_REPRESENTED_MIN_SHARE_PCT = 1.0     # ... among the products weighing at least this much of the exports


@dataclass(frozen=True)
class ProductSpecialisation:
    """One product (CPF4 code in DGDDI files) a territory trades: its weight, its revealed comparative advantage
    (RCA: its share of the territory's exports over its share of France's, or of the région's; the same on
    imports reads as a dependence) and the territory's rank among départements (régions for a région)."""

    code: str
    libelle: str
    exports_eur: float
    imports_eur: float
    share_pct: float  # of the territory's exports
    rca_france: float | None  # None when the territory exports nothing, or France none of the product
    rca_region: float | None  # None outside a département's fiche or in a one-département région
    rca_imports_france: float | None  # the same on imports (a dependence reading)
    rank: int | None  # 1 = the first exporter of the product; None without exports of it
    n_territories: int  # territories exporting the product

    @property
    def coverage_pct(self) -> float | None:
        """Exports over imports of the product, in % (None without imports)."""
        return 100.0 * self.exports_eur / self.imports_eur if self.imports_eur > 0 else None


@dataclass(frozen=True)
class ShiftShare:
    """The change of a territory's exports between two comparable years (the same quarters), split into a
    national effect (France's growth applied to the territory), a product-mix effect (its products' national
    growth beside France's) and a local effect (its own products beside their national growth)."""

    start_year: int
    end_year: int
    quarters: tuple[int, ...]  # the quarters compared (empty: whole years)
    start_exports_eur: float
    end_exports_eur: float
    national_eur: float
    mix_eur: float
    local_eur: float
    break_inside: bool  # the EMEBI series break (January 2022) lies between the two years

    @property
    def change_eur(self) -> float:
        return self.end_exports_eur - self.start_exports_eur


@dataclass(frozen=True)
class UnitValue:
    """The value per kilogram of one of a territory's main exported products, beside France's, each given only
    where masses cover UNIT_VALUE_MIN_MASS_COVERAGE_PCT of the value."""

    code: str
    libelle: str
    exports_eur: float
    mass_coverage_pct: float
    unit_value_eur_kg: float | None
    france_mass_coverage_pct: float
    france_unit_value_eur_kg: float | None

    @property
    def reliable(self) -> bool:
        """Both unit values are given (masses cover enough of the value on both sides)."""
        return self.unit_value_eur_kg is not None and self.france_unit_value_eur_kg is not None


@dataclass(frozen=True)
class Specialisation:
    """What a territory is strong in, product by product, and why its exports changed (None in France's fiche,
    which has no national reference against itself)."""

    rank_level: str  # « departement » or « region »: what the ranks count
    products: tuple[ProductSpecialisation, ...]  # largest exports first, then largest imports, then code
    shift_share: ShiftShare | None  # None without a comparable year before in the data
    unit_values: tuple[UnitValue, ...]  # the main exported products, largest first

    @property
    def first_ranks(self) -> tuple[ProductSpecialisation, ...]:
        """The products of which the territory is the first exporter, largest exports first."""
        return tuple(p for p in self.products if p.rank == 1)

    def most_over_represented(self, n: int = OVER_REPRESENTED_SHOWN,
                              min_share_pct: float = OVER_REPRESENTED_MIN_SHARE_PCT) -> tuple[ProductSpecialisation, ...]:
        """The n products most over-represented against France (RCA above 1, highest first), among those weighing
        at least `min_share_pct` of the territory's exports (a product of negligible weight has an RCA that
        says nothing)."""
        chosen = [p for p in self.products
                  if p.rca_france is not None and p.rca_france > 1 and p.share_pct >= min_share_pct]
        return tuple(sorted(chosen, key=lambda p: (-p.rca_france, p.code))[:n])


# The caveats a fiche can carry (aggregation/caveats.py decides, the wording phrases).
CAVEAT_PORTS = "ports_hydrocarbures"
CAVEAT_DROM = "outre_mer"
CAVEAT_PARIS_ENERGY = "paris_energie"
CAVEAT_CORSICA = "corse_2a_2b"
CAVEAT_MONACO = "monaco"
CAVEAT_SINGLE_REGION = "region_monodepartementale"
CAVEAT_PARTIAL_YEAR = "annee_partielle"
CAVEAT_EMEBI = "rupture_emebi"
CAVEAT_PARTIAL_DATA = "donnees_partielles"
COMPARED_YEARS_MIN = 2  # from two years in one document (or one sum), the EMEBI break is said


@dataclass(frozen=True)
class Caveat:
    """A caveat that applies to a fiche: its kind (CAVEAT_*), the flows it concerns (empty: both), and for the
    ports the hydrocarbons' share of each flow concerned, in %."""

    kind: str
    flows: tuple[str, ...] = ()
    shares: tuple[tuple[str, float], ...] = ()

    def concerns(self, flows: tuple[str, ...]) -> bool:
        return not self.flows or bool(set(self.flows) & set(flows))


@dataclass(frozen=True)
class Fiche:
    """Everything a fiche shows for one territory and one year: a département, or a région or France
    (`level`), whose fiche adds the breakdown of its parts."""

    year: int
    territory: Territory  # the fiche's territory: a département, a région or France (its `level`)
    region: Territory
    france: Territory
    exports: FlowShare
    imports: FlowShare
    territoires_industrie: tuple[str, ...]
    partners: tuple[PartnerTrade, ...]  # every partner, by total trade, largest first
    main_partners: tuple[PartnerTrade, ...]  # union of the top exports and top imports partners
    activities: tuple[ActivityTrade, ...]  # every A129 position traded, by total trade
    export_tiles: tuple[ActivityTile, ...]  # the treemap's compartments, « Autres » last
    import_tiles: tuple[ActivityTile, ...]
    local: ScopeSummary
    region_summary: ScopeSummary
    france_summary: ScopeSummary
    data: DataSource
    # The territory's rows for every year with their labels (DETAIL_COLUMNS; France's, its territories summed
    # together: FRANCE_DETAIL_COLUMNS), sorted by year, flow, territory, product and partner: what the
    # workbook's Données sheet shows, ready for a PivotTable.
    detail: pd.DataFrame = field(compare=False, repr=False)
    years_available: tuple[int, ...] = ()
    single_departement_region: bool = False  # a DROM or Corse: the région's flows are the territory's
    # Quarters of the year present in the data (0: annual values); fewer than four quarters = a partial year.
    quarters: tuple[int, ...] = ()
    # The years the Données sheet holds: every year, or the most recent ones that fit in an Excel sheet.
    detail_years: tuple[int, ...] = ()
    # Quarters of every year of the data (years_available's), so that a partial year is named as such.
    quarters_by_year: tuple[tuple[int, tuple[int, ...]], ...] = ()
    # Exports of every territory of the data for the year (the « Position en France » map), sorted by code.
    exports_by_territory: tuple[TerritoryExports, ...] = ()
    # Exports and imports over every year and quarter of the data, growth rates, main partners' evolution.
    evolution: Evolution | None = field(default=None, compare=False, repr=False)
    # Exposure and dependences (shares of the US, China, EU27, concentration); None when not computed.
    exposure: Exposure | None = None
    # Specialisation by product (RCA, ranks, shift-share, unit values); None for France and when not computed.
    specialisation: Specialisation | None = None
    # A région's départements or France's régions with their exports and imports, largest exports first;
    # empty in a département's fiche.
    breakdown: tuple[BreakdownPart, ...] = ()
    # A région's fiche: every région with its exports and population, for its place among them.
    exports_by_region: tuple[TerritoryExports, ...] = ()
    # The caveats that apply, decided by aggregation/caveats.py (CAVEAT_* kinds), in the order they are said.
    caveats: tuple[Caveat, ...] = ()

    def caveat(self, kind: str) -> Caveat | None:
        """The fiche's caveat of that kind, if it applies."""
        return next((c for c in self.caveats if c.kind == kind), None)

    @property
    def level(self) -> str:
        """« departement », « region » or « france »."""
        return self.territory.level

    @property
    def compares_with_region(self) -> bool:
        """Whether the fiche sets its territory beside a région distinct from it (not in a région's or
        France's fiche, nor for a DROM or Corse, a région by itself)."""
        return self.level == "departement" and not self.single_departement_region

    @property
    def compares_with_france(self) -> bool:
        return self.level != "france"

    @property
    def partial(self) -> bool:
        """True when the year's figures cover only some of its quarters."""
        quarters = set(self.quarters)
        return bool(quarters) and 0 not in quarters and not {1, 2, 3, 4} <= quarters

    @property
    def balance_eur(self) -> float:
        return self.exports.total_eur - self.imports.total_eur

    @property
    def demonstration(self) -> bool:
        return self.data.demonstration

    @property
    def document_date(self) -> dt.datetime:
        """Date written into the documents (see DataSource.document_date)."""
        return self.data.document_date(self.year)

    @property
    def unallocated_partners(self) -> tuple[PartnerTrade, ...]:
        """Partner codes that name no country (« Avitaillement et soutage »…), left out of the partner
        charts and rankings but counted in every total."""
        return tuple(p for p in self.partners if not p.country)

    def export_position(self) -> ExportPosition | None:
        """The fiche's place among the territories of `exports_by_territory` (a région's: among the régions
        of `exports_by_region`; None when it is not there, and for France)."""
        if self.level == "france":
            return None
        among = self.exports_by_region if self.level == "region" else self.exports_by_territory
        mine = next((t for t in among if t.code == self.territory.code), None)
        if mine is None:
            return None
        per = [t.per_inhabitant_eur for t in among if t.per_inhabitant_eur is not None]
        own = mine.per_inhabitant_eur
        return ExportPosition(
            exports_eur=mine.exports_eur,
            rank=1 + sum(t.exports_eur > mine.exports_eur for t in among),
            n_territories=len(among),
            per_inhabitant_eur=own,
            per_inhabitant_rank=None if own is None else 1 + sum(v > own for v in per),
            n_with_population=len(per),
        )

    def share(self, flow: str) -> FlowShare:
        """The département's exports or imports and their place in the région and in France."""
        return _by_flow(flow, self.exports, self.imports)

    def tiles(self, flow: str) -> tuple[ActivityTile, ...]:
        """Treemap compartments of exports or imports, « Autres » last."""
        return _by_flow(flow, self.export_tiles, self.import_tiles)
