"""The Excel workbook's words (render/xlsx/): sheet names, titles, headers, labels, the Données and
Méthode sheets' notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.wording.numbers import MEUR_UNIT, group_thousands, integer, meur
from fichex.wording.grammar import FLOW_NOUN, period, scope_name, years_line
from fichex.wording.model_text import COVER_TITLE
from fichex.wording.console import national_gap_line
from fichex.territories import MONACO_CODE

if TYPE_CHECKING:
    from fichex.aggregation.model import Fiche, FlowShare
    from fichex.wording.places import Place


EXCEL_MAX_ROWS = 1_048_576  # a worksheet's rows
EXPOSURE_SHEET_NAME = "Exposition"  # (the « Exposition et dépendances » section is at the end of this file)
XLSX_SHEETS = {
    "synthese": "Synthèse",
    "pays": "Pays",
    "activites": "Activités",
    "flux_export": "Flux export",
    "flux_import": "Flux import",
    "comparaison": "Comparaison",
    "exposition": EXPOSURE_SHEET_NAME,
    "evolution": "Évolution",
    "donnees": "Données",
    "methode": "Méthode",
}
XLSX_AUTHOR = "fichex"
XLSX_COMPANY = "Programme Territoires d'industrie"
XLSX_KEYWORDS = "commerce extérieur, douanes, DGDDI, exportations, importations, Territoires d'industrie"


def xlsx_title(name: str, year: int) -> str:
    """Document title: « Commerce extérieur – Creuse (2024) »."""
    return f"Commerce extérieur – {name} ({year})"


def xlsx_subject(code: str, name: str, region_name: str, noun: str = "département") -> str:
    """Document subject of a département's workbook: « … – département 23 Creuse, région Nouvelle-Aquitaine »
    (Monaco: « territoire 99 »)."""
    return f"{COVER_TITLE} – {noun} {code} {name}, région {region_name}"


def xlsx_period_line(year: int, code: str, region_name: str) -> str:
    """« Année 2024 – département 23 – région Nouvelle-Aquitaine »."""
    return f"Année {year} – département {code} – région {region_name}"


def xlsx_fiche_line(fiche: Fiche) -> str:
    """The period line under a sheet's title: « Année 2024 – département 23 – région Nouvelle-Aquitaine »,
    « Année 2024 – région 75 Nouvelle-Aquitaine », « Année 2024 – France entière »."""
    if fiche.level == "region":
        return f"Année {period(fiche)} – région {fiche.territory.code} {fiche.territory.nom}"
    if fiche.level == "france":
        return f"Année {period(fiche)} – {scope_name('france', fiche.territory.nom)}"
    line = xlsx_period_line(period(fiche), fiche.territory.code, fiche.region.nom)
    return line.replace("– département ", "– territoire ", 1) if fiche.territory.code == MONACO_CODE else line


# Amounts: the cells hold exact euros (what a sum, a formula or a pivot returns), so headers say « (€) »;
# their number format shows millions with the unit (« 675.8 M€ »), so no header says « M€ » over euros.
XLSX_MEUR_UNIT = MEUR_UNIT
XLSX_MEUR_NOTE = ("Montants en euros : chaque cellule contient la valeur exacte en euros, affichée en millions "
                  "d'euros («\u00a0675.8 M€\u00a0») ; une somme, une formule ou un tableau croisé donne des euros.")
XLSX_KEUR_UNIT = "k€"
XLSX_EUR_UNIT = "€"
XLSX_MEUR_OR_LESS_NOTE = ("Montants en euros : chaque cellule contient la valeur exacte en euros, affichée en millions "
                          "d'euros («\u00a0675.8 M€\u00a0»), en milliers sous 0.05 M€ («\u00a012.3 k€\u00a0»), en euros "
                          "sous 500 € ; une somme, une formule ou un tableau croisé donne des euros.")
XLSX_PAGE_FOOTER = "Page &P sur &N"
XLSX_DEMO_HEADER = "Données de démonstration (chiffres simulés)"

XLSX_KEY_FIGURES = "Chiffres clés"
XLSX_KEY_HEADERS = ("Indicateur", "Valeur (€)", "Part de la région", "Part de la France", "Rang national")


def key_headers(place: Place, coverage: FlowShare) -> tuple[str, ...]:
    """The Synthèse's key figures' headers: the shares and the rank the territory has (France: none; a région:
    no share of itself, its rank among régions; a DROM or Corse: no share of its région, which is itself)."""
    headers = ["Indicateur", "Valeur (€)"]
    headers += ["Part de la région"] if place.has_region_share else []
    partial = "" if coverage.france_complete else f" (données partielles : {coverage.departements_in_data} sur {coverage.departements_total})"
    headers += [f"Part de la France{partial}"] if place.has_france_share else []
    if place.ranked_among:
        headers.append("Rang national" if place.is_departement else f"Rang parmi les {place.ranked_among}")
    return tuple(headers)


XLSX_BALANCE = "Solde commercial"


def territories_heading(place: Place) -> str:
    """« Territoires d'industrie du département » (« … de la région »; France's alone)."""
    return "Territoires d'industrie" if place.level == "france" else f"Territoires d'industrie {place.of_the}"


XLSX_BUTTERFLY_HEADERS = ("Pays", "Importations (€)", "Exportations (€)", "Solde (€)")
# The butterfly's sides, under its value axis: said in words, left to right, because the order of a bar
# chart's legend differs between Excel and LibreOffice (see render/xlsx/synthese.py).
XLSX_BUTTERFLY_AXIS = "◄ Importations      millions d'euros (M€)      Exportations ►"
XLSX_TOP_TITLE = {"E": "Dix principales activités exportées", "I": "Dix principales activités importées"}
XLSX_TOP_HEADERS = {"E": ("Activité", "Exportations (€)", "Part des exportations"),
                    "I": ("Activité", "Importations (€)", "Part des importations")}


def activities_key(place: Place) -> str:
    """How to read the Synthèse's two bar charts of activities."""
    return (f"Les graphiques suivants classent les dix principales activités exportées {place.from_the} (en violet) "
            f"et importées {place.in_the} (en bleu), en millions d'euros ; la longueur des barres est "
            "proportionnelle à la valeur échangée.")


