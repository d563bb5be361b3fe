"""Every sentence, title and number phrasing fichex shows to users, in the words of the model fiche.

The model (ANCT, « Les indicateurs clés : commerce extérieur — Territoires d'industrie », 2024 data)
writes figures with a decimal point and a space between thousands (« 1 109.1 »), amounts in millions
of euros with one decimal (a trailing « .0 » dropped: « 207 millions d'euros »), the share of the
région with one decimal and the share of France with two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fichex.aggregation.model import Fiche, FlowShare

MILLION = 1_000_000.0

DEMO_WARNING = (
    "Données de démonstration : chiffres simulés, calibrés sur les totaux publiés, "
    "ce ne sont pas des données douanières réelles"
)

COVER_TITLE = "Les indicateurs clés : commerce extérieur"
PROGRAMME = "Territoires d'industrie"

FLOW_NOUN = {"E": "exportations", "I": "importations"}
FLOW_LABEL = {"E": "Exportations", "I": "Importations"}
OTHERS_LABEL = "Autres"
FRANCE = "France"
EU27_LABEL = {True: "UE27", False: "Hors UE27"}
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


def meur_label(value_eur: float) -> str:
    """« 675.8 M€ », for chart and drawing labels."""
    return f"{format_meur(value_eur)} M€"


def balance_label(balance_eur: float) -> str:
    """« Solde : +468.8 M€ »."""
    sign = "+" if balance_eur > 0 else ""
    return f"Solde : {sign}{meur_label(balance_eur)}"


def format_pct(value: float, decimals: int) -> str:
    """A percentage with a fixed number of decimals: « 2.5% », « 0.12% »."""
    return f"{value:.{decimals}f}%"


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


def rank_line(flow: str, share: FlowShare) -> str:
    """« 90e département sur 101 pour les exportations » (« 10e région sur 18 … »; empty for France)."""
    if share.rank_level == "france":
        return ""
    if share.rank_level != "departement":
        return level_rank_line(flow, share)
    suffix = "er" if share.rank == 1 else "e"
    return f"{share.rank}{suffix} département sur {share.n_departements} pour les {FLOW_NOUN[flow]}"


def balance_line(balance_eur: float) -> str:
    """« Solde commercial : +468.8 millions d'euros (excédent) »."""
    kind = "excédent" if balance_eur > 0 else "déficit" if balance_eur < 0 else "équilibre"
    sign = "+" if balance_eur > 0 else ""
    return f"Solde commercial : {sign}{format_meur(balance_eur)} millions d'euros ({kind})"


def single_region_line(region_name: str) -> str:
    """Said instead of « soit 100.0% de la valeur … de la région » for a région of one territory."""
    return f"{region_name} forme à elle seule une région : sa part régionale, 100 %, n'est pas citée"


def headline_lines(fiche: Fiche, flow: str) -> list[str]:
    """The three lines under a flow chart: total, share of the région, share of France."""
    share = fiche.share(flow)
    if fiche.level == "france":
        return [total_line(flow, share.total_eur)]
    if fiche.level == "region":
        return [total_line(flow, share.total_eur), share_of_france_line(flow, share), level_rank_line(flow, share)]
    if fiche.single_departement_region:  # « soit 100.0% de la région » would say nothing
        return [total_line(flow, share.total_eur), share_of_france_line(flow, share),
                single_region_line(fiche.region.nom)]
    return [total_line(flow, share.total_eur), share_of_region_line(flow, share, fiche.region.nom),
            share_of_france_line(flow, share)]


def cover_subtitle(departement_name: str, has_territories: bool = True) -> str:
    """« Territoires d'industrie – Creuse »; the département's name alone where no Territoire d'industrie
    lies (Paris), so the cover does not announce what the next line denies."""
    return f"{PROGRAMME} – {departement_name}" if has_territories else departement_name


def activities_title(name: str, year: int) -> str:
    return f"Principales activités à l'export et à l'import, {name} ({year})"


def partners_title(name: str, year: int) -> str:
    return f"Principaux pays partenaires, {name} ({year})"


def flows_title(flow: str, name: str, year: int, detailed: bool = True) -> str:
    """« Flux à l'export par produit et par pays, Creuse (en valeur, 2024) » or the short comparison title."""
    lead = (FLOWS_TITLE_DETAILED if detailed else FLOWS_TITLE_SHORT)[flow]
    return f"{lead}, {name} (en valeur, {year})"


FLOWS_TITLE_DETAILED = {"E": "Flux à l'export par produit et par pays", "I": "Flux à l'import par pays et par produit"}
FLOWS_TITLE_SHORT = {"E": "Flux à l'export", "I": "Flux à l'import"}


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

def context(year: int | str) -> tuple[str, ...]:
    """The model's « Contexte », its data year put in (« fondée sur les données douanières de 2024 »)."""
    of_year = f"de la période {year}" if " : " in str(year) else f"de {year}"
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


# ---------------------------------------------------------------------------------------------------------
# A Territoire d'industrie's deck and workbook (render/pptx/territoire.py, render/xlsx/territoire.py): one
# document holding the fiches of its départements, since customs data stops at the département.
# ---------------------------------------------------------------------------------------------------------
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
TI_CORSICA_CODE = "20"  # the DGDDI files' one code for Corse-du-Sud (2A) and Haute-Corse (2B)


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
    return [TI_CORSICA_NOTE] if TI_CORSICA_CODE in codes else []


def ti_comparison_notes(fiches) -> list[str]:
    """Under the départements compared: Corse read as one territory, shares of totals held in part."""
    shares = [share for f in fiches for share in (f.exports, f.imports)]
    return ti_code_notes([f.departement.code for f in fiches]) + ti_partial_notes(shares)


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
    return (f"Exportations {meur_label(exports_eur)} · importations {meur_label(imports_eur)} · "
            f"solde {sign}{meur_label(balance_eur)}")


def ti_rank(rank: int, count: int) -> str:
    """« 12e sur 101 »."""
    return f"{rank}{'er' if rank == 1 else 'e'} sur {count}"


def ti_partner(name: str, value_eur: float) -> str:
    """« Allemagne (123.4 M€) »."""
    return f"{name} ({format_meur_fixed(value_eur)} M€)"


def ti_comparison_alt(name: str, year: int | str, columns: list[str]) -> str:
    """Alternative text of the comparison table: what it shows, a column per département."""
    return (f"Tableau comparant les départements du territoire {name} ({year}), une colonne par département : "
            + " ; ".join(columns) + ".")


def ti_notes_cover(name: str, departements: list[str], period: str) -> str:
    return (f"Fiche commerce extérieur du Territoire d'industrie {name}, données {period}. Le territoire couvre "
            f"{len(departements)} département{'s' if len(departements) > 1 else ''} : {', '.join(departements)}. "
            f"{TI_DEPARTEMENTAL_FIGURES} Le document présente les départements côte à côte, puis la fiche de "
            "chacun.")


def ti_notes_comparison(lines: list[str]) -> str:
    return "Les départements du territoire côte à côte. " + " ".join(lines)


def ti_notes_section(name: str, index: int, count: int) -> str:
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


PARIS_ENERGY_CAVEAT = (
    "Par convention de la DGDDI, les importations de gaz naturel par gazoduc et d'électricité sont comptées à "
    "Paris (75) : elles gonflent les importations du département sans être consommées sur place."
)
EMEBI_BREAK_CAVEAT = (
    "Depuis janvier 2022, l'enquête EMEBI a remplacé la déclaration d'échanges de biens pour les échanges avec "
    "l'Union européenne : les données ouvertes, brutes de collecte, connaissent une rupture de série entre 2021 "
    "et 2022, surtout pour les échanges intra-UE ; les comparaisons entre années sont à faire avec prudence."
)
COMPARED_YEARS_MIN = 2  # from two years in one document, the collection break is said


def _quarters_phrase(period: str) -> str:
    """« 1er trimestre » → « le 1er trimestre », « 1er et 2e trimestres » → « les 1er et 2e trimestres »,
    « 1er au 3e trimestre » → « du 1er au 3e trimestre »."""
    quarters = period.split(" : ", 1)[-1]
    if " au " in quarters:
        return "la période du " + quarters
    return ("les " if quarters.endswith("trimestres") else "le ") + quarters


def fiche_caveats(code: str, period: str, partial: bool, years: tuple[int, ...]) -> tuple[str, ...]:
    """The caveats that depend on the fiche: Paris's energy imports, a partial year, years compared."""
    caveats = []
    if code == "75":
        caveats.append(PARIS_ENERGY_CAVEAT)
    if partial:
        year = period.split(" : ", 1)[0]
        caveats.append(f"Année partielle : les chiffres de {year} ne couvrent que {_quarters_phrase(period)} ; ils "
                       "ne se comparent pas à ceux d'une année entière.")
    if len(years) >= COMPARED_YEARS_MIN:
        caveats.append(EMEBI_BREAK_CAVEAT)
    return tuple(caveats)


