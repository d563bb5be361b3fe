"""The typed aggregate every renderer reads: a Fiche for one département and one year."""

from __future__ import annotations

from dataclasses import dataclass, field

from fichex.data.trade import DataInfo

OTHERS_CODE = "AUTRES"


@dataclass(frozen=True)
class Territory:
    """A département, a région or France."""

    level: str  # "departement" | "region" | "france"
    code: str
    nom: str


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

    @property
    def share_of_region_pct(self) -> float:
        return 100.0 * self.total_eur / self.region_total_eur if self.region_total_eur else 0.0

    @property
    def share_of_france_pct(self) -> float:
        return 100.0 * self.total_eur / self.france_total_eur if self.france_total_eur else 0.0


@dataclass(frozen=True)
class PartnerTrade:
    """Trade of a territory with one partner country."""

    code: str
    nom: str
    zone: str
    exports_eur: float
    imports_eur: float

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur


@dataclass(frozen=True)
class ActivityTrade:
    """Trade of a territory in one A129 product position, with its A38 group."""

    code: str
    libelle: str
    libelle_court: str
    code_a38: str
    libelle_a38: str
    exports_eur: float
    imports_eur: float

    @property
    def balance_eur(self) -> float:
        return self.exports_eur - self.imports_eur


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


@dataclass(frozen=True)
class Fiche:
    """Everything a fiche shows for one département and one year."""

    year: int
    departement: Territory
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
    data: DataInfo
    years_available: tuple[int, ...] = ()
    single_departement_region: bool = False  # a DROM: the région's flows are the département's

    @property
    def balance_eur(self) -> float:
        return self.exports.total_eur - self.imports.total_eur

    @property
    def demonstration(self) -> bool:
        return self.data.demonstration