XLSX_PARTNER_HEADERS = ("Rang", "Code pays", "Pays", "Zone", "Importations (€)", "Exportations (€)",
                        "Solde (€)", "Échanges (€)", "Part des importations", "Part des exportations")
XLSX_ACTIVITY_HEADERS = ("Rang", "Code A129", "Activité", "Libellé court", "Code A38", "Groupe A38",
                         "Importations (€)", "Exportations (€)", "Solde (€)", "Part des importations",
                         "Part des exportations")
XLSX_PARTNERS_SHEET_TITLE = "Échanges par pays partenaire, {name} ({year})"
XLSX_ACTIVITIES_SHEET_TITLE = "Échanges par activité (A129), {name} ({year})"
XLSX_TOTAL = "Total"
XLSX_RANK = "Rang"
XLSX_FLOW_CORNER = {"E": "Produit \\ pays de destination", "I": "Pays d'origine \\ produit"}
XLSX_FLOW_UNIT = ("Cellules en euros exacts, affichées en millions d'euros (M€) ; couleur de fond proportionnelle "
                  "au flux ; en rouge, les cinq principaux flux.")



def comparison_title(place: Place, year: str) -> str:
    """« Comparaison : département, région, France (2024) », « Comparaison : région et France (2024) »."""
    scopes = {"departement": f"{place.noun}, région, France", "region": "région et France"}.get(place.level, "France")
    return f"Comparaison : {scopes} ({year})"

XLSX_SCOPE_LEVELS = ("Département", "Région", "France")
XLSX_COMPARISON_FIGURES = ("Indicateur", "Département", "Région", "France")
XLSX_COMPARISON_ROWS = ("Exportations (€)", "Importations (€)", "Solde commercial (€)",
                        "Part des exportations nationales", "Part des importations nationales")
