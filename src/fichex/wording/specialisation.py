"""« Spécialisation et compétitivité »: the words of the slide, its notes, the workbook's sheet and the commentary
sentence on what a territory is strong in (revealed comparative advantage, RCA), its first ranks, and the
shift-share decomposition of the change in its exports. Sentences are written for the territory's level from
its `Place` (a région « la région », ranked among régions; Monaco a territory)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fichex.wording.grammar import capitalise, period_label
from fichex.wording.numbers import decimal, format_pct, meur, no_break, signed_meur_label

if TYPE_CHECKING:
    from fichex.aggregation.model import ProductSpecialisation, ShiftShare, Specialisation, UnitValue
    from fichex.wording.places import Place


SPECIALISATION_TITLE = "Spécialisation et compétitivité"
SPECIALISATION_SHEET = "Spécialisation"
RCA_CHART_NAME = "Graphique – produits sur-représentés"
WATERFALL_CHART_NAME = "Graphique – décomposition de l'évolution des exportations"
MESSAGE_NAME = "Note – spécialisation"
FIRST_RANKS_NAME = "Premiers rangs à l'export"
LABEL_MAX_CHARS = 38  # a product's label on a chart's category axis, cut beyond
FIRST_RANKS_SHOWN = 3
EUR_PER_KG = "€/kg"

# The waterfall's bars, in order: the start, the three effects, the end.
EFFECT_LABELS = ("Effet national", "Effet de structure", "Effet local")
WATERFALL_SERIES = ("Base", "Hausse", "Baisse", "Total")


def format_rca(value: float) -> str:
    """An RCA index: two decimals below 10 (« 1.05 »), one above (« 149.1 »)."""
    return decimal(value, 2 if value < 10 else 1)


def eur_per_kg(value: float) -> str:
    """« 2.01 €/kg »."""
    return f"{decimal(value, 2)}\u00a0{EUR_PER_KG}"


def short_label(label: str) -> str:
    """A product's label cut to LABEL_MAX_CHARS (« … » where cut) for a chart's axis."""
    if len(label) <= LABEL_MAX_CHARS:
        return label
    return label[:LABEL_MAX_CHARS - 1].rstrip(" ,;") + "…"


def rca_category(product: ProductSpecialisation) -> str:
    """The bar's label: the product and its weight in the territory's exports, « Malt (22.5%) »."""
    return no_break(f"{short_label(product.libelle)} ({format_pct(product.share_pct, 1)})")


def years_compared(shift: ShiftShare) -> str:
    """« 2023 et 2024 », « 2024 (1er trimestre) et 2025 (1er trimestre) »."""
    return f"{period_label(shift.start_year, shift.quarters)} et {period_label(shift.end_year, shift.quarters)}"


def waterfall_categories(shift: ShiftShare) -> tuple[str, ...]:
    """The waterfall's five bars, each with its amount: « Exportations 2023 : 713.4 M€ », « Effet local :
    −26.5 M€ »…"""
    start = f"Exportations {period_label(shift.start_year, shift.quarters)}\n{meur(shift.start_exports_eur)}"
    end = f"Exportations {period_label(shift.end_year, shift.quarters)}\n{meur(shift.end_exports_eur)}"
    effects = [f"{label}\n{signed_meur_label(value)}"
               for label, value in zip(EFFECT_LABELS, (shift.national_eur, shift.mix_eur, shift.local_eur))]
    return (start, *effects, end)


def break_note(shift: ShiftShare) -> str:
    """What is said when the EMEBI break lies between the two years compared (empty otherwise)."""
    if not shift.break_inside:
        return ""
    return ("La rupture de série EMEBI de janvier 2022 se situe entre ces deux années : la comparaison appelle la "
            "prudence.")


def rca_chart_title() -> str:
    return "Produits sur-représentés (indice, France = 1)"


def waterfall_title(shift: ShiftShare | None) -> str:
    if shift is None:
        return "Évolution des exportations"
    return f"Évolution des exportations entre {years_compared(shift)}"


RCA_CAPTION = ("Entre parenthèses, le poids du produit dans les exportations. Indice = part du produit dans les "
               "exportations du territoire / sa part dans celles de la France.")
WATERFALL_AXIS_NOTE = "Axe des montants ne partant pas de zéro."
NO_COMPARABLE_YEAR = ("Aucune année comparable dans les données (mêmes trimestres, année précédente) : "
                      "décomposition non calculée.")
NO_PRODUCT = "Aucun produit sur-représenté parmi ceux qui pèsent au moins 1% des exportations."


def first_rank_phrase(place: Place, firsts: tuple[ProductSpecialisation, ...], shown: int = FIRST_RANKS_SHOWN,
                      counted: bool = True, cut: bool = True) -> str:
    """« 1er département exportateur de « Malt », « Pâte à papier » et 3 autres produits » (a région: « 1re région
    exportatrice »; Monaco: « 1er territoire exportateur »); « …, entre autres » when the others are not
    `counted`; labels cut for a slide (`cut`); empty without a first rank."""
    if not firsts:
        return ""
    feminine = place.rank_noun == "région"
    head = f"{'1re' if feminine else '1er'} {place.rank_noun} {'exportatrice' if feminine else 'exportateur'}"
    names = [f"«\u00a0{short_label(p.libelle) if cut else p.libelle}\u00a0»" for p in firsts[:shown]]
    rest = len(firsts) - len(names)
    if rest and counted:
        listed = ", ".join(names) + f" et {rest} autre{'s' if rest > 1 else ''} produit{'s' if rest > 1 else ''}"
    elif rest:
        listed = ", ".join(names) + ", entre autres"
    else:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return no_break(f"{head} de {listed}")


def first_rank_line(place: Place, firsts: tuple[ProductSpecialisation, ...]) -> str:
    """The first ranks as a line of their own (« 1er département exportateur de … . »); empty without one."""
    phrase = first_rank_phrase(place, firsts)
    return f"{capitalise(phrase)}." if phrase else ""


def slide_intro(place: Place) -> str:
    """The slide's opening line: what the two charts show (the years compared are in the right chart's title,
    the EMEBI break under it)."""
    plural = place.subject.startswith("les ")
    return (f"À gauche, les produits où {place.subject} {'sont' if plural else 'est'} le plus spécialisé{_e(place)} "
            f"par rapport à la France ; à droite, l'évolution de {'leurs' if plural else 'ses'} exportations en trois "
            "effets.")


def _e(place: Place) -> str:
    """The feminine or plural agreement of « spécialisé » with the place's subject."""
    subject = place.subject
    if subject.startswith("les "):
        return "s"
    return "e" if subject.startswith(("la ", "La ")) else ""


