"""Aggregation invariants (hypothesis) and the published figures of the model fiches."""

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fichex.aggregation import aggregate
from fichex.data import reference, trade
from fichex.aggregation.model import OTHERS_CODE

PRODUCTS = ["A01Z", "C10E", "C11Z", "C20B", "C21Z", "C24A", "C27B", "C29A", "C29B", "C30C", "C32A", "B06Z", "C15Z"]
PARTNERS = ["DE", "IT", "ES", "BE", "US", "GB", "CN", "NL", "CH", "PL", "JP", "KR", "QU", "MA"]

cells = st.dictionaries(
    keys=st.tuples(st.sampled_from(["E", "I"]), st.sampled_from(["23", "87"]), st.sampled_from(PRODUCTS),
                   st.sampled_from(PARTNERS)),
    values=st.integers(min_value=1, max_value=10**9),
    min_size=1, max_size=120,
)


def make_trade(mapping, seed=None) -> trade.TradeData:
    frame = pd.DataFrame([{"annee": 2024, "flux": f, "code_departement": d, "code_produit": p, "code_pays": c,
                           "valeur_eur": float(v)} for (f, d, p, c), v in mapping.items()])
    if seed is not None:
        frame = frame.sample(frac=1.0, random_state=seed)
    return trade.TradeData(trade.validate(frame), trade.DataSource(False, "test", ""))


def flow_total(mapping, flow, dep=None):
    return sum(v for (f, d, _, _), v in mapping.items() if f == flow and (dep is None or d == dep))


@settings(max_examples=60, deadline=None)
@given(cells)
def test_flow_matrix_preserves_every_total(mapping):
    td = make_trade(mapping)
    frame = td.table[td.table["code_departement"] == "23"]
    for flow in ("E", "I"):
        matrix = aggregate.flow_matrix(frame, flow, 10, 10)
        total = flow_total(mapping, flow, "23")
        assert matrix.total == pytest.approx(total)
        source_key, target_key = (2, 3) if flow == "E" else (3, 2)
        by_source, by_target = {}, {}
        for key, value in mapping.items():
            if key[0] == flow and key[1] == "23":
                by_source[key[source_key]] = by_source.get(key[source_key], 0) + value
                by_target[key[target_key]] = by_target.get(key[target_key], 0) + value
        shown_sources = [n.code for n in matrix.sources if not n.is_others]
        shown_targets = [n.code for n in matrix.targets if not n.is_others]
        # named rows and columns equal their true totals; « Autres » = total − shown
        for i, code in enumerate(shown_sources):
            assert matrix.source_totals[i] == pytest.approx(by_source[code])
        for j, code in enumerate(shown_targets):
            assert matrix.target_totals[j] == pytest.approx(by_target[code])
        if matrix.sources and matrix.sources[-1].is_others:
            assert matrix.source_totals[-1] == pytest.approx(total - sum(by_source[c] for c in shown_sources))
        else:
            assert set(shown_sources) == set(by_source)
        if matrix.targets and matrix.targets[-1].is_others:
            assert matrix.target_totals[-1] == pytest.approx(total - sum(by_target[c] for c in shown_targets))
        # no entity counted twice, at most 10 named, the largest ones
        assert len(shown_sources) == len(set(shown_sources)) <= 10
        assert OTHERS_CODE not in shown_sources
        # partner codes that name no country (« QU », « QQ »…) are never named nodes, only in « Autres »
        partners = shown_targets if flow == "E" else shown_sources
        assert all(reference.is_country(code) for code in partners)
        if shown_sources:
            smallest_shown = min(by_source[c] for c in shown_sources)
            rankable = {c: v for c, v in by_source.items() if flow == "E" or reference.is_country(c)}
            assert all(v <= smallest_shown for c, v in rankable.items() if c not in shown_sources)
        # highlighted flows: at most 5, never « Autres », the largest named cells
        assert len(matrix.highlighted) <= 5
        for i, j in matrix.highlighted:
            assert not matrix.sources[i].is_others and not matrix.targets[j].is_others
        named = [matrix.values[i][j] for i, s in enumerate(matrix.sources) for j, t in enumerate(matrix.targets)
                 if not s.is_others and not t.is_others and matrix.values[i][j] > 0]
        assert len(matrix.highlighted) == min(5, len(named))
        if matrix.highlighted:
            smallest_highlighted = min(matrix.values[i][j] for i, j in matrix.highlighted)
            assert sorted(named, reverse=True)[len(matrix.highlighted) - 1] == smallest_highlighted


