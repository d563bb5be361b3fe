"""The evolution slide: exports and imports over the quarters (or years) of the data, the growth rates beside,
and the January 2022 collection break marked on the chart when the data spans it."""

from __future__ import annotations

from typing import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.slide import Slide
from pptx.util import Pt

from fichex.wording import deck as deck_text, grammar as grammar_text, model_text, numbers as numbers_text
from fichex.aggregation.model import EMEBI_BREAK_YEAR, EXPORT, IMPORT, Fiche
from fichex.render import theme
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx import notes
from fichex.render.pptx.slides import (FLOWS_COMMENT_PT, Deck, Frame, Para, add_chart, add_textbox, chart_slide,
                                       colour_series, finish_slide, set_alt_text, set_manual_plot_layout,
                                       style_meur_axis)
from fichex.render.pptx_internals import FixedDateChartData

# Inner plot area of the evolution chart when the collection break is marked on it (fractions of the frame):
# fixed, so that the line falls on the boundary between 2021 and 2022 in any application.
EVOLUTION_PLOT = (0.1, 0.12, 0.87, 0.72)
BREAK_LABEL_W = int(2.1 * EMU_PER_INCH)
BREAK_LABEL_H = int(0.26 * EMU_PER_INCH)


def _series(fiche: Fiche, by_quarter: bool) -> tuple[list[str], list[float], list[float]]:
    """The chart's categories (quarters or years) and its exports and imports in euros."""
    evolution = fiche.evolution
    if by_quarter:
        return ([grammar_text.quarter_label(q.year, q.quarter) for q in evolution.quarters],
                [q.exports_eur for q in evolution.quarters], [q.imports_eur for q in evolution.quarters])
    return ([grammar_text.period_label(y.year, y.quarters) for y in evolution.years],
            [y.exports_eur for y in evolution.years], [y.imports_eur for y in evolution.years])


def _comment(fiche: Fiche) -> list[Para]:
    """The side panel: each year's values and growth, what the growth compares, the collection break."""
    evolution = fiche.evolution
    comment = [Para(deck_text.evolution_year_line(y.year, y.quarters, y.exports_eur, y.imports_eur,
                                                  y.exports_growth_pct, y.imports_growth_pct), size=FLOWS_COMMENT_PT)
               for y in evolution.years]
    comment.append(Para(deck_text.EVOLUTION_GROWTH_KEY, colour=theme.MUTED, size=FLOWS_COMMENT_PT))
    comment.append(Para(model_text.EMEBI_BREAK_CAVEAT if evolution.break_inside else deck_text.EVOLUTION_SINCE_BREAK,
                        colour=theme.MUTED, size=FLOWS_COMMENT_PT))
    return comment


def add_evolution_slide(deck: Deck) -> Slide | None:
    """Exports and imports over the quarters of the data (or its years, for annual data), growth rates
    beside; none when the data holds a single period."""
    fiche = deck.fiche
    evolution = fiche.evolution
    if evolution is None or len(evolution.years) < 2 and len(evolution.quarters) < 2:
        return None
    by_quarter = len(evolution.quarters) >= 2
    slide, frame = chart_slide(deck, deck_text.DECK_EVOLUTION_TITLE,
                               deck_text.evolution_chart_title(fiche.territory.nom, by_quarter), _comment(fiche))
    categories, exports, imports = _series(fiche, by_quarter)
    data = FixedDateChartData(fiche.document_date, number_format="#,##0.0")
    data.categories = categories
    data.add_series(deck_text.DECK_SERIES[EXPORT], [v / numbers_text.MILLION for v in exports])
    data.add_series(deck_text.DECK_SERIES[IMPORT], [v / numbers_text.MILLION for v in imports])
    kind = XL_CHART_TYPE.LINE_MARKERS if by_quarter else XL_CHART_TYPE.COLUMN_CLUSTERED
    graphic, chart = add_chart(slide, kind, frame, data, deck_text.DECK_EVOLUTION_NAME,
                               deck_text.evolution_alt(fiche.territory.nom, categories, exports, imports), 10)
    if evolution.break_inside:
        _mark_collection_break(slide, graphic, categories, frame)
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.position = XL_LEGEND_POSITION.TOP
    for series, colour in zip(chart.plots[0].series, (theme.EXPORT, theme.IMPORT)):
        if by_quarter:
            _colour_line(series, colour)
        else:
            colour_series(series, colour)
    style_meur_axis(chart.value_axis)
    chart.category_axis.tick_labels.font.size = Pt(9 if by_quarter else 10)
    finish_slide(deck, slide, notes.evolution(fiche))
    return slide


def _colour_line(series, colour: str) -> None:
    """A line series and its markers in `colour`, straight segments."""
    series.format.line.color.rgb = RGBColor.from_string(colour)
    series.format.line.width = Pt(2.25)
    series.smooth = False
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    series.marker.format.line.color.rgb = RGBColor.from_string(colour)


def break_boundary(categories: Sequence[str]) -> int | None:
    """The index of the first category of the year of the EMEBI break (« 2022 », « 2022 T1 »), if any
    category before it exists: the line goes just left of that category's band."""
    first = next((i for i, c in enumerate(categories) if c.startswith(str(EMEBI_BREAK_YEAR))), None)
    return first if first else None


def _mark_collection_break(slide, graphic, categories: Sequence[str], frame: Frame) -> None:
    """A dashed vertical line at the boundary between 2021 and 2022 over the native chart, labelled « Rupture
    EMEBI (janv. 2022) »: the plot area gets a manual layout and the category bands are equal (crossBetween
    « between »), so the boundary is at a known place; the chart itself stays native and editable."""
    index = break_boundary(categories)
    if index is None:
        return
    chart = graphic.chart
    set_manual_plot_layout(chart, EVOLUTION_PLOT)
    value_axis = chart.element.chart.plotArea.find(qn("c:valAx"))
    if value_axis.find(qn("c:crossBetween")) is None:
        cross = parse_xml(f'<c:crossBetween {nsdecls("c")} val="between"/>')
        anchor = value_axis.find(qn("c:crosses"))
        anchor.addnext(cross)
    x, y, w, h = frame
    px, py, pw, ph = EVOLUTION_PLOT
    line_x = int(x + w * (px + pw * index / len(categories)))
    top, bottom = int(y + h * py), int(y + h * (py + ph))
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, line_x, top, line_x, bottom)
    line.name = deck_text.EVOLUTION_BREAK_LINE_NAME
    line.line.color.rgb = RGBColor.from_string(theme.HIGHLIGHT)
    line.line.width = Pt(1.5)
    line.line.dash_style = MSO_LINE.DASH
    set_alt_text(line, deck_text.EVOLUTION_BREAK_LABEL)
    label = add_textbox(slide, deck_text.EVOLUTION_BREAK_LABEL_NAME,
                        (line_x + int(0.05 * EMU_PER_INCH), top, BREAK_LABEL_W, BREAK_LABEL_H),
                        [Para(deck_text.EVOLUTION_BREAK_LABEL, size=9, bold=True, colour=theme.HIGHLIGHT)],
                        anchor=MSO_ANCHOR.TOP, background=theme.WHITE)
    set_alt_text(label, deck_text.EVOLUTION_BREAK_LABEL)
