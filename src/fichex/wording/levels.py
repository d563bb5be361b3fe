"""Fiches of a région and of France (issue 13): the département's wording turned to the fiche's level, the
breakdown of the parts, the titles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.wording.numbers import format_meur, format_pct
from fichex.wording.grammar import scope_name
from fichex.wording.deck import no_territory

if TYPE_CHECKING:
    from fichex.wording.places import Place


BREAKDOWN_TITLE = {"region": "Les départements de la région", "france": "Les régions"}
BREAKDOWN_SHEET = {"region": "Départements", "france": "Régions"}
BREAKDOWN_PART = {"region": "Département", "france": "Région"}
BREAKDOWN_CHART_NAME = "Graphique – répartition par territoire"
DECK_COMPARISON_FRANCE_TITLES = {"E": "Exportations : la France", "I": "Importations : la France"}
COVER_FIGURES_NOTE = {
    "region": "Chiffres régionaux : la somme des départements de la région dans les données douanières",
    "france": "Chiffres nationaux : la somme des départements dans les données douanières régionales",
}


def level_title(level: str, name: str) -> str:
    """How the fiche's territory is named on its cover: « Creuse », « Région Nouvelle-Aquitaine »,
    « France entière »."""
    if level == "region":
        return f"Région {name}"
    return scope_name(level, name)


def territories_summary(place: Place, territories: tuple[str, ...]) -> str:
    """A région's or France's Territoires d'industrie in one paragraph: « 21 Territoires d'industrie : A, B… »."""
    if not territories:
        return no_territory(place)
    count = f"{len(territories)} Territoire{'s' if len(territories) > 1 else ''} d'industrie"
    return f"{count} : {', '.join(territories)}" if place.level == "region" else (
        f"{count} en France, chacun avec sa fiche par département")


def breakdown_chart_title(level: str, name: str, year_label: str) -> str:
    """« Exportations et importations par département, Nouvelle-Aquitaine (2024) »."""
    part = "département" if level == "region" else "région"
    return f"Exportations et importations par {part}, {scope_name(level, name)} ({year_label})"


def breakdown_line(name: str, exports_eur: float, share_pct: float) -> str:
    """« Pyrénées-Atlantiques : 4 646.2 M€ (17.4%) »."""
    return f"{name} : {format_meur(exports_eur)} M€ ({format_pct(share_pct, 1)})"


def breakdown_comment_head(level: str, n: int) -> str:
    """« Exportations des 12 départements et leur part du total : », above the breakdown lines."""
    part = "départements" if level == "region" else "régions"
    return f"Exportations des {n} {part} et leur part du total :"


def breakdown_alt(level: str, name: str, year_label: str, parts: list[tuple[str, float, float]]) -> str:
    """Alternative text of the breakdown chart: its title, then each part's exports and imports in M€."""
    shown = " ; ".join(f"{n} : exportations {format_meur(e)} M€, importations {format_meur(i)} M€"
                       for n, e, i in parts)
    return f"{breakdown_chart_title(level, name, year_label)}. {shown}."


def own_flows_note(name: str) -> str:
    """Said instead of the région's Sankey in a région's own fiche."""
    return f"{name} : ses flux figurent page précédente."


def map_target_line_france() -> str:
    """The map's target line on France's fiche: every département is coloured, none outlined."""
    return "France entière : chaque département à sa couleur"


def breakdown_headers(level: str) -> tuple[str, ...]:
    """The headers of the breakdown sheet (« Départements » of a région, « Régions » of France)."""
    part = BREAKDOWN_PART[level]
    return ("Rang", f"Code {part.lower()}", part, "Exportations (€)", "Importations (€)", "Solde (€)",
            "Part des exportations", "Part des importations")


def level_headers(level: str) -> tuple[str, ...]:
    """The territories' columns of a région's (« Région », « France ») or France's (« France ») tables."""
    return ("Région", "France") if level == "region" else ("France",)


def exposure_rank_of(n: int, place: Place) -> str:
    """« sur 101 départements », « sur 18 régions »."""
    return f"sur {n} {place.ranked_among}"
