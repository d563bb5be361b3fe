"""The words of the domain and how sentences name things: flows, levels, a territory with its article
(INSEE's TNCC), periods and quarters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.wording.numbers import ordinal

if TYPE_CHECKING:
    from fichex.aggregation.model import FlowShare


FLOW_NOUN = {"E": "exportations", "I": "importations"}
FLOW_LABEL = {"E": "Exportations", "I": "Importations"}
OTHERS_LABEL = "Autres"
FRANCE = "France"
EU27_LABEL = {True: "UE27", False: "Hors UE27"}
FLOW_PARTICIPLE = {"E": "exportée", "I": "importée"}


def scope_name(level: str, name: str, share: FlowShare | None = None, short: bool = False) -> str:
    """How a territory is named in titles: « France entière » for France; on data covering part of France
    (`share.france_complete` false), « France, données partielles (25 départements sur 101) », or « France
    partielle » where a title has no room (`short`: the count is then said beside it)."""
    if level != "france":
        return name
    if share is not None and not share.france_complete:
        return "France partielle" if short else (
            f"France, données partielles ({share.departements_in_data} départements sur {share.departements_total})")
    return "France entière"


def quarters_phrase(period: str) -> str:
    """« 1er trimestre » → « le 1er trimestre », « 1er et 2e trimestres » → « les 1er et 2e trimestres »,
    « 1er au 3e trimestre » → « du 1er au 3e trimestre »."""
    quarters = period.split(" (", 1)[-1].rstrip(")")
    if " au " in quarters:
        return "la période du " + quarters
    return ("les " if quarters.endswith("trimestres") else "le ") + quarters


def quarter_label(year: int, quarter: int) -> str:
    """« 2024 T1 »."""
    return f"{year} T{quarter}"


def period_label(year: int, quarters: tuple[int, ...] = ()) -> str:
    """« 2024 » for a complete year; « 2025 (1er trimestre) », « 2025 (1er et 2e trimestres) »,
    « 2025 (1er au 3e trimestre) » for a year the data covers only in part (brackets, not a colon: the period
    is often followed by one, « 2025 (1er trimestre) : exportations … »)."""
    present = sorted(set(quarters) - {0})
    if not present or 0 in quarters or len(present) == 4:
        return str(year)
    if len(present) == 1:
        return f"{year} ({ordinal(present[0])} trimestre)"
    if present == list(range(present[0], present[-1] + 1)) and len(present) > 2:
        return f"{year} ({ordinal(present[0])} au {ordinal(present[-1])} trimestre)"
    return f"{year} (" + ", ".join(ordinal(q) for q in present[:-1]) + f" et {ordinal(present[-1])} trimestres)"


def is_partial_period(period: str) -> bool:
    """Whether a period label (period_label) names part of a year."""
    return " (" in period


def years_line(fiche) -> str:
    """The years of the data, a partial one with its quarters: « 2022, 2023, 2024, 2025 (1er trimestre) »."""
    if not fiche.quarters_by_year:
        return ", ".join(str(y) for y in fiche.years_available) or period(fiche)
    return ", ".join(period_label(year, quarters) for year, quarters in fiche.quarters_by_year)


def period(fiche) -> str:
    """The period a fiche covers, as every title shows it (see period_label)."""
    return period_label(fiche.year, fiche.quarters)


# INSEE's TNCC → (article, « de » + article): « la Creuse », « de la Creuse ».
_ARTICLES = {2: ("le ", "du "), 3: ("la ", "de la "), 4: ("les ", "des "), 5: ("l'", "de l'")}
_VOWELS = "AEIOUYÂÊÎÔÉÈËÏ"


def capitalise(text: str) -> str:
    """`text` with its first letter in capital (« son » → « Son »), the rest unchanged."""
    return text[:1].upper() + text[1:]


def territory_forms(nom: str, tncc: int | None) -> tuple[str, str, bool]:
    """How a sentence names a territory from INSEE's type of name (TNCC): (subject, « de » form, plural):
    (« la Creuse », « de la Creuse », False), (« les Bouches-du-Rhône », « des Bouches-du-Rhône », True),
    (« Paris », « de Paris », False); without a TNCC, the first letter decides between « de » and « d' »."""
    if tncc is None:
        tncc = 1 if nom[:1].upper() in _VOWELS else 0
    if tncc in _ARTICLES:
        article, of = _ARTICLES[tncc]
        return article + nom, of + nom, tncc == 4
    return nom, ("d'" if tncc == 1 else "de ") + nom, False


def fiche_forms(fiche) -> tuple[str, str, bool]:
    """territory_forms of the fiche's territory: a région is « la région Bretagne » (always right, where
    région names take various articles), France « la France »."""
    if fiche.level == "region":
        return f"la région {fiche.territory.nom}", f"de la région {fiche.territory.nom}", False
    if fiche.level == "france":
        return "la France", "de la France", False
    return territory_forms(fiche.territory.nom, fiche.territory.tncc)


def activity_name(activity) -> str:
    """An activity as sentences and the JSON name it: its short label, else its label."""
    return activity.libelle_court or activity.libelle