def rca_alt(place: Place, products: tuple[ProductSpecialisation, ...]) -> str:
    """Alternative text of the RCA bars."""
    if not products:
        return f"{rca_chart_title()} : {NO_PRODUCT}"
    parts = [f"{p.libelle} : indice {format_rca(p.rca_france)}, {format_pct(p.share_pct, 1)} des exportations"
             for p in products]
    return no_break(f"{rca_chart_title()}, {place.subject} : " + " ; ".join(parts) + ".")


def waterfall_alt(place: Place, shift: ShiftShare) -> str:
    """Alternative text of the waterfall."""
    steps = " ; ".join(c.replace("\n", " : ") for c in waterfall_categories(shift))
    return no_break(f"{waterfall_title(shift)}, {place.subject}, en cascade : {steps}.")


# --- Speaker notes ----------------------------------------------------------------------------------------------
def french_exports(complete: bool) -> str:
    """« les exportations françaises », or on data covering part of France, what the total is."""
    return ("les exportations françaises" if complete
            else "les exportations des départements présents dans les données (données partielles)")


def notes_rca(place: Place, with_region: bool, complete: bool = True) -> str:
    """How to read the index (`complete`: the data covers all of France)."""
    text = (f"Lire l'indice de spécialisation (avantage comparatif révélé, RCA) : la part d'un produit dans les "
            f"exportations {place.of_subject} divisée par sa part dans {french_exports(complete)}. Au-dessus de 1, "
            "le produit est sur-représenté ; au-dessous, sous-représenté.")
    if with_region:
        text += " Le classeur donne aussi l'indice par rapport à la région."
    return text


def notes_products(products: tuple[ProductSpecialisation, ...]) -> str:
    if not products:
        return NO_PRODUCT
    listed = ", ".join(f"{p.libelle} (indice {format_rca(p.rca_france)}, {format_pct(p.share_pct, 1)} des exportations)"
                       for p in products)
    return no_break(f"Produits les plus sur-représentés : {listed}.")


def notes_shift_share(place: Place, shift: ShiftShare | None, complete: bool = True) -> list[str]:
    """The change in exports and its three effects, one sentence each (`complete`: the data covers all of
    France)."""
    if shift is None:
        return [NO_COMPARABLE_YEAR]
    lines = [f"Entre {years_compared(shift)}, les exportations {place.of_subject} ont varié de "
             f"{signed_meur_label(shift.change_eur)}, somme de trois effets.",
             f"Effet national ({signed_meur_label(shift.national_eur)}) : la variation qu'elles auraient connue au "
             f"rythme de l'ensemble des {french_exports(complete)[4:]}.",
             f"Effet de structure ({signed_meur_label(shift.mix_eur)}) : ce qu'apporte la composition par produit, "
             "selon que ses produits ont progressé plus ou moins vite en France que l'ensemble des exportations.",
             f"Effet local ({signed_meur_label(shift.local_eur)}) : l'écart entre ses exportations de chaque produit "
             "et l'évolution nationale de ce produit, la part propre au territoire (compétitivité, sites, dédouanement)."]
    if note := break_note(shift):
        lines.append(note)
    return [no_break(line) for line in lines]


