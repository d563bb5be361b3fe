"""Pure aggregation: the year aggregates of the trade table in (data.store), a typed Fiche out (no I/O)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

from fichex.wording import console as console_text, grammar as grammar_text
from fichex.data import reference
from fichex.errors import InputDataError
from fichex.aggregation.evolution import evolution_of
from fichex.aggregation import caveats, exposure as exposure_of, grouping, specialisation as specialisation_of
from fichex.aggregation.model import (
    DETAIL_COLUMNS,
    EXPORT,
    FRANCE_DETAIL_COLUMNS,
    Exposure,
    FlowExposure,
    IMPORT,
    OTHERS_CODE,
    ActivityTile,
    ActivityTrade,
    BreakdownPart,
    Fiche,
    FlowMatrix,
    FlowNode,
    FlowShare,
    PartnerTrade,
    Specialisation,
    ScopeSummary,
    Territory,
    TerritoryExports,
)
from fichex.data.trade import TradeData
from fichex.defaults import DEFAULT_HIGHLIGHTED, DEFAULT_TILES, DEFAULT_TOP, DETAIL_MAX_ROWS


def _sum_by(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    return frame.groupby(keys, observed=True, sort=False)["valeur_eur"].sum()


def _ranked(series: pd.Series) -> pd.Series:
    """Largest first, ties broken by code so that results never depend on row order."""
    series = series[series > 0]
    order = sorted(zip(series.tolist(), map(str, series.index.tolist())), key=lambda item: (-item[0], item[1]))
    return pd.Series([value for value, _ in order], index=[code for _, code in order], dtype="float64")


def _by_flow(frame: pd.DataFrame, key: str) -> list[tuple[str, float, float]]:
    """(code, exports, imports) for each value of `key`, largest total first, ties by code."""
    by_flow = grouping.sums_by_flow(frame, key)
    exports, imports = by_flow.get(EXPORT, {}), by_flow.get(IMPORT, {})
    codes = set(exports) | set(imports)
    rows = [(code, exports.get(code, 0.0), imports.get(code, 0.0)) for code in codes]
    rows = [row for row in rows if row[1] + row[2] > 0]
    return sorted(rows, key=lambda row: (-(row[1] + row[2]), row[0]))


def partner_trade(frame: pd.DataFrame) -> tuple[PartnerTrade, ...]:
    """Exports and imports by partner, largest total trade first.

    Args:
        frame: canonical rows of one territory and one year.
    """
    names, zones = _country_names(), _country_zones()
    return tuple(PartnerTrade(code, names[code], zones[code], exports, imports, reference.is_country(code))
                 for code, exports, imports in _by_flow(frame, "code_pays"))


def activity_trade(frame: pd.DataFrame) -> tuple[ActivityTrade, ...]:
    """Exports and imports by A129 position, largest total trade first."""
    labels = _activity_labels()
    return tuple(ActivityTrade(code, *labels[code], exports, imports)
                 for code, exports, imports in _by_flow(frame, "code_a129"))


def top_by_flow(items: tuple, flow: str, n: int = DEFAULT_TOP) -> tuple:
    """The n partners or activities with the largest exports (flow « E ») or imports (« I »)."""
    ranked = sorted((i for i in items if i.value(flow) > 0), key=lambda i: (-i.value(flow), i.code))
    return tuple(ranked[:n])


def activity_tiles(activities: tuple[ActivityTrade, ...], flow: str,
                   max_tiles: int = DEFAULT_TILES) -> tuple[ActivityTile, ...]:
    """Treemap compartments of one flow: the largest activities, the rest gathered in « Autres » (last),
    so that there are at most `max_tiles` and their values sum to the flow's total."""
    traded = top_by_flow(activities, flow, len(activities))
    if len(traded) <= max_tiles:
        return tuple(ActivityTile(a.libelle_court, a.value(flow)) for a in traded)
    shown = traded[:max_tiles - 1]
    rest = sum(a.value(flow) for a in traded[max_tiles - 1:])
    return (*(ActivityTile(a.libelle_court, a.value(flow)) for a in shown),
            ActivityTile(grammar_text.OTHERS_LABEL, rest, is_others=True))


def main_partners(partners: tuple[PartnerTrade, ...], n: int = DEFAULT_TOP) -> tuple[PartnerTrade, ...]:
    """Union of the n main export partner countries and the n main import ones, by total trade; codes that
    name no country (« Avitaillement et soutage »…) are not ranked among them."""
    countries = tuple(p for p in partners if p.country)
    chosen = {p.code for p in top_by_flow(countries, EXPORT, n)} | {p.code for p in top_by_flow(countries, IMPORT, n)}
    return tuple(p for p in countries if p.code in chosen)


