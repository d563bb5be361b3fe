"""The deck's speaker notes (render/pptx/notes.py): what the presenter says on each slide, with this
territory's figures, and the local caveats' words and thresholds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple, Sequence

from fichex.aggregation.model import CAVEAT_DROM, CAVEAT_PARIS_ENERGY, CAVEAT_PARTIAL_YEAR, CAVEAT_PORTS
from fichex.wording.model_text import PARIS_ENERGY_CAVEAT, partial_year_caveat
from fichex.wording.numbers import format_meur, format_pct
from fichex.wording.grammar import FLOW_NOUN, scope_name

if TYPE_CHECKING:
    from fichex.aggregation.model import Caveat
    from fichex.wording.places import Place


DECK_NOTES_INTRO = ("Présenter le programme Territoires d'industrie et l'objet de la fiche : un regard départemental "
                    "sur le commerce extérieur, fondé sur les statistiques des Douanes.")
NOTES_INTRO_SCOPE = {"region": "un regard régional, département par département",
                     "france": "le commerce extérieur de la France, par région et par département"}


def notes_intro(place: Place) -> str:
    """What the presenter says of the introduction: the programme and the object of the fiche."""
    if place.level not in NOTES_INTRO_SCOPE:
        return DECK_NOTES_INTRO
    return (f"Présenter le programme Territoires d'industrie et l'objet de la fiche : {NOTES_INTRO_SCOPE[place.level]}, "
            "fondé sur les statistiques des Douanes.")


DECK_NOTES_CAVEATS = "Précautions de lecture :"
DECK_NOTES_CONTEXT = ("Situer la fiche dans l'actualité : tensions commerciales, menaces de surtaxes douanières, "
                      "besoin des industriels de connaître leur exposition et leurs dépendances.")


NOTES_DROM = ("Précaution propre aux départements d'outre-mer : les échanges avec la France métropolitaine ne sont "
              "pas du commerce extérieur ; seuls les échanges avec l'étranger sont comptés ici.")


def caveat_note(caveat: Caveat, place: Place, period: str, flows: tuple[str, ...]) -> str:
    """What the notes say of a caveat, for the flows of the slide (empty for the caveats said elsewhere: Corse's,
    Monaco's, the one-département région's on their slides, the EMEBI break on the evolution slide)."""
    if caveat.kind == CAVEAT_PORTS:
        shares = [f"{format_pct(share, 1)} de ses {FLOW_NOUN[flow]}" for flow, share in caveat.shares if flow in flows]
        return ports_note(place, " et ".join(shares)) if shares else ""
    if caveat.kind == CAVEAT_DROM:
        return NOTES_DROM
    if caveat.kind == CAVEAT_PARIS_ENERGY:
        return PARIS_ENERGY_CAVEAT
    if caveat.kind == CAVEAT_PARTIAL_YEAR:
        return partial_year_caveat(period)
    return ""


def ports_note(place: Place, shares: str) -> str:
    """The ports-and-hydrocarbons caveat of a territory whose hydrocarbons weigh `shares`."""
    return (f"Précaution propre à {place.this} : les hydrocarbures (pétrole brut, gaz, produits raffinés) "
            f"représentent {shares}. Leurs flux passent par les ports et les raffineries : ils ne disent pas que "
            f"le pétrole ou le gaz est produit ou consommé {place.in_the}.")


def single_region_note(place: Place, region: str) -> str:
    """Why a DROM's or Corse's fiche compares it with France alone: its région is itself (Corse: customs report
    Corse-du-Sud and Haute-Corse together, as 20)."""
    if place.is_corsica:
        return ("Les douanes publient la Corse-du-Sud (2A) et la Haute-Corse (2B) ensemble, sous le code 20 : ce "
                f"territoire est la région {region} entière. Ses parts régionales ne sont pas citées ; la comparaison "
                "se fait avec la France.")
    return (f"La région {region} ne compte qu'un département : ses parts régionales ne sont pas citées ; la "
            "comparaison se fait avec la France.")


def notes_cover(place: Place, region: str, period: str, territories: tuple[str, ...]) -> str:
    """Notes of the cover: who the fiche is about, its period, what it shows, its Territoires d'industrie."""
    if place.level == "france":
        listed = f"{len(territories)} Territoires d'industrie en France, chacun avec sa fiche par département."
    else:
        listed = (f"Territoires d'industrie {place.of_the} : {', '.join(territories)}." if territories
                  else f"Aucun Territoire d'industrie n'est recensé dans {place.this}.")
    who = {"departement": f"{place.name} ({place.code}, région {region})",
           "region": place.subject, "france": "la France"}[place.level]
    if place.is_monaco:
        who = f"{place.subject} ({place.code}, comptée par les douanes avec la région {region})"
    compared = {"departement": "comparés à la région et à la France", "region": "comparés à la France",
                "france": "de la France"}[place.level]
    if place.is_departement and not place.has_region_share:
        compared = "comparés à la France"
    return (f"Fiche commerce extérieur de {who}, données {period}. Elle présente les principaux pays partenaires, les "
            f"principales activités, puis les flux à l'export et à l'import {compared}. {listed}")