XLSX_COMPARISON_BLOCKS = {
    "partners_E": "Dix principaux pays clients (exportations)",
    "partners_I": "Dix principaux pays fournisseurs (importations)",
    "activities_E": "Dix principales activités exportées",
    "activities_I": "Dix principales activités importées",
}
XLSX_COMPARISON_ITEM = {"partners": "pays", "activities": "activité"}


def xlsx_scope_header(level: str, name: str) -> str:
    """« Région : Nouvelle-Aquitaine », a column of the Comparaison key figures."""
    return f"{level} : {name}"


def xlsx_comparison_headers(level: str, item: str, flow: str) -> list[str]:
    """A territory's three columns in a Comparaison block: « Région : pays », « Région : exportations (€) »,
    « Région : part »."""
    return [f"{level} : {item}", f"{level} : {FLOW_NOUN[flow]} (€)", f"{level} : part"]


XLSX_DATA_TITLE = "Données détaillées – table prête pour un tableau croisé dynamique"


def xlsx_data_years_note(years: str, year: int) -> str:
    """Above the Données table: which years it holds (`years`, as years_line says them) and which one its
    filter shows."""
    return (f"Cette table contient plusieurs années ({years}). Le filtre de la colonne «\u00a0Année\u00a0» "
            f"n'affiche que {year}, l'année de la fiche : les lignes des autres années sont masquées, pas "
            "supprimées (menu du filtre pour les afficher).")


def xlsx_data_year_range(year: int) -> str:
    """The name of the fiche year's rows of the Données table, a PivotTable source: « Donnees_2024 »."""
    return f"Donnees_{year}"


def xlsx_data_pivot_note(year: int, exports_eur: float, imports_eur: float) -> str:
    """Above the Données table: which named range a PivotTable should read, and the totals of `year` to
    expect."""
    return (f"Tableau croisé dynamique : il lit toutes les lignes de sa source, masquées ou non. Pour {year} "
            f"seule, indiquez comme source la plage nommée «\u00a0{xlsx_data_year_range(year)}\u00a0» (les lignes "
            f"de {year}, placées en tête) ; pour comparer les années, la plage «\u00a0Donnees\u00a0», avec «\u00a0Année\u00a0» "
            "en filtre ou en colonnes, sans quoi les années s'additionnent. Contrôle : en "
            f"{year}, exportations {meur(exports_eur)}, importations {meur(imports_eur)}.")


def xlsx_data_print_note(n_rows: int) -> str:
    """The Données sheet's printed page: the table itself is left out of printing."""
    return (f"Le tableau ({group_thousands(str(n_rows))} lignes) n'est pas imprimé avec le classeur : pour en "
            "imprimer une partie, sélectionnez-la puis choisissez «\u00a0Imprimer la sélection\u00a0».")


XLSX_DATA_HEADERS = {
    "annee": "Année", "flux": "Flux", "libelle_flux": "Libellé flux", "code_departement": "Code département",
    "departement": "Département", "code_region": "Code région", "region": "Région", "code_a129": "Code A129",
    "produit": "Produit", "libelle_a129": "Libellé A129", "code_a38": "Code A38", "libelle_a38": "Libellé A38",
    "code_a10": "Code A10", "libelle_a10": "Libellé A10", "code_pays": "Code pays", "pays": "Pays",
    "zone": "Zone", "ue27": "UE27", "valeur_eur": "Valeur (€)",
}

XLSX_METHOD_TITLE = "Méthode, sources et limites"
XLSX_METHOD_LABELS = {
    "sources": "Sources",
    "source": "Source des données",
    "files": "Fichiers lus",
    "created": "Date des données",
    "units": "Unités",
    "donnees": "Feuille Données",
    "demonstration": "Données de démonstration",
    "years": "Années disponibles",
    "concepts": "Définitions",
    "caveats": "Limites",
    "national": "Écart au total national",
    "version": "Version de fichex",
    "command": "Commande",
}
XLSX_METHOD_UNITS = (
    "Les montants sont enregistrés en euros exacts dans chaque cellule (en-têtes «\u00a0(€)\u00a0») et affichés en "
    "millions d'euros par le format de la cellule («\u00a0675.8 M€\u00a0») : une somme, une formule ou un tableau croisé "
    "donne donc des euros. Les graphiques sont gradués en millions d'euros (M€)."
)