def flow_matrix(frame: pd.DataFrame, flow: str, n_sources: int = DEFAULT_TOP, n_targets: int = DEFAULT_TOP,
                n_highlighted: int = DEFAULT_HIGHLIGHTED) -> FlowMatrix:
    """Top sources × top targets of one flow, the rest gathered in « Autres », totals preserved.

    For exports (« E ») sources are products and targets partner countries; for imports (« I »)
    sources are partner countries and targets products. The n_highlighted largest cells between
    named nodes (not « Autres ») are flagged.
    """
    product_key, partner_key = "code_a129", "code_pays"
    source_key, target_key = (product_key, partner_key) if flow == EXPORT else (partner_key, product_key)
    rows = frame[frame["flux"] == flow]
    # The cells (source × target sums), in the order pandas' groupby gives them: each node's total and the grid
    # are summed in that order.
    (sources, targets), (source_names, target_names), values = grouping.grouped(rows, [source_key, target_key])
    positive = values > 0
    sources, targets, values = sources[positive], targets[positive], values[positive]
    top_sources = _top_nodes(sources, source_names, values, source_key, n_sources)
    top_targets = _top_nodes(targets, target_names, values, target_key, n_targets)

    source_pos = {code: i for i, code in enumerate(top_sources)}
    target_pos = {code: j for j, code in enumerate(top_targets)}
    n_s, n_t = len(top_sources) + 1, len(top_targets) + 1
    grid = [[0.0] * n_t for _ in range(n_s)]
    row_of = np.array([source_pos.get(name, n_s - 1) for name in source_names] or [0], dtype=np.int64)
    column_of = np.array([target_pos.get(name, n_t - 1) for name in target_names] or [0], dtype=np.int64)
    for i, j, value in zip(row_of[sources].tolist(), column_of[targets].tolist(), values.tolist()):
        grid[i][j] += value

    has_other_source = any(grid[n_s - 1])
    has_other_target = any(row[n_t - 1] for row in grid)
    if not has_other_target:
        grid = [row[:-1] for row in grid]
    if not has_other_source:
        grid = grid[:-1]

    def nodes(codes: list[str], key: str, with_others: bool) -> tuple[FlowNode, ...]:
        result = [FlowNode(code, _label(key, code)) for code in codes]
        if with_others:
            result.append(FlowNode(OTHERS_CODE, grammar_text.OTHERS_LABEL))
        return tuple(result)

    named = [(grid[i][j], i, j) for i in range(len(top_sources)) for j in range(len(top_targets)) if grid[i][j] > 0]
    named.sort(key=lambda c: (-c[0], c[1], c[2]))
    return FlowMatrix(
        flow=flow,
        sources=nodes(top_sources, source_key, has_other_source),
        targets=nodes(top_targets, target_key, has_other_target),
        values=tuple(tuple(row) for row in grid),
        highlighted=frozenset((i, j) for _, i, j in named[:n_highlighted]),
    )


def _top_nodes(nodes: np.ndarray, names: list[str], values: np.ndarray, key: str, n: int) -> list[str]:
    """The n largest nodes of one side of the cells (each cell's node, as a position in `names`, and its value);
    partner codes that name no country go to « Autres »."""
    if not len(values):
        return []
    # Each node's cells summed in their order by pandas, as a groupby of the cells by node sums them.
    sums = pd.Series(values).groupby(nodes).sum()
    ranked = _ranked(pd.Series(sums.to_numpy(), index=[names[i] for i in sums.index.tolist()])).index
    if key == "code_pays":
        ranked = [code for code in ranked if reference.is_country(code)]
    return list(ranked[:n])


def _label(key: str, code: str) -> str:
    if key == "code_pays":
        return _country_names().get(code, code)
    return _activity_short_labels().get(code, code)


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    table = reference.countries()
    return dict(zip(table["code_pays"], table["pays"]))


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, str]:
    table = reference.countries()
    return dict(zip(table["code_pays"], table["zone"]))


@lru_cache(maxsize=1)
def _activity_labels() -> dict[str, tuple[str, str, str, str]]:
    table = reference.activities()
    return {row.code_a129: (row.libelle, row.libelle_court, row.code_a38, row.libelle_a38)
            for row in table.itertuples()}


@lru_cache(maxsize=1)
def _activity_short_labels() -> dict[str, str]:
    table = reference.activities()
    return dict(zip(table["code_a129"], table["libelle_court"]))


def scope_summary(frame: pd.DataFrame, territory: Territory, top: int = DEFAULT_TOP, *,
                  partners: tuple[PartnerTrade, ...] | None = None,
                  activities: tuple[ActivityTrade, ...] | None = None) -> ScopeSummary:
    """Totals, main partners, main activities and flows of one territory for one year.

    Args:
        frame: canonical rows of the territory and the year.
        territory: the territory they are of.
        top: how many partners and activities are ranked.
        partners, activities: `partner_trade(frame)` and `activity_trade(frame)` when already computed.
    """
    by_flow = {flow: value for (flow,), value in grouping.sums_by(frame, ["flux"])}
    countries = tuple(p for p in (partner_trade(frame) if partners is None else partners) if p.country)
    activities = activity_trade(frame) if activities is None else activities
    return ScopeSummary(
        territory=territory,
        exports_eur=float(by_flow.get(EXPORT, 0.0)),
        imports_eur=float(by_flow.get(IMPORT, 0.0)),
        top_partners_export=top_by_flow(countries, EXPORT, top),
        top_partners_import=top_by_flow(countries, IMPORT, top),
        top_activities_export=top_by_flow(activities, EXPORT, top),
        top_activities_import=top_by_flow(activities, IMPORT, top),
        export_flows=flow_matrix(frame, EXPORT, top, top),
        import_flows=flow_matrix(frame, IMPORT, top, top),
    )


