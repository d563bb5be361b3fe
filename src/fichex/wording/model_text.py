"""The ANCT model's own words (« Les indicateurs clés : commerce extérieur — Territoires d'industrie »,
2024 data): cover, introduction, context, caveats, keys, practical information, data concepts, and the lines
under a flow chart.

The model writes figures with a decimal point and a space between thousands (« 1 109.1 »), amounts in
millions of euros with one decimal (a trailing « .0 » dropped: « 207 millions d'euros »), the share of the
région with one decimal and the share of France with two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from fichex.wording.numbers import format_meur, format_pct
from fichex.aggregation.model import CAVEAT_EMEBI, CAVEAT_PARIS_ENERGY, CAVEAT_PARTIAL_YEAR
from fichex.wording.grammar import FLOW_NOUN, FLOW_PARTICIPLE, is_partial_period, period, quarters_phrase
from fichex.wording.numbers import ordinal
from fichex.wording.places import place_of

if TYPE_CHECKING:
    from fichex.aggregation.model import Fiche, FlowShare
    from fichex.wording.places import Place


DEMO_WARNING = (
    "Données de démonstration : chiffres simulés, calibrés sur les totaux publiés, "
    "ce ne sont pas des données douanières réelles"
)

COVER_TITLE = "Les indicateurs clés : commerce extérieur"
PROGRAMME = "Territoires d'industrie"


def total_line(flow: str, total_eur: float) -> str:
    """« Total des exportations : 675.8 millions d'euros »."""
    return f"Total des {FLOW_NOUN[flow]} : {format_meur(total_eur)} millions d'euros"


def share_of_region_line(flow: str, share: FlowShare, region_name: str) -> str:
    """« soit 2.5% de la valeur exportée par la région Nouvelle-Aquitaine »."""
    line = (f"soit {format_pct(share.share_of_region_pct, 1)} de la valeur {FLOW_PARTICIPLE[flow]} "
            f"par la région {region_name}")
    return line if share.region_complete else f"{line} {PARTIAL_REGION}"


def share_of_france_line(flow: str, share: FlowShare) -> str:
    """« soit 0.12% de la valeur exportée au niveau national »."""
    line = f"soit {format_pct(share.share_of_france_pct, 2)} de la valeur {FLOW_PARTICIPLE[flow]} au niveau national"
    return line if share.france_complete else f"{line} {partial_france(share)}"


PARTIAL_REGION = "(région incomplète dans les données : part sur les seuls départements présents)"


def partial_france(share: FlowShare) -> str:
    """« (données partielles : 2 départements sur 101) », for a national share computed on partial data."""
    return f"(données partielles : {share.departements_in_data} départements sur {share.departements_total})"


def rank_line(flow: str, share: FlowShare, place: Place) -> str:
    """« 90e département sur 101 pour les exportations » (« 10e région sur 18 … », « 98e territoire … » for
    Monaco; empty for France, ranked among nothing)."""
    if not place.ranked_among:
        return ""
    return f"{ordinal(share.rank)} {place.rank_noun} sur {share.n_departements} pour les {FLOW_NOUN[flow]}"


def balance_line(balance_eur: float) -> str:
    """« Solde commercial : +468.8 millions d'euros (excédent) »."""
    kind = "excédent" if balance_eur > 0 else "déficit" if balance_eur < 0 else "équilibre"
    sign = "+" if balance_eur > 0 else ""
    return f"Solde commercial : {sign}{format_meur(balance_eur)} millions d'euros ({kind})"


def headline_lines(fiche: Fiche, flow: str) -> list[str]:
    """The lines under a flow chart: the total, then the share of the région and the share of France where
    the territory has them; a territory without a share of its région (a région, a DROM, Corse) says its rank
    instead, France its total alone."""
    share, place = fiche.share(flow), place_of(fiche)
    lines = [total_line(flow, share.total_eur)]
    if place.has_region_share:
        lines.append(share_of_region_line(flow, share, fiche.region.nom))
    if place.has_france_share:
        lines.append(share_of_france_line(flow, share))
    if not place.has_region_share and place.ranked_among:
        lines.append(rank_line(flow, share, place))
    return lines


def cover_subtitle(departement_name: str, has_territories: bool = True) -> str:
    """« Territoires d'industrie – Creuse »; the département's name alone where no Territoire d'industrie
    lies (Paris), so the cover does not announce what the next line denies."""
    return f"{PROGRAMME} – {departement_name}" if has_territories else departement_name


