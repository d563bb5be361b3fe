"""Speaker notes of the deck: for each slide, what the presenter says with this territory's figures, and the
caveats that apply here (ports and hydrocarbons, overseas départements, Paris, a partial year).

Each function returns the paragraphs of one slide's notes; the wording is in `fichex.wording` (mostly
`wording/notes.py`).
"""

from __future__ import annotations

from typing import Sequence

from fichex.wording import (deck as deck_text, grammar as grammar_text, model_text, notes as notes_text,
                            numbers as numbers_text, workbook as workbook_text)
from fichex.wording import specialisation as spec_text
from fichex.aggregation.model import EXPORT, IMPORT, OTHERS_CODE, Fiche, FlowMatrix, ScopeSummary
from fichex.wording.numbers import meur, percent_of
from fichex.wording.places import place_of


def local_caveats(fiche: Fiche, flows: tuple[str, ...] = (EXPORT, IMPORT)) -> list[str]:
    """The caveats that apply to this territory for the given flows (decided by aggregation/caveats.py)."""
    place, period = place_of(fiche), grammar_text.period(fiche)
    return [text for caveat in fiche.caveats if caveat.concerns(flows)
            for text in [notes_text.caveat_note(caveat, place, period, flows)] if text]


def _rank(fiche: Fiche, flow: str) -> str:
    return model_text.rank_line(flow, fiche.share(flow), place_of(fiche))


def key_figures(fiche: Fiche) -> str:
    """« En chiffres » : the territory's totals, balance and ranks, said on several slides."""
    return notes_text.notes_key_figures(fiche.territory.nom, meur(fiche.exports.total_eur), meur(fiche.imports.total_eur),
                                        model_text.balance_line(fiche.balance_eur), _rank(fiche, EXPORT), _rank(fiche, IMPORT))


def cover(fiche: Fiche) -> list[str]:
    """The cover: who the fiche is about, its period and Territoires d'industrie, its key figures."""
    period = grammar_text.period(fiche)
    return [notes_text.notes_cover(place_of(fiche), fiche.region.nom, period, fiche.territoires_industrie),
            key_figures(fiche)]


def introduction(fiche: Fiche) -> list[str]:
    """The introduction: the programme and the territory's Territoires d'industrie."""
    return [notes_text.notes_intro(place_of(fiche)), notes_text.notes_territories(place_of(fiche), fiche.territoires_industrie)]


def context(fiche: Fiche) -> list[str]:
    """The context slide: what to say of it, and the key figures."""
    return [notes_text.DECK_NOTES_CONTEXT, key_figures(fiche)]


def caveats(fiche: Fiche) -> list[str]:
    """The caveats slide: the model's caveats, then those that apply to this territory."""
    return [notes_text.DECK_NOTES_CAVEATS + " " + " ".join(model_text.CAVEATS), *local_caveats(fiche)]


def summary(fiche: Fiche, sentences: list[str]) -> list[str]:
    """« L'essentiel »: its sentences in one paragraph (the local caveats are said on the slides they concern)."""
    return [notes_text.NOTES_SUMMARY.format(sentences=" ".join(sentences))]


def _partner(p, flow: str) -> str:
    return f"{p.nom} ({meur(p.value(flow))})"


def partners(fiche: Fiche, top: int) -> list[str]:
    """The partners slide: first client and supplier, largest surplus and deficit, the local caveats."""
    shown = fiche.main_partners
    first_export = max(shown, key=lambda p: p.exports_eur, default=None)
    first_import = max(shown, key=lambda p: p.imports_eur, default=None)
    surplus = max(shown, key=lambda p: p.balance_eur, default=None)
    deficit = min(shown, key=lambda p: p.balance_eur, default=None)
    lines = [model_text.PARTNERS_KEY, notes_text.notes_partners(
        _partner(first_export, EXPORT) if first_export else workbook_text.XLSX_NONE,
        _partner(first_import, IMPORT) if first_import else workbook_text.XLSX_NONE,
        f"{surplus.nom} ({numbers_text.balance_label(surplus.balance_eur)})" if surplus and surplus.balance_eur > 0 else "",
        f"{deficit.nom} ({numbers_text.balance_label(deficit.balance_eur)})" if deficit and deficit.balance_eur < 0 else "",
        len(shown), top)]
    return lines + local_caveats(fiche)