def xlsx_method_donnees(years: str, year: int) -> list[str]:
    """The Méthode's account of the Données sheet: every year (`years`, as years_line says them) in one
    table, the fiche's `year` filtered."""
    return [
        f"Une seule table, toutes années ({years}), pour permettre les comparaisons d'une année à "
        f"l'autre ; les lignes de {year}, l'année de la fiche, sont en tête, et un filtre sur la colonne "
        f"«\u00a0Année\u00a0» n'affiche qu'elles à l'ouverture. Un tableau croisé dynamique lit aussi les lignes masquées "
        f"par un filtre : il prend pour source la plage nommée «\u00a0{xlsx_data_year_range(year)}\u00a0» (l'année "
        "de la fiche seule, qui ne peut pas additionner les années) ou «\u00a0Donnees\u00a0» (toutes les années, avec "
        "«\u00a0Année\u00a0» en filtre ou en colonnes). Le tableau n'est pas imprimé avec le classeur.",
    ]


XLSX_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def xlsx_date(iso: str) -> str | None:
    """« 2025-06-13 » → « 13 juin 2025 » (« 1er » for the first of the month); None when not a date."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None
    return f"{'1er' if day.day == 1 else day.day} {XLSX_MONTHS[day.month - 1]} {day.year}"


def xlsx_data_date(created: str, demonstration: bool) -> str:
    """The Méthode's « Date des données »: the date the data carries and what it is, never an invented one."""
    day = xlsx_date(created)
    if day is None:
        return "non renseignée (la table de données ne porte pas de date)"
    if demonstration:
        return (f"{day} : date des fichiers de démonstration simulés (ni une date de publication de la DGDDI, "
                "ni celle de ce classeur)")
    return (f"{day} : date des fichiers de la DGDDI lus à l'import (leur dernière modification, en général "
            "leur téléchargement) ; ce n'est pas la date de ce classeur")


XLSX_YES = "oui"
XLSX_NO = "non"
XLSX_NONE = "—"


# The « Évolution » sheet (render/xlsx/evolution.py).
XLSX_EVOLUTION_TITLE = "Évolution des échanges, {name}"
XLSX_EVOLUTION_YEARS_TITLE = "Par année"
XLSX_EVOLUTION_YEARS_HEADERS = ("Période", "Année", "Exportations (€)", "Importations (€)", "Solde (€)",
                                "Évolution des exportations", "Évolution des importations", "Année partielle")
XLSX_EVOLUTION_QUARTERS_TITLE = "Par trimestre"
XLSX_EVOLUTION_QUARTERS_HEADERS = ("Période", "Année", "Trimestre", "Exportations (€)", "Importations (€)",
                                   "Solde (€)")
XLSX_EVOLUTION_PARTNERS_TITLE = "Principaux partenaires de {year}, année par année"
XLSX_EVOLUTION_PARTNERS_HEADERS = ("Pays", "Code pays", "Année", "Exportations (€)", "Importations (€)",
                                   "Solde (€)")
XLSX_EVOLUTION_CHART_AXIS = "millions d'euros (M€)"
XLSX_EVOLUTION_CHART_X = "Année (chaque point au milieu de sa période)"
XLSX_EVOLUTION_CHART_DATA = "Points du graphique (abscisse en années)"


def xlsx_evolution_years_note(fiche) -> str:
    """Under the partners' table: which years are partial."""
    return f"Années des données : {years_line(fiche)} ; une année partielle ne couvre que les trimestres indiqués."