def activities_title(name: str, year: int) -> str:
    """« Principales activités à l'export et à l'import, Creuse (2024) »."""
    return f"Principales activités à l'export et à l'import, {name} ({year})"


def partners_title(name: str, year: int) -> str:
    """« Principaux pays partenaires, Creuse (2024) »."""
    return f"Principaux pays partenaires, {name} ({year})"


def flows_title(flow: str, name: str, year: int, detailed: bool = True) -> str:
    """« Flux à l'export par produit et par pays, Creuse (en valeur, 2024) » or the short comparison title."""
    lead = (FLOWS_TITLE_DETAILED if detailed else FLOWS_TITLE_SHORT)[flow]
    return f"{lead}, {name} (en valeur, {year})"


FLOWS_TITLE_DETAILED = {"E": "Flux à l'export par produit et par pays", "I": "Flux à l'import par pays et par produit"}
FLOWS_TITLE_SHORT = {"E": "Flux à l'export", "I": "Flux à l'import"}


INTRODUCTION = (
    "Dans le cadre du programme Territoires d'industrie, copiloté par l'ANCT et la DGE, une première série "
    "de portraits socio-économiques territoriaux a été publiée en octobre 2024, en partenariat avec l'INSEE. "
    "Ce format se prolonge aujourd'hui par des publications thématiques, en lien avec les enjeux identifiés "
    "dans vos territoires. Ce nouveau numéro est ainsi consacré au commerce extérieur, un sujet au cœur de "
    "l'actualité économique.",
    "Souvent analysé à l'échelle nationale, nous proposons ici un regard départemental — l'échelon le plus fin "
    "disponible — à travers une sélection d'indicateurs et d'infographies, fondés sur les statistiques établies "
    "par les Douanes.",
)
INTRODUCTION_SCOPE = {
    "region": ("Souvent analysé à l'échelle nationale, nous proposons ici un regard régional, qui s'appuie sur "
               "l'échelon départemental, le plus fin disponible, à travers une sélection d'indicateurs et "
               "d'infographies, fondés sur les statistiques établies par les Douanes."),
    "france": ("Le commerce extérieur de la France est présenté ici à travers une sélection d'indicateurs et "
               "d'infographies, avec sa répartition par région et par département, l'échelon le plus fin disponible, "
               "fondés sur les statistiques établies par les Douanes."),
}


def introduction(place: Place) -> tuple[str, ...]:
    """The model's introduction; its second paragraph said of a région's or France's fiche."""
    if place.level in INTRODUCTION_SCOPE:
        return (INTRODUCTION[0], INTRODUCTION_SCOPE[place.level])
    return INTRODUCTION


def context(year: int | str) -> tuple[str, ...]:
    """The model's « Contexte », its data year put in (« fondée sur les données douanières de 2024 »)."""
    of_year = f"de la période {year}" if is_partial_period(str(year)) else f"de {year}"
    return (
        "Face aux profondes mutations du commerce mondial, l'ouverture des industries et la nature des flux "
        "commerciaux exposent les territoires à de nouvelles menaces comme à de nouvelles opportunités.",
        "Depuis le début de l'année 2025, la montée en puissance des menaces de surtaxes douanières émanant des "
        "États-Unis a renforcé les tensions commerciales internationales. Dans ce contexte, l'incertitude "
        "s'accroît pour les industriels, qui s'interrogent de plus en plus sur leur exposition et leur dépendance "
        "aux chaînes de valeur mondiales, tant à l'importation qu'à l'exportation. Cette situation incite les "
        "acteurs économiques à diversifier leurs partenaires, sécuriser leurs approvisionnements et saisir de "
        "nouvelles opportunités de développement, afin de mieux s'adapter à un environnement commercial en "
        "recomposition.",
        "Pourtant, la traduction territoriale de ces évolutions reste encore peu étudiée. Cette publication, fondée "
        f"sur les données douanières {of_year}, propose ainsi un état des lieux par département : elle met en "
        "lumière les principales activités exportatrices et importatrices, les pays partenaires les plus "
        "importants, et permet de situer chaque territoire par rapport à la moyenne nationale.",
        "Grâce à ce nouvel éclairage, les Territoires d'industrie disposent d'un outil de lecture pour mieux "
        "comprendre leur position dans les échanges internationaux dans le contexte économique actuel.",
    )


