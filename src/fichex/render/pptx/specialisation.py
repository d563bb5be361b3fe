"""The « Spécialisation et compétitivité » slide: the products most over-represented against France (native
horizontal bars, each product's weight in its label) and the shift-share decomposition of the change in exports
as a native waterfall (stacked columns on an invisible base), with the first ranks and the years compared."""

from __future__ import annotations

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Pt

from fichex.aggregation.model import ProductSpecialisation, ShiftShare
from fichex.render import template as tpl, theme
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx import notes
from fichex.render.pptx.slides import (Deck, Frame, Para, add_chart, add_textbox, colour_series, fill, fill_page_title,
                                       finish_slide, new_slide, style_meur_axis, take_frame)
from fichex.render.pptx_internals import FixedDateChartData
from fichex.render.waterfall import value_axis, waterfall_bars
from fichex.wording import numbers as numbers_text, specialisation as spec_text

RCA_LABEL_FORMAT = "[<10]0.00;0.0"  # as spec_text.format_rca writes an index: « 1.05 », « 149.1 »
MEUR_DATA_FORMAT = "#,##0.0"
RCA_DATA_FORMAT = "0.00"  # the cells (python-pptx writes it unescaped: no « < » here)
CHART_LABEL_PT = 9
INTRO_PT = 11
CAPTION_PT = 10
FIRST_RANKS_PT = 10
FIRST_RANKS_H = int(0.42 * EMU_PER_INCH)  # two lines at FIRST_RANKS_PT


def _add_rca_chart(slide, deck: Deck, products: tuple[ProductSpecialisation, ...], frame: Frame):
    """Horizontal bars of the RCA against France, highest at the top, the index at the end of each bar."""
    data = FixedDateChartData(deck.fiche.document_date, number_format=RCA_DATA_FORMAT)
    data.categories = [spec_text.rca_category(p) for p in products]
    data.add_series(spec_text.RCA_CHART_NAME, [p.rca_france for p in products])
    graphic, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, frame, data, spec_text.RCA_CHART_NAME,
                               spec_text.rca_alt(deck.place, products), CHART_LABEL_PT)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 50
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = RCA_LABEL_FORMAT
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(CHART_LABEL_PT)
    colour_series(plot.series[0], theme.ACCENT)
    chart.category_axis.reverse_order = True  # the highest index at the top
    chart.category_axis.has_major_gridlines = False
    chart.category_axis.tick_labels.font.size = Pt(CHART_LABEL_PT)
    value_axis = chart.value_axis
    value_axis.minimum_scale = 0
    value_axis.maximum_scale = 1.2 * max(p.rca_france for p in products)  # room for the labels
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    return graphic


def waterfall_series(shift: ShiftShare) -> dict[str, list[float]]:
    """The waterfall's four series in millions of euros, by name (spec_text.WATERFALL_SERIES): the invisible
    base, the rises, the falls, the totals."""
    bars = waterfall_bars(shift.start_exports_eur, (shift.national_eur, shift.mix_eur, shift.local_eur),
                          shift.end_exports_eur)
    return {name: [getattr(bar, field) / numbers_text.MILLION for bar in bars]
            for name, field in zip(spec_text.WATERFALL_SERIES, ("base", "rise", "fall", "total"))}