@settings(max_examples=30, deadline=None)
@given(cells, st.integers(min_value=0, max_value=2**31))
def test_result_does_not_depend_on_row_order(mapping, seed):
    assume(any(key[1] == "87" for key in mapping))
    first = aggregate.FicheBuilder(make_trade(mapping)).build("87", 2024)
    second = aggregate.FicheBuilder(make_trade(mapping, seed)).build("87", 2024)
    assert first.local == second.local
    assert first.partners == second.partners and first.activities == second.activities
    assert first.exports == second.exports and first.imports == second.imports


@settings(max_examples=40, deadline=None)
@given(cells)
def test_partners_and_activities_partition_the_totals(mapping):
    assume(any(key[1] == "23" for key in mapping))
    fiche = aggregate.FicheBuilder(make_trade(mapping)).build("23", 2024)
    for flow, attribute in (("E", "exports_eur"), ("I", "imports_eur")):
        total = flow_total(mapping, flow, "23")
        assert sum(getattr(p, attribute) for p in fiche.partners) == pytest.approx(total)
        assert sum(getattr(a, attribute) for a in fiche.activities) == pytest.approx(total)
    codes = [p.code for p in fiche.partners]
    assert len(codes) == len(set(codes))
    assert fiche.exports.total_eur == pytest.approx(flow_total(mapping, "E", "23"))
    assert fiche.exports.france_total_eur == pytest.approx(flow_total(mapping, "E"))


def test_published_figures_of_creuse(fiche_23):
    assert round(fiche_23.exports.total_eur / 1e6, 1) == 675.8
    assert round(fiche_23.imports.total_eur / 1e6, 1) == 207.0
    assert round(fiche_23.exports.share_of_region_pct, 1) == 2.5
    assert round(fiche_23.exports.share_of_france_pct, 2) == 0.12
    assert round(fiche_23.imports.share_of_region_pct, 1) == 0.7
    assert round(fiche_23.imports.share_of_france_pct, 2) == 0.03
    assert fiche_23.territoires_industrie == ("Creuse Industrie",)
    assert round(fiche_23.region_summary.exports_eur / 1e6, 1) == 26635.6
    assert round(fiche_23.france_summary.imports_eur / 1e6, 1) == 684776.3


def test_published_figures_of_haute_vienne(fiche_87):
    assert round(fiche_87.exports.total_eur / 1e6, 1) == 1109.1
    assert round(fiche_87.imports.total_eur / 1e6, 1) == 755.9
    assert (round(fiche_87.exports.share_of_region_pct, 1), round(fiche_87.exports.share_of_france_pct, 2)) == (4.2, 0.19)
    assert (round(fiche_87.imports.share_of_region_pct, 1), round(fiche_87.imports.share_of_france_pct, 2)) == (2.7, 0.11)
    assert fiche_87.territoires_industrie == ("Limoges et Haute-Vienne",)


def test_rank_and_main_partners(fiche_23, builder):
    ranks = sorted(builder.build(c, 2024).exports.rank for c in ("23", "87", "33"))
    assert len(set(ranks)) == 3
    codes = {p.code for p in fiche_23.main_partners}
    assert {p.code for p in fiche_23.local.top_partners_export} <= codes
    assert {p.code for p in fiche_23.local.top_partners_import} <= codes