class FicheBuilder:
    """Builds fiches from one trade table, computing région and France summaries once per year.

    Every figure comes from the store's year aggregate (flow × territory × A129 × partner): the target's
    own rows, the région's and France's, the totals behind shares and ranks.
    """

    def __init__(self, trade: TradeData, top: int = DEFAULT_TOP) -> None:
        self.trade = trade
        self.top = top
        self._years: dict[int, pd.DataFrame] = {}
        self._france_years: dict[int, pd.DataFrame] = {}
        self._scopes: dict[tuple, ScopeSummary] = {}
        self._present: dict[int, set[str]] = {}
        self._flow_totals: dict[tuple, pd.Series] = {}
        self._share_parts_of: dict[tuple[int, str], tuple[np.ndarray, float, int]] = {}
        self._region_totals: dict[tuple[int, str, str], float] = {}
        self._flow_exposures: dict[tuple, FlowExposure] = {}
        self._us_shares: dict[int, pd.Series] = {}
        self._product_sums: dict[tuple, pd.DataFrame] = {}
        self._product_ranks: dict[tuple, pd.DataFrame] = {}
        self._trades: dict[tuple, tuple[tuple[PartnerTrade, ...], tuple[ActivityTrade, ...]]] = {}
        self._territory_exports: dict[int, tuple[TerritoryExports, ...]] = {}

    def _year(self, year: int) -> pd.DataFrame:
        if year not in self._years:
            rows = self.trade.store.year_aggregate(year) if year in self.trade.quarters else None
            if rows is None or rows.empty:
                raise InputDataError(console_text.no_data_for_year(year, self.trade.years))
            # The aggregate of a large table has millions of rows: its codes as categories (a byte or two a
            # row, grouped without hashing a string a row), the régions through the territories' distinct codes;
            # the store's columns shared, not copied (copy-on-write: neither side changes them in place).
            rows = pd.DataFrame({column: rows[column] if column == "valeur_eur" else rows[column].astype("category")
                                 for column in rows.columns}, copy=False)
            rows["code_region"] = _regions_of(rows["code_departement"])
            self._years[year] = rows
        return self._years[year]

    def _france_rows(self, year: int) -> pd.DataFrame:
        """The year's rows summed over the territories (flow × A129 × partner, sorted): everything France's own
        figures read (its summary, exposure and partners), tens of thousands of rows where the aggregate of a
        large table has millions, summed once rather than grouped again by each of them. The same sums: the
        values are euros, whose sums are exact in any order (cents: within a rounding of the last digit)."""
        if year not in self._france_years:
            grouped = self._year(year).groupby(["flux", "code_a129", "code_pays"], observed=True, sort=True)
            self._france_years[year] = grouped["valeur_eur"].sum().reset_index()
        return self._france_years[year]

    def _rows_of(self, year: int, key: str, code: str) -> pd.DataFrame:
        """Rows of one département or région (`key` a column of categories), in their order: found on the
        codes of the categories, with no index of every row kept (a few bytes a row of the year aggregate)."""
        rows = self._year(year)
        column = rows[key]
        where = column.cat.categories.get_indexer([code])[0]
        return rows.iloc[np.flatnonzero(column.cat.codes.to_numpy() == where)] if where >= 0 else rows.iloc[0:0]

    def _flow_by_departement(self, year: int, flow: str) -> pd.Series:
        key = (year, flow)
        if key not in self._flow_totals:
            rows = self._year(year)
            by_dep = _sum_by(rows[rows["flux"] == flow], ["code_departement"])
            by_dep.index = by_dep.index.astype(str)
            self._flow_totals[key] = by_dep
        return self._flow_totals[key]

    def _level_rows(self, year: int, level: str, code: str) -> pd.DataFrame:
        """The year's rows of a territory of any level (France's summed over the territories)."""
        if level == "region":
            return self._rows_of(year, "code_region", code)
        if level == "departement":
            return self._rows_of(year, "code_departement", code)
        return self._france_rows(year)

    def _trade(self, year: int, level: str, code: str,
               rows: pd.DataFrame) -> tuple[tuple[PartnerTrade, ...], tuple[ActivityTrade, ...]]:
        """A territory's partners and activities (`rows` its `_level_rows`): a région's and France's kept for the
        run (their fiches and every fiche's summaries show them), a département's passed by its fiche to its
        summary (`_scope`'s `trade`) rather than kept."""
        key = (year, level, code)
        found = self._trades.get(key)
        if found is None:
            found = (partner_trade(rows), activity_trade(rows))
            if level != "departement":
                self._trades[key] = found
        return found

    def _scope(self, year: int, level: str, code: str, name: str,
               trade: tuple[tuple[PartnerTrade, ...], tuple[ActivityTrade, ...]] | None = None) -> ScopeSummary:
        key = (year, level, code)
        if key not in self._scopes:
            rows = self._level_rows(year, level, code)
            partners, activities = trade if trade is not None else self._trade(year, level, code, rows)
            self._scopes[key] = scope_summary(rows, Territory(level, code, name), self.top, partners=partners,
                                              activities=activities)
        return self._scopes[key]

    def _share(self, year: int, flow: str, code: str, code_region: str) -> FlowShare:
        by_dep = self._flow_by_departement(year, flow)
        total = float(by_dep.get(code, 0.0))
        region_codes = reference.departements_of_region(code_region)
        present = self._departements_present(year)
        expected = reference.territory_set(self.trade.departements)
        values, france_total, n_departements = self._share_parts(year, flow)
        return FlowShare(
            total_eur=total,
            region_total_eur=self._region_total(year, flow, code_region),
            france_total_eur=france_total,
            rank=int(np.count_nonzero(values > total)) + 1,
            n_departements=n_departements,
            region_complete=(set(region_codes) & expected) <= present,
            france_complete=expected <= present,
            departements_in_data=len(present & expected),
            departements_total=len(expected),
        )

    def _share_parts(self, year: int, flow: str) -> tuple[np.ndarray, float, int]:
        """Each territory's flow (`_flow_by_departement`'s values), their sum and how many are positive: once a
        year and flow, every département's share of the year reads them."""
        key = (year, flow)
        if key not in self._share_parts_of:
            by_dep = self._flow_by_departement(year, flow)
            self._share_parts_of[key] = (by_dep.to_numpy(), float(by_dep.sum()), int((by_dep > 0).sum()))
        return self._share_parts_of[key]

    def _region_total(self, year: int, flow: str, code_region: str) -> float:
        """A région's flow, its territories' summed, once a year, flow and région."""
        key = (year, flow, code_region)
        if key not in self._region_totals:
            by_dep = self._flow_by_departement(year, flow)
            region_codes = reference.departements_of_region(code_region)
            self._region_totals[key] = float(by_dep.reindex(region_codes, fill_value=0.0).sum())
        return self._region_totals[key]

    def _exports_by_territory(self, year: int) -> tuple[TerritoryExports, ...]:
        """Every territory a complete table holds, with its exports for the year (0 when absent); once a year,
        every fiche of the year shows the same."""
        if year not in self._territory_exports:
            by_dep = self._flow_by_departement(year, EXPORT)
            table = reference.departements().set_index("code_departement")
            codes = sorted(reference.territory_set(self.trade.departements) | set(by_dep.index))
            self._territory_exports[year] = tuple(
                TerritoryExports(code, str(table.at[code, "departement"]) if code in table.index else code,
                                 float(by_dep.get(code, 0.0)),
                                 int(table.at[code, "population"]) if code in table.index else 0)
                for code in codes)
        return self._territory_exports[year]


    def _flow_exposure(self, year: int, level: str, code: str, flow: str) -> FlowExposure:
        """Partner shares and concentration of a région's or France's flow, computed once per year."""
        key = (year, level, code, flow)
        if key not in self._flow_exposures:
            rows = self._rows_of(year, "code_region", code) if level == "region" else self._france_rows(year)
            self._flow_exposures[key] = exposure_of.flow_exposure(rows, flow)
        return self._flow_exposures[key]

    def _us_share_by_departement(self, year: int) -> pd.Series:
        if year not in self._us_shares:
            self._us_shares[year] = exposure_of.us_share_by_departement(self._year(year))
        return self._us_shares[year]

    def _exposure(self, year: int, local_rows: pd.DataFrame, code: str, code_region: str,
                  level: str = "departement") -> Exposure:
        """A territory's exposure beside its région and France. A région's or France's fiche (`level`) is its
        own « région »; a région's US rank is among the régions (France: 1 of 1)."""
        if level == "departement":
            rank, n_ranked = exposure_of.us_rank(self._us_share_by_departement(year), code)
            region_level, region_code = "region", code_region
        else:
            rank, n_ranked = self._own_us_rank(year, code)
            region_level, region_code = (level, code) if level == "region" else ("france", "FR")
        return Exposure(
            local_exports=exposure_of.flow_exposure(local_rows, EXPORT),
            local_imports=exposure_of.flow_exposure(local_rows, IMPORT),
            region_exports=self._flow_exposure(year, region_level, region_code, EXPORT),
            region_imports=self._flow_exposure(year, region_level, region_code, IMPORT),
            france_exports=self._flow_exposure(year, "france", "FR", EXPORT),
            france_imports=self._flow_exposure(year, "france", "FR", IMPORT),
            us_products=exposure_of.us_exposed_products(local_rows),
            import_dependences=exposure_of.import_dependences(local_rows),
            us_rank=rank,
            n_ranked=n_ranked,
        )

    def _own_us_rank(self, year: int, code: str) -> tuple[int, int]:
        """A région's rank among the régions on the share of its exports going to the United States."""
        if code == "FR":
            return 1, 1
        return exposure_of.us_rank(exposure_of.us_share_by_departement(self._year(year), "code_region"), code)

    def _products(self, year: int, quarters: tuple[int, ...] = ()) -> pd.DataFrame:
        """The store's product sums of a year (or of some of its quarters), with each territory's région."""
        key = (year, quarters)
        if key not in self._product_sums:
            rows = self.trade.store.product_sums(year, quarters).copy()
            rows["code_region"] = rows["code_departement"].map(_region_of())
            self._product_sums[key] = rows
        return self._product_sums[key]

    def _specialisation(self, year: int, level: str, code: str, code_region: str | None) -> Specialisation:
        """A département's or a région's specialisation (ranks among départements or régions; RCA against
        the région for a département whose région is not itself, `code_region` None otherwise)."""
        key = "code_region" if level == "region" else "code_departement"
        rows = self._products(year)
        if (year, key) not in self._product_ranks:
            self._product_ranks[(year, key)] = specialisation_of.export_ranks(rows, key)
        comparable = specialisation_of.comparable_year(self.trade.quarters, year)
        pair = {}
        if comparable is not None:
            start_year, quarters = comparable
            # The year's own quarters are the whole of it in the data: its sums are already there.
            whole = set(quarters) == set(self.trade.quarters.get(year, ()))
            pair = {"start_rows": self._products(start_year, quarters),
                    "end_rows": rows if whole else self._products(year, quarters),
                    "start_year": start_year, "quarters": quarters}
        return specialisation_of.specialisation_of(rows, key, code, ranks=self._product_ranks[(year, key)],
                                                   region_code=code_region, year=year, **pair)

    def _departements_present(self, year: int) -> set[str]:
        if year not in self._present:
            column = self._year(year)["code_departement"]
            codes = np.unique(column.cat.codes.to_numpy())
            self._present[year] = {str(code) for code in column.cat.categories[codes[codes >= 0]]}
        return self._present[year]

    def build(self, code: str, year: int) -> Fiche:
        """The fiche of a département for a year.

        Raises:
            UnknownCodeError: the département code does not exist.
            InputDataError: the data has no row for that year.
        """
        dep = reference.departement_in_data(code, self.trade.departements)[0]
        local_rows = self._rows_of(year, "code_departement", dep.code)
        if local_rows.empty:
            raise InputDataError(
                f"aucune donnée pour le département {dep.code} ({dep.nom}) en {year} ; vérifiez le fichier "
                f"importé (fichex data info)"
            )
        region = Territory("region", dep.code_region, dep.region)
        single_region = len(set(reference.departements_of_region(dep.code_region))
                            & reference.territory_set(self.trade.departements)) == 1
        return self._fiche(
            year, Territory("departement", dep.code, dep.nom, dep.tncc), region, local_rows, (dep.code,),
            exports=self._share(year, EXPORT, dep.code, dep.code_region),
            imports=self._share(year, IMPORT, dep.code, dep.code_region),
            territoires_industrie=tuple(reference.territoires_of(dep.code)),
            region_summary=self._scope(year, "region", dep.code_region, dep.region),
            single_departement_region=single_region,
            exposure=self._exposure(year, local_rows, dep.code, dep.code_region),
            specialisation=self._specialisation(year, "departement", dep.code,
                                                None if single_region else dep.code_region),
        )

    def build_region(self, code: str, year: int) -> Fiche:
        """The fiche of a région (INSEE or DGDDI code) for a year: its figures beside France's, and its
        départements in the breakdown.

        Raises:
            UnknownCodeError: the région code does not exist.
            InputDataError: the data has no row of the région for that year.
        """
        code_region = reference.region_code(code)
        name = reference.region_name(code_region)
        codes = self._parts_of_region(code_region)
        local_rows = self._rows_of(year, "code_region", code_region)
        if local_rows.empty:
            raise InputDataError(f"aucune donnée pour la région {code_region} ({name}) en {year} ; vérifiez le "
                                 "fichier importé (fichex data info)")
        region = Territory("region", code_region, name)
        return self._fiche(
            year, region, region, local_rows, codes,
            exports=self._region_share(year, EXPORT, code_region),
            imports=self._region_share(year, IMPORT, code_region),
            territoires_industrie=tuple(sorted({ti for dep in codes for ti in reference.territoires_of(dep)})),
            region_summary=self._scope(year, "region", code_region, name),
            single_departement_region=True,
            exposure=self._exposure(year, local_rows, code_region, code_region, level="region"),
            specialisation=self._specialisation(year, "region", code_region, None),
            breakdown=self._breakdown(year, "code_departement", codes),
            exports_by_region=self._exports_by_region(year),
        )

    def build_france(self, year: int) -> Fiche:
        """The fiche of France entière for a year, its régions in the breakdown.

        Raises:
            InputDataError: the data has no row for that year.
        """
        self._year(year)  # no row that year: one line
        rows = self._france_rows(year)
        france = Territory("france", "FR", grammar_text.FRANCE)
        codes = tuple(sorted(self._departements_present(year)))
        present = set(codes)
        regions = tuple(dict.fromkeys(_region_of()[c] for c in reference.departements()["code_departement"]
                                      if c in present))
        exports, imports = (self._france_share(year, flow) for flow in (EXPORT, IMPORT))
        return self._fiche(
            year, france, france, rows, codes,
            exports=exports, imports=imports,
            territoires_industrie=tuple(sorted(set(reference.territoires_industrie()["territoire_industrie"]))),
            region_summary=self._scope(year, "france", "FR", grammar_text.FRANCE),
            single_departement_region=True,
            exposure=self._exposure(year, rows, "FR", "", level="france"),
            breakdown=self._breakdown(year, "code_region", regions),
        )

    def build_level(self, level: str, code: str, year: int) -> Fiche:
        """The fiche of a territory of any level: « departement », « region » or « france » (code ignored)."""
        if level == "region":
            return self.build_region(code, year)
        if level == "france":
            return self.build_france(year)
        return self.build(code, year)

    def _parts_of_region(self, code_region: str) -> tuple[str, ...]:
        """The territories of the data that make up a région (« 20 » or 2A and 2B, « 99 » Monaco…)."""
        present = reference.territory_set(self.trade.departements)
        return tuple(c for c in reference.departements_of_region(code_region) if c in present)

    def _fiche(self, year: int, territory: Territory, region: Territory, local_rows: pd.DataFrame,
               codes: tuple[str, ...], **levelled) -> Fiche:
        """The parts every level's fiche computes alike from its rows and its territory codes."""
        partners, activities = self._trade(year, territory.level, territory.code, local_rows)
        if territory.level == "france":
            detail = detail_table(self.trade, codes, year, level="france", territory=territory)
            quarterly = self.trade.store.quarterly(codes)
        else:  # a département's codes are its own: (dep.code,)
            rows, quarterly = self.trade.store.detail_and_quarterly(codes)
            detail = detail_from_rows(rows, year, level=territory.level)
        fiche = Fiche(
            year=year,
            territory=territory,
            region=region,
            france=Territory("france", "FR", grammar_text.FRANCE),
            partners=partners,
            main_partners=main_partners(partners, self.top),
            activities=activities,
            export_tiles=activity_tiles(activities, EXPORT),
            import_tiles=activity_tiles(activities, IMPORT),
            local=self._scope(year, territory.level, territory.code, territory.nom, trade=(partners, activities)),
            france_summary=self._scope(year, "france", "FR", grammar_text.FRANCE),
            data=self.trade.info,
            detail=detail,
            evolution=evolution_of(quarterly, detail, partners),
            detail_years=tuple(sorted(int(y) for y in detail["annee"].unique())),
            quarters=self.trade.quarters.get(year, ()),
            quarters_by_year=tuple(sorted(self.trade.quarters.items())),
            years_available=tuple(self.trade.years),
            exports_by_territory=self._exports_by_territory(year),
            **levelled,
        )
        return replace(fiche, caveats=caveats.decide(fiche))

    def _flow_by(self, year: int, flow: str, key: str) -> pd.Series:
        if key == "code_departement":
            return self._flow_by_departement(year, flow)
        rows = self._year(year)
        by_key = _sum_by(rows[rows["flux"] == flow], [key])
        by_key.index = by_key.index.astype(str)
        return by_key

    def _breakdown(self, year: int, key: str, codes: tuple[str, ...]) -> tuple[BreakdownPart, ...]:
        """Exports and imports of each part (a région's territories or France's régions), largest exports
        first, ties by code; every part of the data listed, even without trade that year."""
        exports, imports = self._flow_by(year, EXPORT, key), self._flow_by(year, IMPORT, key)
        names = (dict(zip(reference.departements()["code_departement"], reference.departements()["departement"]))
                 if key == "code_departement" else dict(zip(reference.regions()["code_region"],
                                                            reference.regions()["region"])))
        parts = [BreakdownPart(c, names.get(c, c), float(exports.get(c, 0.0)), float(imports.get(c, 0.0)))
                 for c in codes]
        return tuple(sorted(parts, key=lambda p: (-p.exports_eur, p.code)))

    def _exports_by_region(self, year: int) -> tuple[TerritoryExports, ...]:
        """Every région of the data with its exports for the year and its population (its territories')."""
        territories = self._exports_by_territory(year)
        region_of = _region_of()
        names = dict(zip(reference.regions()["code_region"], reference.regions()["region"]))
        sums: dict[str, list] = {}
        for t in territories:
            entry = sums.setdefault(region_of.get(t.code, ""), [0.0, 0])
            entry[0] += t.exports_eur
            entry[1] += t.population
        return tuple(TerritoryExports(code, names.get(code, code), exports, population)
                     for code, (exports, population) in sorted(sums.items()) if code)

    def _region_share(self, year: int, flow: str, code_region: str) -> FlowShare:
        """A région's flow, its share of France and its rank among the régions of the data."""
        by_region = self._flow_by(year, flow, "code_region")
        total = float(by_region.get(code_region, 0.0))
        present = self._departements_present(year)
        expected = reference.territory_set(self.trade.departements)
        return FlowShare(
            total_eur=total, region_total_eur=total, france_total_eur=float(by_region.sum()),
            rank=int((by_region > total).sum()) + 1, n_departements=int((by_region > 0).sum()),
            region_complete=set(self._parts_of_region(code_region)) <= present,
            france_complete=expected <= present,
            departements_in_data=len(present & expected), departements_total=len(expected),
            rank_level="region",
        )

    def _france_share(self, year: int, flow: str) -> FlowShare:
        total = float(self._flow_by_departement(year, flow).sum())
        present = self._departements_present(year)
        expected = reference.territory_set(self.trade.departements)
        return FlowShare(total_eur=total, region_total_eur=total, france_total_eur=total, rank=1, n_departements=1,
                         france_complete=expected <= present, departements_in_data=len(present & expected),
                         departements_total=len(expected), rank_level="france")


