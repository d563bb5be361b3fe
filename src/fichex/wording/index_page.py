"""The index page of an output folder (index.html: batch/index_page.py, render/index_html.py).
"""

from __future__ import annotations

from fichex.wording.model_text import DEMO_WARNING
from fichex.wording.numbers import decimal


INDEX_TITLE = "Fiches commerce extérieur – index du dossier"
INDEX_HEADING = "Fiches commerce extérieur par département"
INDEX_DEMO_TITLE = "Données de démonstration"
INDEX_DEMO_BADGE = "démonstration"
INDEX_CAPTION = "Fiches de ce dossier et leurs chiffres clés (montants en millions d'euros)"
INDEX_FILTER_LABEL = "Filtrer par nom, code ou région"
INDEX_FILTER_LABEL_YEARS = "Filtrer par nom, code, région ou année"  # when the folder holds several years
INDEX_FILTER_PLACEHOLDER = "ex. : Creuse, 87, Bretagne"
INDEX_SORT_HINT = ("Pour trier, activez un en-tête de colonne (clic, Entrée ou Espace) ; une seconde fois, "
                   "l'ordre s'inverse.")
INDEX_NO_MATCH = "Aucune fiche ne correspond à ce filtre."
INDEX_EMPTY = "Aucune fiche dans ce dossier."
# Column key → header. Shares and rank are those of the exports, as on the fiche's first figures.
INDEX_COLUMNS = {
    "code": "Code",
    "name": "Département",
    "region": "Région",
    "year": "Année",
    "exports": "Exportations (M€)",
    "imports": "Importations (M€)",
    "balance": "Solde (M€)",
    "share_region": "Exportations\u00a0: part de la région",  # no-break space: the colon never starts a line
    "share_france": "Exportations\u00a0: part de la France",
    "rank": "Exportations\u00a0: rang national",
    "documents": "Documents",
    "thumbnail": "Aperçu",
}
INDEX_LINK_LABELS = {"xlsx": "Excel", "pptx": "PowerPoint", "pdf": "PDF"}
INDEX_MISSING = "—"
INDEX_NOT_RECORDED = ("chiffres non enregistrés : fiche construite par une version antérieure de fichex ; "
                      "reconstruisez-la (fichex build … --force) pour les voir ici")
INDEX_PARTIAL_MARK = "*"
INDEX_PARTIAL_NOTE = "* part calculée sur les seuls départements présents dans les données"
INDEX_SOURCE = ("Source : DGDDI, statistiques départementales du commerce extérieur ; fiches produites par "
                "fichex. Les liens sont relatifs : le dossier peut être déplacé ou compressé en entier.")


def index_intro(n_fiches: int, years: list[int]) -> str:
    """« 3 fiches dans ce dossier (2024). »"""
    plural = "s" if n_fiches > 1 else ""
    when = f" ({', '.join(str(y) for y in years)})" if years else ""
    return f"{n_fiches} fiche{plural} dans ce dossier{when}."


def index_count(shown: int | str, total: int | str) -> str:
    """« Fiches affichées : 2 sur 3 » (the page's script fills the same words)."""
    return f"Fiches affichées : {shown} sur {total}"


def index_rank(rank: int, out_of: int, level: str = "departement") -> str:
    """« 1er sur 101 », « 90e sur 101 »; a région's « 10e région sur 18 »."""
    noun = " région" if level == "region" else ""
    return f"{rank}{'er' if rank == 1 else 'e'}{noun} sur {out_of}"


def index_heading(levels: set[str]) -> str:
    """The page's title: « … par département » while it lists only départements."""
    return INDEX_HEADING if levels <= {"departement"} else "Fiches commerce extérieur"


def index_column(key: str, levels: set[str]) -> str:
    """A column's header; « Territoire » rather than « Département » when régions or France are listed."""
    if key == "name" and not levels <= {"departement"}:
        return "Territoire"
    return INDEX_COLUMNS[key]


def index_file_size(size: int) -> str:
    """« 85 ko », « 1.2 Mo »."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} ko"
    return f"{decimal(size / 1_000_000, 1)} Mo"


def index_link_context(name: str, year: int, size: int) -> str:
    """Read by screen readers after a link's visible label: « Excel » → « Excel, fiche Creuse 2024, 139 ko »."""
    return f", fiche {name} {year}, {index_file_size(size)}"


def index_thumbnail_alt(name: str, year: int) -> str:
    """Alternative text of a fiche's thumbnail on the index page."""
    return f"Première diapositive de la fiche {name} {year} (ouvre le PDF)"


def index_line(path: str) -> str:
    """Under a build's summary: « Index des fiches : out/index.html »."""
    return f"Index des fiches : {path}"


def index_demo_text(all_demo: bool) -> str:
    """What follows « Données de démonstration » in the page's banner: the rest of DEMO_WARNING, and which
    fiches it concerns."""
    which = "toutes les fiches de ce dossier" if all_demo else "les fiches marquées «\u00a0démonstration\u00a0»"
    return f"{DEMO_WARNING.partition(' : ')[2]} ({which})."


INDEX_TERRITOIRE_FIGURES = "chiffres départementaux : voir le classeur et la présentation du territoire"


def index_territoire_name(name: str) -> str:
    """« Territoire d'industrie – Nord Franche-Comté », a Territoire d'industrie's row on the index page."""
    return f"Territoire d'industrie – {name}"


def index_territoire_departements(departements: tuple[tuple[str, str], ...]) -> str:
    """Under a Territoire d'industrie's name: « Départements : Doubs (25), Territoire de Belfort (90) »."""
    noun = "Départements" if len(departements) > 1 else "Département"
    return f"{noun}\u00a0: " + ", ".join(f"{name} ({code})" for code, name in departements)