CAVEATS_INTRO = (
    "Les infographies présentées permettent d'avoir des ordres de grandeur des grands équilibres actuels, "
    "mais comportent certaines limites :"
)
CAVEATS = (
    "Les données sont établies selon le lieu de dédouanement, qui ne reflète pas toujours le lieu de production. "
    "Par exemple, un bien fabriqué dans un département A peut être exporté depuis un département B. Les chiffres "
    "dépendent ainsi des chaînes logistiques mises en place en interne par les entreprises.",
    "De manière similaire, la présence de grandes infrastructures de transport peut introduire des biais. Par "
    "exemple, les zones industrialo-portuaires concentrent les importations d'hydrocarbures, ce qui ne signifie "
    "pas que l'usage en est fait exclusivement dans les départements correspondants.",
    "Enfin, l'échelle infra-départementale, notamment celle des Territoires d'industrie, n'est pas accessible à "
    "ce jour. Pour les territoires interdépartementaux, il est recommandé de consulter les fiches des différents "
    "départements concernés.",
)


PARIS_ENERGY_CAVEAT = (
    "Par convention de la DGDDI, les importations de gaz naturel par gazoduc et d'électricité sont comptées à "
    "Paris (75) : elles gonflent les importations du département sans être consommées sur place."
)
EMEBI_BREAK_CAVEAT = (
    "Depuis janvier 2022, l'enquête EMEBI a remplacé la déclaration d'échanges de biens pour les échanges avec "
    "l'Union européenne : les données ouvertes, brutes de collecte, connaissent une rupture de série entre 2021 "
    "et 2022, surtout pour les échanges intra-UE ; les comparaisons entre années sont à faire avec prudence."
)
# The caveats of the Méthode and the caveats slide, in that order, by kind (aggregation/caveats.py decides which
# apply); the others are said in the speaker notes (wording/notes.py).
METHOD_CAVEATS = (CAVEAT_PARIS_ENERGY, CAVEAT_PARTIAL_YEAR, CAVEAT_EMEBI)


def partial_year_caveat(period: str) -> str:
    """« Année partielle : les chiffres de 2025 ne couvrent que le 1er trimestre ; … »."""
    year = period.split(" (", 1)[0]
    return (f"Année partielle : les chiffres de {year} ne couvrent que {quarters_phrase(period)} ; ils ne se "
            "comparent pas à ceux d'une année entière.")


def caveat_texts(kinds: Iterable[str], period: str) -> tuple[str, ...]:
    """The sentences of the Méthode's caveats that apply (`kinds`, CAVEAT_* of the fiche), in their order."""
    texts = {CAVEAT_PARIS_ENERGY: PARIS_ENERGY_CAVEAT, CAVEAT_EMEBI: EMEBI_BREAK_CAVEAT}
    present = set(kinds)
    return tuple(texts[k] if k in texts else partial_year_caveat(period) for k in METHOD_CAVEATS if k in present)


def caveats_of(fiche) -> tuple[str, ...]:
    """Every caveat of a fiche's Méthode: the model's, then those that apply to the fiche."""
    return (*CAVEATS, *caveat_texts((c.kind for c in fiche.caveats), period(fiche)))


def sources_line(year: int | str) -> str:
    """The model's « Sources » sentence, for the year or the partial period of the data."""
    when = f"la période {year}" if is_partial_period(str(year)) else f"l'année {year}"
    return (f"Les infographies reposent sur les données départementales et régionales du commerce extérieur pour "
            f"{when}, produites par la Direction générale des Douanes et Droits indirects et accessibles "
            f"en open data.")


def partners_intro(place: Place) -> str:
    """The model's introduction to the partners' chart, of the fiche's territory."""
    return ("Cette première infographie identifie les principaux pays concernés par des relations commerciales "
            f"avec {place.the}, en prenant en compte les principaux pays à l'import et à l'export. Cette vision "
            "d'ensemble permet d'apprécier les grands équilibres commerciaux locaux vis-à-vis de l'extérieur.")


PARTNERS_KEY = (
    "Clé de lecture : pour chaque pays, figurent à gauche le montant des importations et à droite celui des "
    "exportations. Le delta constitue la balance commerciale, indiquée en rouge ou en vert selon qu'elle est "
    "négative ou positive."
)