def _regions_of(codes: pd.Series) -> pd.Categorical:
    """The région of each territory code (missing for a code of no région), as categories sorted by code: what
    `codes.map(region).astype("category")` gives, from the distinct codes rather than from each row."""
    territories = pd.Categorical(codes)
    mapped = [_region_of().get(str(code)) for code in territories.categories]
    regions = sorted({region for region in mapped if isinstance(region, str)})
    position = {region: i for i, region in enumerate(regions)}
    lookup = np.array([position.get(region, -1) for region in mapped] + [-1], dtype=np.int64)
    return pd.Categorical.from_codes(lookup[territories.codes], categories=regions)


@lru_cache(maxsize=1)
def _region_of() -> dict[str, str]:
    table = reference.departements()
    return dict(zip(table["code_departement"], table["code_region"]))


def years_that_fit(rows: pd.DataFrame, year: int | None, max_rows: int) -> list[int]:
    """Every year when the rows fit in `max_rows`; else the fiche's year and the most recent others that fit
    with it (a whole year or none)."""
    years, sizes = np.unique(rows["annee"].to_numpy(), return_counts=True)
    counts = dict(zip((int(y) for y in years[::-1]), (int(n) for n in sizes[::-1])))  # the most recent first
    if sum(counts.values()) <= max_rows:
        return list(counts)
    chosen, used = [], 0
    order = ([year] if year in counts else []) + [y for y in counts if y != year]
    for candidate in order:
        if chosen and used + counts[candidate] > max_rows:
            break
        chosen.append(candidate)
        used += counts[candidate]
    return chosen


