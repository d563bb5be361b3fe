"""The JSON contract of `fichex figures --json` (and of `build --json`'s figures): French keys, amounts in
euros, percentages 0-100; one function per object of the contract, each reading a `Fiche` and nothing else.

Every output carries `schema_version` (« MAJEUR.MINEUR », `SCHEMA_VERSION`) and a `territoire` object (niveau,
code, nom); the JSON Schemas of docs/schema/ (written from `json_schema.py`) describe each output. The rule:
adding a key raises the minor version (readers ignore keys they do not know); removing or renaming a key, or
changing a value's type or meaning, raises the major version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fichex.aggregation.model import Exposure, Fiche, PartnerTrade, Specialisation

SCHEMA_VERSION = "1.1"


def _partner_json(partner: PartnerTrade, rank: int) -> dict:
    return {"rang": rank, "code": partner.code, "pays": partner.nom, "zone": partner.zone,
            "exportations_eur": partner.exports_eur, "importations_eur": partner.imports_eur,
            "solde_eur": partner.balance_eur}


def _flow_exposure_json(flow) -> dict:
    return {"total_eur": flow.total_eur, "part_etats_unis_pct": flow.us_pct, "part_chine_pct": flow.china_pct,
            "part_ue27_pct": flow.eu27_pct,
            "premier_partenaire": {"code": flow.first_partner_code, "pays": flow.first_partner_name,
                                   "part_pct": flow.first_partner_pct},
            "part_trois_premiers_pct": flow.top3_pct, "hhi_pays": flow.hhi_partners,
            "hhi_produits": flow.hhi_products}


def exposure_json(exposure: Exposure) -> dict:
    """The `exposition` object of the key figures: shares beside the région and France, US-exposed products,
    import dependences, concentration and the US rank (percentages 0-100, HHI 0-10 000, amounts in euros)."""
    from fichex.aggregation.model import hhi_band

    def levels(flow: str) -> dict:
        return {level: _flow_exposure_json(exposure.flow(level, flow))
                for level in ("departement", "region", "france")}

    local = {"E": exposure.local_exports, "I": exposure.local_imports}
    return {
        "exportations": levels("E"),
        "importations": levels("I"),
        "produits_exposes_etats_unis": [
            {"rang": i, "code_a129": p.code, "produit": p.libelle, "exportations_etats_unis_eur": p.us_exports_eur,
             "exportations_eur": p.exports_eur, "part_etats_unis_pct": p.us_share_pct}
            for i, p in enumerate(exposure.us_products, 1)],
        "dependances_import": [
            {"rang": i, "code_a129": d.code, "produit": d.libelle, "importations_eur": d.imports_eur,
             "premier_fournisseur": {"code": d.supplier_code, "pays": d.supplier_name},
             "part_premier_fournisseur_pct": d.supplier_share_pct, "plus_de_la_moitie": d.dependent}
            for i, d in enumerate(exposure.import_dependences, 1)],
        "nb_produits_dependants": exposure.n_dependent,
        "concentration": {
            key: {"hhi_pays": local[flow].hhi_partners, "lecture_pays": hhi_band(local[flow].hhi_partners),
                  "hhi_produits": local[flow].hhi_products, "lecture_produits": hhi_band(local[flow].hhi_products),
                  "part_trois_premiers_pays_pct": local[flow].top3_pct}
            for key, flow in (("exportations", "E"), ("importations", "I"))},
        "rang_exposition_etats_unis": {"rang": exposure.us_rank, "nb_departements": exposure.n_ranked},
    }


def specialisation_json(specialisation: Specialisation) -> dict:
    """The `specialisation` object of the key figures: every product traded (CPF4 code in DGDDI files) with its
    weight, RCA against France and the région, rank and coverage rate; the products of which the territory is
    the first exporter; the shift-share decomposition of the change in exports; unit values (€/kg, null where
    masses cover less than 90 % of the value). Amounts in euros, percentages 0-100, RCA 1 = France's mix."""
    def product(p) -> dict:
        return {"code_cpf4": p.code, "libelle": p.libelle, "exportations_eur": p.exports_eur, "part_pct": p.share_pct,
                "rca_france": p.rca_france, "rca_region": p.rca_region, "rang": p.rank,
                "nb_territoires": p.n_territories, "importations_eur": p.imports_eur,
                "rca_importations_france": p.rca_imports_france, "taux_couverture_pct": p.coverage_pct}

    shift = specialisation.shift_share
    return {
        "rang_parmi": specialisation.rank_level,
        "produits": [product(p) for p in specialisation.products],
        "premiers_rangs": [{"code_cpf4": p.code, "libelle": p.libelle, "exportations_eur": p.exports_eur,
                            "nb_territoires": p.n_territories} for p in specialisation.first_ranks],
        "decomposition": None if shift is None else {
            "annee_depart": shift.start_year, "annee_arrivee": shift.end_year, "trimestres": list(shift.quarters),
            "exportations_depart_eur": shift.start_exports_eur, "exportations_arrivee_eur": shift.end_exports_eur,
            "variation_eur": shift.change_eur, "effet_national_eur": shift.national_eur,
            "effet_structure_eur": shift.mix_eur, "effet_local_eur": shift.local_eur,
            "rupture_emebi_2022": shift.break_inside},
        "valeurs_unitaires": [
            {"code_cpf4": u.code, "libelle": u.libelle, "exportations_eur": u.exports_eur,
             "valeur_unitaire_eur_kg": u.unit_value_eur_kg, "valeur_unitaire_france_eur_kg": u.france_unit_value_eur_kg,
             "couverture_masse_pct": u.mass_coverage_pct, "couverture_masse_france_pct": u.france_mass_coverage_pct,
             "masse_suffisante": u.reliable}
            for u in specialisation.unit_values],
    }