def activities_key(place: Place) -> str:
    """The model's key of the activities' treemap, of the fiche's territory."""
    return ("Le graphique suivant représente les principales activités concernées par les échanges commerciaux "
            f"internationaux à l'échelle {place.scale}. Figurent en bleu les biens importés {place.in_the}, en "
            f"violet les biens exportés {place.from_the}. L'aire des compartiments est proportionnelle à "
            "l'importance du bien concerné dans sa catégorie d'échange, ce qui permet d'identifier les principales "
            "activités concernées à l'import et à l'export, ainsi que la balance globale.")


def flows_key(flow: str, place: Place) -> str:
    """The model's key of a flows' Sankey, of the fiche's territory."""
    if flow == "E":
        return ("Pour aller plus loin dans l'analyse, le graphique suivant représente les flux d'exportations (quel "
                f"produit est exporté vers quel pays). Sont représentés les dix premiers biens exportés {place.from_the} "
                "ainsi que les dix principaux pays acheteurs. La catégorie «\u00a0autres\u00a0» comprend les biens et les pays "
                "au-delà de ce classement des dix premiers. Pour faciliter la lecture, les cinq principaux flux (tel "
                "produit vers telle destination) sont représentés en rouge.")
    return ("De manière similaire, le graphique suivant représente les flux d'importations (quel pays vend quel "
            f"produit). Sont représentés les dix principaux pays vendeurs ainsi que les dix premiers biens importés "
            f"{place.in_the}. La catégorie «\u00a0autres\u00a0» comprend les pays et les biens au-delà de ce classement des dix "
            "premiers. Pour faciliter la lecture, les cinq principaux flux (telle origine pour tel produit) sont "
            "représentés en rouge.")


def flows_sides(flow: str, place: Place) -> str:
    """What the left and right of a flows' Sankey show."""
    if flow == "E":
        return f"Figurent à gauche les principaux biens exportés {place.from_the}, à droite les pays de destination."
    return f"Figurent à gauche les principaux pays d'origine, à droite les biens importés {place.in_the}."


def comparison_intro(flow: str, place: Place) -> str:
    """The comparison slide's introduction: with the région and the country, or the country alone where no
    région stands above the territory (a région, a DROM, Corse)."""
    what = {"E": "exportations", "I": "importations"}[flow]
    others = "de la région et du pays" if place.has_region_share else "du pays"
    return (f"La situation {place.scale} des {what} représentée page précédente peut être comparée à celle "
            f"{others}{' :' if flow == 'E' else '.'}")


# « Informations pratiques », in the model's words; the links and the contact come from brand.toml
# (render/brand.py). Each entry: (kind, text) with kind « p » a paragraph, « link » a bulleted link,
# « heading » a heading; {contact} is the programme's address.
PRACTICAL = "Ce document a pour objectif de dresser un état des lieux territorialisé du commerce extérieur, à "\
    "destination des acteurs locaux, dans un contexte douanier en forte évolution."
PRACTICAL_PORTRAITS = (
    "Si vous souhaitez en savoir plus sur les caractéristiques socio-économiques de vos Territoires d'industrie, "
    "une série de portraits a été publiée en octobre 2024. Vous pouvez les consulter à l'adresse suivante :"
)
PRACTICAL_PORTRAITS_LINK = "Portraits socio-économiques des Territoires d'Industrie"
PRACTICAL_ASSEMBLY = (
    "Pour en savoir plus sur le programme Territoires d'Industrie, nous vous invitons à consulter la synthèse "
    "présentée lors de la dernière Assemblée générale, le 27 mai dernier. Vous y trouverez un récapitulatif des "
    "actions en cours ainsi que les perspectives pour l'année 2025 :"
)
PRACTICAL_ASSEMBLY_LINK = "Dossier de presse de la dernière Assemblée générale"
PRACTICAL_CONTACT = ("Enfin, vous pouvez contacter le programme Territoires d'Industrie au niveau national à "
                     "l'adresse {contact}.")
PRACTICAL_FURTHER = "Pour aller plus loin :"
DATA_CONCEPTS = (
    "Valeurs en euros courants ; exportations FAB (franco à bord), importations CAF (coût, assurance, fret).",
    "Données régionales de la DGDDI, brutes de collecte (sans correction de la non-réponse), hors matériel militaire et hors estimations des déclarations "
    "tardives et des échanges intra-UE sous le seuil déclaratif : leur somme diffère du chiffre national "
    "officiel.",
    "Produits regroupés selon la nomenclature agrégée NA 2008 (niveau A129, groupes A38) ; pays selon la "
    "géonomenclature (codes ISO 3166-1 alpha-2 et codes spéciaux de la DGDDI).",
)