@lru_cache(maxsize=1)
def _detail_labels() -> dict[str, dict]:
    """What the detail table looks its codes up in, from the reference tables, built once: each column of the
    table (« departement », « produit »…) as a dict from the code it is looked up on."""
    deps = reference.departements().set_index("code_departement")
    acts = reference.activities().set_index("code_a129")
    countries = reference.countries().set_index("code_pays")
    series = {
        "departement": deps["departement"], "code_region": deps["code_region"],
        "region": reference.regions().set_index("code_region")["region"],
        "produit": acts["libelle_court"],
        # DGDDI's product label where its annex has one (« Produits de la culture et de l'élevage »).
        "libelle_a129": acts["libelle_dgddi"].where(acts["libelle_dgddi"] != "", acts["libelle"]),
        **{column: acts[column] for column in ("code_a38", "libelle_a38", "code_a10", "libelle_a10")},
        "pays": countries["pays"], "zone": countries["zone"], "ue27": countries["ue27"],
    }
    return {column: dict(zip(values.index, values.tolist())) for column, values in series.items()}


# pandas' text columns (« str »): Arrow strings, missing values NaN.
_TEXT = pd.api.types.pandas_dtype("str")


class _SortedCodes:
    """A column of codes as text, each row's position among its distinct codes sorted (what a sort of the
    column orders by): the labels of a few thousand rows looked up once per distinct code, not per row, and
    taken in Arrow (a pandas array of text built from a list costs more than the lookups)."""

    def __init__(self, series: pd.Series) -> None:
        if not isinstance(series.dtype, pd.StringDtype):
            series = series.astype(str)
        positions, uniques = pd.factorize(series, sort=True, use_na_sentinel=False)
        self.positions = np.asarray(positions, dtype=np.intp)
        self.codes = list(uniques)

    def column(self, order: pa.Array, lookup=None) -> pd.api.extensions.ExtensionArray:
        """The codes (`lookup` given: their labels, missing where it has none) of the rows, `order` being the
        rows' positions (`taken`)."""
        values = self.codes if lookup is None else [lookup.get(code) for code in self.codes]
        return _texts(values, order)

    def taken(self, order: np.ndarray) -> pa.Array:
        """Each row's position among the sorted codes, the rows taken in `order`."""
        return pa.array(self.positions[order])