def notes_territories(place: Place, territories: tuple[str, ...]) -> str:
    """Notes of the introduction: the territory's Territoires d'industrie, or that there is none."""
    if not territories:
        return (f"Aucun Territoire d'industrie n'est recensé dans {place.this} ({place.name}) : la fiche éclaire ses "
                "échanges sans périmètre de programme.")
    count = f"{len(territories)} Territoire{'s' if len(territories) > 1 else ''} d'industrie"
    if place.level == "france":
        return (f"{count} en France, chacun avec ses départements : les chiffres de chaque Territoire d'industrie "
                "sont ceux de ses départements, l'échelle des Territoires d'industrie n'étant pas accessible dans les "
                "données douanières.")
    return (f"{count} {place.in_the} ({place.name}) : {', '.join(territories)}. Les chiffres restent départementaux : "
            "l'échelle des Territoires d'industrie n'est pas accessible dans les données douanières.")


def notes_key_figures(name: str, exports: str, imports: str, balance: str, export_rank: str, import_rank: str) -> str:
    """« En chiffres, Creuse : exportations … (rang), importations … (rang) ; solde … »."""
    ranked = lambda figure, rank: f"{figure} ({rank})" if rank else figure  # noqa: E731 (France: no rank)
    return (f"En chiffres, {name} : exportations {ranked(exports, export_rank)}, importations "
            f"{ranked(imports, import_rank)} ; {balance[0].lower() + balance[1:]}.")


def notes_partners(first_export: str, first_import: str, surplus: str, deficit: str, n: int, top: int) -> str:
    """Notes of the partners' slide: how many partners, the first client and supplier, the largest
    surplus and deficit (each left out when empty)."""
    lines = [f"{n} pays figurent sur le graphique : les {top} premiers clients et les {top} premiers fournisseurs.",
             f"Premier client : {first_export}. Premier fournisseur : {first_import}."]
    if surplus:
        lines.append(f"Plus fort excédent : {surplus}.")
    if deficit:
        lines.append(f"Plus fort déficit : {deficit}.")
    return " ".join(lines)


def unallocated_line(items: str) -> str:
    """The partner codes left out of the partner chart, with their trade."""
    return f"Hors pays (codes douaniers comptés dans les totaux) : {items}."


class TreemapOthers(NamedTuple):
    """A treemap block's « Autres », as drawn: its flow ("E", "I"), how many activities the block shows
    before it, whether it equals the flow chart's « autres » of goods, and how many goods that chart shows."""

    flow: str
    activities: int
    same_as_chart: bool
    chart_goods: int


def _beyond(n: int, feminine: bool = True) -> str:
    """« au-delà des 10 premières », « au-delà de la première »."""
    if n == 1:
        return "au-delà de la première" if feminine else "au-delà du premier"
    return f"au-delà des {n} premi{'ères' if feminine else 'ers'}"


def notes_activities(first_export: str, first_import: str) -> str:
    """Notes of the activities' slide: the first activity each way (what « Autres » holds follows, from
    `treemap_others_note`)."""
    return f"Première activité exportée : {first_export}. Première activité importée : {first_import}."


