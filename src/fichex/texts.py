"""Every sentence, title and number phrasing fichex shows to users, in the words of the model fiche.

The model (ANCT, « Les indicateurs clés : commerce extérieur — Territoires d'industrie », 2024 data)
writes figures with a decimal point and a space between thousands (« 1 109.1 »), amounts in millions
of euros with one decimal (a trailing « .0 » dropped: « 207 millions d'euros »), the share of the
région with one decimal and the share of France with two.
"""

from __future__ import annotations

from fichex.model import Fiche, FlowShare

MILLION = 1_000_000.0

DEMO_WARNING = (
    "Données de démonstration : chiffres simulés, calibrés sur les totaux publiés, "
    "ce ne sont pas des données douanières réelles"
)
DEMO_SHORT = "Données de démonstration"

COVER_TITLE = "Les indicateurs clés : commerce extérieur"
PROGRAMME = "Territoires d'industrie"

FLOW_NOUN = {"E": "exportations", "I": "importations"}
FLOW_PARTICIPLE = {"E": "exportée", "I": "importée"}


def group_thousands(text: str) -> str:
    """Insert a space every three digits of the integer part of a formatted number."""
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("-")
    whole, _, decimals = digits.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + (f".{decimals}" if decimals else "")


def format_meur(value_eur: float) -> str:
    """Millions of euros as the model writes them: « 675.8 », « 1 109.1 », « 207 »."""
    text = f"{value_eur / MILLION:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    if text == "-0":
        text = "0"
    return group_thousands(text)


def format_meur_fixed(value_eur: float) -> str:
    """Millions of euros with one decimal always shown (« 207.0 »), for tables and labels."""
    return group_thousands(f"{value_eur / MILLION:.1f}")


def format_pct(value: float, decimals: int) -> str:
    """A percentage with a fixed number of decimals: « 2.5% », « 0.12% »."""
    return f"{value:.{decimals}f}%"


def total_line(flow: str, total_eur: float) -> str:
    """« Total des exportations : 675.8 millions d'euros »."""
    return f"Total des {FLOW_NOUN[flow]} : {format_meur(total_eur)} millions d'euros"


def share_of_region_line(flow: str, share: FlowShare, region_name: str) -> str:
    """« soit 2.5% de la valeur exportée par la région Nouvelle-Aquitaine »."""
    return (f"soit {format_pct(share.share_of_region_pct, 1)} de la valeur {FLOW_PARTICIPLE[flow]} "
            f"par la région {region_name}")


def share_of_france_line(flow: str, share: FlowShare) -> str:
    """« soit 0.12% de la valeur exportée au niveau national »."""
    return f"soit {format_pct(share.share_of_france_pct, 2)} de la valeur {FLOW_PARTICIPLE[flow]} au niveau national"


def rank_line(flow: str, share: FlowShare) -> str:
    """« 90e département sur 101 pour les exportations »."""
    suffix = "er" if share.rank == 1 else "e"
    return f"{share.rank}{suffix} département sur {share.n_departements} pour les {FLOW_NOUN[flow]}"


def balance_line(balance_eur: float) -> str:
    """« Solde commercial : +468.8 millions d'euros (excédent) »."""
    kind = "excédent" if balance_eur > 0 else "déficit" if balance_eur < 0 else "équilibre"
    sign = "+" if balance_eur > 0 else ""
    return f"Solde commercial : {sign}{format_meur(balance_eur)} millions d'euros ({kind})"


def headline_lines(fiche: Fiche, flow: str) -> list[str]:
    """The three lines under a flow chart: total, share of the région, share of France."""
    share = fiche.exports if flow == "E" else fiche.imports
    return [total_line(flow, share.total_eur), share_of_region_line(flow, share, fiche.region.nom),
            share_of_france_line(flow, share)]


def cover_subtitle(departement_name: str) -> str:
    """« Territoires d'industrie – Creuse »."""
    return f"{PROGRAMME} – {departement_name}"


def activities_title(name: str, year: int) -> str:
    return f"Principales activités à l'export et à l'import, {name} ({year})"


def partners_title(name: str, year: int) -> str:
    return f"Principaux pays partenaires, {name} ({year})"


def flows_title(flow: str, name: str, year: int, detailed: bool = True) -> str:
    """« Flux à l'export par produit et par pays, Creuse (en valeur, 2024) » or the short comparison title."""
    if flow == "E":
        lead = "Flux à l'export par produit et par pays" if detailed else "Flux à l'export"
    else:
        lead = "Flux à l'import par pays et par produit" if detailed else "Flux à l'import"
    return f"{lead}, {name} (en valeur, {year})"