def caveats_of(fiche) -> tuple[str, ...]:
    """Every caveat of a fiche: the model's, then those that depend on the fiche."""
    return (*CAVEATS, *fiche_caveats(departement_code(fiche), period(fiche), fiche.partial, fiche.years_available))


def departement_code(fiche: Fiche) -> str:
    """The fiche's département code, for its own caveats; empty in a région's fiche (« 75 » there is
    Nouvelle-Aquitaine, not Paris) and in France's."""
    return fiche.departement.code if fiche.level == "departement" else ""


def sources_line(year: int | str) -> str:
    when = f"la période {year}" if " : " in str(year) else f"l'année {year}"
    return (f"Les infographies reposent sur les données départementales et régionales du commerce extérieur pour "
            f"{when}, produites par la Direction générale des Douanes et Droits indirects et accessibles "
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
FLOWS_KEY = {"E": (
    "Pour aller plus loin dans l'analyse, le graphique suivant représente les flux d'exportations (quel produit "
    "est exporté vers quel pays). Sont représentés les dix premiers biens exportés depuis le département ainsi "
    "que les dix principaux pays acheteurs. La catégorie « autres » comprend les biens et les pays au-delà de ce "
    "classement des dix premiers. Pour faciliter la lecture, les cinq principaux flux (tel produit vers telle "
    "destination) sont représentés en rouge."
), "I": (
    "De manière similaire, le graphique suivant représente les flux d'importations (quel pays vend quel "
    "produit). Sont représentés les dix principaux pays vendeurs ainsi que les dix premiers biens importés dans "
    "le département. La catégorie « autres » comprend les pays et les biens au-delà de ce classement des dix "
    "premiers. Pour faciliter la lecture, les cinq principaux flux (telle origine pour tel produit) sont "
    "représentés en rouge."
)}
FLOWS_SIDES = {
    "E": "Figurent à gauche les principaux biens exportés depuis le département, à droite les pays de destination.",
    "I": "Figurent à gauche les principaux pays d'origine, à droite les biens importés dans le département.",
}
COMPARISON_INTRO = {
    "E": "La situation départementale des exportations représentée page précédente peut être comparée à celle de "
         "la région et du pays :",
    "I": "La situation départementale des importations représentée page précédente peut être comparée à celle de "
         "la région et du pays.",
}
# « Informations pratiques », in the model's words; the links and the contact come from brand.toml
# (render/brand.py). Each entry: (kind, text) with kind « p » a paragraph, « link » a bulleted link,
# « heading » a heading; {contact} is the programme's address.
PRACTICAL = "Ce document a pour objectif de dresser un état des lieux territorialisé du commerce extérieur, à " \
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


# ---------------------------------------------------------------------------------------------------------
# Excel workbook (render/xlsx/): sheet names, headers and labels.
# ---------------------------------------------------------------------------------------------------------

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


def xlsx_subject(code: str, name: str, region_name: str) -> str:
    return f"{COVER_TITLE} – département {code} {name}, région {region_name}"


def xlsx_period_line(year: int, code: str, region_name: str) -> str:
    """« Année 2024 – département 23 – région Nouvelle-Aquitaine »."""
    return f"Année {year} – département {code} – région {region_name}"


def xlsx_fiche_line(fiche: Fiche) -> str:
    """The period line under a sheet's title: « Année 2024 – département 23 – région Nouvelle-Aquitaine »,
    « Année 2024 – région 75 Nouvelle-Aquitaine », « Année 2024 – France entière »."""
    if fiche.level == "region":
        return f"Année {period(fiche)} – région {fiche.departement.code} {fiche.departement.nom}"
    if fiche.level == "france":
        return f"Année {period(fiche)} – {scope_name('france', fiche.departement.nom)}"
    return xlsx_period_line(period(fiche), fiche.departement.code, fiche.region.nom)


# Amounts: the cells hold exact euros (what a sum, a formula or a pivot returns), so headers say « (€) »;
# their number format shows millions with the unit (« 675.8 M€ »), so no header says « M€ » over euros.
XLSX_MEUR_UNIT = "M€"
XLSX_MEUR_NOTE = ("Montants en euros : chaque cellule contient la valeur exacte en euros, affichée en millions "
                  "d'euros (« 675.8 M€ ») ; une somme, une formule ou un tableau croisé donne des euros.")
XLSX_PAGE_FOOTER = "Page &P sur &N"
XLSX_DEMO_HEADER = "Données de démonstration (chiffres simulés)"

XLSX_KEY_FIGURES = "Chiffres clés"
XLSX_KEY_HEADERS = ("Indicateur", "Valeur (€)", "Part de la région", "Part de la France", "Rang national")
XLSX_BALANCE = "Solde commercial"
XLSX_TERRITOIRES = "Territoires d'industrie du département"
XLSX_NO_TERRITOIRE = "Aucun Territoire d'industrie recensé pour ce département"
XLSX_BUTTERFLY_HEADERS = ("Pays", "Importations (€)", "Exportations (€)", "Solde (€)")
# The butterfly's sides, under its value axis: said in words, left to right, because the order of a bar
# chart's legend differs between Excel and LibreOffice (see render/xlsx/synthese.py).
XLSX_BUTTERFLY_AXIS = "◄ Importations      millions d'euros (M€)      Exportations ►"
XLSX_TOP_TITLE = {"E": "Dix principales activités exportées", "I": "Dix principales activités importées"}
XLSX_TOP_HEADERS = {"E": ("Activité", "Exportations (€)", "Part des exportations"),
                    "I": ("Activité", "Importations (€)", "Part des importations")}
XLSX_ACTIVITIES_KEY = (
    "Les graphiques suivants classent les dix principales activités exportées depuis le département (en violet) "
    "et importées dans le département (en bleu), en millions d'euros ; la longueur des barres est "
    "proportionnelle à la valeur échangée."
)

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

XLSX_COMPARISON_TITLE = "Comparaison : département, région, France ({year})"
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
    return (f"Cette table contient plusieurs années ({years}). Le filtre de la colonne « Année » "
            f"n'affiche que {year}, l'année de la fiche : les lignes des autres années sont masquées, pas "
            "supprimées (menu du filtre pour les afficher).")


def xlsx_data_year_range(year: int) -> str:
    """The name of the fiche year's rows of the Données table, a PivotTable source: « Donnees_2024 »."""
    return f"Donnees_{year}"


def xlsx_data_pivot_note(year: int, exports_eur: float, imports_eur: float) -> str:
    """Above the Données table: which named range a PivotTable should read, and the totals of `year` to
    expect."""
    return (f"Tableau croisé dynamique : il lit toutes les lignes de sa source, masquées ou non. Pour {year} "
            f"seule, indiquez comme source la plage nommée « {xlsx_data_year_range(year)} » (les lignes "
            f"de {year}, placées en tête) ; pour comparer les années, la plage « Donnees », avec « Année » "
            "en filtre ou en colonnes, sans quoi les années s'additionnent. Contrôle : en "
            f"{year}, exportations {meur_label(exports_eur)}, importations {meur_label(imports_eur)}.")


def xlsx_data_print_note(n_rows: int) -> str:
    """The Données sheet's printed page: the table itself is left out of printing."""
    return (f"Le tableau ({group_thousands(str(n_rows))} lignes) n'est pas imprimé avec le classeur : pour en "
            "imprimer une partie, sélectionnez-la puis choisissez « Imprimer la sélection ».")
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
    "Les montants sont enregistrés en euros exacts dans chaque cellule (en-têtes « (€) ») et affichés en "
    "millions d'euros par le format de la cellule (« 675.8 M€ ») : une somme, une formule ou un tableau croisé "
    "donne donc des euros. Les graphiques sont gradués en millions d'euros (M€)."
)


