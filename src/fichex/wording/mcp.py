"""What `fichex mcp` says to agents: the server's instructions, each tool's description, the errors of its
arguments (one French line naming the argument and the fix) and the caveats a bounded query carries."""

from __future__ import annotations

from collections.abc import Sequence

from fichex.aggregation.model import COMPARED_YEARS_MIN
from fichex.wording import grammar as grammar_text, model_text

SERVER_INSTRUCTIONS = (
    "fichex : commerce extérieur des départements, des régions et de la France (statistiques douanières "
    "DGDDI). Les outils en lecture renvoient le JSON de « fichex figures --json » (schéma versionné, "
    "schema_version) ; « interroger » fait une somme groupée bornée sur la table canonique ; « construire » "
    "écrit classeurs et présentations dans le dossier de sortie du serveur. Vérifiez toujours "
    "donnees_demonstration : les données de démonstration ne sont pas des données douanières réelles."
)

TOOL_DESCRIPTIONS = {
    "chiffres_cles": "Chiffres clés d'un département, d'une région (niveau « region ») ou de la France (niveau "
                     "« france ») : le JSON de « fichex figures CODE --json ».",
    "lister": "Listes de référence : « departements », « regions » ou « territoires » (Territoires d'industrie).",
    "comparer": "Un indicateur de plusieurs territoires d'un même niveau, du plus grand au plus petit.",
    "exposition": "Exposition et dépendances d'un territoire : parts des États-Unis, de la Chine et de l'UE, "
                  "produits exposés, dépendances à l'import, concentration.",
    "evolution": "Évolution d'un territoire sur toutes les années et tous les trimestres des données, avec les "
                 "taux de croissance et les principaux partenaires.",
    "territoire_industrie": "Chiffres clés des départements d'un Territoire d'industrie : le JSON de "
                            "« fichex figures --territoire NOM --json ».",
    "infos_donnees": "Les données utilisées : années, territoires, totaux, démonstration ou non.",
    "interroger": "Somme groupée de la table canonique (valeurs en euros, masses en kg), filtrée par flux, "
                  "territoires, produits (A129 ou CPF4), pays et années, groupée par des colonnes de la table ; "
                  "au plus 200 lignes, les plus grandes valeurs d'abord.",
    "construire": "Construit classeurs, présentations ou PDF dans le dossier de sortie du serveur (un "
                  "sous-dossier relatif au plus) ; renvoie un lien par fichier avec son sha256 du manifeste.",
    "verifier_modele": "Vérifie qu'un modèle PowerPoint de marque a les dispositions et espaces réservés attendus.",
}

RESOURCE_METHOD_TITLE = "Méthode et précautions de lecture"
CONTRACT_RULE = (
    "Contrat JSON : chaque sortie porte schema_version (« MAJEUR.MINEUR ») ; un ajout de clé augmente le "
    "numéro mineur (ignorez les clés inconnues) ; une clé retirée ou renommée, ou une valeur qui change de "
    "type ou de sens, augmente le numéro majeur. Les schémas JSON (draft 2020-12) sont dans docs/schema/."
)


def method_text() -> str:
    """The method and caveats resource: the model's caveats, those that depend on a territory or on the years,
    and the JSON contract's versioning rule."""
    lines = [RESOURCE_METHOD_TITLE, "", model_text.CAVEATS_INTRO,
             *(f"- {caveat}" for caveat in (*model_text.CAVEATS, model_text.PARIS_ENERGY_CAVEAT,
                                            model_text.EMEBI_BREAK_CAVEAT)),
             "", CONTRACT_RULE]
    return "\n".join(lines) + "\n"


def unknown_column(column: str, allowed: Sequence[str]) -> str:
    """`interroger` asked to group by a column the query does not know."""
    return f"grouper_par : champ inconnu « {column} » ; choisissez parmi {', '.join(allowed)}"


def repeated_column(columns: Sequence[str]) -> str:
    return f"grouper_par : champ répété dans {', '.join(columns)} ; donnez chaque champ une fois"


def limit_out_of_range(limit: int, cap: int) -> str:
    return f"limite : {limit} hors de 1 à {cap} ; demandez au plus {cap} lignes et filtrez pour affiner"


def unknown_flow(value: str) -> str:
    return f"flux : « {value} » inconnu ; utilisez E (exportations) ou I (importations)"


def unknown_territories(codes: Sequence[str]) -> str:
    return (f"territoires : {', '.join(codes)} absent(s) des données ; codes des départements tels que les "
            "donnent les fichiers DGDDI (20 pour la Corse, 971 à 976 pour l'outre-mer ; voir l'outil lister)")


def unknown_years(years: Sequence[int], available: Sequence[int]) -> str:
    return (f"annees : {', '.join(str(y) for y in years)} absente(s) des données ; années disponibles : "
            f"{', '.join(str(y) for y in available)}")


def unknown_indicator(indicator: str, allowed: Sequence[str]) -> str:
    return f"indicateur : « {indicator} » inconnu ; choisissez parmi {', '.join(allowed)}"


def too_many_codes(count: int, cap: int) -> str:
    return f"codes : {count} territoires demandés, au plus {cap} ; comparez-les en plusieurs fois"


NO_CODES = "codes : aucun territoire demandé ; donnez au moins un code (voir l'outil lister)"


def path_outside(path: str) -> str:
    """`construire` was given a folder that is not inside the server's output folder."""
    return (f"dossier : « {path} » sort du dossier de sortie du serveur ; donnez un sous-dossier relatif, sans "
            "« .. » ni chemin absolu")


NOTHING_TO_BUILD = ("construire : ni codes, ni niveau france, ni territoire ; donnez des codes, niveau « france » "
                    "ou un Territoire d'industrie")
MCP_MISSING = "le serveur MCP demande le paquet mcp : pip install 'fichex[mcp]'"


def query_caveats(*, demonstration: bool, territories: Sequence[str], flows: Sequence[str],
                  years: Sequence[int], partial_periods: Sequence[str]) -> list[str]:
    """The caveats a grouped sum carries: always the place of clearance; demonstration data; Paris's energy
    imports when Paris (75) and the imports are in the sum; a partial year; the 2022 collection break when
    several years are summed or compared."""
    caveats = [model_text.CAVEATS[0]]
    if demonstration:
        caveats.append(model_text.DEMO_WARNING)
    if (not territories or "75" in territories) and (not flows or "I" in flows):
        caveats.append(model_text.PARIS_ENERGY_CAVEAT)
    for period in partial_periods:
        caveats.append(f"Année partielle : {period} ; elle ne se compare pas à une année entière.")
    if len(years) >= COMPARED_YEARS_MIN:
        caveats.append(model_text.EMEBI_BREAK_CAVEAT)
    return caveats


def period_of(year: int, quarters: Sequence[int]) -> str:
    """A year as every output names it (« 2025 : 1er trimestre » for a partial one)."""
    return grammar_text.period_label(year, tuple(quarters))
