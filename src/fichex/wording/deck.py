"""The PowerPoint deck's words (render/pptx/): slide titles, short keys, alternative texts, shape names, the
evolution, map (« Position en France ») and exposure slides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.wording.numbers import MILLION, format_meur, format_pct, growth_text, integer, meur, ordinal
from fichex.wording.grammar import FLOW_LABEL, period_label
from fichex.wording.model_text import COVER_TITLE

if TYPE_CHECKING:
    from fichex.wording.places import Place


DECK_INTRO_TITLE = "Introduction"
DECK_CONTEXT_TITLE = "Contexte et méthodologie"
DECK_CONTEXT_HEADING = "Contexte"
DECK_CAVEATS_TITLE = "Précisions méthodologiques"
DECK_PARTNERS_TITLE = "Balance commerciale territoriale"
DECK_ACTIVITIES_TITLE = "Principales activités à l'export et à l'import"
DECK_FLOW_TITLES = FLOW_LABEL
DECK_COMPARISON_TITLES = {"E": "Exportations : la région et la France", "I": "Importations : la région et la France"}
DECK_PRACTICAL_TITLE = "Informations pratiques"
DECK_SOURCES_HEADING = "Sources et définitions"
DECK_SOURCE_LABEL = "Source des données :"


def territories_heading(place: Place) -> str:
    """« Territoires d'Industrie du département » (the model's capital), « … de la région », France's alone."""
    return "Territoires d'Industrie" if place.level == "france" else f"Territoires d'Industrie {place.of_the}"


def no_territory(place: Place) -> str:
    """« Aucun Territoire d'industrie recensé pour ce département » (« … dans la région »)."""
    where = f"pour {place.this}" if place.is_departement else place.in_the
    return f"Aucun Territoire d'industrie recensé {where}"


DECK_UNIT_NOTE = "Montants en millions d'euros ; un solde peut différer d'un dixième de l'écart affiché (écarts d'arrondi)."
DECK_BALANCE_HEADER = "Solde"
DECK_SERIES = FLOW_LABEL
DECK_FLOWS_UNIT = "Montants en millions d'euros."
DECK_BELOW_TENTH = "moins de 0.1 M€"
DECK_AT_FLOW = {"E": "à l'export", "I": "à l'import"}
DECK_KEYWORDS = "commerce extérieur; douanes; DGDDI; exportations; importations; Territoires d'industrie"
DECK_DEMO_BANNER_NAME = "Avertissement – données de démonstration"
DECK_BUTTERFLY_NAME = "Graphique – principaux pays partenaires"
DECK_TREEMAP_NAME = "Treemap – principales activités"
DECK_SANKEY_NAME = {"E": "Sankey – flux à l'export", "I": "Sankey – flux à l'import"}


def deck_year_line(year: int | str) -> str:
    """« Données 2024 » under the cover subtitle."""
    return f"Données {year}"


def deck_butterfly_title(name: str, year: int) -> str:
    """« Principaux pays à l'import et à l'export, Haute-Vienne (2024) » (model wording)."""
    return f"Principaux pays à l'import et à l'export, {name} ({year})"


def deck_butterfly_alt(name: str, year: int) -> str:
    """Alternative text of the partners' butterfly chart: what it shows and how (the partners follow)."""
    return (f"Graphique en barres horizontales des principaux pays partenaires, {name} ({year}) : importations à "
            "gauche en bleu, exportations à droite en violet, solde en vert (positif) ou rouge (négatif), en "
            "millions d'euros. ")


def deck_treemap_alt(name: str, year: int, top_exports: str, top_imports: str, balance: str) -> str:
    """Alternative text of the activities treemap: colours, area, the first activities, the balance."""
    return (f"Treemap des principales activités, {name} ({year}) : biens importés en bleu, biens exportés en "
            f"violet, aire proportionnelle à la valeur. Premières exportations : {top_exports}. Premières "
            f"importations : {top_imports}. {balance}.")


def deck_sankey_alt(flow: str, scope_label: str, year: int, total: str, flows: str) -> str:
    """Alternative text of a flows Sankey: direction, `total`, the five main `flows`."""
    what = {"E": f"Diagramme de flux des exportations, {scope_label} ({year}), des biens (à gauche) vers les pays "
                 "(à droite)",
            "I": f"Diagramme de flux des importations, {scope_label} ({year}), des pays (à gauche) vers les biens "
                 "(à droite)"}[flow]
    return f"{what}. {total}. Cinq principaux flux, en rouge : {flows}."


# « Évolution » (render/pptx/evolution.py, render/pptx/notes.py).
DECK_EVOLUTION_TITLE = "Évolution"
DECK_EVOLUTION_NAME = "Graphique – évolution des échanges"
DECK_MEUR_AXIS = "millions d'euros"
EVOLUTION_GROWTH_KEY = ("Entre parenthèses, l'évolution sur un an ; pour une année partielle, par rapport aux mêmes "
                        "trimestres de l'année précédente.")
