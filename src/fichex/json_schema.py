"""The JSON Schemas (draft 2020-12) of every JSON output: `figures --json`, `figures --territoire --json`,
`build --json` and the `fichex mcp` tools. Written once here, from shared parts; docs/schema/ holds them as files
(`scripts/render_schemas.py`, a test checks they are current) and the MCP server publishes them as the tools'
output schemas. Each schema is self-contained (its parts under `$defs`): a client resolves no other file.

Objects allow keys they do not list (`additionalProperties` is left open): a minor version adds keys.
"""

from __future__ import annotations

import copy

from fichex.json_contract import SCHEMA_VERSION

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://fichex.invalid/schema/"
LEVELS = ["departement", "region", "france", "territoire"]

NUMBER = {"type": "number"}
NULLABLE_NUMBER = {"type": ["number", "null"]}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}


def _object(required: dict, optional: dict | None = None) -> dict:
    """An object with these keys required (and these optional), others allowed."""
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


VERSION = {"type": "string", "pattern": r"^1\.[0-9]+$", "description": "MAJEUR.MINEUR du contrat JSON"}
CODE_NAME = _object({"code": STRING, "nom": STRING})

DEFS = {
    "territoire": _object({"niveau": {"enum": LEVELS}, "code": STRING, "nom": STRING}),
    "flux": _object({"total_eur": NUMBER, "part_region_pct": NULLABLE_NUMBER, "part_france_pct": NULLABLE_NUMBER,
                     "rang_departements": {"type": ["integer", "null"]}, "nb_departements": INTEGER,
                     "total_region_eur": NULLABLE_NUMBER, "total_france_eur": NULLABLE_NUMBER,
                     "rang_parmi": {"type": ["string", "null"]}}),
    "partenaire": _object({"rang": INTEGER, "code": STRING, "pays": STRING, "zone": {"type": ["string", "null"]},
                           "exportations_eur": NUMBER, "importations_eur": NUMBER, "solde_eur": NUMBER}),
    "activite": _object({"rang": INTEGER, "code_a129": STRING, "activite": STRING, "valeur_eur": NUMBER,
                         "part_pct": NUMBER}),
    "evolution": {"type": ["object", "null"], "required": ["annees", "trimestres", "partenaires", "rupture_emebi_2022"],
                  "properties": {
                      "annees": _array(_object({"annee": INTEGER, "periode": STRING, "annee_partielle": BOOLEAN,
                                                "exportations_eur": NUMBER, "importations_eur": NUMBER,
                                                "solde_eur": NUMBER,
                                                "croissance_exportations_pct": NULLABLE_NUMBER,
                                                "croissance_importations_pct": NULLABLE_NUMBER})),
                      "trimestres": _array(_object({"annee": INTEGER, "trimestre": INTEGER,
                                                    "exportations_eur": NUMBER, "importations_eur": NUMBER})),
                      "partenaires": _array(_object({"code": STRING, "pays": STRING, "annees": _array(
                          _object({"annee": INTEGER, "exportations_eur": NUMBER, "importations_eur": NUMBER}))})),
                      "rupture_emebi_2022": BOOLEAN}},
    "exposition": _object({"exportations": {"type": "object"}, "importations": {"type": "object"},
                           "produits_exposes_etats_unis": _array({"type": "object"}),
                           "dependances_import": _array({"type": "object"}), "nb_produits_dependants": INTEGER,
                           "concentration": {"type": "object"}, "rang_exposition_etats_unis": {"type": "object"}}),
    # Null in France's fiche (« specialisation_motif » says why).
    "specialisation": {**_object({
        "rang_parmi": {"enum": ["departement", "region"]},
        "produits": _array(_object({
            "code_cpf4": STRING, "libelle": STRING, "exportations_eur": NUMBER, "part_pct": NUMBER,
            "rca_france": NULLABLE_NUMBER, "rca_region": NULLABLE_NUMBER, "rang": {"type": ["integer", "null"]},
            "nb_territoires": INTEGER, "importations_eur": NUMBER, "rca_importations_france": NULLABLE_NUMBER,
            "taux_couverture_pct": NULLABLE_NUMBER})),
        "premiers_rangs": _array(_object({"code_cpf4": STRING, "libelle": STRING, "exportations_eur": NUMBER,
                                          "nb_territoires": INTEGER})),
        "decomposition": {**_object({
            "annee_depart": INTEGER, "annee_arrivee": INTEGER, "trimestres": _array(INTEGER),
            "exportations_depart_eur": NUMBER, "exportations_arrivee_eur": NUMBER, "variation_eur": NUMBER,
            "effet_national_eur": NUMBER, "effet_structure_eur": NUMBER, "effet_local_eur": NUMBER,
            "rupture_emebi_2022": BOOLEAN}), "type": ["object", "null"]},
        "valeurs_unitaires": _array(_object({
            "code_cpf4": STRING, "libelle": STRING, "exportations_eur": NUMBER,
            "valeur_unitaire_eur_kg": NULLABLE_NUMBER, "valeur_unitaire_france_eur_kg": NULLABLE_NUMBER,
            "couverture_masse_pct": NUMBER, "couverture_masse_france_pct": NUMBER, "masse_suffisante": BOOLEAN}))}),
        "type": ["object", "null"]},
    "repartition": _object({"niveau": {"enum": ["departement", "region"]}, "code": STRING, "nom": STRING,
                            "exportations_eur": NUMBER, "importations_eur": NUMBER, "solde_eur": NUMBER,
                            "part_exportations_pct": NUMBER, "part_importations_pct": NUMBER}),
}