def xlsx_method_donnees(years: str, year: int) -> list[str]:
    """The Méthode's account of the Données sheet: every year (`years`, as years_line says them) in one
    table, the fiche's `year` filtered."""
    return [
        f"Une seule table, toutes années ({years}), pour permettre les comparaisons d'une année à "
        f"l'autre ; les lignes de {year}, l'année de la fiche, sont en tête, et un filtre sur la colonne "
        f"« Année » n'affiche qu'elles à l'ouverture. Un tableau croisé dynamique lit aussi les lignes masquées "
        f"par un filtre : il prend pour source la plage nommée « {xlsx_data_year_range(year)} » (l'année "
        "de la fiche seule, qui ne peut pas additionner les années) ou « Donnees » (toutes les années, avec "
        "« Année » en filtre ou en colonnes). Le tableau n'est pas imprimé avec le classeur.",
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


# ---------------------------------------------------------------------------------------------------------
# PowerPoint deck (render/pptx.py): slide titles, short keys, notes, alternative texts, shape names.
# ---------------------------------------------------------------------------------------------------------

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
DECK_TERRITORIES_HEADING = "Territoires d'Industrie du département"  # the model's capital
DECK_NO_TERRITORY = "Aucun Territoire d'industrie recensé pour ce département"
DECK_UNIT_NOTE = "Montants en millions d'euros ; un solde peut différer d'un dixième de l'écart affiché (écarts d'arrondi)."
DECK_BALANCE_HEADER = "Solde"
DECK_SERIES = FLOW_LABEL
DECK_FLOWS_UNIT = "Montants en millions d'euros."
DECK_BELOW_TENTH = "moins de 0.1 M€"
DECK_AT_FLOW = {"E": "à l'export", "I": "à l'import"}
DECK_NOTES_INTRO = ("Présenter le programme Territoires d'industrie et l'objet de la fiche : un regard départemental "
                    "sur le commerce extérieur, fondé sur les statistiques des Douanes.")
DECK_NOTES_CAVEATS = "Précautions de lecture :"
DECK_NOTES_CONTEXT = ("Situer la fiche dans l'actualité : tensions commerciales, menaces de surtaxes douanières, "
                      "besoin des industriels de connaître leur exposition et leurs dépendances.")
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
    return (f"Graphique en barres horizontales des principaux pays partenaires, {name} ({year}) : importations à "
            "gauche en bleu, exportations à droite en violet, solde en vert (positif) ou rouge (négatif), en "
            "millions d'euros. ")


def deck_treemap_alt(name: str, year: int, top_exports: str, top_imports: str, balance: str) -> str:
    return (f"Treemap des principales activités, {name} ({year}) : biens importés en bleu, biens exportés en "
            f"violet, aire proportionnelle à la valeur. Premières exportations : {top_exports}. Premières "
            f"importations : {top_imports}. {balance}.")


def deck_sankey_alt(flow: str, scope_label: str, year: int, total: str, flows: str) -> str:
    what = {"E": f"Diagramme de flux des exportations, {scope_label} ({year}), des biens (à gauche) vers les pays "
                 "(à droite)",
            "I": f"Diagramme de flux des importations, {scope_label} ({year}), des pays (à gauche) vers les biens "
                 "(à droite)"}[flow]
    return f"{what}. {total}. Cinq principaux flux, en rouge : {flows}."


# Speaker notes (render/notes.py): what the presenter says on each slide, with this territory's figures.
HYDROCARBON_CODES = ("B06Z", "C19Z")  # A129: crude oil and natural gas, refined petroleum products
HYDROCARBON_SHARE_MIN = 0.10           # from 10 % of a flow, the ports-and-hydrocarbons caveat is said
NOTES_PORTS = ("Précaution propre à ce département : les hydrocarbures (pétrole brut, gaz, produits raffinés) "
               "représentent {shares}. Leurs flux passent par les ports et les raffineries : ils ne disent pas que "
               "le pétrole ou le gaz est produit ou consommé dans le département.")
NOTES_DROM = ("Précaution propre aux départements d'outre-mer : les échanges avec la France métropolitaine ne sont "
              "pas du commerce extérieur ; seuls les échanges avec l'étranger sont comptés ici.")
NOTES_SINGLE_REGION = ("{region} est une région monodépartementale : ses parts régionales valent 100 % et ne sont "
                       "pas citées ; seule la comparaison avec la France a un sens.")


def notes_cover(name: str, code: str, region: str, period: str, territories: tuple[str, ...]) -> str:
    listed = (f"Territoires d'industrie du département : {', '.join(territories)}." if territories
              else "Aucun Territoire d'industrie n'est recensé dans ce département.")
    return (f"Fiche commerce extérieur de {name} ({code}, région {region}), données {period}. Elle présente les "
            f"principaux pays partenaires, les principales activités, puis les flux à l'export et à l'import "
            f"comparés à la région et à la France. {listed}")


def notes_territories(name: str, territories: tuple[str, ...]) -> str:
    if not territories:
        return (f"Aucun Territoire d'industrie n'est recensé dans ce département ({name}) : la fiche éclaire ses "
                "échanges sans périmètre de programme.")
    count = f"{len(territories)} Territoire{'s' if len(territories) > 1 else ''} d'industrie"
    return (f"{count} dans le département ({name}) : {', '.join(territories)}. Les chiffres restent départementaux : l'échelle des "
            "Territoires d'industrie n'est pas accessible dans les données douanières.")


def notes_key_figures(name: str, exports: str, imports: str, balance: str, export_rank: str, import_rank: str) -> str:
    return (f"En chiffres, {name} : exportations {exports} ({export_rank}), importations {imports} "
            f"({import_rank}) ; {balance[0].lower() + balance[1:]}.")


def notes_partners(first_export: str, first_import: str, surplus: str, deficit: str, n: int, top: int) -> str:
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


def notes_activities(first_export: str, first_import: str, tiles: int) -> str:
    return (f"Première activité exportée : {first_export}. Première activité importée : {first_import}. Chaque bloc "
            f"montre au plus {tiles - 1} activités ; le compartiment « Autres » regroupe les suivantes.")


def treemap_others_note(tiles: int) -> str:
    """Why the treemap's « Autres » and the flow charts' « autres » differ."""
    return (f"Le compartiment « Autres » regroupe les activités au-delà des {tiles - 1} premières ; il diffère de "
            "la catégorie « autres » des graphiques de flux, qui regroupe les biens et les pays au-delà des dix "
            "premiers.")


def notes_flows(flow: str, headline: str, rank: str, top_flow: str, top_share: str, top: int) -> str:
    kind = {"E": "biens exportés", "I": "pays d'origine"}[flow]
    return (f"{headline} ; {rank}. Le flux le plus important : {top_flow}. Les {top} premiers {kind} font "
            f"{top_share} des {FLOW_NOUN[flow]} du département.")


def notes_comparison(flow: str, name: str, region: str, region_total: str, region_first: str,
                     france_total: str, france_first: str, single_region: bool) -> str:
    first = {"E": "premier bien exporté", "I": "premier pays d'origine"}[flow]
    region_part = "" if single_region else (f"{region} : {region_total}, {first} : {region_first}. ")
    return (f"Comparer {name} à sa région et à la France. {region_part}France entière : {france_total}, {first} : "
            f"{france_first}.")


def notes_practical(period: str, source: str) -> str:
    return (f"Données {period}. Source : {source}. Les liens et l'adresse de contact du programme figurent sur la "
            "diapositive.")


# « Évolution » (render/pptx.py, render/notes.py).
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


def quarter_label(year: int, quarter: int) -> str:
    """« 2024 T1 »."""
    return f"{year} T{quarter}"


def evolution_chart_title(name: str, by_quarter: bool) -> str:
    return f"Exportations et importations par {'trimestre' if by_quarter else 'année'}, {name} (en valeur)"


def _growth_text(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:+.1f} %".replace("-0.0 %", "0.0 %").replace("+0.0 %", "0.0 %")
    # No line break inside « (-4.5 %) »: a true minus sign and a non-breaking space.
    return f" ({text.replace('-', chr(0x2212)).replace(' ', chr(0xA0))})"


def evolution_year_line(year: int, quarters: tuple[int, ...], exports_eur: float, imports_eur: float,
                        exports_growth: float | None, imports_growth: float | None) -> str:
    """« 2024 : exportations 675.8 M€ (-5.3 %), importations 207.0 M€ (+7.8 %) »."""
    # A no-break space before « M€ »: the unit never starts a line of the side panel.
    return (f"{period_label(year, quarters)} : exportations {format_meur_fixed(exports_eur)}\u00a0M€"
            f"{_growth_text(exports_growth)}, importations {format_meur_fixed(imports_eur)}\u00a0M€"
            f"{_growth_text(imports_growth)}")


def evolution_alt(name: str, categories: list[str], exports: list[float], imports: list[float]) -> str:
    points = "; ".join(f"{c} : exportations {format_meur_fixed(e)} M€, importations {format_meur_fixed(i)} M€"
                       for c, e, i in zip(categories, exports, imports))
    return f"Évolution des exportations (violet) et des importations (bleu), {name}, en millions d'euros : {points}."


def notes_evolution(name: str, year_lines: list[str]) -> str:
    return f"Évolution de {name} sur les années des données. " + " ; ".join(year_lines) + "."


def notes_evolution_partners(partners: list[tuple[str, list[tuple[int, float]]]]) -> str:
    parts = [f"{name} " + ", ".join(f"{year} : {format_meur_fixed(value)} M€" for year, value in values)
             for name, values in partners]
    return "Exportations vers les principaux partenaires : " + " ; ".join(parts) + "."


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
    share = f" ({100 * value_eur / total_eur:.1f} %)" if total_eur else ""
    return f"{source} → {target} : {format_meur(value_eur)} M€{share}"


def single_departement_region_note(region_name: str) -> str:
    """Said instead of a second Sankey when the région is the département (DROM, Corse)."""
    return f"Région {region_name} : un seul département, dont les flux figurent page précédente."


# ---------------------------------------------------------------------------------------------------------
# Batch builds (batch/, console.py): statuses, reasons, summaries.
# ---------------------------------------------------------------------------------------------------------

# One word per status, the same in the progress lines, the summary table and the JSON.
STATUS = {"built": "construit", "skipped": "à jour", "failed": "échec"}
SKIPPED_REASON = "à jour (mêmes entrées)"
BUILTIN_TEMPLATE = "modèle intégré"
NO_TARGET = ("aucune cible : donnez des codes département (23 87 2A), --region CODE, --level region CODE, "
             "--level france, --territoire NOM ou --all")


def pdf_failed(name: str) -> str:
    return f"LibreOffice n'a pas pu convertir {name} en PDF ; réessayez avec --jobs 1"


def unexpected_error(exc: BaseException) -> str:
    """Reason of a target that failed on a bug: the error's type and message."""
    return f"erreur inattendue ({type(exc).__name__} : {exc})"


def worker_died(exc: BaseException) -> str:
    return f"processus interrompu ({type(exc).__name__})"


def _ordinal(quarter: int) -> str:
    return "1er" if quarter == 1 else f"{quarter}e"


def period_label(year: int, quarters: tuple[int, ...] = ()) -> str:
    """« 2024 » for a complete year; « 2025 : 1er trimestre », « 2025 : 1er et 2e trimestres »,
    « 2025 : 1er au 3e trimestre » for a year the data covers only in part."""
    present = sorted(set(quarters) - {0})
    if not present or 0 in quarters or len(present) == 4:
        return str(year)
    if len(present) == 1:
        return f"{year} : {_ordinal(present[0])} trimestre"
    if present == list(range(present[0], present[-1] + 1)) and len(present) > 2:
        return f"{year} : {_ordinal(present[0])} au {_ordinal(present[-1])} trimestre"
    return f"{year} : " + ", ".join(_ordinal(q) for q in present[:-1]) + f" et {_ordinal(present[-1])} trimestres"


def years_line(fiche) -> str:
    """The years of the data, a partial one with its quarters: « 2022, 2023, 2024, 2025 : 1er trimestre »."""
    if not fiche.quarters_by_year:
        return ", ".join(str(y) for y in fiche.years_available) or period(fiche)
    return ", ".join(period_label(year, quarters) for year, quarters in fiche.quarters_by_year)


def period(fiche) -> str:
    """The period a fiche covers, as every title shows it (see period_label)."""
    return period_label(fiche.year, fiche.quarters)


def territory_nomenclature(cog: bool, dgddi: bool) -> str:
    """Where a territory code is used: the COG and the DGDDI files, or one of them."""
    if cog and dgddi:
        return "COG et DGDDI"
    return "COG seulement" if cog else "DGDDI seulement"


def corsica_note(code: str, name: str, dgddi_code: str) -> str:
    return (f"{code} : les données douanières ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse (2B) ; "
            f"fiche « {name} » (code {dgddi_code}) pour les deux départements")


def no_data_for_year(year: int, years: list[int]) -> str:
    available = ", ".join(str(y) for y in years) or "aucune"
    return f"aucune donnée pour l'année {year} ; années disponibles : {available} (option --year)"


def unknown_format(unknown: list[str], formats: tuple[str, ...]) -> str:
    return f"format inconnu : {', '.join(unknown) or '(vide)'} ; formats possibles : {','.join(formats)}"


def build_summary_line(built: int, skipped: int, failed: int, seconds: float) -> str:
    """« 2 construit(s), 0 à jour, 0 échec(s) en 1.3 s »."""
    return f"{built} construit(s), {skipped} à jour, {failed} échec(s) en {seconds:.1f} s"


def build_table_title(year: int, out_dir: str) -> str:
    return f"fichex build — {year} — {out_dir}"


BUILD_TABLE_HEADERS = ("Dép.", "Nom", "Statut", "Fichiers", "s")
BUILD_PROGRESS_LABEL = "Construction"


def target_error_line(code: str, name: str, reason: str) -> str:
    return f"Erreur : {code} {name} : {reason}"


# ---------------------------------------------------------------------------------------------------------
# Data folders (fichex data info, fichex data import).
# ---------------------------------------------------------------------------------------------------------

def format_eur(value: float) -> str:
    """« 1 234 567 € » (rounded to the euro, spaces between thousands)."""
    return group_thousands(f"{value:.0f}") + " €"


IMPORT_STATUS_IMPORTED = "importé"
IMPORT_STATUS_SKIPPED = "ignoré"
IMPORT_STATUS_ANNEX = "annexe"
PROGRESS_DOWNLOAD = "Téléchargement"
PROGRESS_IMPORT = "Import"


def _count(n: int, word: str) -> str:
    return f"{group_thousands(str(n))} {word}{'s' if n > 1 else ''}"


REGIONAL_FORMAT = "fichier régional DGDDI (sans en-tête, 10 champs : flux, trimestre, année, département, région, " \
    "A129, CPF4, pays, valeur, masse)"
REGIONAL_UNIT = "euros et kilogrammes (fichier régional DGDDI)"


def partial_year_warning(period: str) -> str:
    return (f"année partielle : {period} seulement ; les fiches de cette année le disent, et l'année par défaut "
            "est la dernière année complète")


def rejected_lines_warning(count: int, path) -> str:
    return f"{_count(count, 'ligne')} rejetée{'s' if count > 1 else ''} : numéros de ligne et motifs dans {path}"


def regional_source(names: list[str], demonstration: bool) -> str:
    shown = ", ".join(names[:3]) + (f" et {len(names) - 3} autres" if len(names) > 3 else "")
    if demonstration:
        return (f"Données de démonstration au format des fichiers régionaux DGDDI ({shown}) : chiffres simulés, "
                "pas des données douanières réelles")
    return f"Fichiers régionaux DGDDI, données brutes de collecte ({shown})"


def regional_demonstration_warning(names: list[str]) -> str:
    return (f"{', '.join(names)} : fichiers simulés par fichex (marqueur FICHEX_DEMONSTRATION.txt) ; la table importée "
            "reste marquée comme démonstration")


def national_alone_error(names: list[str]) -> str:
    return (f"{', '.join(names)} : fichier national seul ; il sert de référence pour la France à côté des fichiers "
            "régionaux REGIONAL_CPF4PAYSE/I.txt : importez-les ensemble")


def national_gap_line(year: int, flow: str, months: int, national: float, regional: float) -> str:
    gap = regional - national
    share = f" ({gap / national * 100:+.1f} %)".replace(".", ",") if national else ""
    scope = "" if months == 12 else f", {months} mois"
    return (f"{FLOW_NOUN[flow].capitalize()} {year}{scope} : somme des données régionales {format_eur(regional)}, "
            f"total du fichier national {format_eur(national)}, écart {format_eur(gap)}{share}")


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
            f"avec {', '.join(str(y) for y in left_out)}, elle dépasserait la limite d'Excel de 1 048 576 lignes. "
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


def reconciliation_lines(report) -> list[str]:
    """Lines and euros read = kept + rejected, in total (the JSON has them per flow × year × département)."""
    rows = report.reconciliation
    if not rows:
        return []
    lines = sum(r["lignes_lues"] for r in rows)
    kept = sum(r["lignes_conservees"] for r in rows)
    euros = sum(r["euros_lus"] for r in rows)
    kept_euros = sum(r["euros_conserves"] for r in rows)
    return [f"Rapprochement : {group_thousands(str(lines))} lignes lues = {group_thousands(str(kept))} conservées + "
            f"{group_thousands(str(lines - kept))} rejetées ; {format_eur(euros)} lus = {format_eur(kept_euros)} "
            f"conservés + {format_eur(euros - kept_euros)} rejetés (détail par flux × année × département dans "
            f"{report.report_path})"]


def import_summary_lines(report, detail: bool) -> list[str]:
    """The import report (data.importing.report.ImportReport) in French, one line per fact; with `detail`,
    the totals per département too."""
    imported = [f for f in report.files if f.status == IMPORT_STATUS_IMPORTED]
    skipped = [f for f in report.files if f.status == IMPORT_STATUS_SKIPPED]
    lines = [f"Fichiers importés : {len(imported)}" + (f" ; ignorés : {len(skipped)}" if skipped else "")]
    lines += [f"  ignoré : {f.name} ({f.reason})" for f in skipped]
    lines.append(f"Lignes lues : {group_thousands(str(report.rows_read))} ; "
                 f"conservées : {group_thousands(str(report.rows_kept))} ; "
                 f"rejetées : {group_thousands(str(report.rows_rejected))}")
    for reason, count in report.rejected_by_reason.items():
        lines.append(f"  rejet « {reason} » : {_count(count, 'ligne')}")
    if report.rows_rejected:
        lines.append(f"  détail des rejets : {report.rejected_path}")
    lines += reconciliation_lines(report)
    lines += [f"Fichier national : {national_gap_line(g['annee'], g['flux'], g['mois'], g['national_eur'], g['regional_eur'])}"
              for g in report.national_gaps]
    if report.annexes:
        lines.append(f"Annexes de libellés reconnues : {', '.join(report.annexes)}")
    lines.append(f"Table canonique : {_count(report.rows_written, 'ligne')} → {report.output}")
    departements = sorted({t["code_departement"] for t in report.totals})
    years = sorted({t["annee"] for t in report.totals})
    lines.append(f"Années : {', '.join(str(y) for y in years)} ; départements : {len(departements)}")
    for (year, flow), value in sorted(report.totals_by_year_flow().items()):
        lines.append(f"Total {year} {FLOW_NOUN[flow]} : {format_eur(value)}")
        if detail:
            for t in report.totals:
                if t["annee"] == year and t["flux"] == flow:
                    lines.append(f"  {t['code_departement']} : {format_eur(t['valeur_eur'])}")
    if not detail:
        lines.append(f"  totaux par département : {report.report_path}")
    for partner in report.special_partners:
        lines.append(f"Code pays spécial {partner['code_pays']} ({partner['pays']}) : "
                     f"{format_eur(partner['valeur_eur'])}")
    lines += [f"Attention : {w}" for w in report.warnings]
    return lines


def data_info_lines(info: dict) -> list[str]:
    """The description of `fichex data info` (data.describe.describe) in French, one line per fact."""
    kind = "DÉMONSTRATION (chiffres simulés, pas des données douanières réelles)" if info["donnees_demonstration"] \
        else "réelles"
    lines = [f"Données : {kind}", f"Source : {info['source']}", f"Fichier : {info['chemin']}"]
    if info.get("fichiers"):
        lines.append(f"Fichiers d'origine : {', '.join(info['fichiers'])}")
    if info.get("date_donnees"):
        lines.append(f"Date des données : {info['date_donnees']}")
    years = ", ".join(str(y) for y in info["annees"]) or "aucune"
    lines.append(f"Années : {years} ; départements : {_count_or_unknown(info['nb_departements'])} ; "
                 f"lignes : {_count_or_unknown(info['nb_lignes'])}")
    for total in info["totaux"]:
        lines.append(f"Total {total['annee']} {FLOW_NOUN.get(total['flux'], total['flux'])} : "
                     f"{format_eur(total['valeur_eur'])}")
    imported = info.get("import")
    if imported:
        lines.append(f"Dernier import : {_count_or_unknown(imported.get('lignes_lues'))} lignes lues, "
                     f"{_count_or_unknown(imported.get('lignes_conservees'))} conservées, "
                     f"{_count_or_unknown(imported.get('lignes_rejetees'))} rejetées")
        lines += [f"Attention : {w}" for w in imported.get("avertissements", [])]
    return lines


def _count_or_unknown(value: object) -> str:
    """« 996 480 »; « ? » when an import report lacks the figure."""
    return group_thousands(str(value)) if isinstance(value, int) and not isinstance(value, bool) else "?"


# ---------------------------------------------------------------------------------------------------------
# Index page of an output folder (index.html: batch/index_page.py, render/index_html.py). Begin.
# ---------------------------------------------------------------------------------------------------------

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
    return f"{size / 1_000_000:.1f} Mo"


def index_link_context(name: str, year: int, size: int) -> str:
    """Read by screen readers after a link's visible label: « Excel » → « Excel, fiche Creuse 2024, 139 ko »."""
    return f", fiche {name} {year}, {index_file_size(size)}"


def index_thumbnail_alt(name: str, year: int) -> str:
    return f"Première diapositive de la fiche {name} {year} (ouvre le PDF)"


def index_line(path: str) -> str:
    """Under a build's summary: « Index des fiches : out/index.html »."""
    return f"Index des fiches : {path}"


def index_demo_text(all_demo: bool) -> str:
    """What follows « Données de démonstration » in the page's banner: the rest of DEMO_WARNING, and which
    fiches it concerns."""
    which = "toutes les fiches de ce dossier" if all_demo else "les fiches marquées « démonstration »"
    return f"{DEMO_WARNING.partition(' : ')[2]} ({which})."

# ---------------------------------------------------------------------------------------------------------
# Index page of an output folder. End.
# ---------------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------------
# Key figures in the terminal (fichex figures, console.py).
# ---------------------------------------------------------------------------------------------------------

def figures_title(name: str, code: str, region_name: str, year: int) -> str:
    """« Creuse (23) — région Nouvelle-Aquitaine — 2024 »."""
    return f"{name} ({code}) — région {region_name} — {year}"


FIGURES_INDICATOR = "Indicateur"
FIGURES_TOTAL = "Total (M€)"
FIGURES_FRANCE_SHARE = "Part de la France"
FIGURES_RANK = "Rang parmi les départements"
FIGURES_RANK_REGIONS = "Rang parmi les régions"
FIGURES_PARTNERS_TITLE = "Principaux pays partenaires (M€)"
FIGURES_PARTNERS_HEADERS = ("Rang", "Export : pays", "M€", "Import : pays", "M€ ")


def figures_region_share(region_name: str) -> str:
    return f"Part de la région {region_name}"


def figures_territoires(names: list[str]) -> str:
    return f"Territoires d'industrie : {', '.join(names) or 'aucun'}"


def partial_data_warning(present: int, expected: int) -> str:
    return (f"Données partielles : {present} départements sur {expected} ; les parts et rangs nationaux ne "
            "portent que sur eux")


# ---------------------------------------------------------------------------------------------------------
# Drawings (render/treemap.py, render/sankey.py): every amount with one decimal, as the model's charts
# (« 3 278.0 M€ »), so that a column of labels never mixes « 3 278 » and « 2 316.3 ».
# ---------------------------------------------------------------------------------------------------------

def drawing_meur(value_eur: float) -> str:
    """« 3 278.0 M€ », « 0.0 M€ » (never « -0.0 »)."""
    text = format_meur_fixed(value_eur)
    return f"{'0.0' if text == '-0.0' else text} M€"


def drawing_block_total(flow: str, value_eur: float) -> str:
    """« Importations : 207.0 M€ », above a treemap block."""
    return f"{FLOW_LABEL[flow]} : {drawing_meur(value_eur)}"


def drawing_balance(balance_eur: float) -> str:
    """« Solde : +468.8 M€ »."""
    text = drawing_meur(balance_eur)
    return f"Solde : {'+' if balance_eur > 0 and text != '0.0 M€' else ''}{text}"


TREEMAP_KEY_ENTRY_NAME = "Légende {number} – {label}"
SANKEY_LEADER_NAME = "Trait de rappel {label}"


# ---------------------------------------------------------------------------------------------------------
# « Position en France » (render/map_drawing.py and its slide): the map of exports by département, the
# fiche's rank and its exports per inhabitant.
# ---------------------------------------------------------------------------------------------------------

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
MAP_KEY = ("Cinq classes d'effectifs égaux (quintiles) : plus la couleur est foncée, plus le département "
           "exporte.")
MAP_SOURCE = "Contours : IGN GEOFLA 2016, Licence Ouverte."


def map_target_line(nom: str, drawn: bool = True) -> str:
    """« Creuse (contour noir sur la carte) » (« entourée » would need the gender: the wording avoids it)."""
    return f"{nom} ({'contour noir sur la carte' if drawn else 'non représenté sur la carte'})"


def map_chart_title(year_label: str) -> str:
    """« Exportations par département, 2024 »."""
    return f"Exportations par département, {year_label}"


def ordinal(rank: int) -> str:
    """« 1er », « 91e »."""
    return f"{rank}{'er' if rank == 1 else 'e'}"


def map_rank_line(rank: int, total: int) -> str:
    """« 91e sur 101 pour les exportations »."""
    return f"{ordinal(rank)} sur {total} pour les exportations"


def map_total_line(value_eur: float) -> str:
    """« Exportations : 123.4 M€ »."""
    return f"Exportations : {format_meur_fixed(value_eur)} M€"


def map_per_inhabitant_line(value_eur: float | None) -> str:
    """« 5 600 € par habitant » (to the hundred euros), or « non disponible »."""
    if value_eur is None:
        return f"Par habitant : {MAP_NOT_AVAILABLE}"
    return f"{group_thousands(f'{round(value_eur, -2):.0f}')} € par habitant"


def map_per_inhabitant_rank_line(rank: int | None, total: int) -> str:
    """« 40e sur 100 par habitant »."""
    if rank is None:
        return f"Rang par habitant : {MAP_NOT_AVAILABLE}"
    return f"{ordinal(rank)} sur {total} par habitant"


def map_class_label(low_eur: float, high_eur: float, first: bool, last: bool) -> str:
    """Legend of one quantile class: « moins de 120.5 », « 120.5 à 380.0 », « 2 400.0 et plus »."""
    if first:
        return f"moins de {format_meur_fixed(high_eur)}"
    if last:
        return f"{format_meur_fixed(low_eur)} et plus"
    return f"{format_meur_fixed(low_eur)} à {format_meur_fixed(high_eur)}"


def map_shape_alt(nom: str, value_eur: float, year_label: str) -> str:
    """« Creuse : exportations 123.4 M€ en 2024 »."""
    return f"{nom} : exportations {format_meur_fixed(value_eur)} M€ en {year_label}"


def map_group_alt(nom: str, year_label: str, rank_line: str, total_line: str, skipped: str) -> str:
    return (f"Carte de France des exportations par département en {year_label}, en cinq classes. {nom} : "
            f"{total_line}, {rank_line}. {skipped}".strip())


def notes_map(nom: str, total_line: str, rank_line: str, per_inhabitant: str, per_inhabitant_rank: str) -> str:
    return (f"{nom} dans la France des exportations : {total_line} ; {rank_line} ; {per_inhabitant} "
            f"({per_inhabitant_rank}). Les couleurs classent les départements en cinq groupes de même effectif ; "
            "un département portuaire ou siège de grands groupes exporte plus que sa production locale.")
# Exposition et dépendances (aggregation/exposure.py; the slide, the « Exposition » sheet, notes)
# ---------------------------------------------------------------------------------------------------------

EXPOSURE_TITLE = "Exposition et dépendances"
EXPOSURE_LEVELS = ("Département", "Région", "France")
EXPOSURE_SHARE_LABELS = {
    "E": ("Exportations vers les États-Unis", "Exportations vers la Chine", "Exportations vers l'UE27",
          "Exportations vers le premier client"),
    "I": ("Importations depuis les États-Unis", "Importations depuis la Chine", "Importations depuis l'UE27",
          "Importations depuis le premier fournisseur"),
}
# Short category labels of the slide's chart, in the chart's order.
EXPOSURE_CHART_CATEGORIES = ("Export : États-Unis", "Export : Chine", "Export : UE27", "Export : 1er client",
                             "Import : États-Unis", "Import : Chine", "Import : UE27", "Import : 1er fournisseur")
EXPOSURE_CHART_NAME = "Graphique – exposition par partenaire"
HHI_BAND_LABEL = {"peu_concentre": "peu concentré", "moderement_concentre": "modérément concentré",
                  "tres_concentre": "très concentré"}
HHI_SOURCE = ("Seuils de lecture de l'indice de Herfindahl-Hirschman (HHI, de 0 à 10 000) : moins de 1 500 peu "
              "concentré, de 1 500 à 2 500 modérément concentré, plus de 2 500 très concentré. Ils viennent des "
              "lignes directrices sur les concentrations horizontales du ministère de la Justice et de la "
              "Federal Trade Commission des États-Unis (Horizontal Merger Guidelines, 2010) ; ils ne servent ici "
              "qu'à décrire la répartition des échanges.")
EXPOSURE_SHEET_TITLE = "Exposition et dépendances, {name} ({year})"
EXPOSURE_SHARES_TITLE = "Part des principaux partenaires dans les échanges"
EXPOSURE_SHARES_HEADERS = ("Indicateur", "Département", "Région", "France")
EXPOSURE_US_TITLE = "Produits les plus exportés vers les États-Unis"
EXPOSURE_US_HEADERS = ("Produit", "Code A129", "Exportations vers les États-Unis (€)",
                       "Exportations du produit (€)", "Part des États-Unis")
EXPOSURE_DEPENDENCE_TITLE = "Dépendance à l'import : premier fournisseur des dix principaux produits importés"
EXPOSURE_DEPENDENCE_HEADERS = ("Produit", "Code A129", "Importations (€)", "Premier fournisseur",
                               "Part du premier fournisseur", "Plus de la moitié")
EXPOSURE_HHI_TITLE = "Concentration des échanges du département"
EXPOSURE_HHI_HEADERS = ("Flux", "HHI des pays", "Lecture (pays)", "HHI des produits (A129)", "Lecture (produits)",
                        "Part des trois premiers pays")
EXPOSURE_FIRST_PARTNER_ROWS = {"E": "Premier client (pays)", "I": "Premier fournisseur (pays)"}
EXPOSURE_RANK_LABEL = "Rang national par la part des États-Unis dans les exportations (1er = le plus exposé)"
EXPOSURE_SHARE_NOTE = ("Parts en % du total du flux (les codes sans pays, comme l'avitaillement, comptent dans le "
                       "total mais ne sont jamais « premier client »).")


def exposure_chart_title(name: str, year: int | str) -> str:
    return f"Part des partenaires dans les échanges, {name} ({year}) – en %"


def exposure_hhi_line(flow: str, hhi_partners: float, band: str, top3_pct: float) -> str:
    """« Exportations : HHI des pays 985 (peu concentré) ; trois premiers pays 45.0 % »."""
    return (f"{FLOW_LABEL[flow]} : HHI des pays {group_thousands(f'{hhi_partners:.0f}')} ({HHI_BAND_LABEL[band]}) ; "
            f"trois premiers pays {format_pct(top3_pct, 1)}")


def exposure_rank_line(rank: int, n: int, us_pct: float, level: str = "departement") -> str:
    if level == "france":
        return f"États-Unis : {format_pct(us_pct, 1)} des exportations"
    return (f"États-Unis : {format_pct(us_pct, 1)} des exportations, {rank}{'er' if rank == 1 else 'e'} "
            f"{LEVEL_NOUN[level]} sur {n} par cette part")


def exposure_dependence_line(n_dependent: int, n_products: int) -> str:
    if n_dependent == 0:
        return f"Aucun des {n_products} premiers produits importés ne dépend pour plus de la moitié d'un seul pays"
    products = "produit dont un seul pays fournit" if n_dependent == 1 else "produits dont un seul pays fournit"
    return f"{n_dependent} {products} plus de la moitié (sur les {n_products} premiers produits importés)"


EXPOSURE_FIRST_CLIENT = "Premier client"
EXPOSURE_FIRST_SUPPLIER = "Premier fournisseur"


def exposure_first_line(role: str, country: str, pct: float) -> str:
    return f"{role} : {country} ({format_pct(pct, 1)})"


EXPOSURE_COMMENT_UNIT = ("Parts en % du total de chaque flux ; « 1er client » et « 1er fournisseur » : ceux de chaque "
                         "territoire. HHI de 0 à 10\u00a0000 (seuils DOJ/FTC, lecture descriptive).")


def exposure_single_region_note(region: str) -> str:
    return f"{region} : la région est ici le territoire lui-même ; elle n'est pas répétée."


def notes_exposure(name: str, shares: str, us_products: str, dependences: str, concentration: str, rank: str) -> str:
    return (f"Exposition de {name}. Parts : {shares}. Produits les plus exportés vers les États-Unis : "
            f"{us_products}. Dépendances à l'import : {dependences}. Concentration : {concentration}. {rank}.")


# ---------------------------------------------------------------------------------------------------------
# Fiches of a région and of France (issue 13): the département's wording turned to the fiche's level, the
# breakdown of the parts, the titles.
# ---------------------------------------------------------------------------------------------------------
# The model's département phrases and their région and France forms, longest first: at_level rewrites a
# fiche's slides and notes with them (a phrase about départements in general, « un département A », stays).
LEVEL_WORDING = {
    "region": (
        ("Territoires d'Industrie du département", "Territoires d'Industrie de la région"),
        ("Territoires d'industrie du département", "Territoires d'industrie de la région"),
        ("Aucun Territoire d'industrie recensé pour ce département", "Aucun Territoire d'industrie recensé dans la région"),
        ("à l'échelle départementale", "à l'échelle régionale"),
        ("La situation départementale", "La situation régionale"),
        ("à celle de la région et du pays", "à celle du pays"),
        ("département, région, France", "région et France"),
        ("dans le département", "dans la région"),
        ("depuis le département", "depuis la région"),
        ("avec le département", "avec la région"),
        ("du département", "de la région"),
        ("le département", "la région"),
        ("ce département", "cette région"),
    ),
    "france": (
        ("Territoires d'Industrie du département", "Territoires d'Industrie"),
        ("Territoires d'industrie du département", "Territoires d'industrie"),
        ("à l'échelle départementale", "à l'échelle nationale"),
        ("dans le département", "en France"),
        ("depuis le département", "depuis la France"),
        ("avec le département", "avec la France"),
        ("du département", "de la France"),
        ("le département", "la France"),
        ("ce département", "ce pays"),
    ),
}
LEVEL_NOUN = {"departement": "département", "region": "région", "france": "pays"}
BREAKDOWN_TITLE = {"region": "Les départements de la région", "france": "Les régions"}
BREAKDOWN_SHEET = {"region": "Départements", "france": "Régions"}
BREAKDOWN_PART = {"region": "Département", "france": "Région"}
BREAKDOWN_CHART_NAME = "Graphique – répartition par territoire"
DECK_COMPARISON_FRANCE_TITLES = {"E": "Exportations : la France", "I": "Importations : la France"}
COVER_FIGURES_NOTE = {
    "region": "Chiffres régionaux : la somme des départements de la région dans les données douanières",
    "france": "Chiffres nationaux : la somme des départements dans les données douanières régionales",
}


def at_level(text: str, level: str) -> str:
    """A département fiche's sentence said of a région or of France (unchanged for a département)."""
    for old, new in LEVEL_WORDING.get(level, ()):
        text = text.replace(old, new)
    return text


def level_title(level: str, name: str) -> str:
    """How the fiche's territory is named on its cover: « Creuse », « Région Nouvelle-Aquitaine »,
    « France entière »."""
    if level == "region":
        return f"Région {name}"
    return scope_name(level, name)


def level_rank_line(flow: str, share: FlowShare) -> str:
    """« 10e région sur 18 pour les exportations » (rank_line for a région's fiche)."""
    return f"{ordinal(share.rank)} {LEVEL_NOUN[share.rank_level]} sur {share.n_departements} pour les {FLOW_NOUN[flow]}"


def territories_summary(level: str, territories: tuple[str, ...]) -> str:
    """A région's or France's Territoires d'industrie in one paragraph: « 21 Territoires d'industrie : A, B… »."""
    if not territories:
        return at_level(DECK_NO_TERRITORY, level)
    count = f"{len(territories)} Territoire{'s' if len(territories) > 1 else ''} d'industrie"
    return f"{count} : {', '.join(territories)}" if level == "region" else (
        f"{count} en France, chacun avec sa fiche par département")


def breakdown_chart_title(level: str, name: str, year_label: str) -> str:
    """« Exportations et importations par département, Nouvelle-Aquitaine (2024) »."""
    part = "département" if level == "region" else "région"
    return f"Exportations et importations par {part}, {scope_name(level, name)} ({year_label})"


def breakdown_line(name: str, exports_eur: float, share_pct: float) -> str:
    """« Pyrénées-Atlantiques : 4 646.2 M€ (17.4%) »."""
    return f"{name} : {format_meur_fixed(exports_eur)} M€ ({format_pct(share_pct, 1)})"


def breakdown_comment_head(level: str, n: int) -> str:
    part = "départements" if level == "region" else "régions"
    return f"Exportations des {n} {part} et leur part du total :"


def breakdown_alt(level: str, name: str, year_label: str, parts: list[tuple[str, float, float]]) -> str:
    shown = " ; ".join(f"{n} : exportations {format_meur_fixed(e)} M€, importations {format_meur_fixed(i)} M€"
                       for n, e, i in parts)
    return f"{breakdown_chart_title(level, name, year_label)}. {shown}."


def notes_breakdown(level: str, name: str, lines: list[str]) -> str:
    part = "ses départements" if level == "region" else "ses régions"
    return (f"Répartition de {scope_name(level, name)} entre {part} : {' ; '.join(lines)}. Leur somme est le "
            "total du territoire ; un département portuaire ou siège de grands groupes pèse plus que sa production.")


def own_flows_note(name: str) -> str:
    """Said instead of the région's Sankey in a région's own fiche."""
    return f"{name} : ses flux figurent page précédente."


def map_target_line_france() -> str:
    return "France entière : chaque département à sa couleur"


def breakdown_headers(level: str) -> tuple[str, ...]:
    part = BREAKDOWN_PART[level]
    return ("Rang", f"Code {part.lower()}", part, "Exportations (€)", "Importations (€)", "Solde (€)",
            "Part des exportations", "Part des importations")


def level_headers(level: str) -> tuple[str, ...]:
    """The territories' columns of a région's (« Région », « France ») or France's (« France ») tables."""
    return ("Région", "France") if level == "region" else ("France",)


def exposure_rank_of(n: int, level: str = "departement") -> str:
    """« sur 101 départements », « sur 18 régions »."""
    return f"sur {n} {'régions' if level == 'region' else 'départements'}"


def unknown_level(unknown: list[str], levels: tuple[str, ...]) -> str:
    shown = ", ".join(f"« {u} »" for u in unknown) or "aucun"
    return f"niveau inconnu : {shown} ; choisissez parmi {', '.join(levels)} (plusieurs séparés par des virgules)"


# ---------------------------------------------------------------------------------------------------------
# « L'essentiel »: four to six sentences written from the figures by fixed rules (commentary), shown on the
# summary slide, in its notes and as `commentaire` in the JSON. Every number they write is one the JSON
# holds, rounded as the deck shows it: amounts in M€ with one decimal, shares with one decimal (the share of
# France with two, as in the flow slides).
# ---------------------------------------------------------------------------------------------------------

DECK_SUMMARY_TITLE = "L'essentiel"
NOTES_SUMMARY = "L'essentiel, en phrases écrites à partir des chiffres de la fiche : {sentences}"
DOMINANT_SHARE_PCT = 50.0  # above it, one product « fait plus de la moitié » of the exports
COMMENTARY_MAX = 6
DROM_CODES = ("971", "972", "973", "974", "976")
MONACO_CODE = "99"
CORSICA_CODE = "20"
PARIS_CODE = "75"
# INSEE's TNCC → (article, « de » + article): « la Creuse », « de la Creuse ».
_ARTICLES = {2: ("le ", "du "), 3: ("la ", "de la "), 4: ("les ", "des "), 5: ("l'", "de l'")}
_VOWELS = "AEIOUYÂÊÎÔÉÈËÏ"


def _capitalise(text: str) -> str:
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
        return f"la région {fiche.departement.nom}", f"de la région {fiche.departement.nom}", False
    if fiche.level == "france":
        return "la France", "de la France", False
    return territory_forms(fiche.departement.nom, fiche.departement.tncc)


def _pct1(value: float) -> str:
    return format_pct(value, 1)


def _opening(fiche) -> str:
    """« En 2024 », « Sur le 1er trimestre 2025 (année partielle) »."""
    if fiche.partial:
        return f"Sur {_quarters_phrase(period(fiche))} {fiche.year} (année partielle)"
    return f"En {fiche.year}"


def commentary_totals(fiche) -> str:
    """« En 2024, la Creuse a exporté pour 675.8 M€ de biens et en a importé pour 207.0 M€ : sa balance
    commerciale dégage un excédent de 468.8 M€. »"""
    subject, _, plural = fiche_forms(fiche)
    verb, own = ("ont", "leur") if plural else ("a", "sa")
    balance = fiche.balance_eur
    if format_meur_fixed(abs(balance)) == "0.0":
        tail = f"{own} balance commerciale est à l'équilibre"
    elif balance > 0:
        tail = f"{own} balance commerciale dégage un excédent de {drawing_meur(balance)}"
    else:
        tail = f"{own} balance commerciale accuse un déficit de {drawing_meur(-balance)}"
    return (f"{_opening(fiche)}, {subject} {verb} exporté pour {drawing_meur(fiche.exports.total_eur)} de biens "
            f"et en {verb} importé pour {drawing_meur(fiche.imports.total_eur)} : {tail}.")


def commentary_rank(fiche) -> str | None:
    """« Avec 0.12% des exportations françaises et 2.5% de celles de la région Nouvelle-Aquitaine, la Creuse
    se classe 90e sur 101 départements. »"""
    share = fiche.exports
    if fiche.level == "france":
        return None
    subject, _, plural = fiche_forms(fiche)
    region = "" if not fiche.compares_with_region else (
        f" et {_pct1(share.share_of_region_pct)} de celles de la région {fiche.region.nom}")
    partial = "" if share.france_complete else " (parmi les seuls départements présents dans les données)"
    kind = ("régions" if fiche.level == "region" else
            "territoires" if fiche.departement.code == MONACO_CODE else "départements")
    verb = "se classent" if plural else "se classe"
    return (f"Avec {format_pct(share.share_of_france_pct, 2)} des exportations françaises{region}, {subject} "
            f"{verb} {ordinal(share.rank)} sur {share.n_departements} {kind}{partial}.")


def activity_name(activity) -> str:
    return activity.libelle_court or activity.libelle


def commentary_products(fiche) -> str:
    """The first product exported: « Son premier poste à l'export est « Produits agricoles » (36.0% de ses
    exportations), devant « Viandes » (12.1%). », or « Un seul poste … fait plus de la moitié … »."""
    total = fiche.exports.total_eur
    tops = [a for a in fiche.local.top_activities_export if a.exports_eur > 0]
    if not total or not tops:
        return "Aucune exportation n'est enregistrée sur la période."
    _, _, plural = fiche_forms(fiche)
    own, owns = ("leur", "leurs") if plural else ("son", "ses")
    first = tops[0]
    share = 100 * first.exports_eur / total
    if share > DOMINANT_SHARE_PCT:
        return (f"Un seul poste fait plus de la moitié de {owns} exportations : « {activity_name(first)} » "
                f"({_pct1(share)}).")
    second = (f", devant « {activity_name(tops[1])} » ({_pct1(100 * tops[1].exports_eur / total)})"
              if len(tops) > 1 else "")
    return (f"{_capitalise(own)} premier poste à l'export est « {activity_name(first)} » ({_pct1(share)} de "
            f"{owns} exportations){second}.")


def commentary_partners(fiche) -> str | None:
    """« Ses exportations vont pour 65.8% vers l'Union européenne (UE27) ; premier pays client : Pologne
    (17.4%). »"""
    if fiche.exposure is None or not fiche.exports.total_eur:
        return None
    flow = fiche.exposure.local_exports
    _, _, plural = fiche_forms(fiche)
    text = f"{'Leurs' if plural else 'Ses'} exportations vont pour {_pct1(flow.eu27_pct)} vers l'Union européenne (UE27)"
    if flow.first_partner_name:
        text += f" ; premier pays client : {flow.first_partner_name} ({_pct1(flow.first_partner_pct)})"
    return text + "."


def commentary_united_states(fiche) -> str | None:
    """« 13.1% des exportations de la Creuse partent vers les États-Unis, contre 8.3% pour la France ; pour cette
    part, la Creuse se classe 21e sur 101. », or what is said without US trade (or with almost none)."""
    exposure = fiche.exposure
    if exposure is None or not fiche.exports.total_eur:
        return None
    subject, of, plural = fiche_forms(fiche)
    local, france = exposure.local_exports.us_pct, exposure.france_exports.us_pct
    if local <= 0:
        return (f"Les données n'enregistrent aucune exportation {of} vers les États-Unis, qui reçoivent "
                f"{_pct1(france)} des exportations françaises : les surtaxes américaines n'y pèsent pas directement.")
    if _pct1(local) == _pct1(0.0):
        return (f"Les États-Unis ne reçoivent qu'une part infime des exportations {of} (moins d'un millième), "
                f"contre {_pct1(france)} des exportations françaises.")
    verb = "se classent" if plural else "se classe"
    if fiche.level == "france":
        return f"{_pct1(local)} des exportations {of} partent vers les États-Unis."
    return (f"{_pct1(local)} des exportations {of} partent vers les États-Unis, contre {_pct1(france)} pour la "
            f"France ; pour cette part, {subject} {verb} {ordinal(exposure.us_rank)} sur {exposure.n_ranked}.")


def commentary_growth(fiche) -> str | None:
    """« Sur un an, les exportations ont progressé de 9.7% et les importations ont reculé de 12.4%. »
    (a partial year against the same quarters of the year before); None without a year before."""
    year = fiche.evolution.year(fiche.year) if fiche.evolution is not None else None
    if year is None or year.exports_growth_pct is None or year.imports_growth_pct is None:
        return None

    def moved(noun: str, growth: float) -> str:
        if _pct1(abs(growth)) == _pct1(0.0):
            return f"les {noun} sont restées stables"
        return f"les {noun} ont {'progressé' if growth > 0 else 'reculé'} de {_pct1(abs(growth))}"

    when = ("Sur un an" if not year.partial else
            f"Par rapport {'au même trimestre' if len(year.quarters) == 1 else 'aux mêmes trimestres'} de "
            f"{fiche.year - 1}")
    from fichex.aggregation.model import EMEBI_BREAK_YEAR

    caution = (f" ; la rupture de série EMEBI de janvier {EMEBI_BREAK_YEAR} invite à la prudence"
               if fiche.year - 1 < EMEBI_BREAK_YEAR <= fiche.year else "")
    return f"{when}, {moved('exportations', year.exports_growth_pct)} et {moved('importations', year.imports_growth_pct)}{caution}."


def commentary_dependences(fiche) -> str | None:
    """« À l'import, 3 des 10 premiers produits dépendent pour plus de la moitié d'un seul pays fournisseur. »"""
    if fiche.exposure is None or not fiche.exposure.import_dependences:
        return None
    n, total = fiche.exposure.n_dependent, len(fiche.exposure.import_dependences)
    if n == 0:
        return (f"À l'import, aucun des {total} premiers produits ne dépend pour plus de la moitié d'un seul pays "
                "fournisseur.")
    verb = "dépend" if n == 1 else "dépendent"
    return f"À l'import, {n} des {total} premiers produits {verb} pour plus de la moitié d'un seul pays fournisseur."


def commentary_territory(fiche) -> str | None:
    """What is particular to the territory: an overseas département, Monaco, Corse, Paris's energy imports
    (a département's only: a région's « 75 » is Nouvelle-Aquitaine)."""
    code = departement_code(fiche)
    if code in DROM_CODES:
        return ("Comme pour tout département d'outre-mer, les échanges avec la France métropolitaine ne sont pas "
                "du commerce extérieur : seuls ceux avec l'étranger sont comptés.")
    if code == MONACO_CODE:
        return ("Monaco, en union douanière avec la France, figure dans les statistiques douanières françaises : "
                f"ses échanges sont comptés dans la région {fiche.region.nom}.")
    if code == CORSICA_CODE:
        return ("Les données douanières ne séparent pas la Corse-du-Sud et la Haute-Corse : les chiffres portent "
                "sur la Corse entière.")
    if code == PARIS_CODE:
        return ("Par convention, les importations de gaz naturel par gazoduc et d'électricité sont comptées à "
                "Paris : elles gonflent ses importations sans être consommées sur place.")
    return None


def commentary(fiche) -> list[str]:
    """Four to six French sentences on a fiche, written from its figures by fixed rules: totals and balance,
    place in France, first product, partners, the United States, then what is particular to the territory or,
    failing that, the change over a year or the import dependences."""
    core = [commentary_totals(fiche), commentary_rank(fiche), commentary_products(fiche),
            commentary_partners(fiche), commentary_united_states(fiche)]
    last = commentary_territory(fiche) or commentary_growth(fiche) or commentary_dependences(fiche)
    return [_no_break(s) for s in (*core, last) if s][:COMMENTARY_MAX]


_BREAKLESS = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" M€", "\u00a0M€"), (" :", "\u00a0:"), (" ;", "\u00a0;"))


