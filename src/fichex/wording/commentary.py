"""« L'essentiel »: four to seven sentences written from the figures by fixed rules, shown on the summary
slide, in its notes and as `commentaire` in the JSON. Every number they write is one the JSON holds, rounded
as the deck shows it: amounts in M€ with one decimal, shares with one decimal (the share of France with two,
as in the flow slides).
"""

from __future__ import annotations

from fichex.aggregation.model import CAVEAT_CORSICA, CAVEAT_DROM, CAVEAT_MONACO, CAVEAT_PARIS_ENERGY
from fichex.territories import MONACO_CODE
from fichex.wording.numbers import format_pct, meur, no_break, ordinal, rounds_to_zero
from fichex.wording.grammar import activity_name, capitalise, fiche_forms, period, quarters_phrase


DOMINANT_SHARE_PCT = 50.0  # above it, one product « fait plus de la moitié » of the exports
COMMENTARY_MAX = 7


def _pct1(value: float) -> str:
    return format_pct(value, 1)


def _opening(fiche) -> str:
    """« En 2024 », « Sur le 1er trimestre 2025 (année partielle) »."""
    if fiche.partial:
        return f"Sur {quarters_phrase(period(fiche))} {fiche.year} (année partielle)"
    return f"En {fiche.year}"


def commentary_totals(fiche) -> str:
    """« En 2024, la Creuse a exporté pour 675.8 M€ de biens et en a importé pour 207.0 M€ : sa balance
    commerciale dégage un excédent de 468.8 M€. »"""
    subject, _, plural = fiche_forms(fiche)
    verb, own = ("ont", "leur") if plural else ("a", "sa")
    balance = fiche.balance_eur
    if rounds_to_zero(balance):
        tail = f"{own} balance commerciale est à l'équilibre"
    elif balance > 0:
        tail = f"{own} balance commerciale dégage un excédent de {meur(balance)}"
    else:
        tail = f"{own} balance commerciale accuse un déficit de {meur(-balance)}"
    return (f"{_opening(fiche)}, {subject} {verb} exporté pour {meur(fiche.exports.total_eur)} de biens "
            f"et en {verb} importé pour {meur(fiche.imports.total_eur)} : {tail}.")


def commentary_rank(fiche) -> str | None:
    """« Avec 0.12% des exportations françaises et 2.5% de celles de la région Nouvelle-Aquitaine, la Creuse
    se classe 90e sur 101 départements. »"""
    share = fiche.exports
    if fiche.level == "france":
        return None
    subject, _, plural = fiche_forms(fiche)
    region = "" if not fiche.compares_with_region else (
        f" et {_pct1(share.share_of_region_pct)} de celles de la région {fiche.region.nom}")
    kind = ("régions" if fiche.level == "region" else
            "territoires" if fiche.territory.code == MONACO_CODE else "départements")
    verb = "se classent" if plural else "se classe"
    whole = "des exportations françaises" if share.france_complete else (
        f"des exportations des {share.departements_in_data} départements présents dans les données (données "
        f"partielles : {share.departements_in_data} sur {share.departements_total})")
    return (f"Avec {format_pct(share.share_of_france_pct, 2)} {whole}{region}, {subject} "
            f"{verb} {ordinal(share.rank)} sur {share.n_departements} {kind}.")


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
        return (f"Un seul poste fait plus de la moitié de {owns} exportations : «\u00a0{activity_name(first)}\u00a0» "
                f"({_pct1(share)}).")
    second = (f", devant «\u00a0{activity_name(tops[1])}\u00a0» ({_pct1(100 * tops[1].exports_eur / total)})"
              if len(tops) > 1 else "")
    return (f"{capitalise(own)} premier poste à l'export est «\u00a0{activity_name(first)}\u00a0» ({_pct1(share)} de "
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
    (a département's only: a région's « 75 » is Nouvelle-Aquitaine), from the caveats the aggregation decided."""
    kinds = {c.kind for c in fiche.caveats}
    if CAVEAT_DROM in kinds:
        return ("Comme pour tout département d'outre-mer, les échanges avec la France métropolitaine ne sont pas "
                "du commerce extérieur : seuls ceux avec l'étranger sont comptés.")
    if CAVEAT_MONACO in kinds:
        return ("Monaco, en union douanière avec la France, figure dans les statistiques douanières françaises : "
                f"ses échanges sont comptés dans la région {fiche.region.nom}.")
    if CAVEAT_CORSICA in kinds:
        return ("Les données douanières ne séparent pas la Corse-du-Sud et la Haute-Corse : les chiffres portent "
                "sur la Corse entière.")
    if CAVEAT_PARIS_ENERGY in kinds:
        return ("Par convention, les importations de gaz naturel par gazoduc et d'électricité sont comptées à "
                "Paris : elles gonflent ses importations sans être consommées sur place.")
    return None


def commentary(fiche) -> list[str]:
    """Four to seven French sentences on a fiche, written from its figures by fixed rules: totals and balance,
    place in France, first product, first ranks among départements or régions (not France's), partners, the United States, then what is particular to the territory or,
    failing that, the change over a year or the import dependences."""
    core = [commentary_totals(fiche), commentary_rank(fiche), commentary_products(fiche),
            commentary_specialisation(fiche), commentary_partners(fiche), commentary_united_states(fiche)]
    last = commentary_territory(fiche) or commentary_growth(fiche) or commentary_dependences(fiche)
    return [no_break(s) for s in (*core, last) if s][:COMMENTARY_MAX]


def commentary_specialisation(fiche) -> str | None:
    """« La Creuse est le 1er département exportateur de « Services de soutien aux cultures ». » (« la région … est
    la 1re région exportatrice de … »); None without a first rank, and in France's fiche (no national reference
    against itself)."""
    from fichex.wording.places import place_of
    from fichex.wording.specialisation import commentary_sentence

    if fiche.specialisation is None or fiche.level == "france":
        return None
    subject, _, plural = fiche_forms(fiche)
    return commentary_sentence(subject, plural, place_of(fiche), fiche.specialisation.first_ranks)
