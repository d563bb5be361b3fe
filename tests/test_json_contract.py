"""The JSON contract (json_contract.py): each object's keys in their order, its figures the fiche's, every
value serialisable as JSON."""

from __future__ import annotations

import json

from fichex.json_contract import exposure_json, figures_json, territoire_json


def test_the_figures_are_json_and_the_fiche_s(fiche_23):
    figures = figures_json(fiche_23)
    assert json.loads(json.dumps(figures)) == figures  # plain JSON values only
    assert figures["niveau"] == "departement" and figures["departement"] == {"code": "23", "nom": "Creuse"}
    assert figures["exportations"]["total_eur"] == fiche_23.exports.total_eur
    assert figures["solde_eur"] == fiche_23.balance_eur
    assert [p["code"] for p in figures["top_pays_export"]] == [p.code for p in fiche_23.local.top_partners_export]
    assert [p["rang"] for p in figures["top_pays_export"]] == list(range(1, len(figures["top_pays_export"]) + 1))
    assert figures["exposition"] == exposure_json(fiche_23.exposure)
    assert "repartition" not in figures  # a département has no breakdown


def test_a_territoire_lists_its_departements_own_figures(fiche_23, fiche_87):
    figures = territoire_json("Creuse Industrie", [fiche_23, fiche_87])
    assert figures["niveau"] == "territoire"
    assert figures["territoire_industrie"]["codes_departements"] == ["23", "87"]
    assert figures["departements"] == [figures_json(fiche_23), figures_json(fiche_87)]
    assert "exportations" not in figures  # no total of the territory: customs data stops at the département


def test_figures_json_has_the_exposure(fiche_23):
    figures = figures_json(fiche_23)
    exposition = figures["exposition"]
    assert list(exposition) == ["exportations", "importations", "produits_exposes_etats_unis", "dependances_import",
                                "nb_produits_dependants", "concentration", "rang_exposition_etats_unis"]
    for flow in ("exportations", "importations"):
        assert list(exposition[flow]) == ["departement", "region", "france"]
        local = exposition[flow]["departement"]
        assert list(local) == ["total_eur", "part_etats_unis_pct", "part_chine_pct", "part_ue27_pct",
                               "premier_partenaire", "part_trois_premiers_pct", "hhi_pays", "hhi_produits"]
        assert local["total_eur"] == figures[flow]["total_eur"]
        assert 0 <= local["part_etats_unis_pct"] <= 100
        assert exposition["concentration"][flow]["lecture_pays"] in (
            "peu_concentre", "moderement_concentre", "tres_concentre")
    assert exposition["exportations"]["departement"]["part_etats_unis_pct"] == fiche_23.exposure.local_exports.us_pct
    assert [p["code_a129"] for p in exposition["produits_exposes_etats_unis"]] == [
        p.code for p in fiche_23.exposure.us_products]
    assert len(exposition["dependances_import"]) == len(fiche_23.exposure.import_dependences)
    assert exposition["nb_produits_dependants"] == sum(d["plus_de_la_moitie"] for d in exposition["dependances_import"])
    rank = exposition["rang_exposition_etats_unis"]
    assert 1 <= rank["rang"] <= rank["nb_departements"]
    json.dumps(figures)  # JSON-ready