def _specialisation_part(result: Fiche) -> dict:
    """`specialisation`, null with `specialisation_motif` in France's fiche (no national reference against
    itself); absent when the fiche was built without it."""
    from fichex.wording import console as console_text

    if result.level == "france":
        return {"specialisation": None, "specialisation_motif": console_text.SPECIALISATION_FRANCE_REASON}
    if result.specialisation is None:
        return {}
    return {"specialisation": specialisation_json(result.specialisation)}


def figures_json(result: Fiche) -> dict:
    """The key figures of a fiche as a JSON-ready dict (keys in French, amounts in euros)."""
    from fichex.wording import commentary as commentary_text, grammar as grammar_text

    def flow(share) -> dict:
        # A flow the data does not hold at all (France's total nil): its shares and rank are null, not
        # « 0 % » and « 1 / 0 ».
        absent = not share.france_total_eur
        return {"total_eur": share.total_eur, "part_region_pct": None if absent else share.share_of_region_pct,
                "part_france_pct": None if absent else share.share_of_france_pct,
                "rang_departements": None if absent else share.rank,
                "nb_departements": share.n_departements, "total_region_eur": share.region_total_eur,
                "total_france_eur": share.france_total_eur, "rang_parmi": share.rank_level}

    return {
        # « territoire » is the fiche's own territory at every level; « departement » is there only when the
        # fiche is a département's. A région's or France's fiche says what its ranks count (« rang_parmi »)
        # and adds « repartition ».
        "schema_version": SCHEMA_VERSION,
        "niveau": result.level,
        "territoire": territory_json(result.level, result.territory.code, result.territory.nom),
        **({"departement": {"code": result.territory.code, "nom": result.territory.nom}}
           if result.level == "departement" else {}),
        "region": {"code": result.region.code, "nom": result.region.nom},
        "annee": result.year,
        "periode": grammar_text.period(result),
        "annee_partielle": result.partial,
        "exportations": flow(result.exports),
        "importations": flow(result.imports),
        "solde_eur": None if not (result.exports.france_total_eur and result.imports.france_total_eur)
        else result.balance_eur,  # one flow absent from the data: no balance
        "territoires_industrie": list(result.territoires_industrie),
        "top_pays_export": [_partner_json(p, i) for i, p in enumerate(result.local.top_partners_export, 1)],
        "top_pays_import": [_partner_json(p, i) for i, p in enumerate(result.local.top_partners_import, 1)],
        "top_activites_export": _activities_json(result, "E"),
        "top_activites_import": _activities_json(result, "I"),
        "couverture": {"departements_presents": result.exports.departements_in_data,
                       "departements_attendus": result.exports.departements_total,
                       "region_complete": result.exports.region_complete,
                       "france_complete": result.exports.france_complete},
        "evolution": _evolution_json(result),
        **({"exposition": exposure_json(result.exposure)} if result.exposure is not None else {}),
        **_specialisation_part(result),
        **({"repartition": _breakdown_json(result)} if result.breakdown else {}),
        "commentaire": commentary_text.commentary(result),
        "donnees_demonstration": result.demonstration,
        "source_donnees": result.data.source,
        "notes": [],
    }