def treemap_others_note(others: Sequence[TreemapOthers]) -> str:
    """What the treemap's « Autres » holds, as drawn, and how it stands beside the flow charts' « autres »
    (the same where the treemap shows as many activities as the flow chart shows goods): empty without
    « Autres »."""
    if not others:
        return ""
    flows = {"E": "à l'export", "I": "à l'import"}
    autres = "«\u00a0Autres\u00a0»"
    if len({o.activities for o in others}) == 1:
        where = "de chaque bloc" if len(others) == 2 else flows[others[0].flow]
        held = f"{autres} regroupe les activités {_beyond(others[0].activities)} {where}"
    else:
        held = (f"{autres} regroupe les activités {_beyond(others[0].activities)} {flows[others[0].flow]} et "
                f"{_beyond(others[1].activities).replace('au-delà ', '')} {flows[others[1].flow]}")
    same = [o for o in others if o.same_as_chart]
    if len(same) == len(others):
        return f"{held}, comme la catégorie «\u00a0autres\u00a0» des graphiques de flux."
    if not same:
        return (f"{held} ; la catégorie «\u00a0autres\u00a0» des graphiques de flux regroupe les biens "
                f"{_beyond(others[0].chart_goods, feminine=False)}.")
    return f"{held} ; {flows[same[0].flow]}, c'est la catégorie «\u00a0autres\u00a0» des graphiques de flux."


def notes_flows(place: Place, flow: str, headline: str, rank: str, top_flow: str, top_share: str, top: int) -> str:
    """Notes of a flows slide: the headline and rank (when it is not already in the headline), the largest flow,
    the share of the top `top`."""
    kind = {"E": "biens exportés", "I": "pays d'origine"}[flow]
    lead = f"{headline} ; {rank}" if rank and rank not in headline else headline
    return (f"{lead}. Le flux le plus important : {top_flow}. Les {top} premiers {kind} font "
            f"{top_share} des {FLOW_NOUN[flow]} {place.of_the}.")


def notes_comparison(place: Place, flow: str, region: str, region_total: str, region_first: str,
                     france: str, france_total: str, france_first: str) -> str:
    """Notes of a comparison slide: the territory beside its région (where it has one other than itself) and
    France."""
    first = {"E": "premier bien exporté", "I": "premier pays d'origine"}[flow]
    if place.has_region_share:
        return (f"Comparer {place.name} à sa région et à la France. {region} : {region_total}, {first} : "
                f"{region_first}. {france} : {france_total}, {first} : {france_first}.")
    who = place.name if place.is_departement else place.subject
    return f"Comparer {who} à la France. {france} : {france_total}, {first} : {france_first}."


def notes_practical(period: str, source: str) -> str:
    """Notes of the practical information slide: the period and the source."""
    return (f"Données {period}. Source : {source}. Les liens et l'adresse de contact du programme figurent sur la "
            "diapositive.")


def notes_evolution(name: str, year_lines: list[str]) -> str:
    """Notes of the evolution slide: one line per year of the data."""
    return f"Évolution de {name} sur les années des données. " + " ; ".join(year_lines) + "."


def notes_evolution_partners(partners: list[tuple[str, list[tuple[int, float]]]]) -> str:
    """The main partners' exports, year by year, in the evolution slide's notes."""
    parts = [f"{name} " + ", ".join(f"{year} : {format_meur(value)} M€" for year, value in values)
             for name, values in partners]
    return "Exportations vers les principaux partenaires : " + " ; ".join(parts) + "."


def notes_map(nom: str, total_line: str, rank_line: str, per_inhabitant: str, per_inhabitant_rank: str) -> str:
    """Notes of the map slide: the territory's exports, rank and per-inhabitant figures, and how to read
    the classes."""
    ranked = f" ({per_inhabitant_rank})" if per_inhabitant_rank else ""
    return (f"{nom} dans la France des exportations : {total_line} ; {rank_line} ; {per_inhabitant}{ranked}. "
            f"Les couleurs classent les départements en cinq groupes de même effectif ; "
            "un département portuaire ou siège de grands groupes exporte plus que sa production locale.")


def notes_exposure(name: str, shares: str, us_products: str, dependences: str, concentration: str, rank: str) -> str:
    """Notes of the exposure slide: shares, products sent to the United States, dependences,
    concentration, rank."""
    return (f"Exposition de {name}. Parts : {shares}. Produits les plus exportés vers les États-Unis : "
            f"{us_products}. Dépendances à l'import : {dependences}. Concentration : {concentration}. {rank}.")


def notes_breakdown(level: str, name: str, lines: list[str]) -> str:
    """Notes of a région's or France's breakdown slide: each part's line, and what their sum is."""
    part = "ses départements" if level == "region" else "ses régions"
    return (f"Répartition de {scope_name(level, name)} entre {part} : {' ; '.join(lines)}. Leur somme est le "
            "total du territoire ; un département portuaire ou siège de grands groupes pèse plus que sa production.")


NOTES_SUMMARY = "L'essentiel, en phrases écrites à partir des chiffres de la fiche : {sentences}"
