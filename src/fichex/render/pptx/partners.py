"""The partners slide: a butterfly chart of the main partner countries (imports left, exports right), the
two sides headed over the bars, and each partner's balance in a column beside."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_TICK_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.slide import Slide
from pptx.util import Pt

from fichex.wording import (deck as deck_text, grammar as grammar_text, model_text, notes as notes_text,
                            numbers as numbers_text)
from fichex.aggregation.model import EXPORT, IMPORT, Fiche, PartnerTrade
from fichex.render import theme
from fichex.render.drawingml import escape_text
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx import notes
from fichex.render.pptx.slides import (LABEL_PT, Deck, Frame, Para, add_chart, add_textbox, balance_colour, chart_slide,
                                       colour_series, finish_slide, set_alt_text, set_manual_plot_layout)
from fichex.wording.numbers import meur, rounds_to_zero, signed_meur
from fichex.render.pptx_internals import FixedDateChartData, series_element

BUTTERFLY_BALANCE_W = int(1.05 * EMU_PER_INCH)   # the « Solde » text column right of the chart
BUTTERFLY_VALUE_PT = 9
# Inner plot area of the butterfly chart, as fractions of the chart frame (manual layout), so that the
# balance text boxes can be aligned on the category bands.
PLOT_X, PLOT_Y, PLOT_W, PLOT_H = 0.2, 0.07, 0.78, 0.9
HEADER_H = int(0.28 * EMU_PER_INCH)  # the side headers and the balance column's header


def butterfly_alt_text(fiche: Fiche) -> str:
    """Alternative text of the partners chart: every figure it shows, in reading order."""
    parts = [deck_text.BUTTERFLY_PARTNER_ALT.format(name=p.nom, imports=numbers_text.format_meur(p.imports_eur),
                                                    exports=numbers_text.format_meur(p.exports_eur),
                                                    balance=signed_meur(p.balance_eur))
             for p in fiche.main_partners]
    return deck_text.deck_butterfly_alt(fiche.territory.nom, grammar_text.period(fiche)) + " ; ".join(parts) + "."


def _add_butterfly_chart(slide, partners: Sequence[PartnerTrade], frame: Frame, alt_text: str,
                         created: dt.datetime):
    """Clustered horizontal bars, overlap 100: imports negative (left, blue), exports right (violet)."""
    x, y, w, h = frame
    chart_w = w - BUTTERFLY_BALANCE_W
    data = FixedDateChartData(created, number_format="#,##0.0")
    data.categories = [p.nom for p in partners]
    data.add_series(deck_text.DECK_SERIES[IMPORT], [-p.imports_eur / numbers_text.MILLION for p in partners])
    data.add_series(deck_text.DECK_SERIES[EXPORT], [p.exports_eur / numbers_text.MILLION for p in partners])
    graphic, chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y, chart_w, h), data,
                               deck_text.DECK_BUTTERFLY_NAME, alt_text, LABEL_PT)
    # The series are named by headers over each side of the zero line (see _add_side_headers): a legend
    # box would list them in an order that depends on the application.
    chart.has_legend = False

    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.overlap = 100
    plot.gap_width = 45
    for series, colour in zip(plot.series, (theme.IMPORT, theme.EXPORT)):
        series.invert_if_negative = False
        colour_series(series, colour)
        series.format.line.fill.background()
    _label_values(chart, plot, partners)
    _style_butterfly_axes(chart, partners)
    set_manual_plot_layout(chart, (PLOT_X, PLOT_Y, PLOT_W, PLOT_H))
    return graphic


def _label_values(chart, plot, partners: Sequence[PartnerTrade]) -> None:
    """Values as the model writes them (« 1 109.1 »), whatever the reader's locale; imports without sign.
    A value that rounds to 0.0 gets no label (`c:delete`, where python-pptx has no switch): at the zero line
    it would run into the other side's label.

    The labels of a series are written as one XML string, parsed once: the `c:dLbl` python-pptx makes for
    `point.data_label` given its position, text, size and colour, in the order it would leave them (each
    hidden one put first, the others after the last label), about twenty times cheaper than its API."""
    colour = str(RGBColor.from_string(theme.TEXT))
    size = int(Pt(BUTTERFLY_VALUE_PT).centipoints)
    for series, flow in zip(plot.series, (IMPORT, EXPORT)):
        hidden: list[str] = []
        shown: list[str] = []
        for index, (_point, partner) in enumerate(zip(series.points, partners)):
            value = partner.value(flow)
            if rounds_to_zero(value):
                hidden.insert(0, _NO_LABEL.format(index=index))
            else:
                shown.append(_VALUE_LABEL.format(index=index, size=size, colour=colour,
                                                 text=escape_text(numbers_text.format_meur(value))))
        if hidden or shown:
            d_lbls = series_element(series, chart).get_or_add_dLbls()
            labels = parse_xml(f'<c:dLbls {nsdecls("a", "c")}>{"".join(hidden + shown)}</c:dLbls>')
            for position, label in enumerate(list(labels)):
                d_lbls.insert(position, label)


# A point's value label outside the bar's end, and a point without label (see _label_values).
_VALUE_LABEL = ('<c:dLbl><c:idx val="{index}"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r>'
                '<a:rPr sz="{size}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:rPr><a:t>{text}</a:t>'
                '</a:r></a:p></c:rich></c:tx><c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
                '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
                '</c:dLbl>')
_NO_LABEL = '<c:dLbl><c:idx val="{index}"/><c:delete val="1"/></c:dLbl>'


def _style_butterfly_axes(chart, partners: Sequence[PartnerTrade]) -> None:
    """First partner at the top, names left of the plot; one hidden value scale for both sides."""
    category_axis = chart.category_axis
    category_axis.reverse_order = True  # first partner at the top
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    category_axis.has_major_gridlines = False
    category_axis.format.line.fill.solid()
    category_axis.format.line.fill.fore_color.rgb = RGBColor.from_string(theme.NODE_GREY)
    category_axis.tick_labels.font.size = Pt(LABEL_PT)

    value_axis = chart.value_axis
    value_axis.minimum_scale, value_axis.maximum_scale = _value_range(partners)
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    value_axis.tick_labels.number_format = "#,##0;#,##0"
    value_axis.tick_labels.number_format_is_linked = False


def _value_range(partners: Sequence[PartnerTrade]) -> tuple[float, float]:
    """Axis bounds in M€: one scale both sides, with room for the outside-end value labels."""
    top_import = max((p.imports_eur for p in partners), default=0.0) / numbers_text.MILLION
    top_export = max((p.exports_eur for p in partners), default=0.0) / numbers_text.MILLION
    pad = 0.22 * max(top_import + top_export, 1e-9)
    return -(top_import + pad), top_export + pad


def _add_side_headers(slide, partners: Sequence[PartnerTrade], chart_frame: Frame) -> None:
    """« Importations » (blue) left of the zero line and « Exportations » (violet) right of it, over the bars."""
    x, y, w, h = chart_frame
    low, high = _value_range(partners)
    zero_x = int(x + w * (PLOT_X + PLOT_W * (-low) / (high - low)))
    top = int(y + PLOT_Y * h - HEADER_H)
    gap = int(0.06 * EMU_PER_INCH)
    left_w = zero_x - gap - x
    add_textbox(slide, deck_text.DECK_SERIES[IMPORT], (x, top, left_w, HEADER_H),
                [Para(deck_text.DECK_SERIES[IMPORT], bold=True, size=LABEL_PT, colour=theme.IMPORT)],
                align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)
    add_textbox(slide, deck_text.DECK_SERIES[EXPORT], (zero_x + gap, top, x + w - zero_x - gap, HEADER_H),
                [Para(deck_text.DECK_SERIES[EXPORT], bold=True, size=LABEL_PT, colour=theme.EXPORT)],
                align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.BOTTOM)


def _add_balance_column(slide, partners: Sequence[PartnerTrade], chart_frame: Frame, column_x: int) -> None:
    """One text box per partner, centred on its category band, red or green by the sign of the balance."""
    x, y, w, h = chart_frame
    n = len(partners)
    plot_top, plot_h = y + PLOT_Y * h, PLOT_H * h
    band = plot_h / max(n, 1)
    add_textbox(slide, deck_text.DECK_BALANCE_HEADER, (column_x, int(plot_top - HEADER_H), BUTTERFLY_BALANCE_W, HEADER_H),
                [Para(deck_text.DECK_BALANCE_HEADER, bold=True, size=LABEL_PT, colour=theme.TEXT)],
                align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)
    for i, partner in enumerate(partners):
        top = int(plot_top + i * band)
        box = add_textbox(
            slide, deck_text.DECK_BALANCE_BOX_NAME.format(partner=partner.nom), (column_x, top, BUTTERFLY_BALANCE_W, int(band)),
            [Para(signed_meur(partner.balance_eur), bold=True, size=BUTTERFLY_VALUE_PT,
                  colour=balance_colour(partner.balance_eur))],
            align=PP_ALIGN.RIGHT)
        set_alt_text(box, deck_text.DECK_BALANCE_ALT.format(partner=partner.nom, value=signed_meur(partner.balance_eur)))


def _unallocated_values(partner: PartnerTrade) -> str:
    """« 0.3 M€ à l'export, moins de 0.1 M€ à l'import »: a code that names no country, its values."""
    parts = [f"{deck_text.DECK_BELOW_TENTH if rounds_to_zero(partner.value(flow)) else meur(partner.value(flow))} "
             f"{deck_text.DECK_AT_FLOW[flow]}" for flow in (EXPORT, IMPORT) if partner.value(flow)]
    return ", ".join(parts)


def add_partners_slide(deck: Deck) -> Slide:
    """The main partner countries: butterfly chart, side headers, balances; the codes naming no country below."""
    fiche = deck.fiche
    comment = [Para(model_text.partners_intro(deck.place)), Para(model_text.PARTNERS_KEY), Para(deck_text.DECK_UNIT_NOTE, colour=theme.MUTED)]
    if fiche.unallocated_partners:
        items = ", ".join(f"{p.nom} ({_unallocated_values(p)})" for p in fiche.unallocated_partners)
        comment.append(Para(notes_text.unallocated_line(items), colour=theme.MUTED))
    slide, (x, y, w, h) = chart_slide(deck, deck_text.DECK_PARTNERS_TITLE,
                                      deck_text.deck_butterfly_title(fiche.territory.nom, grammar_text.period(fiche)), comment)
    partners = fiche.main_partners
    chart_frame = (x, y, w - BUTTERFLY_BALANCE_W, h)
    _add_butterfly_chart(slide, partners, (x, y, w, h), butterfly_alt_text(fiche), fiche.document_date)
    _add_side_headers(slide, partners, chart_frame)
    _add_balance_column(slide, partners, chart_frame, x + w - BUTTERFLY_BALANCE_W)
    finish_slide(deck, slide, notes.partners(fiche, len(fiche.local.top_partners_export) or 1))
    return slide
