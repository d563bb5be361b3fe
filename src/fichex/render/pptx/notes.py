"""Speaker notes of the deck: for each slide, what the presenter says with this territory's figures, and the
caveats that apply here (ports and hydrocarbons, overseas départements, Paris, a partial year).

Each function returns the paragraphs of one slide's notes; the wording is in `fichex.texts`.
"""

from __future__ import annotations

from fichex import texts
from fichex.aggregation.model import EXPORT, IMPORT, OTHERS_CODE, Fiche, FlowMatrix, ScopeSummary

DROM_CODES = ("971", "972", "973", "974", "976")


def _meur(value_eur: float) -> str:
    return texts.meur_label(value_eur)


def _pct(part: float, whole: float) -> str:
    return texts.format_pct(100 * part / whole, 1) if whole else texts.format_pct(0, 1)


def local_caveats(fiche: Fiche, flows: tuple[str, ...] = (EXPORT, IMPORT)) -> list[str]:
    """The caveats that apply to this territory for the given flows."""
    lines, shares = [], []
    for flow in flows:
        total = fiche.share(flow).total_eur
        hydrocarbons = sum(a.value(flow) for a in fiche.activities if a.code in texts.HYDROCARBON_CODES)
        if total and hydrocarbons / total >= texts.HYDROCARBON_SHARE_MIN:
            shares.append(f"{_pct(hydrocarbons, total)} de ses {texts.FLOW_NOUN[flow]}")
    if shares:
        lines.append(texts.NOTES_PORTS.format(shares=" et ".join(shares)))
    code = texts.departement_code(fiche)
    if code in DROM_CODES:
        lines.append(texts.NOTES_DROM)
    if code == "75" and IMPORT in flows:
        lines.append(texts.PARIS_ENERGY_CAVEAT)
    if fiche.partial:
        lines.extend(c for c in texts.caveats_of(fiche) if c.startswith("Année partielle"))
    return lines


def _rank(fiche: Fiche, flow: str) -> str:
    return texts.rank_line(flow, fiche.share(flow))


def key_figures(fiche: Fiche) -> str:
    """« En chiffres » : the territory's totals, balance and ranks, said on several slides."""
    return texts.notes_key_figures(fiche.departement.nom, _meur(fiche.exports.total_eur), _meur(fiche.imports.total_eur),
                                   texts.balance_line(fiche.balance_eur), _rank(fiche, EXPORT), _rank(fiche, IMPORT))


def cover(fiche: Fiche) -> list[str]:
    """The cover: who the fiche is about, its period and Territoires d'industrie, its key figures."""
    period = texts.period(fiche)
    return [texts.notes_cover(fiche.departement.nom, fiche.departement.code, fiche.region.nom, period,
                              fiche.territoires_industrie), key_figures(fiche)]


def introduction(fiche: Fiche) -> list[str]:
    """The introduction: the programme and the territory's Territoires d'industrie."""
    return [texts.DECK_NOTES_INTRO, texts.notes_territories(fiche.departement.nom, fiche.territoires_industrie)]


def context(fiche: Fiche) -> list[str]:
    """The context slide: what to say of it, and the key figures."""
    return [texts.DECK_NOTES_CONTEXT, key_figures(fiche)]


def caveats(fiche: Fiche) -> list[str]:
    """The caveats slide: the model's caveats, then those that apply to this territory."""
    return [texts.DECK_NOTES_CAVEATS + " " + " ".join(texts.CAVEATS), *local_caveats(fiche)]


def summary(fiche: Fiche, sentences: list[str]) -> list[str]:
    """« L'essentiel »: its sentences in one paragraph (the local caveats are said on the slides they concern)."""
    return [texts.NOTES_SUMMARY.format(sentences=" ".join(sentences))]


def _partner(p, flow: str) -> str:
    return f"{p.nom} ({_meur(p.value(flow))})"


def partners(fiche: Fiche, top: int) -> list[str]:
    """The partners slide: first client and supplier, largest surplus and deficit, the local caveats."""
    shown = fiche.main_partners
    first_export = max(shown, key=lambda p: p.exports_eur, default=None)
    first_import = max(shown, key=lambda p: p.imports_eur, default=None)
    surplus = max(shown, key=lambda p: p.balance_eur, default=None)
    deficit = min(shown, key=lambda p: p.balance_eur, default=None)
    lines = [texts.PARTNERS_KEY, texts.notes_partners(
        _partner(first_export, EXPORT) if first_export else texts.XLSX_NONE,
        _partner(first_import, IMPORT) if first_import else texts.XLSX_NONE,
        f"{surplus.nom} ({texts.balance_label(surplus.balance_eur)})" if surplus and surplus.balance_eur > 0 else "",
        f"{deficit.nom} ({texts.balance_label(deficit.balance_eur)})" if deficit and deficit.balance_eur < 0 else "",
        len(shown), top)]
    return lines + local_caveats(fiche)


def map_position(fiche: Fiche, lines: list[str], skipped_note: str) -> list[str]:
    """The map slide: the same figures as its side panel, and what the colours mean."""
    if not lines:
        return [texts.MAP_KEY]
    out = [texts.notes_map(fiche.departement.nom, *lines), texts.MAP_INSETS_NOTE]
    return out + ([skipped_note] if skipped_note else [])