FIGURES = {
    **_object({
        "schema_version": VERSION, "niveau": {"enum": LEVELS[:3]}, "territoire": _ref("territoire"),
        "region": CODE_NAME, "annee": INTEGER, "periode": STRING, "annee_partielle": BOOLEAN,
        "exportations": _ref("flux"), "importations": _ref("flux"), "solde_eur": NUMBER,
        "territoires_industrie": _array(STRING),
        "top_pays_export": _array(_ref("partenaire")), "top_pays_import": _array(_ref("partenaire")),
        "top_activites_export": _array(_ref("activite")), "top_activites_import": _array(_ref("activite")),
        "couverture": _object({"departements_presents": INTEGER, "departements_attendus": INTEGER,
                               "region_complete": BOOLEAN, "france_complete": BOOLEAN}),
        "evolution": _ref("evolution"), "commentaire": _array(STRING), "donnees_demonstration": BOOLEAN,
        "source_donnees": STRING, "notes": _array(STRING)},
        {"departement": CODE_NAME, "exposition": _ref("exposition"), "repartition": _array(_ref("repartition")),
         "specialisation": _ref("specialisation"), "specialisation_motif": STRING}),
    # « departement » is the fiche's territory, so present exactly when the fiche is a département's.
    "if": {"properties": {"niveau": {"const": "departement"}}},
    "then": {"required": ["departement"]},
    "else": {"not": {"required": ["departement"]}},
}

TERRITOIRE = _object({
    "schema_version": VERSION, "niveau": {"const": "territoire"}, "territoire": _ref("territoire"),
    "territoire_industrie": _object({"nom": STRING, "identifiant": STRING, "codes_departements": _array(STRING)}),
    "annee": INTEGER, "periode": STRING, "chiffres_departementaux": STRING,
    "departements": _array(_ref("chiffres")), "notes": _array(STRING)})

BUILD = _object({
    "schema_version": VERSION, "dossier": STRING, "annee": INTEGER, "donnees_demonstration": BOOLEAN,
    "source_donnees": STRING, "notes": _array(STRING), "construits": INTEGER, "inchanges": INTEGER,
    "echecs": INTEGER, "secondes": NUMBER, "index": {"type": ["string", "null"]},
    "cibles": _array(_object({
        "code": STRING, "nom": STRING, "niveau": {"enum": LEVELS}, "territoire": _ref("territoire"),
        "statut": STRING, "motif": STRING, "secondes": NUMBER,
        "fichiers": _array(_object({"path": STRING, "size": INTEGER,
                                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}))}))})

# The MCP tools' outputs.
FICHE_PART = {"schema_version": VERSION, "territoire": _ref("territoire"), "annee": INTEGER, "periode": STRING,
              "donnees_demonstration": BOOLEAN, "source_donnees": STRING}