def _no_break(sentence: str) -> str:
    """No line break inside « 35 075.1 M€ », inside guillemets, before a colon or a share in brackets:
    no-break spaces there."""
    import re

    sentence = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "\u00a0", sentence)
    sentence = re.sub(r" \((?=\d)", "\u00a0(", sentence)  # « Italie (25.0%) » on one line
    for plain, breakless in _BREAKLESS:
        sentence = sentence.replace(plain, breakless)
    return sentence


INDEX_TERRITOIRE_FIGURES = "chiffres départementaux : voir le classeur et la présentation du territoire"


def index_territoire_name(name: str) -> str:
    return f"Territoire d'industrie – {name}"


# --- Overlapping DGDDI publications and an interrupted import (issue 22; data/importing/regional.py, cli.py) ---
MOTIF_REVISED = "révisée par une publication plus récente (la ligne de la plus récente est conservée)"
REVISED_DETAIL = "remplacée par la valeur "  # then the value kept and where it was read
IMPORT_TERMINATED = ("import arrêté par un signal (SIGTERM) ; aucun fichier partiel n'a été laissé, ni dans --into "
                     "ni dans le dossier temporaire : relancez l'import")


def publications_rule(ranked: list[tuple[str, tuple[int, int]]]) -> str:
    """The rule applied when publications overlap, with their order: (label, (year, quarter)) from the
    earliest to the latest."""
    listed = ", ".join(f"{name} (jusqu'au {_ordinal(quarter)} trimestre {year})" for name, (year, quarter) in ranked)
    return ("publications superposées : pour chaque ligne (même flux, trimestre, département, produit et pays), "
            "celle de la publication la plus récente est conservée ; la plus récente est celle qui couvre le "
            "trimestre le plus tardif, à égalité celle donnée en dernier sur la ligne de commande ; "
            f"ordre retenu : {listed}")


def publication_replaced(earlier: str, later: str, replaced: int, revised: int) -> str:
    return (f"{later} remplace {_count(replaced, 'ligne')} de {earlier}, dont {group_thousands(str(revised))} "
            f"de valeur ou de masse différente (motif « {MOTIF_REVISED.split(' (')[0]} » dans lignes_rejetees.csv)")


def staging_disk_full(folder) -> str:
    return (f"plus de place dans le dossier temporaire {folder} pendant l'import (l'import y range les lignes "
            "vérifiées avant de les trier) ; libérez-y de la place ou désignez un dossier sur un disque plus "
            "grand avec la variable d'environnement TMPDIR, puis relancez l'import")