XLSX_EVOLUTION_ONE_PERIOD = "Une seule période dans les données : pas de graphique d'évolution."


def detail_years_note(fiche) -> list[str]:
    """For the Méthode, when the Données sheet of a fiche could not hold every year."""
    return data_sheet_years_note(fiche.years_available, fiche.detail_years, len(fiche.detail))


def data_sheet_years_note(years_available: tuple[int, ...], detail_years: tuple[int, ...], n_rows: int) -> list[str]:
    """For the Méthode, when the Données sheet (`n_rows` rows of `detail_years`) could not hold every year
    of the data."""
    left_out = [y for y in years_available if y not in detail_years]
    if not left_out or not detail_years:
        return []
    shown = ", ".join(str(y) for y in detail_years)
    return [f"La feuille Données contient les années {shown} ({group_thousands(str(n_rows))} lignes) : "
            f"avec {', '.join(str(y) for y in left_out)}, elle dépasserait la limite d'Excel de {integer(EXCEL_MAX_ROWS)} lignes. "
            "Les autres années sont dans le dossier de données (fichex data info)."]


def national_gap_of(fiche) -> list[str]:
    """For the Méthode: the fiche year's national totals beside the regional sums, when a national file
    was imported."""
    lines = []
    for flow, share in (("E", fiche.exports), ("I", fiche.imports)):
        total = fiche.data.national_total(fiche.year, flow)
        if total is not None:
            lines.append(national_gap_line(fiche.year, flow, total[1], total[0], share.france_total_eur))
    return lines


EXPOSURE_SHARE_LABELS = {
    "E": ("Exportations vers les États-Unis", "Exportations vers la Chine", "Exportations vers l'UE27",
          "Exportations vers le premier client"),
    "I": ("Importations depuis les États-Unis", "Importations depuis la Chine", "Importations depuis l'UE27",
          "Importations depuis le premier fournisseur"),
}
EXPOSURE_SHEET_TITLE = "Exposition et dépendances, {name} ({year})"
EXPOSURE_SHARES_TITLE = "Part des principaux partenaires dans les échanges"
EXPOSURE_SHARES_HEADERS = ("Indicateur", "Département", "Région", "France")
EXPOSURE_US_TITLE = "Produits les plus exportés vers les États-Unis"
EXPOSURE_US_HEADERS = ("Produit", "Code A129", "Exportations vers les États-Unis (€)",
                       "Exportations du produit (€)", "Part des États-Unis")
EXPOSURE_DEPENDENCE_TITLE = "Dépendance à l'import : premier fournisseur des dix principaux produits importés"
EXPOSURE_DEPENDENCE_HEADERS = ("Produit", "Code A129", "Importations (€)", "Premier fournisseur",
                               "Part du premier fournisseur", "Plus de la moitié")


def exposure_hhi_title(place: Place) -> str:
    """« Concentration des échanges du département »."""
    return f"Concentration des échanges {place.of_the}"


EXPOSURE_HHI_HEADERS = ("Flux", "HHI des pays", "Lecture (pays)", "HHI des produits (A129)", "Lecture (produits)",
                        "Part des trois premiers pays")
EXPOSURE_FIRST_PARTNER_ROWS = {"E": "Premier client (pays)", "I": "Premier fournisseur (pays)"}
EXPOSURE_RANK_LABEL = "Rang national par la part des États-Unis dans les exportations (1er = le plus exposé)"
EXPOSURE_SHARE_NOTE = ("Parts en % du total du flux (les codes sans pays, comme l'avitaillement, comptent dans le "
                       "total mais ne sont jamais «\u00a0premier client\u00a0»).")


