"""The exposure slide: shares of the United States, China, the EU27 and the first partner in the territory's
trade, beside its région's and France's, with the concentration and dependence figures in the side panel."""

from __future__ import annotations

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.slide import Slide
from pptx.util import Pt

from fichex.wording import deck as deck_text, grammar as grammar_text, numbers as numbers_text
from fichex.wording.grammar import capitalise
from fichex.wording.places import place_of
from fichex.aggregation.model import EXPORT, IMPORT, Fiche
from fichex.render import theme
from fichex.render.pptx import notes
from fichex.render.pptx.slides import (LABEL_PT, SERIES_KEY_H, Deck, Frame, Para, add_chart, add_series_key,
                                       chart_slide, colour_series, finish_slide)
from fichex.render.pptx_internals import FixedDateChartData

EXPOSURE_LEVELS = ("departement", "region", "france")
EXPOSURE_LABEL_PT = 9
EXPOSURE_COMMENT_PT = 12
EXPOSURE_PCT_FORMAT = '0.0"%"'  # as numbers_text.format_pct writes a share (« 13.1% »)


def exposure_levels(fiche: Fiche) -> tuple[str, ...]:
    """The chart's series: département, région, France; no région where it is the département itself (a
    région's fiche: the région, « departement » level of its Exposure, and France); France alone in its own."""
    if fiche.level == "france":
        return ("departement",)
    if fiche.single_departement_region:
        return ("departement", "france")
    return EXPOSURE_LEVELS


def exposure_chart_values(fiche: Fiche) -> list[tuple[float, ...]]:
    """The chart's values, one tuple per series (exposure_levels), in the order of
    deck_text.EXPOSURE_CHART_CATEGORIES: exports US, China, EU27, first client, then imports likewise."""
    def shares(level: str) -> tuple[float, ...]:
        """The eight shares of one level."""
        values = []
        for flow in (EXPORT, IMPORT):
            f = fiche.exposure.flow(level, flow)
            values += [f.us_pct, f.china_pct, f.eu27_pct, f.first_partner_pct]
        return tuple(values)
    return [shares(level) for level in exposure_levels(fiche)]


def _level_name(level: str, fiche: Fiche | None = None) -> str:
    """The series' name: « Département », « Région », « France » (a région's or France's own level named so)."""
    if level == "departement" and fiche is not None and fiche.level != "departement":
        level = fiche.level
    if level == "departement" and fiche is not None and place_of(fiche).is_monaco:
        return capitalise(place_of(fiche).noun)  # « Territoire »: Monaco is not a département
    return deck_text.EXPOSURE_LEVELS[EXPOSURE_LEVELS.index(level)]


def exposure_alt_text(fiche: Fiche) -> str:
    """Alternative text of the exposure chart: each category's share at each level."""
    values = exposure_chart_values(fiche)
    names = [_level_name(level, fiche) for level in exposure_levels(fiche)]
    parts = [f"{category} : " + ", ".join(f"{level} {numbers_text.format_pct(series[i], 1)}"
                                           for level, series in zip(names, values))
             for i, category in enumerate(deck_text.EXPOSURE_CHART_CATEGORIES)]
    return deck_text.exposure_chart_title(fiche.territory.nom, grammar_text.period(fiche)) + " : " + " ; ".join(parts) + "."