def notes_unit_values(values: tuple[UnitValue, ...]) -> str:
    """The unit values where masses cover enough of the value on both sides."""
    reliable = [u for u in values if u.reliable]
    if not reliable:
        return ("Valeurs unitaires (€/kg) non citées : les masses déclarées couvrent moins de 90% de la valeur des "
                "principaux produits.")
    listed = ", ".join(f"{u.libelle} {eur_per_kg(u.unit_value_eur_kg)} (France {eur_per_kg(u.france_unit_value_eur_kg)})"
                       for u in reliable)
    return no_break("Valeurs unitaires des principaux produits exportés, là où les masses couvrent au moins 90% de la "
                    f"valeur : {listed}. Une valeur au kilo plus élevée que celle de la France signale une gamme ou une "
                    "composition différente, pas à elle seule une meilleure compétitivité.")


def notes_clearance(place: Place) -> str:
    """The caveat on the place of customs clearance."""
    return ("Les chiffres des douanes suivent le lieu de dédouanement : un produit dédouané "
            f"{place.in_the} peut avoir été fabriqué ailleurs, et inversement. Un indice ou un rang élevé peut "
            "refléter un port, une plateforme logistique ou un siège plutôt qu'une production locale.")


# --- The commentary sentence (wording/commentary.py) -------------------------------------------------------------
def commentary_sentence(subject: str, plural: bool, place: Place,
                        firsts: tuple[ProductSpecialisation, ...]) -> str | None:
    """« La Creuse est le 1er département exportateur de « Services de soutien aux cultures ». » (at most
    COMMENTARY_FIRST_RANKS products named); None without a first rank."""
    if not firsts:
        return None
    phrase = first_rank_phrase(place, firsts, COMMENTARY_FIRST_RANKS, counted=False, cut=False)
    article = "la" if place.rank_noun == "région" else "le"
    return no_break(f"{capitalise(subject)} {'sont' if plural else 'est'} {article} {phrase}.")


COMMENTARY_FIRST_RANKS = 2


# --- The workbook's sheet ---------------------------------------------------------------------------------------
def sheet_title(name: str, period: str) -> str:
    return f"Spécialisation et compétitivité, {name} ({period})"


MEUR_AXIS = "millions d'euros"
SHEET_NOTE = ("Indice de spécialisation (RCA) = part du produit dans les exportations du territoire / sa part dans "
              "celles de la France (ou de la région) ; au-dessus de 1, le produit est sur-représenté. Les chiffres "
              "suivent le lieu de dédouanement.")
TOP_TITLE = "Produits les plus sur-représentés (pesant au moins 1% des exportations)"
TOP_HEADERS = ("Produit", "Code CPF4", "Part des exportations", "Indice RCA France", "Étiquette du graphique")
DECOMPOSITION_TITLE = "Décomposition de l'évolution des exportations (effets national, de structure, local)"
DECOMPOSITION_HEADERS = ("Étape", "Montant (€)", "Base du graphique (€)", "Hausse (€)", "Baisse (€)", "Total (€)")
UNIT_VALUES_TITLE = "Valeurs unitaires des principaux produits exportés (€/kg)"
UNIT_VALUES_HEADERS = ("Produit", "Code CPF4", "Exportations (€)", "Valeur unitaire (€/kg)",
                       "Valeur unitaire France (€/kg)", "Couverture en masse", "Couverture en masse France",
                       "Masse suffisante")
UNIT_VALUES_NOTE = ("Une valeur unitaire n'est donnée que là où les masses déclarées couvrent au moins 90% de la "
                    "valeur du produit.")
PRODUCTS_TITLE = "Tous les produits échangés (CPF4)"


def products_headers(place: Place, with_region: bool) -> tuple[str, ...]:
    """The products table's headers; « RCA région » only where the territory has a région other than itself."""
    return ("Libellé", "Code CPF4", "Exportations (€)", "Part des exportations", "RCA France",
            *(("RCA région",) if with_region else ()), f"Rang parmi les {place.ranked_among}",
            f"Nombre de {place.ranked_among} qui l'exportent", "Importations (€)", "Taux de couverture")


def decomposition_steps(shift: ShiftShare) -> tuple[str, ...]:
    """The decomposition table's first column: « Exportations 2023 », the three effects, « Exportations 2024 »."""
    return (f"Exportations {period_label(shift.start_year, shift.quarters)}", *EFFECT_LABELS,
            f"Exportations {period_label(shift.end_year, shift.quarters)}")