def territoire_json(name: str, fiches: Sequence[Fiche]) -> dict:
    """The key figures of a Territoire d'industrie as a JSON-ready dict: its name and identifier, and each
    département's key figures (`figures_json`), in the order of the deck; no total of the territory, which
    customs data cannot give (the départements are whole)."""
    from fichex.wording import grammar as grammar_text, territoire as territoire_text
    from fichex.data import reference

    return {
        "schema_version": SCHEMA_VERSION,
        "niveau": "territoire",
        "territoire": territory_json("territoire", reference.territoire_identifier(name), name),
        "territoire_industrie": {"nom": name, "identifiant": reference.territoire_identifier(name),
                                 "codes_departements": [f.territory.code for f in fiches]},
        "annee": fiches[0].year,
        "periode": grammar_text.period(fiches[0]),
        "chiffres_departementaux": territoire_text.TI_DEPARTEMENTAL_FIGURES,
        "departements": [figures_json(f) for f in fiches],
        "notes": territoire_text.ti_code_notes([f.territory.code for f in fiches]),
    }


def territory_json(level: str, code: str, name: str) -> dict:
    """The `territoire` object of every output: what the fiche or the target is (« departement », « region »,
    « france » or « territoire », for a Territoire d'industrie its identifier as code)."""
    return {"niveau": level, "code": code, "nom": name}


def _breakdown_json(result: Fiche) -> list[dict]:
    """A région's départements or France's régions: exports, imports, balance and shares of the whole."""
    exports, imports = result.exports.total_eur, result.imports.total_eur
    return [{"niveau": "departement" if result.level == "region" else "region", "code": part.code,
             "nom": part.nom, "exportations_eur": part.exports_eur, "importations_eur": part.imports_eur,
             "solde_eur": part.balance_eur,
             "part_exportations_pct": 100.0 * part.exports_eur / exports if exports else 0.0,
             "part_importations_pct": 100.0 * part.imports_eur / imports if imports else 0.0}
            for part in result.breakdown]


def _activities_json(result: Fiche, flow: str) -> list[dict]:
    """The main A129 positions of a flow with their share of it (what the treemap and the commentary show)."""
    from fichex.wording import grammar as grammar_text

    total = result.share(flow).total_eur
    return [{"rang": i, "code_a129": a.code, "activite": grammar_text.activity_name(a), "valeur_eur": a.value(flow),
             "part_pct": 100 * a.value(flow) / total if total else 0.0}
            for i, a in enumerate(result.local.top_activities(flow), 1)]


def _evolution_json(result: Fiche) -> dict | None:
    """Every year and quarter of the data with growth rates (a partial year against the same quarters of
    the year before), and the main partners' trade year by year."""
    from fichex.wording import grammar as grammar_text

    evolution = result.evolution
    if evolution is None:
        return None

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return {
        "annees": [{"annee": y.year, "periode": grammar_text.period_label(y.year, y.quarters), "annee_partielle": y.partial,
                    "exportations_eur": y.exports_eur, "importations_eur": y.imports_eur, "solde_eur": y.balance_eur,
                    "croissance_exportations_pct": rounded(y.exports_growth_pct),
                    "croissance_importations_pct": rounded(y.imports_growth_pct)} for y in evolution.years],
        "trimestres": [{"annee": q.year, "trimestre": q.quarter, "exportations_eur": q.exports_eur,
                        "importations_eur": q.imports_eur} for q in evolution.quarters],
        "partenaires": [{"code": p.code, "pays": p.nom,
                         "annees": [{"annee": y, "exportations_eur": e, "importations_eur": i} for y, e, i in p.by_year]}
                        for p in evolution.partners],
        "rupture_emebi_2022": evolution.break_inside,
    }