def test_unknown_year_is_a_clear_error(builder):
    from fichex.errors import InputDataError

    with pytest.raises(InputDataError, match="aucune donnée pour l'année 2019 ; années disponibles : 2022, 2023, 2024, 2025"):
        builder.build("23", 2019)


def test_detail_table_has_every_year_and_labels(demo_trade, fiche_23):
    table = aggregate.detail_table(demo_trade, "23")
    assert table.equals(fiche_23.detail)
    assert sorted(table["annee"].unique()) == [2022, 2023, 2024, 2025]
    assert table["pays"].notna().all() and table["produit"].notna().all() and table["libelle_a38"].notna().all()
    assert table.loc[table["annee"] == 2024].groupby("flux")["valeur_eur"].sum()["E"] == pytest.approx(675.8e6)


def test_detail_table_labels_are_each_rows_lookup(demo_trade):
    """Each distinct code is looked up once: the labels are still each row's (a région's table: its départements
    too)."""
    table = aggregate.detail_table(demo_trade, ("23", "87"), level="region")
    countries = reference.countries().set_index("code_pays")
    departements = reference.departements().set_index("code_departement")
    assert table["pays"].equals(table["code_pays"].map(countries["pays"]))
    assert table["departement"].equals(table["code_departement"].map(departements["departement"]))
    activities = reference.activities().set_index("code_a129")
    assert table["produit"].equals(table["code_a129"].map(activities["libelle_court"]))


def test_activity_tiles_keep_the_total_and_put_others_last(fiche_87):
    for flow, tiles, total in (("E", fiche_87.export_tiles, fiche_87.exports.total_eur),
                               ("I", fiche_87.import_tiles, fiche_87.imports.total_eur)):
        assert len(tiles) <= aggregate.DEFAULT_TILES
        assert sum(t.value_eur for t in tiles) == pytest.approx(total)
        assert [t.is_others for t in tiles].count(True) <= 1
        if tiles[-1].is_others:
            assert tiles[-1].label == "Autres"
        named = [t.value_eur for t in tiles if not t.is_others]
        assert named == sorted(named, reverse=True)


def test_detail_table_keeps_the_fiche_year_and_the_recent_years_that_fit(demo_trade):
    whole = aggregate.detail_table(demo_trade, "23", 2023)
    counts = whole.groupby("annee").size()
    assert sorted(counts.index) == [2022, 2023, 2024, 2025]
    room = int(counts[2023] + counts[2025] + counts[2024] - 1)  # one row short of three years
    kept = aggregate.detail_table(demo_trade, "23", 2023, max_rows=room)
    assert sorted(kept["annee"].unique()) == [2023, 2025] and len(kept) <= room
    assert aggregate.detail_table(demo_trade, "23", 2023, max_rows=10)["annee"].unique().tolist() == [2023]


def test_the_methode_says_which_years_the_donnees_sheet_holds(fiche_23):
    import dataclasses

    from fichex.wording import workbook as workbook_text

    assert workbook_text.detail_years_note(fiche_23) == []
    cut = dataclasses.replace(fiche_23, detail_years=(2024, 2025))
    (note,) = workbook_text.detail_years_note(cut)
    assert note.startswith("La feuille Données contient les années 2024, 2025 (") and "avec 2022, 2023," in note


def test_frances_detail_follows_the_year_aggregates(demo_trade, fiche_france):
    """France's Données: a row per year, flow, product and partner, each year's rows its year aggregate summed
    over the territories (positive sums only): as large as the aggregate, not as the table."""
    from fichex.aggregation.model import FRANCE_DETAIL_COLUMNS

    detail = fiche_france.detail
    key = ["flux", "code_a129", "code_pays"]
    assert list(detail.columns) == list(FRANCE_DETAIL_COLUMNS)
    assert not detail.duplicated(["annee", *key]).any()
    assert fiche_france.detail_years == (2022, 2023, 2024, 2025)
    for year in fiche_france.detail_years:
        summed = demo_trade.store.year_aggregate(year).astype({c: str for c in key}).groupby(key)["valeur_eur"].sum()
        rows = detail[detail["annee"] == year].set_index(key)["valeur_eur"]
        pd.testing.assert_series_equal(rows.sort_index(), summed[summed > 0].sort_index(), check_names=False)
    year_rows = detail[detail["annee"] == 2024]
    assert year_rows.groupby("flux")["valeur_eur"].sum().tolist() == pytest.approx(
        [fiche_france.exports.total_eur, fiche_france.imports.total_eur])