def activities(fiche: Fiche) -> list[str]:
    """The activities slide: the first activity exported and imported, what « Autres » holds, the caveats."""
    def first(flow: str) -> str:
        """The first activity of the flow, its value and share."""
        tops = fiche.local.top_activities(flow)
        if not tops:
            return texts.XLSX_NONE
        a = tops[0]
        return f"{a.libelle_court or a.libelle} ({_meur(a.value(flow))}, {_pct(a.value(flow), fiche.share(flow).total_eur)})"

    tiles = max(len(fiche.export_tiles), len(fiche.import_tiles))
    return [texts.notes_activities(first(EXPORT), first(IMPORT), tiles), texts.treemap_others_note(tiles),
            *local_caveats(fiche)]


def _top_flow(matrix: FlowMatrix) -> str:
    cells = [(matrix.values[i][j], i, j) for i, j in matrix.highlighted]
    if not cells:
        return texts.XLSX_NONE
    value, i, j = max(cells)
    return f"{matrix.sources[i].label} → {matrix.targets[j].label} ({_meur(value)})"


def _named_share(matrix: FlowMatrix) -> str:
    named = sum(t for node, t in zip(matrix.sources, matrix.source_totals) if node.code != OTHERS_CODE)
    return _pct(named, matrix.total)


def flows(fiche: Fiche, flow: str) -> list[str]:
    """A flows slide: the headline, the rank, the largest flow and the share of the named activities."""
    matrix = fiche.local.flows(flow)
    headline = ", ".join(texts.headline_lines(fiche, flow))
    named = sum(1 for node in matrix.sources if node.code != OTHERS_CODE)
    return [texts.notes_flows(flow, headline, _rank(fiche, flow), _top_flow(matrix), _named_share(matrix), named),
            *local_caveats(fiche, (flow,))]


def _first_source(scope: ScopeSummary, flow: str) -> str:
    matrix = scope.flows(flow)
    named = [(t, n.label) for n, t in zip(matrix.sources, matrix.source_totals) if n.code != OTHERS_CODE]
    if not named:
        return texts.XLSX_NONE
    total, label = max(named)
    return f"{label} ({_meur(total)})"


def comparison(fiche: Fiche, flow: str) -> list[str]:
    """A comparison slide: the région's and France's totals and first activities."""
    region, france = fiche.region_summary, fiche.france_summary
    lines = [texts.notes_comparison(flow, fiche.departement.nom, region.territory.nom, _meur(region.total(flow)),
                                    _first_source(region, flow), _meur(france.total(flow)),
                                    _first_source(france, flow), fiche.single_departement_region)]
    if fiche.single_departement_region:
        lines.append(texts.NOTES_SINGLE_REGION.format(region=region.territory.nom))
    return lines


def practical(fiche: Fiche) -> list[str]:
    """The practical information: the sources and the data's concepts."""
    return [texts.notes_practical(texts.period(fiche), fiche.data.source), " ".join(texts.DATA_CONCEPTS)]


def evolution(fiche: Fiche) -> list[str]:
    """The evolution slide: each year's values and growth, the main partners over the years, the break."""
    evolution = fiche.evolution
    lines = [texts.notes_evolution(fiche.departement.nom, [
        texts.evolution_year_line(y.year, y.quarters, y.exports_eur, y.imports_eur, y.exports_growth_pct,
                                  y.imports_growth_pct) for y in evolution.years])]
    if evolution.partners:
        lines.append(texts.notes_evolution_partners(
            [(p.nom, [(year, exports) for year, exports, _ in p.by_year]) for p in evolution.partners]))
    lines.append(texts.EMEBI_BREAK_CAVEAT)
    return lines


def exposure(fiche: Fiche) -> list[str]:
    """The figures of the « Exposition et dépendances » slide, for the presenter."""
    from fichex.aggregation.model import hhi_band

    result = fiche.exposure
    pct = lambda value: texts.format_pct(value, 1)  # noqa: E731
    shares = []
    names = {"departement": fiche.departement.nom, "region": fiche.region.nom, "france": fiche.france.nom}
    for flow in (EXPORT, IMPORT):
        for level in ("departement", "region", "france"):
            f = result.flow(level, flow)
            shares.append(f"{texts.FLOW_NOUN[flow]} de {names[level]} : "
                          f"États-Unis {pct(f.us_pct)}, Chine {pct(f.china_pct)}, UE27 {pct(f.eu27_pct)}, "
                          f"premier partenaire {f.first_partner_name or texts.XLSX_NONE} {pct(f.first_partner_pct)}")
    us_products = ", ".join(f"{p.libelle} ({_meur(p.us_exports_eur)}, {pct(p.us_share_pct)} de ses exportations)"
                            for p in result.us_products) or texts.XLSX_NONE
    dependent = [d for d in result.import_dependences if d.dependent]
    dependences = (texts.exposure_dependence_line(len(dependent), len(result.import_dependences)) + " : "
                   + ", ".join(f"{d.libelle} ({d.supplier_name} {pct(d.supplier_share_pct)})" for d in dependent)
                   if dependent else texts.exposure_dependence_line(0, len(result.import_dependences)))
    concentration = " ; ".join(
        texts.exposure_hhi_line(flow, f.hhi_partners, hhi_band(f.hhi_partners), f.top3_pct)
        + f", HHI des produits {texts.group_thousands(f'{f.hhi_products:.0f}')} "
          f"({texts.HHI_BAND_LABEL[hhi_band(f.hhi_products)]})"
        for flow, f in ((EXPORT, result.local_exports), (IMPORT, result.local_imports)))
    rank = texts.exposure_rank_line(result.us_rank, result.n_ranked, result.local_exports.us_pct)
    return [texts.notes_exposure(fiche.departement.nom, " ; ".join(shares), us_products, dependences, concentration,
                                 rank), texts.HHI_SOURCE]