EVOLUTION_SINCE_BREAK = ("Toutes les années présentées suivent la collecte EMEBI (depuis janvier 2022) : elles se "
                         "comparent entre elles.")


EVOLUTION_BREAK_LABEL = "Rupture EMEBI (janv. 2022)"
EVOLUTION_BREAK_LINE_NAME = "Repère – rupture de série EMEBI"
EVOLUTION_BREAK_LABEL_NAME = "Étiquette – rupture de série EMEBI"


def evolution_chart_title(name: str, by_quarter: bool) -> str:
    """« Exportations et importations par année, Creuse (en valeur) » (or « par trimestre »)."""
    return f"Exportations et importations par {'trimestre' if by_quarter else 'année'}, {name} (en valeur)"


def evolution_year_line(year: int, quarters: tuple[int, ...], exports_eur: float, imports_eur: float,
                        exports_growth: float | None, imports_growth: float | None) -> str:
    """« 2024 : exportations 675.8 M€ (-5.3 %), importations 207.0 M€ (+7.8 %) »."""
    # A no-break space before « M€ »: the unit never starts a line of the side panel.
    return (f"{period_label(year, quarters)} : exportations {format_meur(exports_eur)}\u00a0M€"
            f"{growth_text(exports_growth)}, importations {format_meur(imports_eur)}\u00a0M€"
            f"{growth_text(imports_growth)}")


def evolution_alt(name: str, categories: list[str], exports: list[float], imports: list[float]) -> str:
    """Alternative text of the evolution chart: each period's exports and imports in M€."""
    points = "; ".join(f"{c} : exportations {format_meur(e)} M€, importations {format_meur(i)} M€"
                       for c, e, i in zip(categories, exports, imports))
    return f"Évolution des exportations (violet) et des importations (bleu), {name}, en millions d'euros : {points}."


DECK_SINGLE_REGION_NOTE_NAME = "Note – région monodépartementale"
SERIES_KEY_NAME = "Légende – {series}"
DECK_AUTHOR = "fichex"


def deck_title(name: str, year: int) -> str:
    """Document title of a deck: « Les indicateurs clés : commerce extérieur – Creuse (2024) »."""
    return f"{COVER_TITLE} – {name} ({year})"


# Names and alternative texts of shapes (str.format templates): the deck's balance column and comparison
# Sankeys, and the shapes inside the drawings (render/treemap.py, render/sankey.py).
DECK_BALANCE_BOX_NAME = DECK_BALANCE_HEADER + " – {partner}"
DECK_BALANCE_ALT = DECK_BALANCE_HEADER + " {partner} : {value} M€"
DECK_COMPARISON_SANKEY_NAME = "{sankey} – {scope}"
DRAWING_PART_NAME = "{drawing} – {part}"
TREEMAP_COMPARTMENT_NAME = "{flow} – {label}"
TREEMAP_COMPARTMENT_ALT = "{flow} – {label} : {value}"
SANKEY_RIBBON_NAME = "Flux {source} – {target}"
SANKEY_NODE_NAME = "Nœud {label}"
SANKEY_NODE_ALT = "{label} : {value}"
SANKEY_LABEL_NAME = "Étiquette {label}"
BUTTERFLY_PARTNER_ALT = "{name} : importations {imports}, exportations {exports}, solde {balance}"
SANKEY_FLOW_ALT = "{source} → {target} {value}"


def sankey_ribbon_alt(source: str, target: str, value_eur: float, total_eur: float) -> str:
    """« Boissons → Belgique : 12 M€ (3.4 %) »."""
    share = f" ({format_pct(100 * value_eur / total_eur, 1)})" if total_eur else ""
    return f"{source} → {target} : {meur(value_eur)}{share}"


def single_departement_region_note(place: Place, region_name: str) -> str:
    """Said instead of a second Sankey when the région is the territory (DROM, Corse)."""
    if place.is_corsica:
        return f"Région {region_name} (2A et 2B, publiés ensemble sous le code 20) : flux page précédente."
    return f"Région {region_name} : un seul département, dont les flux figurent page précédente."


def drawing_block_total(flow: str, value_eur: float) -> str:
    """« Importations : 207.0 M€ », above a treemap block."""
    return f"{FLOW_LABEL[flow]} : {meur(value_eur)}"


TREEMAP_KEY_ENTRY_NAME = "Légende {number} – {label}"
SANKEY_LEADER_NAME = "Trait de rappel {label}"


