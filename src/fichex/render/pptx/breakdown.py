"""The breakdown slide: a région's départements or France's régions, exports and imports side by side."""

from __future__ import annotations

from pptx.enum.chart import XL_CHART_TYPE
from pptx.slide import Slide

from fichex.wording import (deck as deck_text, grammar as grammar_text, levels as levels_text, notes as notes_text,
                            numbers as numbers_text)
from fichex.aggregation.model import EXPORT, IMPORT, Fiche
from fichex.render import theme
from fichex.render.pptx.slides import (SERIES_KEY_H, Deck, Para, add_chart, add_series_key, chart_slide,
                                       colour_series, finish_slide, style_meur_axis)
from fichex.render.pptx_internals import FixedDateChartData


def breakdown_lines(fiche: Fiche) -> list[str]:
    """One line per part of a région or of France: its exports and their share of the whole."""
    total = fiche.exports.total_eur
    return [levels_text.breakdown_line(part.nom, part.exports_eur, 100.0 * part.exports_eur / total if total else 0.0)
            for part in fiche.breakdown]


def add_breakdown_slide(deck: Deck) -> Slide:
    """A région's départements or France's régions: exports and imports side by side (native bars, largest
    exports first, top to bottom), each part's share of the exports beside."""
    fiche = deck.fiche
    year = grammar_text.period(fiche)
    parts = fiche.breakdown
    lines = breakdown_lines(fiche)
    size = 11 if len(parts) <= 13 else 9
    comment = [Para(levels_text.breakdown_comment_head(fiche.level, len(parts)), bold=True, size=size)]
    comment += [Para(line, size=size) for line in lines]
    comment.append(Para(deck_text.DECK_FLOWS_UNIT, colour=theme.MUTED, size=size))
    slide, (x, y, w, h) = chart_slide(deck, levels_text.BREAKDOWN_TITLE[fiche.level],
                                      levels_text.breakdown_chart_title(fiche.level, fiche.territory.nom, year), comment)
    data = FixedDateChartData(fiche.document_date, number_format="#,##0.0")
    shown = list(reversed(parts))  # a bar chart draws its first category at the bottom
    data.categories = [part.nom for part in shown]
    for flow in (EXPORT, IMPORT):
        data.add_series(deck_text.DECK_SERIES[flow], [part.value(flow) / numbers_text.MILLION for part in shown])
    key_h = SERIES_KEY_H  # the series named above the bars, in their order (see add_series_key)
    add_series_key(slide, [(deck_text.DECK_SERIES[EXPORT], theme.EXPORT), (deck_text.DECK_SERIES[IMPORT], theme.IMPORT)],
                   (x, y, w, key_h))
    alt = levels_text.breakdown_alt(fiche.level, fiche.territory.nom, year,
                                    [(p.nom, p.exports_eur, p.imports_eur) for p in parts])
    _, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y + key_h, w, h - key_h), data,
                         levels_text.BREAKDOWN_CHART_NAME, alt, 9 if len(parts) > 13 else 10)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    for series, colour in zip(plot.series, (theme.EXPORT, theme.IMPORT)):
        colour_series(series, colour)
    style_meur_axis(chart.value_axis)
    finish_slide(deck, slide, [notes_text.notes_breakdown(fiche.level, fiche.territory.nom, lines)])
    return slide