def _add_exposure_chart(slide, fiche: Fiche, frame: Frame):
    """Clustered horizontal bars: eight shares (exports then imports) × département, région, France."""
    data = FixedDateChartData(fiche.document_date, number_format=EXPOSURE_PCT_FORMAT)
    data.categories = list(deck_text.EXPOSURE_CHART_CATEGORIES)
    levels = exposure_levels(fiche)
    values = exposure_chart_values(fiche)
    for level, series_values in zip(levels, values):
        data.add_series(_level_name(level, fiche), series_values)
    x, y, w, h = frame
    colours = dict(zip(EXPOSURE_LEVELS, theme.EXPOSURE_SERIES))
    add_series_key(slide, [(_level_name(level, fiche), colours[level]) for level in levels], (x, y, w, SERIES_KEY_H))
    graphic, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y + SERIES_KEY_H, w, h - SERIES_KEY_H), data,
                               deck_text.EXPOSURE_CHART_NAME, exposure_alt_text(fiche), LABEL_PT)
    # The series are named by a key above the chart (add_series_key), in the bars' order: LibreOffice
    # lists a bar chart's legend in the reverse order of its bars.
    chart.has_legend = False
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 60
    plot.overlap = 0
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = EXPOSURE_PCT_FORMAT
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(EXPOSURE_LABEL_PT)
    for series, colour in zip(plot.series, (colours[level] for level in levels)):
        colour_series(series, colour)
        series.format.line.fill.background()
    _style_exposure_axes(chart, values)
    return graphic


def _style_exposure_axes(chart, values: list[tuple[float, ...]]) -> None:
    """Exports at the top; a hidden value scale from 0 with room for the outside-end labels."""
    category_axis = chart.category_axis
    category_axis.reverse_order = True  # exports first, at the top
    category_axis.has_major_gridlines = False
    category_axis.tick_labels.font.size = Pt(LABEL_PT)
    value_axis = chart.value_axis
    value_axis.minimum_scale = 0
    # Room for the outside-end labels, without the empty half a fixed 100 % scale leaves.
    value_axis.maximum_scale = min(100.0, max(10.0, 1.18 * max(max(v) for v in values)))
    value_axis.has_major_gridlines = False
    value_axis.visible = False


def _exposure_comment(fiche: Fiche) -> list[Para]:
    """The side panel: concentration and first partner of each flow, the US rank, the dependences."""
    from fichex.aggregation.model import hhi_band

    result = fiche.exposure
    size = EXPOSURE_COMMENT_PT
    paras = []
    for flow, f, role in ((EXPORT, result.local_exports, deck_text.EXPOSURE_FIRST_CLIENT),
                          (IMPORT, result.local_imports, deck_text.EXPOSURE_FIRST_SUPPLIER)):
        paras.append(Para(deck_text.exposure_hhi_line(flow, f.hhi_partners, hhi_band(f.hhi_partners), f.top3_pct),
                          bold=True, colour=theme.FLOW_COLOUR[flow], size=size))
        if f.first_partner_code:
            paras.append(Para(deck_text.exposure_first_line(role, f.first_partner_name, f.first_partner_pct), size=size))
    paras.append(Para(deck_text.exposure_rank_line(result.us_rank, result.n_ranked, result.local_exports.us_pct,
                                                   place_of(fiche)), bold=True, size=size))
    paras.append(Para(deck_text.exposure_dependence_line(result.n_dependent, len(result.import_dependences)), size=size))
    names = {"departement": fiche.territory.nom, "region": fiche.region.nom, "france": fiche.france.nom}
    firsts = [(names[level], result.flow(level, EXPORT).first_partner_name) for level in exposure_levels(fiche)]
    if note := deck_text.exposure_first_partners_note(firsts):
        paras.append(Para(note, size=size - 1))  # the bars compare different countries: said where they are read
    paras.append(Para(deck_text.EXPOSURE_HHI_KEY, size=size - 1))
    unit = deck_text.EXPOSURE_COMMENT_UNIT
    if fiche.single_departement_region and fiche.level == "departement":
        unit += " " + deck_text.exposure_single_region_note(fiche.region.nom)
    paras.append(Para(unit, colour=theme.MUTED, size=size - 2))
    return paras


def add_exposure_slide(deck: Deck) -> Slide:
    """« Exposition et dépendances »: the shares chart and the concentration figures."""
    fiche = deck.fiche
    slide, frame = chart_slide(deck, deck_text.EXPOSURE_TITLE,
                               deck_text.exposure_chart_title(fiche.territory.nom, grammar_text.period(fiche)),
                               _exposure_comment(fiche))
    _add_exposure_chart(slide, fiche, frame)
    finish_slide(deck, slide, notes.exposure(fiche))
    return slide
