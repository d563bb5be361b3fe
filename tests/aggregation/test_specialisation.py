"""Specialisation (aggregation/specialisation.py): RCA against an independent computation, the export-weighted
mean RCA 1, ranks equal to DuckDB's, shift-share effects summing to the change, unit values flagged under 90 %
mass coverage, comparable years, and France without any."""

import math

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fichex
from fichex.aggregation import specialisation
from fichex.data import reference
from fichex.wording import console as console_text

REGION = {"23": "75", "87": "75", "19": "75", "13": "93", "06": "93"}


def sums(cells: dict) -> pd.DataFrame:
    """Product sums as the store gives them: (flux, département, produit) → value, or (value, mass, value
    with a mass)."""
    rows = []
    for (flow, dep, product), cell in cells.items():
        value, mass, with_mass = cell if isinstance(cell, tuple) else (cell, cell / 2, cell)
        rows.append({"flux": flow, "code_departement": dep, "code_produit": product, "valeur_eur": float(value),
                     "masse_kg": float(mass), "valeur_avec_masse_eur": float(with_mass),
                     "code_region": REGION[dep]})
    return pd.DataFrame(rows)


# Creuse strong in cereals (0111), Haute-Vienne in porcelain (2341), Bouches-du-Rhône in refined oil (1920).
HAND_MADE = {
    ("E", "23", "0111"): 60.0, ("E", "23", "2341"): 40.0,
    ("E", "87", "0111"): 10.0, ("E", "87", "2341"): 190.0,
    ("E", "13", "0111"): 30.0, ("E", "13", "1920"): 670.0,
    ("I", "23", "1920"): 50.0, ("I", "23", "0111"): 25.0, ("I", "13", "1920"): 925.0,
}


def test_rca_of_a_hand_made_table_equals_the_formula():
    rows = sums(HAND_MADE)
    result = specialisation.specialisation_of(rows, "code_departement", "23", region_code="75")
    by_code = {p.code: p for p in result.products}
    # France exports 1 000: cereals 100, porcelain 230, oil 670; Creuse 100: 60 and 40.
    assert by_code["0111"].rca_france == pytest.approx((60 / 100) / (100 / 1000))  # 6.0
    assert by_code["2341"].rca_france == pytest.approx((40 / 100) / (230 / 1000))
    # The région (23 + 87) exports 300: cereals 70, porcelain 230.
    assert by_code["0111"].rca_region == pytest.approx((60 / 100) / (70 / 300))
    assert by_code["2341"].rca_region == pytest.approx((40 / 100) / (230 / 300))
    # Imports: Creuse 75 (oil 50, cereals 25) against France 1 000 (oil 975, cereals 25).
    assert by_code["1920"].rca_imports_france == pytest.approx((50 / 75) / (975 / 1000))
    assert by_code["1920"].exports_eur == 0 and by_code["1920"].rank is None and by_code["1920"].rca_france == 0
    assert by_code["0111"].share_pct == pytest.approx(60.0)
    assert by_code["0111"].coverage_pct == pytest.approx(100 * 60 / 25)
    assert by_code["2341"].coverage_pct is None  # no imports of it
    # Ranks: Creuse first in cereals of 3 exporters, second in porcelain of 2.
    assert (by_code["0111"].rank, by_code["0111"].n_territories) == (1, 3)
    assert (by_code["2341"].rank, by_code["2341"].n_territories) == (2, 2)
    assert [p.code for p in result.first_ranks] == ["0111"]
    assert [p.code for p in result.products] == ["0111", "2341", "1920"]  # exports first, then imports
    assert by_code["0111"].libelle == specialisation.label("0111") != "0111"


def test_a_region_is_ranked_among_regions_and_has_no_region_rca():
    result = specialisation.specialisation_of(sums(HAND_MADE), "code_region", "75")
    by_code = {p.code: p for p in result.products}
    assert result.rank_level == "region"
    assert (by_code["0111"].rank, by_code["0111"].n_territories) == (1, 2)  # 70 against 30
    assert (by_code["2341"].rank, by_code["2341"].n_territories) == (1, 1)
    assert all(p.rca_region is None for p in result.products)