def _texts(values: list, positions: pa.Array) -> pd.api.extensions.ExtensionArray:
    """values[positions] as a pandas text array (None and NaN missing)."""
    return _TEXT.__from_arrow__(pa.array(values, pa.large_string(), from_pandas=True).take(positions))


@lru_cache(maxsize=1)
def _eu27_labels() -> dict[str, str]:
    """Each partner code's « UE27 » or « Hors UE27 »."""
    return {code: grammar_text.EU27_LABEL.get(member) for code, member in _detail_labels()["ue27"].items()}


def _none_if_missing(value):
    return None if isinstance(value, float) and value != value else value


def detail_table(trade: TradeData, code: str | tuple[str, ...], year: int | None = None,
                 max_rows: int = DETAIL_MAX_ROWS, *, level: str = "departement",
                 territory: Territory | None = None) -> pd.DataFrame:
    """The pivot-ready detail table of one territory: every year, flow, A129 product and partner with labels
    (quarters and CPF4 codes summed). When every year would not fit in `max_rows` (an Excel sheet), the
    fiche's year and the most recent years that fit with it (wording.workbook.detail_years_note says which).

    A région's table (`code` its territories' codes, `level` « region ») has a row per département too.
    France's (« france ») sums its territories together in the store (`combined_detail`): a row per year,
    flow, product and partner, without the territory columns, so that its size follows what the fiche shows
    (the régions are its Répartition sheet), not the table's.

    Columns: model.DETAIL_COLUMNS (France: FRANCE_DETAIL_COLUMNS). Sorted by year, flow, territory (none for
    France), product, partner.
    """
    if level == "departement":
        dep = reference.departement(code)
        rows = trade.store.detail(dep.code)
    elif level == "france":
        rows = trade.store.combined_detail(list(code))
    else:
        rows = trade.store.detail(list(code))
    return detail_from_rows(rows, year, max_rows, level=level)