DECK_MAP_TITLE = "Position en France"
MAP_GROUP_NAME = "Carte – exportations par département"
MAP_SHAPE_NAME = "Département {code} – {nom}"
MAP_TARGET_OUTLINE_NAME = "Contour du département {code} – {nom}"
MAP_LEGEND_TITLE = "Exportations, M€"
MAP_LEGEND_NAME = "Légende carte {number} – {label}"
MAP_INSET_NAME = "Encart {code} – {nom}"
MAP_MARKER_NAME = "Repère du département {code} – {nom}"
MAP_NOT_AVAILABLE = "non disponible"
MAP_MONACO_NOTE = "Monaco (99), trop petit pour la carte, n'est pas représenté."
MAP_INSETS_NOTE = "Outre-mer en encarts, à gauche, à des échelles différentes."
MAP_NO_POPULATION = "Par habitant : sans objet, faute de population recensée par l'INSEE"


def map_insets_note(names: list[str]) -> str:
    """« Outre-mer en encarts, à gauche, de haut en bas : Guadeloupe, … (échelles différentes). »"""
    if not names:
        return MAP_INSETS_NOTE
    return f"Outre-mer en encarts, à gauche, de haut en bas : {', '.join(names)} (échelles différentes)."
MAP_KEY = ("Cinq classes d'effectifs égaux (quintiles) : plus la couleur est foncée, plus le département "
           "exporte.")
MAP_SOURCE = "Contours : IGN GEOFLA 2016, Licence Ouverte."


def map_target_line(nom: str, drawn: bool = True) -> str:
    """« Creuse (contour noir sur la carte) » (« entourée » would need the gender: the wording avoids it)."""
    return f"{nom} ({'contour noir sur la carte' if drawn else 'trop petit pour être représenté sur la carte'})"


def map_chart_title(year_label: str) -> str:
    """« Exportations par département, 2024 »."""
    return f"Exportations par département, {year_label}"


def map_rank_line(rank: int, total: int) -> str:
    """« 91e sur 101 pour les exportations »."""
    return f"{ordinal(rank)} sur {total} pour les exportations"


def map_total_line(value_eur: float) -> str:
    """« Exportations : 123.4 M€ »."""
    return f"Exportations : {format_meur(value_eur)} M€"


def map_per_inhabitant_line(value_eur: float | None) -> str:
    """« 5 600 € par habitant » (to the hundred euros), or why there is none (no population: Monaco)."""
    if value_eur is None:
        return MAP_NO_POPULATION
    return f"{integer(round(value_eur, -2))}\u00a0€ par habitant"


def map_per_inhabitant_rank_line(rank: int | None, total: int, n_territories: int | None = None) -> str:
    """« 40e sur 100 par habitant », saying why fewer are ranked than by exports (a territory without population,
    Monaco, is not); empty without a rank."""
    if rank is None:
        return ""
    unranked = (n_territories or total) - total
    why = "" if unranked <= 0 else (" (Monaco, sans population recensée, n'est pas classé)" if unranked == 1 else
                                    f" ({unranked} territoires sans population recensée ne sont pas classés)")
    return f"{ordinal(rank)} sur {total} par habitant{why}"


def map_class_label(low_eur: float, high_eur: float, first: bool, last: bool) -> str:
    """Legend of one quantile class, in whole millions: « moins de 121 », « 121 à 380 », « 2 400 et plus »."""
    low, high = integer(low_eur / MILLION), integer(high_eur / MILLION)
    if first:
        return f"moins de {high}"
    if last:
        return f"{low} et plus"
    return f"{low} à {high}"


def map_shape_alt(nom: str, value_eur: float, year_label: str) -> str:
    """« Creuse : exportations 123.4 M€ en 2024 »."""
    return f"{nom} : exportations {format_meur(value_eur)} M€ en {year_label}"


def map_group_alt(nom: str, year_label: str, rank_line: str, total_line: str, skipped: str) -> str:
    """Alternative text of the map: what it colours, the target's figures, what is not drawn."""
    return (f"Carte de France des exportations par département en {year_label}, en cinq classes. {nom} : "
            f"{total_line}, {rank_line}. {skipped}".strip())


# Exposition et dépendances (aggregation/exposure.py): the slide and its notes; the sheet's labels are in
# wording/workbook.py.
EXPOSURE_TITLE = "Exposition et dépendances"
EXPOSURE_LEVELS = ("Département", "Région", "France")
# Short category labels of the slide's chart, in the chart's order.
EXPOSURE_CHART_CATEGORIES = ("Export : États-Unis", "Export : Chine", "Export : UE27", "Export : 1er client",
                             "Import : États-Unis", "Import : Chine", "Import : UE27", "Import : 1er fournisseur")
EXPOSURE_CHART_NAME = "Graphique – exposition par partenaire"
HHI_BAND_LABEL = {"peu_concentre": "peu concentré", "moderement_concentre": "modérément concentré",
                  "tres_concentre": "très concentré"}
