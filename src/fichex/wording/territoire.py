"""A Territoire d'industrie's deck and workbook (render/pptx/territoire.py, render/xlsx/territoire.py): one
document holding the fiches of its départements, since customs data stops at the département.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.territories import CORSICA_CODE
from fichex.wording.numbers import format_meur, meur
from fichex.wording.model_text import PARTIAL_REGION, PROGRAMME, partial_france

if TYPE_CHECKING:
    from fichex.aggregation.model import FlowShare


INTERDEPARTMENTAL_ADVICE = ("Pour les territoires interdépartementaux, il est recommandé de consulter les fiches "
                            "des différents départements concernés.")  # the model's words (CAVEATS, last one)
TI_DEPARTEMENTAL_FIGURES = ("Chiffres départementaux : les données douanières ne descendent pas sous le "
                            "département ; chaque chiffre porte sur un département entier, pas sur le seul "
                            "territoire.")
TI_DEPARTEMENTS_HEADING = "Départements du territoire"
TI_COMPARISON_TITLE = "Les départements du territoire côte à côte"
TI_COMPARISON_TABLE_NAME = "Tableau – départements du territoire"
TI_COMPARISON_ROWS = ("Exportations", "Importations", "Solde commercial", "Part des exportations de la région",
                      "Part des importations de la région", "Part des exportations de la France",
                      "Part des importations de la France", "Rang national à l'export", "Rang national à l'import",
                      "Premier pays client", "Premier pays fournisseur")
TI_COMPARISON_UNIT = ("Montants en millions d'euros ; parts de la région et de la France de chaque département ; "
                      "rang parmi les départements de France.")
TI_SECTION_NEXT = "Les pages suivantes présentent la fiche de ce département entier."
TI_INTRO_NOTES = ("Présenter le programme Territoires d'industrie et l'objet du document : le territoire n'a pas de "
                  "chiffres douaniers propres ; il réunit les fiches de ses départements, l'échelon le plus fin "
                  "disponible.")
TI_NONE = "aucun"
TI_CORSICA_NOTE = ("Corse (20) : les données douanières ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse "
                   "(2B) ; les chiffres sont ceux de la Corse entière.")


def ti_partial_notes(shares: list[FlowShare]) -> list[str]:
    """Said under the comparison when a share is of a total the data holds only in part (one région's files
    imported, say), as the département's fiche says it beside each share."""
    lines = []
    if any(not s.region_complete for s in shares):
        lines.append(f"Parts de la région {PARTIAL_REGION}.")
    partial = [s for s in shares if not s.france_complete]
    if partial:
        lines.append(f"Parts de la France et rangs {partial_france(partial[0])}.")
    return lines


def ti_code_notes(codes: list[str]) -> list[str]:
    """What a reader must know about the départements' codes: Corse read as one territory (« 20 »)."""
    return [TI_CORSICA_NOTE] if CORSICA_CODE in codes else []


def ti_comparison_notes(fiches) -> list[str]:
    """Under the départements compared: Corse read as one territory, shares of totals held in part."""
    shares = [share for f in fiches for share in (f.exports, f.imports)]
    return ti_code_notes([f.territory.code for f in fiches]) + ti_partial_notes(shares)


def ti_cover_subtitle(name: str) -> str:
    """« Territoires d'industrie – Nord Franche-Comté »."""
    return f"{PROGRAMME} – {name}"


def ti_departement_label(name: str, code: str) -> str:
    """« Doubs (25) »."""
    return f"{name} ({code})"


def ti_departement_line(name: str, code: str, region: str) -> str:
    """« Doubs (25) – région Bourgogne-Franche-Comté », on the cover."""
    return f"{ti_departement_label(name, code)} – région {region}"


def ti_subject(name: str, departements: list[str]) -> str:
    """Document subject: the territory and its départements."""
    return f"{ti_cover_subtitle(name)} : {', '.join(departements)}"


def ti_section_position(index: int, count: int, territoire: str, region: str) -> str:
    """« Département 1 sur 3 du territoire Nord Franche-Comté – région Bourgogne-Franche-Comté », or « Seul
    département du territoire … » for a territory within one département."""
    lead = "Seul département" if count == 1 else f"Département {index} sur {count}"
    return f"{lead} du territoire {territoire} – région {region}"


def ti_section_figures(exports_eur: float, imports_eur: float, balance_eur: float) -> str:
    """« Exportations 675.8 M€ · importations 207 M€ · solde +468.8 M€ »."""
    sign = "+" if balance_eur > 0 else ""
    return (f"Exportations {meur(exports_eur)} · importations {meur(imports_eur)} · "
            f"solde {sign}{meur(balance_eur)}")


def ti_rank(rank: int, count: int) -> str:
    """« 12e sur 101 »."""
    return f"{rank}{'er' if rank == 1 else 'e'} sur {count}"


def ti_partner(name: str, value_eur: float) -> str:
    """« Allemagne (123.4 M€) »."""
    return f"{name} ({format_meur(value_eur)} M€)"


def ti_comparison_alt(name: str, year: int | str, columns: list[str]) -> str:
    """Alternative text of the comparison table: what it shows, a column per département."""
    return (f"Tableau comparant les départements du territoire {name} ({year}), une colonne par département : "
            + " ; ".join(columns) + ".")


def ti_notes_cover(name: str, departements: list[str], period: str) -> str:
    """Notes of a Territoire d'industrie's cover: the territory, its départements, the period, and
    why its figures are départemental."""
    return (f"Fiche commerce extérieur du Territoire d'industrie {name}, données {period}. Le territoire couvre "
            f"{len(departements)} département{'s' if len(departements) > 1 else ''} : {', '.join(departements)}. "
            f"{TI_DEPARTEMENTAL_FIGURES} Le document présente les départements côte à côte, puis la fiche de "
            "chacun.")


def ti_notes_comparison(lines: list[str]) -> str:
    """Notes of the départements side by side: the comparison's notes in one paragraph."""
    return "Les départements du territoire côte à côte. " + " ".join(lines)


def ti_notes_section(name: str, index: int, count: int) -> str:
    """Notes of a département's section in a Territoire d'industrie's deck."""
    which = "seul département" if count == 1 else f"département {index} sur {count}"
    return f"Fiche de {name}, {which} du territoire : chiffres du département entier."


TI_XLSX_SHEETS = {"departements": "Départements", "donnees": "Données", "methode": "Méthode"}
TI_XLSX_TITLE = "Départements du Territoire d'industrie {name} ({year})"
TI_XLSX_HEADERS = ("Code", "Département", "Région", "Exportations (€)", "Importations (€)", "Solde (€)",
                   "Part des exportations de la région", "Part des importations de la région",
                   "Part des exportations de la France", "Part des importations de la France",
                   "Rang national à l'export", "Rang national à l'import", "Premier pays client",
                   "Premier pays client (€)", "Premier pays fournisseur", "Premier pays fournisseur (€)")
TI_XLSX_CHART_TITLE = "Exportations et importations des départements (M€)"


def ti_xlsx_period_line(period: str, departements: list[str]) -> str:
    """« Année 2024 – départements Doubs (25), Haute-Saône (70) »."""
    return f"Année {period} – départements {', '.join(departements)}"


def ti_comparison_elsewhere(region: str, first: str) -> str:
    """A département's section, when an earlier département of the same région showed the région's and
    France's flows: where to find them (they are not repeated)."""
    return (f"Les flux de la région {region} et de la France, les mêmes pour chaque département de la région, "
            f"sont comparés dans les pages de {first}.")