def test_frances_figures_are_those_of_every_row_of_the_year(demo_trade, builder, fiche_23):
    """France's summary and exposure, computed from the year's rows summed over the territories, are those the
    aggregate's every row gives (euros: sums exact in any order)."""
    from fichex.aggregation import exposure
    from fichex.aggregation.model import Territory
    from fichex.wording import grammar

    rows = demo_trade.store.year_aggregate(2024)
    france = Territory("france", "FR", grammar.FRANCE)
    assert fiche_23.france_summary == aggregate.scope_summary(rows, france, builder.top)
    assert fiche_23.exposure.france_exports == exposure.flow_exposure(rows, "E")
    assert fiche_23.exposure.france_imports == exposure.flow_exposure(rows, "I")


def _flow_matrix_on_categories(frame: pd.DataFrame, flow: str, n: int) -> tuple:
    """The flow matrix's grid as it was computed before aggregation/grouping.py (pandas grouping the categories,
    then each node's cells, then the grid in the cells' order): the reference of the same floats."""
    source_key, target_key = ("code_a129", "code_pays") if flow == "E" else ("code_pays", "code_a129")
    rows = frame[frame["flux"] == flow]
    cells = rows.groupby([source_key, target_key], observed=True, sort=False)["valeur_eur"].sum()
    cells = cells[cells > 0]
    cells.index = cells.index.set_levels([level.astype(str) for level in cells.index.levels])

    def top(level: int, key: str) -> list[str]:
        sums = cells.groupby(level=level, observed=True).sum()
        ranked = [code for _, code in sorted(zip(sums.tolist(), map(str, sums.index)), key=lambda i: (-i[0], i[1]))]
        return [c for c in ranked if key != "code_pays" or reference.is_country(c)][:n]

    sources, targets = top(0, source_key), top(1, target_key)
    where_source, where_target = {c: i for i, c in enumerate(sources)}, {c: j for j, c in enumerate(targets)}
    grid = [[0.0] * (len(targets) + 1) for _ in range(len(sources) + 1)]
    for (source, target), value in cells.items():
        grid[where_source.get(source, len(sources))][where_target.get(target, len(targets))] += float(value)
    return sources, targets, grid


@pytest.mark.parametrize("seed", range(4))
def test_flow_matrix_sums_cents_as_pandas_grouping_the_categories_does(seed):
    """Values with cents, whose sums' last bits depend on the order they are added in: the grid and the nodes
    are the same floats as pandas grouping the categories gave (outputs byte-identical to before)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    size = 3000
    frame = pd.DataFrame({
        "flux": pd.Categorical(rng.choice(["E", "I"], size)),
        "code_a129": pd.Categorical(rng.choice([f"C{i:02d}Z" for i in range(30)], size)),
        "code_pays": pd.Categorical(rng.choice(["US", "DE", "CN", "BE", "QU", "IT", "ES", "JP", "GB"], size)),
        "valeur_eur": rng.random(size) * 10.0 ** rng.integers(0, 10, size) + rng.integers(0, 100, size) / 100,
    })
    for flow in ("E", "I"):
        matrix = aggregate.flow_matrix(frame, flow, 5, 5)
        sources, targets, grid = _flow_matrix_on_categories(frame, flow, 5)
        assert [node.code for node in matrix.sources][:len(sources)] == sources
        assert [node.code for node in matrix.targets][:len(targets)] == targets
        assert [list(row) for row in matrix.values] == [row[:len(matrix.values[0])] for row in grid][
            :len(matrix.values)]