def scope_name(level: str, name: str) -> str:
    """How a territory is named in titles: « France entière » for France."""
    return "France entière" if level == "france" else name


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

CONTEXT = (
    "Face aux profondes mutations du commerce mondial, l'ouverture des industries et la nature des flux "
    "commerciaux exposent les territoires à de nouvelles menaces comme à de nouvelles opportunités.",
    "Cette publication, fondée sur les données douanières, propose un état des lieux par département : elle met "
    "en lumière les principales activités exportatrices et importatrices, les pays partenaires les plus "
    "importants, et permet de situer chaque territoire par rapport à la moyenne nationale.",
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


def sources_line(year: int) -> str:
    return (f"Les infographies reposent sur les données départementales et régionales du commerce extérieur pour "
            f"l'année {year}, produites par la Direction générale des Douanes et Droits indirects et accessibles "
            f"en open data.")


PARTNERS_INTRO = (
    "Cette première infographie identifie les principaux pays concernés par des relations commerciales avec le "
    "département, en prenant en compte les principaux pays à l'import et à l'export. Cette vision d'ensemble "
    "permet d'apprécier les grands équilibres commerciaux locaux vis-à-vis de l'extérieur."
)
PARTNERS_KEY = (
    "Clé de lecture : pour chaque pays, figurent à gauche le montant des importations et à droite celui des "
    "exportations. Le delta constitue la balance commerciale, indiquée en rouge ou en vert selon qu'elle est "
    "négative ou positive."
)
ACTIVITIES_KEY = (
    "Le graphique suivant représente les principales activités concernées par les échanges commerciaux "
    "internationaux à l'échelle départementale. Figurent en bleu les biens importés dans le département, en "
    "violet les biens exportés depuis le département. L'aire des compartiments est proportionnelle à "
    "l'importance du bien concerné dans sa catégorie d'échange, ce qui permet d'identifier les principales "
    "activités concernées à l'import et à l'export, ainsi que la balance globale."
)
EXPORT_FLOWS_KEY = (
    "Pour aller plus loin dans l'analyse, le graphique suivant représente les flux d'exportations (quel produit "
    "est exporté vers quel pays). Sont représentés les dix premiers biens exportés depuis le département ainsi "
    "que les dix principaux pays acheteurs. La catégorie « autres » comprend les biens et les pays au-delà de ce "
    "classement des dix premiers. Pour faciliter la lecture, les cinq principaux flux (tel produit vers telle "
    "destination) sont représentés en rouge."
)
EXPORT_FLOWS_SIDES = ("Figurent à gauche les principaux biens exportés depuis le département, à droite les pays "
                      "de destination.")
IMPORT_FLOWS_KEY = (
    "De manière similaire, le graphique suivant représente les flux d'importations (quel pays vend quel "
    "produit). Sont représentés les dix principaux pays vendeurs ainsi que les dix premiers biens importés dans "
    "le département. La catégorie « autres » comprend les pays et les biens au-delà de ce classement des dix "
    "premiers. Pour faciliter la lecture, les cinq principaux flux (telle origine pour tel produit) sont "
    "représentés en rouge."
)
IMPORT_FLOWS_SIDES = ("Figurent à gauche les principaux pays d'origine, à droite les biens importés dans le "
                      "département.")
COMPARISON_INTRO = {
    "E": "La situation départementale des exportations peut être comparée à celle de la région et du pays :",
    "I": "La situation départementale des importations peut être comparée à celle de la région et du pays :",
}
PRACTICAL = (
    "Ce document a pour objectif de dresser un état des lieux territorialisé du commerce extérieur, à "
    "destination des acteurs locaux, dans un contexte douanier en forte évolution.",
    "Les portraits socio-économiques des Territoires d'industrie publiés en octobre 2024 complètent cette "
    "lecture.",
)
DATA_CONCEPTS = (
    "Valeurs en euros courants ; exportations FAB (franco à bord), importations CAF (coût, assurance, fret).",
    "Données régionales brutes de la DGDDI, hors matériel militaire et hors estimations des déclarations "
    "tardives et des échanges intra-UE sous le seuil déclaratif : leur somme diffère du chiffre national "
    "officiel.",
    "Produits regroupés selon la nomenclature agrégée NA 2008 (niveau A129, groupes A38) ; pays selon la "
    "géonomenclature (codes ISO 3166-1 alpha-2 et codes spéciaux de la DGDDI).",
)