HHI_SOURCE = ("Seuils de lecture de l'indice de Herfindahl-Hirschman (HHI, de 0 à 10\u202f000) : moins de 1\u202f500 peu "
              "concentré, de 1\u202f500 à 2\u202f500 modérément concentré, plus de 2\u202f500 très concentré. Ils viennent des "
              "lignes directrices sur les concentrations horizontales du ministère de la Justice et de la "
              "Federal Trade Commission des États-Unis (Horizontal Merger Guidelines, 2010) ; ils ne servent ici "
              "qu'à décrire la répartition des échanges.")


def exposure_chart_title(name: str, year: int | str) -> str:
    """« Part des partenaires dans les échanges, Creuse (2024) – en % », the exposure slide's chart."""
    return f"Part des partenaires dans les échanges, {name} ({year}) – en %"


def exposure_hhi_line(flow: str, hhi_partners: float, band: str, top3_pct: float) -> str:
    """« Exportations : HHI des pays 985 (peu concentré) ; trois premiers pays 45.0 % »."""
    return (f"{FLOW_LABEL[flow]} : HHI des pays {integer(hhi_partners)} ({HHI_BAND_LABEL[band]}) ; "
            f"trois premiers pays {format_pct(top3_pct, 1)}")


def exposure_rank_line(rank: int, n: int, us_pct: float, place: Place) -> str:
    """« États-Unis : 13.1% des exportations, 21e département sur 101 par cette part » (no rank for
    France)."""
    if not place.ranked_among:
        return f"États-Unis : {format_pct(us_pct, 1)} des exportations"
    return f"États-Unis : {format_pct(us_pct, 1)} des exportations, {ordinal(rank)} {place.rank_noun} sur {n} par cette part"


def exposure_dependence_line(n_dependent: int, n_products: int) -> str:
    """How many of the first `n_products` imported products depend on one country for more than
    half: « 3 produits dont un seul pays fournit plus de la moitié (sur les 10 premiers produits importés) »."""
    if n_dependent == 0:
        return f"Aucun des {n_products} premiers produits importés ne dépend pour plus de la moitié d'un seul pays"
    products = "produit dont un seul pays fournit" if n_dependent == 1 else "produits dont un seul pays fournit"
    return f"{n_dependent} {products} plus de la moitié (sur les {n_products} premiers produits importés)"


EXPOSURE_FIRST_CLIENT = "Premier client"
EXPOSURE_FIRST_SUPPLIER = "Premier fournisseur"


def exposure_first_line(role: str, country: str, pct: float) -> str:
    """« Premier client : Pologne (17.4%) »."""
    return f"{role} : {country} ({format_pct(pct, 1)})"


EXPOSURE_HHI_KEY = ("HHI : indice de concentration (de 0 à 10\u202f000) ; plus il est élevé, plus les échanges "
                    "dépendent de peu de pays.")


def exposure_first_partners_note(firsts: list[tuple[str, str]]) -> str:
    """Who « 1er client » is on each bar when it is not the same country everywhere: « Les barres « 1er client »
    comparent des pays différents : Pologne (Creuse), Allemagne (Nouvelle-Aquitaine, France). »; empty when it
    is the same country."""
    countries = list(dict.fromkeys(country for _, country in firsts if country))
    if len(countries) < 2:
        return ""
    said = "\u00a0; ".join(f"{country} ({', '.join(scope for scope, c in firsts if c == country)})" for country in countries)
    return f"Les barres «\u00a01er client\u00a0» comparent des pays différents\u00a0: {said}."


EXPOSURE_COMMENT_UNIT = ("Parts en % du total de chaque flux ; «\u00a01er client\u00a0» et «\u00a01er fournisseur\u00a0» : ceux de chaque "
                         "territoire. «\u00a0Peu\u00a0», «\u00a0modérément\u00a0», «\u00a0très\u00a0» concentré : seuils des autorités de la "
                         "concurrence des États-Unis (DOJ/FTC), à titre descriptif.")


def exposure_single_region_note(region: str) -> str:
    """Said instead of the région's column when the région is the territory itself."""
    return f"{region} : la région est ici le territoire lui-même ; elle n'est pas répétée."


DECK_SUMMARY_TITLE = "L'essentiel"

# The rank (1 to 5) written on each of a Sankey's five highlighted flows: a sign beside their red, for a reader who
# does not tell the colours apart.
SANKEY_RANK_NAME = "Rang du flux {rank} – {source} – {target}"
# … and what the numbers say, beside the chart (not only its colour carries the meaning)
SANKEY_RANKS_KEY = "Les cinq flux en rouge portent leur rang, de 1 (le plus important) à 5."


def page_title(title: str, of: str) -> str:
    """A page's title, naming `of` after its subject where a deck holds the same pages for several
    territories (« Principaux pays partenaires – Doubs (25) »); the title alone otherwise."""
    return f"{title} – {of}" if of else title