DEPS = ["23", "87", "19", "13", "06"]
PRODUCTS = ["0111", "0113", "2341", "1920", "3030"]
tables = st.dictionaries(
    keys=st.tuples(st.sampled_from(["E", "I"]), st.sampled_from(DEPS), st.sampled_from(PRODUCTS)),
    values=st.integers(min_value=1, max_value=10**10), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_the_export_weighted_mean_rca_over_departements_is_one(cells):
    rows = sums(cells)
    ranks = specialisation.export_ranks(rows, "code_departement")
    exports = rows[rows["flux"] == "E"]
    france = float(exports["valeur_eur"].sum())
    weighted: dict[str, float] = {}
    for dep in DEPS:
        total = float(exports.loc[exports["code_departement"] == dep, "valeur_eur"].sum())
        if not total:
            continue
        for p in specialisation.products(rows, "code_departement", dep, ranks):
            if p.exports_eur > 0:
                weighted[p.code] = weighted.get(p.code, 0.0) + total / france * p.rca_france
    assert set(weighted) == set(exports["code_produit"])
    for value in weighted.values():
        assert math.isclose(value, 1.0, rel_tol=0, abs_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_ranks_agree_with_duckdb(cells):
    rows = sums(cells)
    ranks = specialisation.export_ranks(rows, "code_departement")
    expected = duckdb.sql("""
        SELECT code_departement, code_produit, RANK() OVER (PARTITION BY code_produit ORDER BY v DESC) AS rang,
               COUNT(*) OVER (PARTITION BY code_produit) AS n
        FROM (SELECT code_departement, code_produit, SUM(valeur_eur) AS v FROM rows WHERE flux = 'E'
              GROUP BY ALL)""").fetchall()
    found = {(d, p): (int(r), int(n)) for (d, p), r, n in
             zip(ranks.index, ranks["rang"], ranks["nb_territoires"])}
    assert found == {(d, p): (r, n) for d, p, r, n in expected}
    for dep in DEPS:
        for p in specialisation.products(rows, "code_departement", dep, ranks):
            if p.exports_eur > 0:
                assert (p.rank, p.n_territories) == found[(dep, p.code)]


@settings(max_examples=80, deadline=None)
@given(tables, tables)
def test_the_three_effects_sum_to_the_change_to_the_euro(start, end):
    start_rows, end_rows = sums(start), sums(end)
    for dep in DEPS:
        shift = specialisation.shift_share(start_rows, end_rows, "code_departement", dep, 2023, 2024)
        own = {year: float(frame.loc[(frame["flux"] == "E") & (frame["code_departement"] == dep),
                                     "valeur_eur"].sum()) for year, frame in ((0, start_rows), (1, end_rows))}
        assert (shift.start_exports_eur, shift.end_exports_eur) == (own[0], own[1])
        assert abs(shift.national_eur + shift.mix_eur + shift.local_eur - (own[1] - own[0])) < 0.5
        assert not shift.break_inside


def test_shift_share_of_a_hand_made_pair():
    # France grows 10 % (1 000 → 1 100): cereals +50 % (100 → 150), the rest +5 % (900 → 945 + 5 = 950).
    start = sums({("E", "23", "0111"): 60, ("E", "23", "2341"): 40, ("E", "13", "0111"): 40,
                  ("E", "13", "1920"): 860})
    end = sums({("E", "23", "0111"): 100, ("E", "23", "2341"): 30, ("E", "13", "0111"): 50,
                ("E", "13", "1920"): 920})
    shift = specialisation.shift_share(start, end, "code_departement", "23", 2021, 2022)
    france_growth, cereals, porcelain = 0.1, 0.5, (30 - 40) / 40
    assert shift.national_eur == pytest.approx(100 * france_growth)
    assert shift.mix_eur == pytest.approx(60 * (cereals - france_growth) + 40 * (porcelain - france_growth))
    assert shift.local_eur == pytest.approx((100 - 60 - 60 * cereals) + (30 - 40 - 40 * porcelain))
    assert shift.change_eur == 30
    assert shift.break_inside  # 2021 → 2022 spans the EMEBI break


def test_unit_values_are_given_only_where_masses_cover_ninety_percent():
    rows = sums({("E", "23", "0111"): (1000.0, 500.0, 950.0),   # 95 %: 950 / 500 = 1.9 €/kg
                 ("E", "23", "2341"): (800.0, 100.0, 700.0),    # 87.5 %: flagged
                 ("E", "87", "0111"): (1000.0, 0.0, 0.0),       # France's cereals: 950 of 2 000 = 47.5 %
                 ("E", "87", "2341"): (200.0, 20.0, 200.0)})    # France's porcelain: 900 of 1 000 = 90 %
    values = {u.code: u for u in specialisation.unit_values(rows, "code_departement", "23")}
    assert [u.code for u in specialisation.unit_values(rows, "code_departement", "23")] == ["0111", "2341"]
    assert values["0111"].unit_value_eur_kg == pytest.approx(1.9) and values["0111"].mass_coverage_pct == 95
    assert values["0111"].france_unit_value_eur_kg is None and values["0111"].france_mass_coverage_pct == 47.5
    assert values["2341"].unit_value_eur_kg is None and values["2341"].mass_coverage_pct == 87.5
    assert values["2341"].france_unit_value_eur_kg == pytest.approx(900 / 120)
    assert not values["0111"].reliable and not values["2341"].reliable


@pytest.mark.parametrize("quarters, year, expected", [
    ({2023: (1, 2, 3, 4), 2024: (1, 2, 3, 4)}, 2024, (2023, ())),
    ({2024: (1, 2, 3, 4), 2025: (1,)}, 2025, (2024, (1,))),          # a partial year: the same quarters
    ({2024: (2, 3, 4), 2025: (1, 2)}, 2025, None),                  # the year before lacks a quarter
    ({2024: (1, 2), 2025: (1, 2, 3, 4)}, 2025, None),               # a whole year against a partial one
    ({2023: (0,), 2024: (1, 2, 3, 4)}, 2024, (2023, ())),           # annual values against quarters
    ({2024: (1, 2, 3, 4)}, 2024, None),                             # no year before
])
def test_comparable_years(quarters, year, expected):
    assert specialisation.comparable_year(quarters, year) == expected


def test_france_has_no_specialisation_and_the_json_says_why(fiche_france):
    assert fiche_france.specialisation is None
    figures = fichex.figures_json(fiche_france)
    assert figures["specialisation"] is None
    assert figures["specialisation_motif"] == console_text.SPECIALISATION_FRANCE_REASON


def test_the_fiche_of_23_carries_its_specialisation_in_the_json(fiche_23):
    figures = fichex.figures_json(fiche_23)  # validated against the schema by the suite's conftest
    part = figures["specialisation"]
    assert "specialisation_motif" not in figures
    assert part["rang_parmi"] == "departement"
    assert sum(p["exportations_eur"] for p in part["produits"]) == pytest.approx(fiche_23.exports.total_eur)
    assert sum(p["part_pct"] for p in part["produits"]) == pytest.approx(100.0)
    assert {p["code_cpf4"] for p in part["premiers_rangs"]} == {p["code_cpf4"] for p in part["produits"]
                                                                 if p["rang"] == 1}
    assert all(p["rca_region"] is not None for p in part["produits"] if p["exportations_eur"] > 0)
    shift = part["decomposition"]
    assert (shift["annee_depart"], shift["annee_arrivee"], shift["trimestres"]) == (2023, 2024, [])
    assert abs(shift["effet_national_eur"] + shift["effet_structure_eur"] + shift["effet_local_eur"]
               - shift["variation_eur"]) < 0.5
    assert 0 < len(part["valeurs_unitaires"]) <= specialisation.N_UNIT_VALUES


def test_a_region_fiche_ranks_among_regions(fiche_r75):
    part = fichex.figures_json(fiche_r75)["specialisation"]
    assert part["rang_parmi"] == "region"
    n_regions = len(set(reference.departements()["code_region"]))
    assert all(p["nb_territoires"] <= n_regions and p["rca_region"] is None for p in part["produits"])


def test_a_year_across_the_break_is_flagged(small_fiche):
    from conftest import ACROSS_THE_BREAK

    fiche = small_fiche(ACROSS_THE_BREAK, "23", 2022)
    shift = fiche.specialisation.shift_share
    assert (shift.start_year, shift.end_year, shift.break_inside) == (2021, 2022, True)
    assert fichex.figures_json(fiche)["specialisation"]["decomposition"]["rupture_emebi_2022"] is True
    # The small table gives no mass: no unit value is given, each one flagged.
    assert all(u.unit_value_eur_kg is None and u.mass_coverage_pct == 0 for u in fiche.specialisation.unit_values)


def test_what_every_territory_shares_is_remembered_per_frame_not_per_content():
    """France's sums and each territory's rows are computed once per frame: the same frame gives the same
    result again, another frame (a changed copy) its own, never the first's."""
    rows = sums(HAND_MADE)
    first = specialisation.specialisation_of(rows, "code_departement", "23", region_code="75")
    changed = rows.copy()
    changed.loc[(changed["code_departement"] == "13") & (changed["code_produit"] == "0111"), "valeur_eur"] = 130.0
    other = specialisation.specialisation_of(changed, "code_departement", "23", region_code="75")
    by_code = {p.code: p for p in other.products}
    assert by_code["0111"].rca_france == pytest.approx((60 / 100) / (200 / 1100))  # France's cereals 200 of 1 100
    assert specialisation.specialisation_of(rows, "code_departement", "23", region_code="75") == first
    for code in ("87", "13", "99"):  # each territory's rows from the one index, an absent one with none
        again = specialisation.specialisation_of(rows, "code_departement", code, region_code="75")
        assert sum(p.exports_eur for p in again.products) == sum(v for (f, d, _), v in HAND_MADE.items()
                                                                 if f == "E" and d == code)


def test_a_territorys_sums_by_product_are_pandas_sums_whether_it_names_a_product_once_or_more():
    """A département's rows name each product once (its sums are its values, sorted), a région's several times
    (grouped): both exactly what pandas' groupby gives, a missing value as 0 and -0 as 0 included."""
    import numpy as np

    cells = {("E", "23", "0111"): (-0.0, float("nan"), 2.5), ("E", "23", "2341"): (0.1, 0.2, 0.30000000000000004),
             ("E", "87", "0111"): (1e16, 3.0, 1.0), ("E", "87", "2341"): (1.0, float("nan"), -0.0),
             ("I", "23", "1920"): (7.25, 1.0, 7.25), ("E", "19", "0111"): (1.0, 2.0, 3.0)}
    rows = sums(cells).sample(frac=1.0, random_state=3).reset_index(drop=True)
    for key, code in (("code_departement", "23"), ("code_departement", "87"), ("code_region", "75"),
                      ("code_departement", "99")):
        for flow in ("E", "I"):
            mine = specialisation._territory_sums(rows, key, code, flow)
            chosen = rows[(rows[key] == code) & (rows["flux"] == flow)]
            theirs = chosen.groupby("code_produit", sort=True)[list(specialisation.SUMMED)].sum()
            theirs.index = theirs.index.astype(str)
            pd.testing.assert_frame_equal(mine, theirs.astype("float64"))
            assert np.array_equal(np.signbit(mine.to_numpy()), np.signbit(theirs.to_numpy(dtype="float64")))