def map_position(fiche: Fiche, lines: list[str], skipped_note: str) -> list[str]:
    """The map slide: the same figures as its side panel, and what the colours mean."""
    if not lines:
        return [deck_text.MAP_KEY]
    out = [notes_text.notes_map(fiche.territory.nom, *lines), deck_text.MAP_INSETS_NOTE]  # the panel names them
    return out + ([skipped_note] if skipped_note else [])


def activities(fiche: Fiche, others: Sequence[notes_text.TreemapOthers]) -> list[str]:
    """The activities slide: the first activity exported and imported, how many activities each block shows
    and what « Autres » holds (`others`: as the treemap draws them), the caveats."""
    def first(flow: str) -> str:
        """The first activity of the flow, its value and share."""
        tops = fiche.local.top_activities(flow)
        if not tops:
            return workbook_text.XLSX_NONE
        a = tops[0]
        return f"{a.libelle_court or a.libelle} ({meur(a.value(flow))}, {percent_of(a.value(flow), fiche.share(flow).total_eur)})"

    held = notes_text.treemap_others_note(others)
    return [notes_text.notes_activities(first(EXPORT), first(IMPORT)), *([held] if held else []),
            *local_caveats(fiche)]


def _top_flow(matrix: FlowMatrix) -> str:
    cells = [(matrix.values[i][j], i, j) for i, j in matrix.highlighted]
    if not cells:
        return workbook_text.XLSX_NONE
    value, i, j = max(cells)
    return f"{matrix.sources[i].label} → {matrix.targets[j].label} ({meur(value)})"


def _named_share(matrix: FlowMatrix) -> str:
    named = sum(t for node, t in zip(matrix.sources, matrix.source_totals) if node.code != OTHERS_CODE)
    return percent_of(named, matrix.total)


def flows(fiche: Fiche, flow: str) -> list[str]:
    """A flows slide: the headline, the rank, the largest flow and the share of the named activities."""
    matrix = fiche.local.flows(flow)
    headline = ", ".join(model_text.headline_lines(fiche, flow))
    named = sum(1 for node in matrix.sources if node.code != OTHERS_CODE)
    return [notes_text.notes_flows(place_of(fiche), flow, headline, _rank(fiche, flow), _top_flow(matrix), _named_share(matrix), named),
            *local_caveats(fiche, (flow,))]


def _first_source(scope: ScopeSummary, flow: str) -> str:
    matrix = scope.flows(flow)
    named = [(t, n.label) for n, t in zip(matrix.sources, matrix.source_totals) if n.code != OTHERS_CODE]
    if not named:
        return workbook_text.XLSX_NONE
    total, label = max(named)
    return f"{label} ({meur(total)})"


def comparison(fiche: Fiche, flow: str) -> list[str]:
    """A comparison slide: the région's and France's totals and first activities."""
    region, france = fiche.region_summary, fiche.france_summary
    place = place_of(fiche)
    lines = [notes_text.notes_comparison(place, flow, region.territory.nom, meur(region.total(flow)),
                                         _first_source(region, flow),
                                         grammar_text.scope_name("france", france.territory.nom, fiche.share(flow)),
                                         meur(france.total(flow)),
                                         _first_source(france, flow))]
    if place.is_departement and not place.has_region_share:
        lines.append(notes_text.single_region_note(place, region.territory.nom))
    return lines


def practical(fiche: Fiche) -> list[str]:
    """The practical information: the sources and the data's concepts."""
    return [notes_text.notes_practical(grammar_text.period(fiche), fiche.data.source), " ".join(model_text.DATA_CONCEPTS)]


