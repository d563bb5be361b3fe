"""Evolution over years and quarters: sums equal the per-year totals, growth rates are what they say, a
partial year is compared with the same quarters of the year before."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fichex.aggregation.evolution import evolution_of
from fichex.aggregation.model import PartnerTrade

CELLS = st.dictionaries(
    st.tuples(st.integers(2021, 2025), st.sampled_from([1, 2, 3, 4]), st.sampled_from(["E", "I"])),
    st.integers(0, 10**9), min_size=1, max_size=40)


def frame(cells: dict) -> pd.DataFrame:
    return pd.DataFrame([{"annee": y, "trimestre": q, "flux": f, "valeur_eur": float(v)} for (y, q, f), v in cells.items()])


@given(CELLS)
@settings(max_examples=80, deadline=None)
def test_years_and_quarters_add_up_and_growth_is_what_it_says(cells):
    result = evolution_of(frame(cells), pd.DataFrame(columns=["annee", "flux", "code_pays", "valeur_eur"]), ())
    for year in result.years:
        for flow, value in (("E", year.exports_eur), ("I", year.imports_eur)):
            assert value == pytest.approx(sum(v for (y, _, f), v in cells.items() if y == year.year and f == flow))
        in_quarters = [q for q in result.quarters if q.year == year.year]
        assert sum(q.exports_eur for q in in_quarters) == pytest.approx(year.exports_eur)
        assert sum(q.imports_eur for q in in_quarters) == pytest.approx(year.imports_eur)
        assert year.balance_eur == pytest.approx(year.exports_eur - year.imports_eur)
        before = result.year(year.year - 1)
        if year.exports_growth_pct is not None:
            same = set(year.quarters) if year.partial else {1, 2, 3, 4}
            base = sum(v for (y, q, f), v in cells.items() if y == year.year - 1 and f == "E" and q in same)
            assert before is not None and base > 0
            assert year.exports_growth_pct == pytest.approx((year.exports_eur / base - 1) * 100)


def test_a_partial_year_is_compared_with_the_same_quarters():
    cells = {(2024, q, "E"): 100.0 for q in (1, 2, 3, 4)} | {(2025, 1, "E"): 150.0}
    result = evolution_of(frame(cells), pd.DataFrame(columns=["annee", "flux", "code_pays", "valeur_eur"]), ())
    partial = result.year(2025)
    assert partial.partial and partial.quarters == (1,)
    assert partial.exports_growth_pct == pytest.approx(50.0)  # against 2024's first quarter, not 400
    assert result.year(2024).exports_growth_pct is None  # no 2023: no base


def test_main_partners_follow_the_detail_table_and_skip_codes_that_name_no_country():
    detail = pd.DataFrame({"annee": [2023, 2024, 2024, 2024], "flux": ["E", "E", "I", "E"],
                           "code_pays": ["DE", "DE", "DE", "QU"], "valeur_eur": [10.0, 20.0, 5.0, 99.0]})
    partners = (PartnerTrade("QU", "Pays non déterminés", "Autres", 99.0, 0.0, country=False),
                PartnerTrade("DE", "Allemagne", "UE", 20.0, 5.0))
    result = evolution_of(frame({(2024, 1, "E"): 1.0}), detail, partners)
    assert [p.code for p in result.partners] == ["DE"]
    assert result.partners[0].by_year == ((2023, 10.0, 0.0), (2024, 20.0, 5.0))


def test_the_fiche_evolution_agrees_with_its_totals(fiche_23, demo_trade):
    evolution = fiche_23.evolution
    year = evolution.year(fiche_23.year)
    assert year.exports_eur == pytest.approx(fiche_23.exports.total_eur)
    assert year.imports_eur == pytest.approx(fiche_23.imports.total_eur)
    assert [y.year for y in evolution.years] == sorted(demo_trade.years)
    assert evolution.year(max(demo_trade.years)).partial  # the demo's 2025 holds one quarter
    assert not evolution.break_inside  # the demonstration data starts in 2022


def test_figures_json_has_the_evolution(fiche_23):
    from fichex.api import figures_json

    data = figures_json(fiche_23)["evolution"]
    assert {"annees", "trimestres", "partenaires", "rupture_emebi_2022"} <= set(data)
    row = next(r for r in data["annees"] if r["annee"] == fiche_23.year)
    assert row["exportations_eur"] == pytest.approx(fiche_23.exports.total_eur)
    assert sum(q["exportations_eur"] for q in data["trimestres"] if q["annee"] == fiche_23.year) == pytest.approx(
        fiche_23.exports.total_eur)


@pytest.mark.parametrize("code", ["23", "13", "974"])
def test_every_year_of_the_evolution_equals_the_detail_table_totals(builder, code):
    """The evolution (read from the store's quarterly sums) against the detail table (another path through
    the data): every year, both flows, and the quarters of each year add up to it."""
    fiche = builder.build(code, 2024)
    totals = fiche.detail.groupby(["annee", "flux"], observed=True)["valeur_eur"].sum()
    assert {y.year for y in fiche.evolution.years} == set(fiche.detail_years)
    for year in fiche.evolution.years:
        assert year.exports_eur == pytest.approx(totals.get((year.year, "E"), 0.0))
        assert year.imports_eur == pytest.approx(totals.get((year.year, "I"), 0.0))
        quarters = [q for q in fiche.evolution.quarters if q.year == year.year]
        assert sum(q.exports_eur for q in quarters) == pytest.approx(year.exports_eur)


@pytest.mark.parametrize("duplicated", [False, True])
def test_quarter_cells_and_partner_sums_are_pandas_groupby_sums(duplicated):
    """The cells (one row each from the store, or several) and the followed partners' sums are exactly the sums
    pandas' groupby gives, in its order; -0 and a missing value as pandas sums them."""
    import numpy as np

    from fichex.aggregation import evolution

    rng = np.random.default_rng(7)
    quarterly = pd.DataFrame({"annee": [2024, 2023, 2024, 2023, 2024], "trimestre": [2, 1, 1, 1, 2],
                              "flux": ["E", "I", "E", "E", "I"], "valeur_eur": [0.1, -0.0, np.nan, 0.2, 1e16]})
    if duplicated:
        quarterly = pd.concat([quarterly, quarterly.assign(valeur_eur=[0.3, 0.7, 1.0, np.nan, 3.0])])
    expected = quarterly.groupby(["annee", "trimestre", "flux"])["valeur_eur"].sum()
    cells = evolution._quarter_cells(quarterly)
    assert list(cells) == [tuple(key) for key in expected.index.tolist()]
    assert np.array_equal(np.array(list(cells.values())), expected.to_numpy())
    assert not np.signbit(np.array(list(cells.values()))).any()

    rows = 300
    detail = pd.DataFrame({"annee": rng.choice([2023, 2024], rows),
                           "flux": pd.array(rng.choice(["E", "I"], rows), dtype="str"),
                           "code_pays": pd.array(rng.choice(["US", "DE", "CN", "BE"], rows), dtype="str"),
                           "valeur_eur": rng.random(rows) * 10 ** rng.integers(0, 12, rows)})
    sums = detail.groupby(["code_pays", "annee", "flux"])["valeur_eur"].sum()
    followed = {key: value for key, value in zip(sums.index.tolist(), sums.tolist()) if key[0] in ("US", "DE")}
    assert evolution._partner_sums(detail, ["US", "DE"]) == followed