def _add_waterfall_chart(slide, deck: Deck, shift: ShiftShare, frame: Frame) -> tuple[object, bool]:
    """Stacked columns: an invisible base (no fill, no line) under the rises (green), falls (red) and totals.
    Returns the graphic and whether the value axis starts above zero."""
    data = FixedDateChartData(deck.fiche.document_date, number_format=MEUR_DATA_FORMAT)
    data.categories = list(spec_text.waterfall_categories(shift))
    for name, values in waterfall_series(shift).items():
        data.add_series(name, values)
    graphic, chart = add_chart(slide, XL_CHART_TYPE.COLUMN_STACKED, frame, data, spec_text.WATERFALL_CHART_NAME,
                               spec_text.waterfall_alt(deck.place, shift), CHART_LABEL_PT)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.gap_width = 40
    plot.overlap = 100
    base, rise, fall, total = plot.series
    base.format.fill.background()
    base.format.line.fill.background()
    for series, colour in ((rise, theme.POSITIVE), (fall, theme.NEGATIVE), (total, theme.ACCENT)):
        colour_series(series, colour)
        series.format.line.fill.background()
    chart.category_axis.tick_labels.font.size = Pt(CHART_LABEL_PT)
    chart.category_axis.has_major_gridlines = False
    style_meur_axis(chart.value_axis)
    chart.value_axis.tick_labels.font.size = Pt(CHART_LABEL_PT)
    minimum, unit = value_axis(shift.start_exports_eur, (shift.national_eur, shift.mix_eur, shift.local_eur),
                               shift.end_exports_eur)
    chart.value_axis.minimum_scale = minimum / numbers_text.MILLION
    if unit is not None:
        chart.value_axis.major_unit = unit / numbers_text.MILLION
    return graphic, minimum > 0


def _message(slide, frame: Frame, text: str) -> None:
    """A short text where a chart would be (nothing to draw)."""
    add_textbox(slide, spec_text.MESSAGE_NAME, frame, [Para(text, colour=theme.MUTED, size=CAPTION_PT + 1)],
                align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE)


def _first_ranks(slide, deck: Deck, left: Frame, right: Frame) -> tuple[Frame, Frame]:
    """The « 1er département exportateur de … » line across both charts, above them, if the territory is first
    for any product; returns the charts' frames, lowered to make room for it."""
    line = spec_text.first_rank_line(deck.place, deck.fiche.specialisation.first_ranks)
    if not line:
        return left, right
    x, y, _, _ = left
    add_textbox(slide, spec_text.FIRST_RANKS_NAME, (x, y, right[0] + right[2] - x, FIRST_RANKS_H),
                [Para(line, bold=True, size=FIRST_RANKS_PT)], anchor=MSO_ANCHOR.TOP)
    return tuple((fx, fy + FIRST_RANKS_H, fw, fh - FIRST_RANKS_H) for fx, fy, fw, fh in (left, right))


def add_specialisation_slide(deck: Deck) -> Slide:
    """« Spécialisation et compétitivité »: the RCA bars (left) and the waterfall (right)."""
    fiche, place = deck.fiche, deck.place
    specialisation = fiche.specialisation
    shift = specialisation.shift_share
    slide, ph = new_slide(deck, tpl.LAYOUT_TWO_CHARTS)
    fill_page_title(deck, ph[tpl.PH_TITLE], spec_text.SPECIALISATION_TITLE)
    fill(ph[tpl.PH_TEXT], [Para(spec_text.slide_intro(place), size=INTRO_PT)])
    fill(ph[tpl.PH_LEFT_TITLE], [spec_text.rca_chart_title()])
    fill(ph[tpl.PH_RIGHT_TITLE], [spec_text.waterfall_title(shift)])
    products = specialisation.most_over_represented()
    left, right = _first_ranks(slide, deck, take_frame(ph[tpl.PH_LEFT_CHART]), take_frame(ph[tpl.PH_RIGHT_CHART]))
    if products:
        _add_rca_chart(slide, deck, products, left)
    else:
        _message(slide, left, spec_text.NO_PRODUCT)
    fill(ph[tpl.PH_LEFT_CAPTION], [Para(spec_text.RCA_CAPTION, colour=theme.MUTED, size=CAPTION_PT)])
    caption = []
    if shift is None:
        _message(slide, right, spec_text.NO_COMPARABLE_YEAR)
    else:
        _, cut = _add_waterfall_chart(slide, deck, shift, right)
        caption = [spec_text.WATERFALL_AXIS_NOTE] if cut else []
        if note := spec_text.break_note(shift):
            caption.append(note)
    if caption:
        fill(ph[tpl.PH_RIGHT_CAPTION], [Para(" ".join(caption), colour=theme.MUTED, size=CAPTION_PT)])
    finish_slide(deck, slide, notes.specialisation(fiche))
    return slide
