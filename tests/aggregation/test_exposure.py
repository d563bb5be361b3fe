"""Exposure and dependences: shares in [0, 100] consistent with the flows, HHI against an independent sum."""

import math
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fichex.aggregation import aggregate, exposure
from fichex.data import reference, trade

PRODUCTS = ["A01Z", "C10E", "C20B", "C21Z", "C29B", "C30C", "B06Z"]
PARTNERS = ["DE", "IT", "ES", "US", "CN", "GB", "QU", "MA"]  # QU names no country

rows = st.dictionaries(
    keys=st.tuples(st.sampled_from(["E", "I"]), st.sampled_from(["23", "87", "13"]), st.sampled_from(PRODUCTS),
                   st.sampled_from(PARTNERS)),
    values=st.integers(min_value=1, max_value=10**9),
    min_size=1, max_size=60,
)


def frame_of(mapping) -> pd.DataFrame:
    return pd.DataFrame([{"flux": f, "code_departement": d, "code_a129": p, "code_pays": c, "valeur_eur": float(v)}
                         for (f, d, p, c), v in mapping.items()])


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-7)


def independent(mapping, flow, dep=None):
    """The figures recomputed from the dictionary, without pandas."""
    by_partner, by_product = defaultdict(float), defaultdict(float)
    for (f, d, p, c), v in mapping.items():
        if f == flow and (dep is None or d == dep):
            by_partner[c] += v
            by_product[p] += v
    total = sum(by_partner.values())
    countries = {c: v for c, v in by_partner.items() if reference.is_country(c)}
    return total, by_partner, by_product, countries


@settings(max_examples=80, deadline=None)
@given(rows)
def test_shares_and_hhi_are_bounded_and_equal_an_independent_computation(mapping):
    frame = frame_of(mapping)
    eu27 = set(reference.countries().query("ue27")["code_pays"])
    for flow in ("E", "I"):
        result = exposure.flow_exposure(frame, flow)
        total, by_partner, by_product, countries = independent(mapping, flow)
        assert close(result.total_eur, total)
        for share in (result.us_pct, result.china_pct, result.eu27_pct, result.first_partner_pct, result.top3_pct):
            assert -1e-9 <= share <= 100 + 1e-9
        for index in (result.hhi_partners, result.hhi_products):
            assert -1e-9 <= index <= 10_000 + 1e-6
        if not total:
            assert result.us_pct == result.hhi_partners == 0
            continue
        assert close(result.us_pct, 100 * by_partner.get("US", 0) / total)
        assert close(result.china_pct, 100 * by_partner.get("CN", 0) / total)
        assert close(result.eu27_pct, 100 * sum(v for c, v in by_partner.items() if c in eu27) / total)
        assert close(result.hhi_partners, sum((v / total) ** 2 for v in countries.values()) * 10_000)
        assert close(result.hhi_products, sum((v / total) ** 2 for v in by_product.values()) * 10_000)
        assert result.top3_pct + 1e-9 >= result.first_partner_pct
        assert close(result.first_partner_pct, 100 * max(countries.values(), default=0) / total)
        top3 = sorted(countries.values(), reverse=True)[:3]
        assert close(result.top3_pct, 100 * sum(top3) / total)
        if countries:
            assert reference.is_country(result.first_partner_code)
            # squared shares of the partners: at least the first one's, at most its share × 100
            assert result.hhi_partners + 1e-6 >= result.first_partner_pct ** 2
            assert result.hhi_partners <= result.first_partner_pct * 100 + 1e-6


@settings(max_examples=60, deadline=None)
@given(rows)
def test_us_products_and_dependences_are_consistent_with_the_flows(mapping):
    frame = frame_of(mapping)
    for product in exposure.us_exposed_products(frame):
        to_us = sum(v for (f, _, p, c), v in mapping.items() if f == "E" and p == product.code and c == "US")
        exported = sum(v for (f, _, p, _), v in mapping.items() if f == "E" and p == product.code)
        assert close(product.us_exports_eur, to_us) and close(product.exports_eur, exported)
        assert 0 < product.us_share_pct <= 100 + 1e-9
    values = [p.us_exports_eur for p in exposure.us_exposed_products(frame)]
    assert values == sorted(values, reverse=True)
    for dependence in exposure.import_dependences(frame):
        by_country = defaultdict(float)
        for (f, _, p, c), v in mapping.items():
            if f == "I" and p == dependence.code and reference.is_country(c):
                by_country[c] += v
        assert close(dependence.supplier_eur, max(by_country.values(), default=0.0))
        assert 0 <= dependence.supplier_share_pct <= 100 + 1e-9
        assert dependence.dependent == (dependence.supplier_share_pct > 50)