def detail_from_rows(rows: pd.DataFrame, year: int | None = None, max_rows: int = DETAIL_MAX_ROWS, *,
                     level: str = "departement") -> pd.DataFrame:
    """`detail_table` from the store's rows of the territory (`detail`, France's `combined_detail`).

    The rows are sorted on their codes' positions among the sorted distinct codes (the order a sort of the
    columns gives, ties kept in their order) before any label is looked up, and each label is looked up once
    per distinct code: a fiche's few thousand rows cost a few dozen small arrays, not a frame sorted whole."""
    labels = _detail_labels()
    kept = years_that_fit(rows, year, max_rows)
    years = rows["annee"].to_numpy()
    if len(kept) < len(np.unique(years)):
        rows = rows[np.isin(years, kept)]
    place = [] if level == "france" else ["code_departement"]
    codes = {key: _SortedCodes(rows[key]) for key in ("flux", *place, "code_a129", "code_pays")}
    years = rows["annee"].astype("int64").to_numpy()
    order = np.lexsort([codes[key].positions for key in reversed(codes)] + [years])
    flows, a129, partner = (codes[key] for key in ("flux", "code_a129", "code_pays"))
    flow_order, a129_order, partner_order = (item.taken(order) for item in (flows, a129, partner))
    places = {}
    if place:
        deps = codes["code_departement"]
        dep_order = deps.taken(order)
        regions = [_none_if_missing(labels["code_region"].get(code)) for code in deps.codes]
        places = {"code_departement": deps.column(dep_order),
                  "departement": deps.column(dep_order, labels["departement"]),
                  "code_region": _texts(regions, dep_order),
                  "region": _texts([labels["region"].get(code) for code in regions], dep_order)}
    columns = {
        "annee": years[order],
        "flux": flows.column(flow_order),
        "libelle_flux": flows.column(flow_order, grammar_text.FLOW_LABEL),
        **places,
        "code_a129": a129.column(a129_order),
        **{column: a129.column(a129_order, labels[column]) for column in ("produit", "libelle_a129", "code_a38",
                                                                          "libelle_a38", "code_a10", "libelle_a10")},
        "code_pays": partner.column(partner_order), "pays": partner.column(partner_order, labels["pays"]),
        "zone": partner.column(partner_order, labels["zone"]),
        "ue27": partner.column(partner_order, _eu27_labels()),
        "valeur_eur": rows["valeur_eur"].to_numpy(dtype="float64")[order],
    }
    return pd.DataFrame({column: columns[column]
                         for column in (FRANCE_DETAIL_COLUMNS if level == "france" else DETAIL_COLUMNS)})