def evolution(fiche: Fiche) -> list[str]:
    """The evolution slide: each year's values and growth, the main partners over the years, the break."""
    evolution = fiche.evolution
    lines = [notes_text.notes_evolution(fiche.territory.nom, [
        deck_text.evolution_year_line(y.year, y.quarters, y.exports_eur, y.imports_eur, y.exports_growth_pct,
                                      y.imports_growth_pct) for y in evolution.years])]
    if evolution.partners:
        lines.append(notes_text.notes_evolution_partners(
            [(p.nom, [(year, exports) for year, exports, _ in p.by_year]) for p in evolution.partners]))
    lines.append(model_text.EMEBI_BREAK_CAVEAT)
    return lines


def exposure(fiche: Fiche) -> list[str]:
    """The figures of the « Exposition et dépendances » slide, for the presenter."""
    from fichex.aggregation.model import hhi_band

    result = fiche.exposure
    pct = lambda value: numbers_text.format_pct(value, 1)  # noqa: E731
    shares = []
    names = {"departement": fiche.territory.nom, "region": fiche.region.nom, "france": fiche.france.nom}
    for flow in (EXPORT, IMPORT):
        for level in ("departement", "region", "france"):
            f = result.flow(level, flow)
            shares.append(f"{grammar_text.FLOW_NOUN[flow]} de {names[level]} : "
                          f"États-Unis {pct(f.us_pct)}, Chine {pct(f.china_pct)}, UE27 {pct(f.eu27_pct)}, "
                          f"premier partenaire {f.first_partner_name or workbook_text.XLSX_NONE} {pct(f.first_partner_pct)}")
    us_products = ", ".join(f"{p.libelle} ({meur(p.us_exports_eur)}, {pct(p.us_share_pct)} de ses exportations)"
                            for p in result.us_products) or workbook_text.XLSX_NONE
    dependent = [d for d in result.import_dependences if d.dependent]
    dependences = (deck_text.exposure_dependence_line(len(dependent), len(result.import_dependences)) + " : "
                   + ", ".join(f"{d.libelle} ({d.supplier_name} {pct(d.supplier_share_pct)})" for d in dependent)
                   if dependent else deck_text.exposure_dependence_line(0, len(result.import_dependences)))
    concentration = " ; ".join(
        deck_text.exposure_hhi_line(flow, f.hhi_partners, hhi_band(f.hhi_partners), f.top3_pct)
        + f", HHI des produits {numbers_text.integer(f.hhi_products)} "
          f"({deck_text.HHI_BAND_LABEL[hhi_band(f.hhi_products)]})"
        for flow, f in ((EXPORT, result.local_exports), (IMPORT, result.local_imports)))
    rank = deck_text.exposure_rank_line(result.us_rank, result.n_ranked, result.local_exports.us_pct, place_of(fiche))
    return [notes_text.notes_exposure(fiche.territory.nom, " ; ".join(shares), us_products, dependences, concentration,
                                      rank), deck_text.HHI_SOURCE]


def specialisation(fiche: Fiche) -> list[str]:
    """The « Spécialisation et compétitivité » slide: how to read the index, the products shown, the three
    effects of the change in exports, the unit values where masses suffice, the place of customs clearance."""
    result, place = fiche.specialisation, place_of(fiche)
    complete = fiche.exports.france_complete
    lines = [spec_text.notes_rca(place, fiche.compares_with_region, complete),
             spec_text.notes_products(result.most_over_represented())]
    if first := spec_text.first_rank_line(place, result.first_ranks):
        lines.append(first)
    lines += [" ".join(spec_text.notes_shift_share(place, result.shift_share, complete)),
              spec_text.notes_unit_values(result.unit_values), spec_text.notes_clearance(place)]
    return lines + local_caveats(fiche, (EXPORT,))