LISTER = _object({"schema_version": VERSION, "quoi": {"enum": ["departements", "regions", "territoires"]},
                  "elements": _array({"type": "object"})})
COMPARER = _object({
    "schema_version": VERSION, "indicateur": STRING, "niveau": {"enum": LEVELS[:3]}, "annee": INTEGER,
    "periode": STRING, "donnees_demonstration": BOOLEAN, "source_donnees": STRING,
    "territoires": _array(_object({"rang": INTEGER, "territoire": _ref("territoire"), "valeur": NULLABLE_NUMBER,
                                   "periode": STRING}))})
EXPOSITION = _object({**FICHE_PART, "exposition": {"anyOf": [_ref("exposition"), {"type": "null"}]}})
EVOLUTION = _object({**FICHE_PART, "evolution": _ref("evolution")})
INFOS_DONNEES = _object({"schema_version": VERSION, "chemin": STRING, "donnees_demonstration": BOOLEAN,
                         "source": STRING, "annees": _array(INTEGER), "nb_departements": INTEGER,
                         "totaux": _array(_object({"annee": INTEGER, "flux": {"enum": ["E", "I"]},
                                                   "valeur_eur": NUMBER}))})
INTERROGER = _object({
    "schema_version": VERSION, "donnees_demonstration": BOOLEAN, "source_donnees": STRING,
    "periode": _object({"annees": _array(INTEGER), "libelles": _array(STRING)}),
    "filtres": {"type": "object"}, "grouper_par": _array(STRING),
    "limite": {"type": "integer", "minimum": 1, "maximum": 200}, "nb_groupes": INTEGER, "tronque": BOOLEAN,
    "lignes": {**_array(_object({"valeur_eur": NUMBER, "masse_kg": NULLABLE_NUMBER, "lignes": INTEGER})),
               "maxItems": 200},
    "avertissements": _array(STRING)})
CONSTRUIRE = _object({
    "schema_version": VERSION, "dossier": STRING, "donnees_demonstration": BOOLEAN, "echecs": INTEGER,
    "cibles": _array({"type": "object"}),
    "fichiers": _array(_object({"chemin": STRING, "uri": STRING, "taille": INTEGER,
                                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}))})
VERIFIER_MODELE = _object({"schema_version": VERSION, "chemin": STRING, "utilisable": BOOLEAN,
                           "problemes": _array(_object({"message": STRING, "bloquant": BOOLEAN}))})

SCHEMAS = {
    "figures": ("« fichex figures CODE --json » : les chiffres clés d'un département, d'une région ou de la France",
                FIGURES),
    "figures-territoire": ("« fichex figures --territoire NOM --json » : les départements d'un Territoire d'industrie",
                           TERRITOIRE),
    "build": ("« fichex build --json » : les fichiers écrits et l'issue de chaque cible", BUILD),
    "mcp-lister": ("Outil MCP « lister »", LISTER),
    "mcp-comparer": ("Outil MCP « comparer »", COMPARER),
    "mcp-exposition": ("Outil MCP « exposition »", EXPOSITION),
    "mcp-evolution": ("Outil MCP « evolution »", EVOLUTION),
    "mcp-infos-donnees": ("Outil MCP « infos_donnees »", INFOS_DONNEES),
    "mcp-interroger": ("Outil MCP « interroger »", INTERROGER),
    "mcp-construire": ("Outil MCP « construire »", CONSTRUIRE),
    "mcp-verifier-modele": ("Outil MCP « verifier_modele »", VERIFIER_MODELE),
}


def schema(name: str) -> dict:
    """The schema `name` (a key of SCHEMAS) as a self-contained document: draft 2020-12, its parts under
    `$defs`, the contract's version in its description."""
    title, body = SCHEMAS[name]
    document = {"$schema": DRAFT, "$id": f"{BASE_URI}{name}.schema.json", "title": title,
                "description": f"fichex, contrat JSON {SCHEMA_VERSION}", **copy.deepcopy(body),
                "$defs": {**copy.deepcopy(DEFS), "chiffres": copy.deepcopy(FIGURES)}}
    return document