def test_fixture_exact_figures():
    """A hand-computed fixture: exports 23 → US 60, DE 30, QU 10 (no country); products A01Z 70, C29B 30."""
    frame = pd.DataFrame([
        {"flux": "E", "code_departement": "23", "code_a129": "A01Z", "code_pays": "US", "valeur_eur": 50.0},
        {"flux": "E", "code_departement": "23", "code_a129": "C29B", "code_pays": "US", "valeur_eur": 10.0},
        {"flux": "E", "code_departement": "23", "code_a129": "C29B", "code_pays": "DE", "valeur_eur": 20.0},
        {"flux": "E", "code_departement": "23", "code_a129": "A01Z", "code_pays": "QU", "valeur_eur": 10.0},
        {"flux": "E", "code_departement": "23", "code_a129": "A01Z", "code_pays": "DE", "valeur_eur": 10.0},
        {"flux": "I", "code_departement": "23", "code_a129": "C21Z", "code_pays": "CN", "valeur_eur": 30.0},
        {"flux": "I", "code_departement": "23", "code_a129": "C21Z", "code_pays": "IT", "valeur_eur": 10.0},
        {"flux": "I", "code_departement": "23", "code_a129": "C10E", "code_pays": "IT", "valeur_eur": 20.0},
        {"flux": "I", "code_departement": "23", "code_a129": "C10E", "code_pays": "ES", "valeur_eur": 20.0},
    ])
    exports = exposure.flow_exposure(frame, "E")
    assert exports.us_pct == pytest.approx(60.0)
    assert exports.eu27_pct == pytest.approx(30.0)
    assert exports.china_pct == 0.0
    assert (exports.first_partner_code, exports.first_partner_pct) == ("US", pytest.approx(60.0))
    assert exports.top3_pct == pytest.approx(90.0)  # QU is no partner country
    assert exports.hhi_partners == pytest.approx(3600 + 900)
    assert exports.hhi_products == pytest.approx(70 ** 2 + 30 ** 2)
    assert exposure.hhi_band(exports.hhi_partners) == "tres_concentre"
    imports = exposure.flow_exposure(frame, "I")
    assert imports.hhi_partners == pytest.approx(37.5 ** 2 + 37.5 ** 2 + 25 ** 2)  # IT 30, CN 30, ES 20 of 80
    us = exposure.us_exposed_products(frame)
    assert [(p.code, p.us_exports_eur, p.exports_eur) for p in us] == [("A01Z", 50.0, 70.0), ("C29B", 10.0, 30.0)]
    dependences = exposure.import_dependences(frame)
    assert [(d.code, d.supplier_code, d.supplier_share_pct, d.dependent) for d in dependences] == [
        ("C10E", "ES", 50.0, False), ("C21Z", "CN", 75.0, True)]


def test_hhi_bands():
    assert [exposure.hhi_band(v) for v in (0, 1499.9, 1500, 2500, 2500.1, 10_000)] == [
        "peu_concentre", "peu_concentre", "moderement_concentre", "moderement_concentre", "tres_concentre",
        "tres_concentre"]


def test_us_rank_over_every_departement():
    frame = frame_of({("E", "23", "A01Z", "US"): 50, ("E", "23", "A01Z", "DE"): 50,
                      ("E", "87", "A01Z", "US"): 90, ("E", "87", "A01Z", "DE"): 10,
                      ("E", "13", "A01Z", "DE"): 10, ("I", "13", "A01Z", "US"): 10})
    shares = exposure.us_share_by_departement(frame)
    assert shares.to_dict() == {"23": 50.0, "87": 90.0, "13": 0.0}
    assert exposure.us_rank(shares, "87") == (1, 3)
    assert exposure.us_rank(shares, "23") == (2, 3)
    assert exposure.us_rank(shares, "13") == (3, 3)


def test_fiche_carries_the_exposure_of_its_three_levels(fiche_23, builder):
    result = fiche_23.exposure
    assert result.local_exports.total_eur == pytest.approx(fiche_23.exports.total_eur)
    assert result.region_imports.total_eur == pytest.approx(fiche_23.imports.region_total_eur)
    assert result.france_exports.total_eur == pytest.approx(fiche_23.exports.france_total_eur)
    us = next(p for p in fiche_23.partners if p.code == "US")
    assert result.local_exports.us_pct == pytest.approx(100 * us.exports_eur / fiche_23.exports.total_eur)
    assert result.n_ranked == fiche_23.exports.n_departements
    assert 1 <= result.us_rank <= result.n_ranked
    assert len(result.us_products) <= 5 and len(result.import_dependences) <= 10
    # the US rank agrees with a ranking recomputed from every département's fiche figures
    shares = exposure.us_share_by_departement(builder._year(fiche_23.year))
    assert result.us_rank == 1 + sum(1 for s in shares if s > shares["23"])


def test_builder_on_a_small_table():
    mapping = {("E", "23", "A01Z", "US"): 30, ("E", "23", "C29B", "DE"): 70, ("E", "87", "A01Z", "US"): 80,
               ("E", "87", "A01Z", "CN"): 20, ("I", "23", "C21Z", "CN"): 40, ("I", "23", "C21Z", "IT"): 10}
    frame = pd.DataFrame([{"annee": 2024, "flux": f, "code_departement": d, "code_produit": p, "code_pays": c,
                           "valeur_eur": float(v)} for (f, d, p, c), v in mapping.items()])
    td = trade.TradeData(trade.validate(frame), trade.DataSource(False, "test", ""))
    fiche = aggregate.FicheBuilder(td).build("23", 2024)
    assert fiche.exposure.local_exports.us_pct == pytest.approx(30.0)
    assert fiche.exposure.region_exports.us_pct == pytest.approx(100 * 110 / 200)  # 23 and 87: Nouvelle-Aquitaine
    assert fiche.exposure.france_exports.china_pct == pytest.approx(10.0)
    assert fiche.exposure.us_rank == 2 and fiche.exposure.n_ranked == 2
    assert fiche.exposure.import_dependences[0].dependent