# --- The « Tableau croisé » sheet: two PivotTables over the Données range, computed on opening (issue 24) ---
XLSX_PIVOT_SHEET = "Tableau croisé"
XLSX_PIVOT_TITLE = "Tableaux croisés dynamiques, {year}"
XLSX_PIVOT_NAMES = {"pays": "Tableau_pays", "activites": "Tableau_activites"}  # the PivotTables' names
XLSX_PIVOT_HEADINGS = {"pays": "Par zone et pays", "activites": "Par activité (A38, puis A129)"}
XLSX_PIVOT_ROW_CAPTIONS = {"pays": "Zone et pays", "activites": "Activité"}
XLSX_PIVOT_VALUE = "Somme des valeurs"  # the data field: the sum of « Valeur (€) » (a name of its own: Excel refuses a field's)
XLSX_PIVOT_VALUES_CAPTION = "Valeurs"
XLSX_PIVOT_GRAND_TOTAL = "Total"
XLSX_PIVOT_CHECK = "Contrôle {year}"
XLSX_METHOD_PIVOT_LABEL = "Feuille Tableau croisé"


def xlsx_pivot_note(year: int, territory_header: str | None) -> str:
    """Above the two PivotTables: what they read, that they are computed on opening, the year filter, how to
    change their fields."""
    territory = (f" Le filtre «\u00a0{territory_header}\u00a0» (tous, à l'ouverture) isole une partie du territoire."
                 if territory_header else "")
    return ("Ces deux tableaux croisés dynamiques lisent la plage nommée «\u00a0Donnees\u00a0» (toute la feuille Données) "
            "et sont calculés par le tableur à l'ouverture du classeur : ils restent vides dans une visionneuse "
            f"qui ne calcule pas. Le filtre «\u00a0Année\u00a0» au-dessus de chacun est réglé sur {year}, l'année de la "
            f"fiche ; choisissez-en une autre pour comparer.{territory} Montants en euros (Excel les affiche en M€, "
            "LibreOffice en euros). Pour "
            "changer les champs : Excel, clic dans le tableau puis «\u00a0Liste de champs\u00a0» ; LibreOffice, clic droit "
            "puis «\u00a0Propriétés…\u00a0». Après une modification de la feuille Données : «\u00a0Actualiser\u00a0».")


def xlsx_data_pivot_sheet_note() -> str:
    """Above the Données table: the ready-made PivotTables of the « Tableau croisé » sheet."""
    return (f"La feuille «\u00a0{XLSX_PIVOT_SHEET}\u00a0» en contient deux, tout prêts, calculés à l'ouverture sur la "
            "plage «\u00a0Donnees\u00a0», filtrés sur l'année de la fiche.")


def xlsx_method_pivot(year: int) -> list[str]:
    """The Méthode's account of the « Tableau croisé » sheet."""
    return [
        f"Deux tableaux croisés dynamiques (zones et pays, activités A38 et A129, en lignes ; les flux en "
        f"colonnes ; la somme des valeurs en euros, affichée en M€ par Excel), sur la plage nommée «\u00a0Donnees\u00a0», filtrés sur {year} par le "
        "champ «\u00a0Année\u00a0». Le classeur ne contient que leur définition : le tableur les calcule à l'ouverture "
        "(actualisation automatique), leurs totaux sont donc ceux de la feuille Données. Pour changer leurs "
        "champs : Excel, «\u00a0Liste de champs\u00a0» ; LibreOffice, clic droit puis «\u00a0Propriétés…\u00a0». Vérifié avec "
        "LibreOffice ; Excel n'a pas pu être essayé.",
    ]


XLSX_EVOLUTION_GROWTH_KEY = ("Colonnes «\u00a0Évolution\u00a0» : l'évolution sur un an ; pour une année partielle, par "
                             "rapport aux mêmes trimestres de l'année précédente.")


def xlsx_data_combined_note(breakdown_sheet: str) -> str:
    """Above France's Données table and in its Méthode: its rows sum every territory of the data (no région or
    département column; the régions of the year are in `breakdown_sheet`)."""
    return ("Pour la France entière, chaque ligne additionne tous les départements et territoires des données : "
            "une ligne par année, flux, produit (A129) et pays partenaire, sans colonne de région ni de "
            f"département (la répartition par région de l'année est dans la feuille «\u00a0{breakdown_sheet}\u00a0»).")
