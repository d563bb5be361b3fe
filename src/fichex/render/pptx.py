"""Write a Fiche as a PowerPoint deck built on the branded template: one builder per slide kind."""

from __future__ import annotations

import re

import datetime as dt
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Sequence

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
from pptx.enum.dml import MSO_LINE
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from fichex import texts
from fichex.aggregation.model import EMEBI_BREAK_YEAR, EXPORT, IMPORT, Fiche, FlowMatrix, PartnerTrade
from fichex.atomic import atomic_path
from fichex.render import map_drawing, notes, sankey, theme, treemap
from fichex.render import template as tpl
from fichex.render.brand import Brand, load_brand
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx_internals import FixedDateChartData

Frame = tuple[int, int, int, int]  # left, top, width, height in EMU

BANNER_H = int(0.3 * EMU_PER_INCH)
BUTTERFLY_BALANCE_W = int(1.05 * EMU_PER_INCH)   # the « Solde » text column right of the chart
BUTTERFLY_LABEL_PT = 10
BUTTERFLY_VALUE_PT = 9
# Inner plot area of the butterfly chart, as fractions of the chart frame (manual layout), so that the
# balance text boxes can be aligned on the category bands.
PLOT_X, PLOT_Y, PLOT_W, PLOT_H = 0.2, 0.07, 0.78, 0.9
FLOWS_COMMENT_PT = 11  # the flow slides' side panel holds the model's full introduction
PRACTICAL_PT = 13      # « Informations pratiques » holds the model's full text and links
SUMMARY_PT = 20        # « L'essentiel »: six sentences at most, read from the back of a room


class Para(NamedTuple):
    """One paragraph of a text frame; level 1 is a bullet in the template's body style."""

    text: str
    level: int = 0
    bold: bool | None = None
    colour: str | None = None
    size: float | None = None
    link: str | None = None       # a hyperlink address (http(s) or mailto:)
    link_text: str | None = None  # the part of `text` the link is on (default: all of it)
    italic: bool | None = None


@dataclass
class _Deck:
    prs: PresentationObject
    fiche: Fiche
    layouts: dict[str, SlideLayout]
    brand: Brand = field(default_factory=Brand)
    # layout name → [(placeholder name, idx, inherited frame)], resolved once per deck (inheritance is slow)
    geometry: dict[str, list[tuple[str, int, Frame]]] = field(default_factory=dict)
    # placeholders of the slide being built, checked for emptiness by _finish_slide
    current: list = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------------------
def _new_slide(deck: _Deck, layout_name: str) -> tuple[Slide, dict]:
    """Add a slide on a named layout; return it with its placeholders by layout placeholder name.

    Each kept placeholder gets its geometry written explicitly (LibreOffice does not always inherit it)
    and the layout's name, so a reader of the file sees « Commentaire » rather than « Text Placeholder 3 ».
    """
    layout = deck.layouts[layout_name]
    if layout_name not in deck.geometry:
        frames = {ph.placeholder_format.idx: _frame(ph) for ph in layout.placeholders}
        styles = {ph.placeholder_format.idx: _list_style(ph) for ph in layout.placeholders}
        deck.geometry[layout_name] = [(name, idx, frames[idx], styles[idx])
                                      for name, idx in tpl.placeholder_indices(layout).items()]
    slide = deck.prs.slides.add_slide(layout)
    by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
    deck.current = list(by_idx.values())
    placeholders = {}
    for name, idx, frame, style in deck.geometry[layout_name]:
        ph = by_idx.get(idx)
        if ph is None:
            continue
        placeholders[name] = ph
        ph.left, ph.top, ph.width, ph.height = frame
        ph.element.nvSpPr.cNvPr.set("name", name)
        if style is not None:
            _set_list_style(ph, style)
    return slide, placeholders


def _list_style(layout_placeholder):
    """The layout placeholder's own text styles (`a:lstStyle`), if it has any."""
    found = layout_placeholder.element.xpath("./p:txBody/a:lstStyle")
    return found[0] if found and len(found[0]) else None


def _set_list_style(placeholder, style) -> None:
    """Write the layout placeholder's text styles on the slide's placeholder too: the values are the same,
    but a reader that resolves the inheritance loosely (matching placeholders by type rather than by index,
    as some overflow checkers do) then takes this placeholder's sizes, not a sibling's."""
    body = placeholder.element.xpath("./p:txBody")
    if not body:
        return
    current = body[0].xpath("./a:lstStyle")
    copy = deepcopy(style)
    if current:
        body[0].replace(current[0], copy)
    else:
        body[0].insert(1, copy)


def _fill(shape, paragraphs: Sequence[Para | str]) -> None:
    """Replace a shape's text by `paragraphs` (explicit run formatting only where asked)."""
    frame = shape.text_frame
    frame.clear()
    for i, item in enumerate(paragraphs):
        para = item if isinstance(item, Para) else Para(item)
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.level = para.level
        for text, link in _pieces(para):
            run = p.add_run()
            run.text = text
            font = run.font
            if para.bold is not None:
                font.bold = para.bold
            if para.italic is not None:
                font.italic = para.italic
            if para.colour and not link:
                font.color.rgb = RGBColor.from_string(para.colour)
            if para.size:
                font.size = Pt(para.size)
            if link:
                run.hyperlink.address = link


def _pieces(para: Para) -> list[tuple[str, str | None]]:
    """The runs of a paragraph: (text, link address or None)."""
    if not para.link:
        return [(para.text, None)]
    linked = para.link_text or para.text
    before, found, after = para.text.partition(linked)
    if not found:
        return [(para.text, para.link)]
    return [(piece, link) for piece, link in ((before, None), (linked, para.link), (after, None)) if piece]


def _frame(shape) -> Frame:
    return int(shape.left), int(shape.top), int(shape.width), int(shape.height)


def _take_frame(placeholder) -> Frame:
    """The geometry of a placeholder a chart or drawing replaces.

    The placeholder stays (empty) until `_finish_slide` removes it: removing it now would free its shape
    id, which python-pptx hands to the next group while drawing.py numbers the group's children from
    there, so ids would collide (PowerPoint then offers to repair the file).
    """
    return _frame(placeholder)


def _remove(shape) -> None:
    element = shape.element
    element.getparent().remove(element)


def set_alt_text(shape, text: str) -> None:
    """Alternative text of any shape (`p:cNvPr/@descr`; python-pptx has no API for it)."""
    shape.element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def _add_textbox(slide, name: str, frame: Frame, paragraphs: Sequence[Para], *, align=PP_ALIGN.LEFT,
                 anchor=MSO_ANCHOR.MIDDLE, fill: str | None = None, inset: int = 0):
    box = slide.shapes.add_textbox(*frame)
    box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = None
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = Emu(inset)
    _fill(box, paragraphs)
    for p in tf.paragraphs:
        p.alignment = align
        for r in p.runs:
            r.font.name = theme.FONT
    if fill:
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(fill)
    return box


def _finish_slide(deck: _Deck, slide: Slide, notes: Sequence[str]) -> None:
    """Remove placeholders left empty, add the demonstration banner and the speaker notes."""
    for ph in deck.current:
        element = ph.element
        if element.getparent() is not None and not "".join(element.xpath(".//a:t/text()")).strip():
            _remove(ph)
    level = deck.fiche.level
    if level != "departement":  # a région's or France's fiche: the model's département phrases follow it
        for node in slide.shapes._spTree.iter(qn("a:t")):
            if node.text:
                node.text = texts.at_level(node.text, level)
    if deck.fiche.demonstration:
        width = int(deck.prs.slide_width)
        banner = _add_textbox(slide, texts.DECK_DEMO_BANNER_NAME, (0, 0, width, BANNER_H),
                              [Para(texts.DEMO_WARNING, size=10, colour=theme.WARNING_TEXT, bold=True)],
                              align=PP_ALIGN.CENTER, fill=theme.WARNING_FILL)
        set_alt_text(banner, texts.DEMO_WARNING)
    lines = [texts.at_level(line, level) for line in notes]
    if deck.fiche.demonstration:
        lines.append(texts.DEMO_WARNING + ".")
    slide.notes_slide.notes_text_frame.text = "\n\n".join(lines)


def _meur(value_eur: float) -> str:
    return f"{texts.format_meur_fixed(value_eur)} M€"


def _rounds_to_zero(value_eur: float) -> bool:
    return texts.format_meur_fixed(abs(value_eur)) == "0.0"


def _signed_meur(value_eur: float) -> str:
    """« +12.3 », « -4.5 », and « 0.0 » (never « -0.0 ») for what rounds to zero."""
    if _rounds_to_zero(value_eur):
        return "0.0"
    text = texts.format_meur_fixed(value_eur)
    return ("+" + text) if value_eur > 0 else text


def _balance_colour(value_eur: float) -> str:
    return theme.TEXT if _rounds_to_zero(value_eur) else theme.balance_colour(value_eur)


# --------------------------------------------------------------------------------------------------------
# Slide builders
# --------------------------------------------------------------------------------------------------------
def _add_cover_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    slide, ph = _new_slide(deck, tpl.LAYOUT_COVER)
    if tpl.PH_INSTITUTION in ph:
        _fill(ph[tpl.PH_INSTITUTION], _institution_paragraphs(deck.brand))
    _fill(ph[tpl.PH_TITLE], [texts.COVER_TITLE])
    # A région's name is long: « Région Bourgogne-Franche-Comté » alone (the programme is in the footer).
    _fill(ph[tpl.PH_SUBTITLE], [texts.cover_subtitle(texts.level_title(fiche.level, fiche.departement.nom),
                                                     bool(fiche.territoires_industrie) and fiche.level != "region")])
    _fill(ph[tpl.PH_YEAR], [texts.deck_year_line(texts.period(fiche))])
    territories = [Para(texts.DECK_TERRITORIES_HEADING, bold=True)]
    if fiche.level != "departement":  # a région has a score of them: one paragraph, and what the figures are
        territories += [Para(texts.territories_summary(fiche.level, fiche.territoires_industrie), size=11),
                        Para(texts.COVER_FIGURES_NOTE[fiche.level], size=11, italic=True)]
    else:
        territories += ([Para(name, level=1) for name in fiche.territoires_industrie]
                        or [Para(texts.DECK_NO_TERRITORY)])
    _fill(ph[tpl.PH_TERRITORIES], territories)
    _finish_slide(deck, slide, notes.cover(fiche))
    return slide


def _institution_paragraphs(brand: Brand) -> list[Para]:
    """The cover's institutional block, as text: the State's lines, its motto, then the publisher."""
    paras = [Para(line, bold=True, size=18) for line in brand.institution]
    paras += [Para(line, italic=True, size=13) for line in brand.motto]
    if brand.publisher:
        paras.append(Para("", size=13))
        paras += [Para(line, size=16) for line in brand.publisher]
    return paras


def _add_text_slide(deck: _Deck, title: str, body: Sequence[Para], slide_notes: Sequence[str]) -> Slide:
    """A slide of text on the « Titre et texte » layout."""
    slide, ph = _new_slide(deck, tpl.LAYOUT_TEXT)
    _fill(ph[tpl.PH_TITLE], [title])
    _fill(ph[tpl.PH_TEXT], body)
    _finish_slide(deck, slide, slide_notes)
    return slide


def _add_introduction_slide(deck: _Deck) -> Slide:
    # As in the model's first page: the introduction, then the département's Territoires d'industrie.
    body = [Para(p, size=18) for p in texts.INTRODUCTION]
    body += [Para(texts.DECK_TERRITORIES_HEADING, bold=True, colour=theme.ACCENT, size=18)]
    fiche = deck.fiche
    if fiche.level != "departement":
        body += [Para(texts.territories_summary(fiche.level, fiche.territoires_industrie), size=14)]
    else:
        body += ([Para(name, level=1, size=18) for name in fiche.territoires_industrie]
                 or [Para(texts.DECK_NO_TERRITORY, size=18)])
    return _add_text_slide(deck, texts.DECK_INTRO_TITLE, body, notes.introduction(deck.fiche))


def _add_context_slide(deck: _Deck) -> Slide:
    body = [Para(texts.DECK_CONTEXT_HEADING, bold=True, colour=theme.ACCENT)]
    body += [Para(p) for p in texts.context(texts.period(deck.fiche))]
    return _add_text_slide(deck, texts.DECK_CONTEXT_TITLE, body, notes.context(deck.fiche))


def _add_caveats_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    extra = texts.fiche_caveats(texts.departement_code(fiche), texts.period(fiche), fiche.partial, ())
    body = [Para(texts.CAVEATS_INTRO)] + [Para(c, level=1) for c in (*texts.CAVEATS, *extra)]
    body.append(Para(texts.sources_line(texts.period(fiche))))
    return _add_text_slide(deck, texts.DECK_CAVEATS_TITLE, body, notes.caveats(fiche))


def _add_summary_slide(deck: _Deck) -> Slide:
    """« L'essentiel »: the commentary written from the figures (texts.commentary), one paragraph a sentence."""
    sentences = texts.commentary(deck.fiche)
    body = [Para(sentence, level=1, size=SUMMARY_PT) for sentence in sentences]
    return _add_text_slide(deck, texts.DECK_SUMMARY_TITLE, body, notes.summary(deck.fiche, sentences))


def map_lines(fiche: Fiche) -> list[str]:
    """The side panel's figures: total, rank, per inhabitant and its rank (empty without the map's data)."""
    position = fiche.export_position()
    if position is None:
        return []
    return [texts.map_total_line(position.exports_eur),
            texts.map_rank_line(position.rank, position.n_territories),
            texts.map_per_inhabitant_line(position.per_inhabitant_eur),
            texts.map_per_inhabitant_rank_line(position.per_inhabitant_rank, position.n_with_population)]


def _map_targets(fiche: Fiche) -> tuple[str, ...]:
    """The territories outlined on the map: the département, a région's territories, none for France."""
    if fiche.level == "france":
        return ()
    if fiche.level == "region":
        return tuple(part.code for part in fiche.breakdown)
    return (fiche.departement.code,)


def _add_map_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    year = texts.period(fiche)
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_MAP_TITLE])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.map_chart_title(year)])
    lines = map_lines(fiche)
    _, skipped = map_drawing.drawn_territories(fiche.exports_by_territory)
    skipped_note = texts.MAP_MONACO_NOTE if any(t.code == "99" for t in skipped) else ""
    targets = _map_targets(fiche)
    target_drawn = bool(set(targets) - {t.code for t in skipped})
    target_line = (texts.map_target_line_france() if fiche.level == "france"
                   else texts.map_target_line(fiche.departement.nom, target_drawn))
    comment = [Para(target_line, bold=True)]
    comment += [Para(lines[0], bold=True, colour=theme.EXPORT)] if lines else []
    comment += [Para(line, bold=True) for line in lines[1:]]
    comment += [Para(texts.MAP_KEY, size=11), Para(texts.MAP_INSETS_NOTE, size=11, colour=theme.MUTED)]
    if skipped_note:
        comment.append(Para(skipped_note, size=11, colour=theme.MUTED))
    comment.append(Para(texts.MAP_SOURCE, size=11, colour=theme.MUTED))
    _fill(ph[tpl.PH_COMMENT], comment)
    frame = _take_frame(ph[tpl.PH_CHART])
    alt = texts.map_group_alt(target_line, year, lines[1] if lines else "", lines[0] if lines else "", skipped_note)
    map_drawing.draw_export_map(slide, fiche.exports_by_territory, targets, frame,
                                year_label=year, alt_text=alt)
    _finish_slide(deck, slide, notes.map_position(fiche, lines, skipped_note))
    return slide


def butterfly_alt_text(fiche: Fiche) -> str:
    """Alternative text of the partners chart: every figure it shows, in reading order."""
    parts = [texts.BUTTERFLY_PARTNER_ALT.format(name=p.nom, imports=texts.format_meur_fixed(p.imports_eur),
                                                exports=texts.format_meur_fixed(p.exports_eur),
                                                balance=_signed_meur(p.balance_eur))
             for p in fiche.main_partners]
    return texts.deck_butterfly_alt(fiche.departement.nom, texts.period(fiche)) + " ; ".join(parts) + "."


def _add_butterfly_chart(slide, partners: Sequence[PartnerTrade], frame: Frame, alt_text: str,
                         created: dt.datetime):
    """Clustered horizontal bars, overlap 100: imports negative (left, blue), exports right (violet)."""
    x, y, w, h = frame
    chart_w = w - BUTTERFLY_BALANCE_W
    data = FixedDateChartData(created, number_format="#,##0.0")
    data.categories = [p.nom for p in partners]
    data.add_series(texts.DECK_SERIES[IMPORT], [-p.imports_eur / texts.MILLION for p in partners])
    data.add_series(texts.DECK_SERIES[EXPORT], [p.exports_eur / texts.MILLION for p in partners])
    graphic, chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y, chart_w, h), data,
                                texts.DECK_BUTTERFLY_NAME, alt_text, BUTTERFLY_LABEL_PT)
    # The series are named by headers over each side of the zero line (see _add_side_headers): a legend
    # box would list them in an order that depends on the application.
    chart.has_legend = False

    plot = chart.plots[0]
    plot.vary_by_categories = False
    plot.overlap = 100
    plot.gap_width = 45
    for series, colour in zip(plot.series, (theme.IMPORT, theme.EXPORT)):
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        series.format.line.fill.background()
    # Values as the model writes them (« 1 109.1 »), whatever the reader's locale; imports without sign.
    # A value that rounds to 0.0 gets no label: at the zero line it would run into the other side's label.
    for series, flow in zip(plot.series, (IMPORT, EXPORT)):
        for index, (point, partner) in enumerate(zip(series.points, partners)):
            if _rounds_to_zero(partner.value(flow)):
                _hide_label(series, index)
                continue
            label = point.data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            tf = label.text_frame
            tf.text = texts.format_meur_fixed(partner.value(flow))
            font = tf.paragraphs[0].runs[0].font
            font.size = Pt(BUTTERFLY_VALUE_PT)
            font.color.rgb = RGBColor.from_string(theme.TEXT)

    category_axis = chart.category_axis
    category_axis.reverse_order = True  # first partner at the top
    category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    category_axis.has_major_gridlines = False
    category_axis.format.line.fill.solid()
    category_axis.format.line.fill.fore_color.rgb = RGBColor.from_string(theme.NODE_GREY)
    category_axis.tick_labels.font.size = Pt(BUTTERFLY_LABEL_PT)

    value_axis = chart.value_axis
    value_axis.minimum_scale, value_axis.maximum_scale = _value_range(partners)
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    value_axis.tick_labels.number_format = "#,##0;#,##0"
    value_axis.tick_labels.number_format_is_linked = False

    _set_manual_plot_layout(chart)
    return graphic


def _hide_label(series, index: int) -> None:
    """No data label on one point (`c:dLbl` with `c:delete`), where python-pptx has no switch for it."""
    d_lbls = series._element.get_or_add_dLbls()
    d_lbls.insert(0, parse_xml(f'<c:dLbl {nsdecls("c")}><c:idx val="{index}"/><c:delete val="1"/></c:dLbl>'))


def _value_range(partners: Sequence[PartnerTrade]) -> tuple[float, float]:
    """Axis bounds in M€: one scale both sides, with room for the outside-end value labels."""
    top_import = max((p.imports_eur for p in partners), default=0.0) / texts.MILLION
    top_export = max((p.exports_eur for p in partners), default=0.0) / texts.MILLION
    pad = 0.22 * max(top_import + top_export, 1e-9)
    return -(top_import + pad), top_export + pad


def _add_side_headers(slide, partners: Sequence[PartnerTrade], chart_frame: Frame) -> None:
    """« Importations » (blue) left of the zero line and « Exportations » (violet) right of it, over the bars."""
    x, y, w, h = chart_frame
    low, high = _value_range(partners)
    zero_x = int(x + w * (PLOT_X + PLOT_W * (-low) / (high - low)))
    header_h = int(0.28 * EMU_PER_INCH)
    top = int(y + PLOT_Y * h - header_h)
    gap = int(0.06 * EMU_PER_INCH)
    left_w = zero_x - gap - x
    _add_textbox(slide, texts.DECK_SERIES[IMPORT], (x, top, left_w, header_h),
                 [Para(texts.DECK_SERIES[IMPORT], bold=True, size=BUTTERFLY_LABEL_PT, colour=theme.IMPORT)],
                 align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)
    _add_textbox(slide, texts.DECK_SERIES[EXPORT], (zero_x + gap, top, x + w - zero_x - gap, header_h),
                 [Para(texts.DECK_SERIES[EXPORT], bold=True, size=BUTTERFLY_LABEL_PT, colour=theme.EXPORT)],
                 align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.BOTTOM)


def _set_manual_plot_layout(chart, plot: tuple[float, float, float, float] = (PLOT_X, PLOT_Y, PLOT_W, PLOT_H)) -> None:
    """Fix the inner plot area (x, y, w, h as fractions of the chart) so the category bands are at known
    positions."""
    plot_x, plot_y, plot_w, plot_h = plot
    plot_area = chart.element.chart.plotArea
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = parse_xml(f"<c:layout {nsdecls('c')}/>")
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    layout.append(parse_xml(
        f'<c:manualLayout {nsdecls("c")}><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
        f'<c:x val="{plot_x}"/><c:y val="{plot_y}"/><c:w val="{plot_w}"/><c:h val="{plot_h}"/></c:manualLayout>'))


def _add_balance_column(slide, partners: Sequence[PartnerTrade], chart_frame: Frame, column_x: int) -> None:
    """One text box per partner, centred on its category band, red or green by the sign of the balance."""
    x, y, w, h = chart_frame
    n = len(partners)
    plot_top, plot_h = y + PLOT_Y * h, PLOT_H * h
    band = plot_h / max(n, 1)
    header_h = int(0.28 * EMU_PER_INCH)
    _add_textbox(slide, texts.DECK_BALANCE_HEADER, (column_x, int(plot_top - header_h), BUTTERFLY_BALANCE_W, header_h),
                 [Para(texts.DECK_BALANCE_HEADER, bold=True, size=BUTTERFLY_LABEL_PT, colour=theme.TEXT)],
                 align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.BOTTOM)
    for i, partner in enumerate(partners):
        top = int(plot_top + i * band)
        box = _add_textbox(
            slide, texts.DECK_BALANCE_BOX_NAME.format(partner=partner.nom), (column_x, top, BUTTERFLY_BALANCE_W, int(band)),
            [Para(_signed_meur(partner.balance_eur), bold=True, size=BUTTERFLY_VALUE_PT,
                  colour=_balance_colour(partner.balance_eur))],
            align=PP_ALIGN.RIGHT)
        set_alt_text(box, texts.DECK_BALANCE_ALT.format(partner=partner.nom, value=_signed_meur(partner.balance_eur)))


def _add_chart(slide, kind, frame: Frame, data, name: str, alt_text: str, font_pt: float):
    """A native chart in `frame`, named, with its alternative text, untitled (the slide titles it), in the
    theme's font at `font_pt` and text colour; returns (graphic frame, chart)."""
    x, y, w, h = frame
    graphic = slide.shapes.add_chart(kind, x, y, w, h, data)
    graphic.name = name
    set_alt_text(graphic, alt_text)
    chart = graphic.chart
    chart.has_title = False
    chart.font.name = theme.FONT
    chart.font.size = Pt(font_pt)
    chart.font.color.rgb = RGBColor.from_string(theme.TEXT)
    return graphic, chart


def _style_meur_axis(value_axis) -> None:
    """A value axis in millions of euros: light gridlines, whole numbers, titled « millions d'euros »."""
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(theme.NODE_GREY)
    value_axis.tick_labels.number_format = "#,##0"
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = texts.DECK_MEUR_AXIS
    value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)


def breakdown_lines(fiche: Fiche) -> list[str]:
    """One line per part of a région or of France: its exports and their share of the whole."""
    total = fiche.exports.total_eur
    return [texts.breakdown_line(part.nom, part.exports_eur, 100.0 * part.exports_eur / total if total else 0.0)
            for part in fiche.breakdown]


def _add_breakdown_slide(deck: _Deck) -> Slide:
    """A région's départements or France's régions: exports and imports side by side (native bars, largest
    exports first, top to bottom), each part's share of the exports beside."""
    fiche = deck.fiche
    year = texts.period(fiche)
    parts = fiche.breakdown
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.BREAKDOWN_TITLE[fiche.level]])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.breakdown_chart_title(fiche.level, fiche.departement.nom, year)])
    lines = breakdown_lines(fiche)
    size = 11 if len(parts) <= 13 else 9
    comment = [Para(texts.breakdown_comment_head(fiche.level, len(parts)), bold=True, size=size)]
    comment += [Para(line, size=size) for line in lines]
    comment.append(Para(texts.DECK_FLOWS_UNIT, colour=theme.MUTED, size=size))
    _fill(ph[tpl.PH_COMMENT], comment)
    data = FixedDateChartData(fiche.document_date, number_format="#,##0.0")
    shown = list(reversed(parts))  # a bar chart draws its first category at the bottom
    data.categories = [part.nom for part in shown]
    for flow in (EXPORT, IMPORT):
        data.add_series(texts.DECK_SERIES[flow], [part.value(flow) / texts.MILLION for part in shown])
    x, y, w, h = _take_frame(ph[tpl.PH_CHART])
    key_h = int(0.3 * EMU_PER_INCH)  # the series named above the bars, in their order (see _add_series_key)
    _add_series_key(slide, [(texts.DECK_SERIES[EXPORT], theme.EXPORT), (texts.DECK_SERIES[IMPORT], theme.IMPORT)],
                    (x, y, w, key_h))
    alt = texts.breakdown_alt(fiche.level, fiche.departement.nom, year,
                              [(p.nom, p.exports_eur, p.imports_eur) for p in parts])
    _, chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y + key_h, w, h - key_h), data,
                          texts.BREAKDOWN_CHART_NAME, alt, 9 if len(parts) > 13 else 10)
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    for series, colour in zip(plot.series, (theme.EXPORT, theme.IMPORT)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    _style_meur_axis(chart.value_axis)
    _finish_slide(deck, slide, [texts.notes_breakdown(fiche.level, fiche.departement.nom, lines)])
    return slide


def _add_butterfly_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_PARTNERS_TITLE])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.deck_butterfly_title(fiche.departement.nom, texts.period(fiche))])
    comment = [Para(texts.PARTNERS_INTRO), Para(texts.PARTNERS_KEY), Para(texts.DECK_UNIT_NOTE, colour=theme.MUTED)]
    if fiche.unallocated_partners:
        items = ", ".join(f"{p.nom} ({_unallocated_values(p)})" for p in fiche.unallocated_partners)
        comment.append(Para(texts.unallocated_line(items), colour=theme.MUTED))
    _fill(ph[tpl.PH_COMMENT], comment)
    x, y, w, h = _take_frame(ph[tpl.PH_CHART])
    partners = fiche.main_partners
    chart_frame = (x, y, w - BUTTERFLY_BALANCE_W, h)
    _add_butterfly_chart(slide, partners, (x, y, w, h), butterfly_alt_text(fiche), fiche.document_date)
    _add_side_headers(slide, partners, chart_frame)
    _add_balance_column(slide, partners, chart_frame, x + w - BUTTERFLY_BALANCE_W)
    _finish_slide(deck, slide, notes.partners(fiche, len(fiche.local.top_partners_export) or 1))
    return slide


EXPOSURE_LEVELS = ("departement", "region", "france")
EXPOSURE_LABEL_PT = 9
EXPOSURE_COMMENT_PT = 12
EXPOSURE_PCT_FORMAT = '0.0"%"'  # as texts.format_pct writes a share (« 13.1% »)


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
    texts.EXPOSURE_CHART_CATEGORIES: exports US, China, EU27, first client, then imports likewise."""
    def shares(level: str) -> tuple[float, ...]:
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
    return texts.EXPOSURE_LEVELS[EXPOSURE_LEVELS.index(level)]


def exposure_alt_text(fiche: Fiche) -> str:
    values = exposure_chart_values(fiche)
    names = [_level_name(level, fiche) for level in exposure_levels(fiche)]
    parts = [f"{category} : " + ", ".join(f"{level} {texts.format_pct(series[i], 1)}"
                                           for level, series in zip(names, values))
             for i, category in enumerate(texts.EXPOSURE_CHART_CATEGORIES)]
    return texts.exposure_chart_title(fiche.departement.nom, texts.period(fiche)) + " : " + " ; ".join(parts) + "."


def _add_exposure_chart(slide, fiche: Fiche, frame: Frame):
    """Clustered horizontal bars: eight shares (exports then imports) × département, région, France."""
    data = FixedDateChartData(fiche.document_date, number_format=EXPOSURE_PCT_FORMAT)
    data.categories = list(texts.EXPOSURE_CHART_CATEGORIES)
    levels = exposure_levels(fiche)
    values = exposure_chart_values(fiche)
    for level, series_values in zip(levels, values):
        data.add_series(_level_name(level, fiche), series_values)
    x, y, w, h = frame
    key_h = int(0.3 * EMU_PER_INCH)
    _add_series_key(slide, [(_level_name(level, fiche), dict(zip(EXPOSURE_LEVELS, theme.EXPOSURE_SERIES))[level])
                            for level in levels], (x, y, w, key_h))
    graphic, chart = _add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, (x, y + key_h, w, h - key_h), data,
                                texts.EXPOSURE_CHART_NAME, exposure_alt_text(fiche), BUTTERFLY_LABEL_PT)
    # The series are named by a key above the chart (_add_series_key), in the bars' order: LibreOffice
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
    colours = dict(zip(EXPOSURE_LEVELS, theme.EXPOSURE_SERIES))
    for series, colour in zip(plot.series, (colours[level] for level in levels)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
        series.format.line.fill.background()
    category_axis = chart.category_axis
    category_axis.reverse_order = True  # exports first, at the top
    category_axis.has_major_gridlines = False
    category_axis.tick_labels.font.size = Pt(BUTTERFLY_LABEL_PT)
    value_axis = chart.value_axis
    value_axis.minimum_scale = 0
    # Room for the outside-end labels, without the empty half a fixed 100 % scale leaves.
    value_axis.maximum_scale = min(100.0, max(10.0, 1.18 * max(max(v) for v in values)))
    value_axis.has_major_gridlines = False
    value_axis.visible = False
    return graphic


def _add_series_key(slide, entries: Sequence[tuple[str, str]], frame: Frame) -> None:
    """« ■ Département  ■ Région  ■ France » above a chart, each in its series' colour, in the bars' order."""
    x, y, w, h = frame
    width = int(1.4 * EMU_PER_INCH)
    for i, (name, colour) in enumerate(entries):
        box = _add_textbox(slide, texts.SERIES_KEY_NAME.format(series=name), (x + i * width, y, width, h),
                           [Para("■ ", size=BUTTERFLY_LABEL_PT + 2, colour=colour)])
        run = box.text_frame.paragraphs[0].add_run()  # the name in the text colour: light swatches stay legible
        run.text = name
        run.font.size = Pt(BUTTERFLY_LABEL_PT)
        run.font.name = theme.FONT
        run.font.color.rgb = RGBColor.from_string(theme.TEXT)


def _exposure_comment(fiche: Fiche) -> list[Para]:
    from fichex.aggregation.model import hhi_band

    result = fiche.exposure
    size = EXPOSURE_COMMENT_PT
    paras = []
    for flow, f, role in ((EXPORT, result.local_exports, texts.EXPOSURE_FIRST_CLIENT),
                          (IMPORT, result.local_imports, texts.EXPOSURE_FIRST_SUPPLIER)):
        paras.append(Para(texts.exposure_hhi_line(flow, f.hhi_partners, hhi_band(f.hhi_partners), f.top3_pct),
                          bold=True, colour=theme.FLOW_COLOUR[flow], size=size))
        if f.first_partner_code:
            paras.append(Para(texts.exposure_first_line(role, f.first_partner_name, f.first_partner_pct), size=size))
    paras.append(Para(texts.exposure_rank_line(result.us_rank, result.n_ranked, result.local_exports.us_pct,
                                               fiche.exports.rank_level), bold=True, size=size))
    paras.append(Para(texts.exposure_dependence_line(result.n_dependent, len(result.import_dependences)), size=size))
    unit = texts.EXPOSURE_COMMENT_UNIT
    if fiche.single_departement_region and fiche.level == "departement":
        unit += " " + texts.exposure_single_region_note(fiche.region.nom)
    paras.append(Para(unit, colour=theme.MUTED, size=size - 2))
    return paras


def _add_exposure_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.EXPOSURE_TITLE])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.exposure_chart_title(fiche.departement.nom, texts.period(fiche))])
    _fill(ph[tpl.PH_COMMENT], _exposure_comment(fiche))
    _add_exposure_chart(slide, fiche, _take_frame(ph[tpl.PH_CHART]))
    _finish_slide(deck, slide, notes.exposure(fiche))
    return slide


def _unallocated_values(partner: PartnerTrade) -> str:
    parts = [f"{texts.DECK_BELOW_TENTH if _rounds_to_zero(partner.value(flow)) else _meur(partner.value(flow))} "
             f"{texts.DECK_AT_FLOW[flow]}" for flow in (EXPORT, IMPORT) if partner.value(flow)]
    return ", ".join(parts)


def _top_list(items, flow: str, n: int = 5) -> str:
    return ", ".join(f"{a.libelle_court or a.libelle} {_meur(a.value(flow))}" for a in items[:n])


def _add_activities_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    local = fiche.local
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_ACTIVITIES_TITLE])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.activities_title(fiche.departement.nom, texts.period(fiche))])
    _fill(ph[tpl.PH_COMMENT], [
        Para(texts.total_line(EXPORT, fiche.exports.total_eur), bold=True, colour=theme.EXPORT),
        Para(texts.total_line(IMPORT, fiche.imports.total_eur), bold=True, colour=theme.IMPORT),
        Para(texts.balance_line(fiche.balance_eur), bold=True, colour=theme.balance_colour(fiche.balance_eur)),
        Para(texts.ACTIVITIES_KEY),
        Para(texts.treemap_others_note(max(len(fiche.export_tiles), len(fiche.import_tiles))), colour=theme.MUTED),
    ])
    frame = _take_frame(ph[tpl.PH_CHART])
    alt = texts.deck_treemap_alt(fiche.departement.nom, texts.period(fiche), _top_list(local.top_activities_export, EXPORT),
                                 _top_list(local.top_activities_import, IMPORT),
                                 texts.balance_line(fiche.balance_eur))
    treemap.draw_trade_treemap(slide, fiche.export_tiles, fiche.import_tiles, frame, name=texts.DECK_TREEMAP_NAME,
                               alt_text=alt)
    _finish_slide(deck, slide, notes.activities(fiche))
    return slide


def sankey_alt_text(matrix: FlowMatrix, scope_label: str, year: int) -> str:
    """Alternative text of a Sankey: what it shows, its total and its five highlighted flows."""
    cells = sorted(matrix.highlighted, key=lambda c: (-matrix.values[c[0]][c[1]], c))
    flows = "; ".join(texts.SANKEY_FLOW_ALT.format(source=matrix.sources[i].label, target=matrix.targets[j].label,
                                                   value=_meur(matrix.values[i][j])) for i, j in cells)
    return texts.deck_sankey_alt(matrix.flow, scope_label, year, texts.total_line(matrix.flow, matrix.total), flows)


def _add_flows_slide(deck: _Deck, flow: str) -> Slide:
    fiche = deck.fiche
    matrix = fiche.local.flows(flow)
    name = fiche.departement.nom
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_FLOW_TITLES[flow]])
    _fill(ph[tpl.PH_CHART_TITLE], [texts.flows_title(flow, name, texts.period(fiche))])
    headline = texts.headline_lines(fiche, flow)
    colour = theme.FLOW_COLOUR[flow]
    comment = [Para(texts.FLOWS_KEY[flow], size=FLOWS_COMMENT_PT)]
    comment += [Para(headline[0], bold=True, colour=colour, size=FLOWS_COMMENT_PT)]
    comment += [Para(line, bold=True, size=FLOWS_COMMENT_PT) for line in headline[1:]]
    comment += [Para(texts.FLOWS_SIDES[flow], size=FLOWS_COMMENT_PT),
                Para(texts.DECK_FLOWS_UNIT, colour=theme.MUTED, size=FLOWS_COMMENT_PT)]
    _fill(ph[tpl.PH_COMMENT], comment)
    frame = _take_frame(ph[tpl.PH_CHART])
    sankey.draw_sankey(slide, matrix, frame, name=texts.DECK_SANKEY_NAME[flow],
                       alt_text=sankey_alt_text(matrix, name, texts.period(fiche)), compact=False)
    _finish_slide(deck, slide, notes.flows(fiche, flow))
    return slide


def _add_comparison_slide(deck: _Deck, flow: str) -> Slide:
    fiche = deck.fiche
    slide, ph = _new_slide(deck, tpl.LAYOUT_TWO_CHARTS)
    own = fiche.level != "departement"  # a région's fiche: France only, its own flows on the slide before
    _fill(ph[tpl.PH_TITLE], [(texts.DECK_COMPARISON_FRANCE_TITLES if own else texts.DECK_COMPARISON_TITLES)[flow]])
    _fill(ph[tpl.PH_TEXT], [texts.COMPARISON_INTRO[flow]])
    sides = ((tpl.PH_LEFT_TITLE, tpl.PH_LEFT_CHART, tpl.PH_LEFT_CAPTION, fiche.region_summary),
             (tpl.PH_RIGHT_TITLE, tpl.PH_RIGHT_CHART, tpl.PH_RIGHT_CAPTION, fiche.france_summary))
    if fiche.single_departement_region:
        # The région's Sankey would repeat the département's (previous slide): France takes the whole width.
        left, right = _take_frame(ph[tpl.PH_LEFT_CHART]), _take_frame(ph[tpl.PH_RIGHT_CHART])
        wide = (left[0], left[1], right[0] + right[2] - left[0], left[3])
        sides = ((tpl.PH_LEFT_TITLE, wide, tpl.PH_LEFT_CAPTION, fiche.france_summary),)
        ph[tpl.PH_RIGHT_TITLE].text_frame.text = ""
        note = texts.own_flows_note(fiche.region.nom) if own else texts.single_departement_region_note(fiche.region.nom)
        _fill(ph[tpl.PH_RIGHT_CAPTION], [Para(note, bold=False, colour=theme.MUTED, size=11)])
    else:
        sides = tuple((title, _take_frame(ph[chart]), caption, scope) for title, chart, caption, scope in sides)
    for title_ph, frame, caption_ph, scope in sides:
        label = texts.scope_name(scope.territory.level, scope.territory.nom)
        _fill(ph[title_ph], [texts.flows_title(flow, label, texts.period(fiche), detailed=False)])
        _fill(ph[caption_ph], [texts.total_line(flow, scope.total(flow))])
        matrix = scope.flows(flow)
        sankey.draw_sankey(slide, matrix, frame, name=texts.DECK_COMPARISON_SANKEY_NAME.format(sankey=texts.DECK_SANKEY_NAME[flow], scope=label),
                           alt_text=sankey_alt_text(matrix, label, texts.period(fiche)), compact=True)
    _finish_slide(deck, slide, notes.comparison(fiche, flow))
    return slide


def _add_evolution_slide(deck: _Deck) -> Slide | None:
    """Exports and imports over the quarters of the data (or its years, for annual data), growth rates
    beside; none when the data holds a single period."""
    fiche = deck.fiche
    evolution = fiche.evolution
    if evolution is None or len(evolution.years) < 2 and len(evolution.quarters) < 2:
        return None
    slide, ph = _new_slide(deck, tpl.LAYOUT_CHART)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_EVOLUTION_TITLE])
    by_quarter = len(evolution.quarters) >= 2
    _fill(ph[tpl.PH_CHART_TITLE], [texts.evolution_chart_title(fiche.departement.nom, by_quarter)])
    if by_quarter:
        categories = [texts.quarter_label(q.year, q.quarter) for q in evolution.quarters]
        exports = [q.exports_eur for q in evolution.quarters]
        imports = [q.imports_eur for q in evolution.quarters]
    else:
        categories = [texts.period_label(y.year, y.quarters) for y in evolution.years]
        exports = [y.exports_eur for y in evolution.years]
        imports = [y.imports_eur for y in evolution.years]
    data = FixedDateChartData(fiche.document_date, number_format="#,##0.0")
    data.categories = categories
    data.add_series(texts.DECK_SERIES[EXPORT], [v / texts.MILLION for v in exports])
    data.add_series(texts.DECK_SERIES[IMPORT], [v / texts.MILLION for v in imports])
    x, y, w, h = _take_frame(ph[tpl.PH_CHART])
    kind = XL_CHART_TYPE.LINE_MARKERS if by_quarter else XL_CHART_TYPE.COLUMN_CLUSTERED
    graphic, chart = _add_chart(slide, kind, (x, y, w, h), data, texts.DECK_EVOLUTION_NAME,
                                texts.evolution_alt(fiche.departement.nom, categories, exports, imports), 10)
    if evolution.break_inside:
        _mark_collection_break(slide, graphic, categories, (x, y, w, h))
    chart.has_legend = True
    chart.legend.include_in_layout = False
    chart.legend.position = XL_LEGEND_POSITION.TOP
    for series, colour in zip(chart.plots[0].series, (theme.EXPORT, theme.IMPORT)):
        if by_quarter:
            series.format.line.color.rgb = RGBColor.from_string(colour)
            series.format.line.width = Pt(2.25)
            series.smooth = False
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = RGBColor.from_string(colour)
            series.marker.format.line.color.rgb = RGBColor.from_string(colour)
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    _style_meur_axis(chart.value_axis)
    chart.category_axis.tick_labels.font.size = Pt(9 if by_quarter else 10)

    comment = [Para(texts.evolution_year_line(y.year, y.quarters, y.exports_eur, y.imports_eur,
                                              y.exports_growth_pct, y.imports_growth_pct), size=FLOWS_COMMENT_PT)
               for y in evolution.years]
    comment.append(Para(texts.EVOLUTION_GROWTH_KEY, colour=theme.MUTED, size=FLOWS_COMMENT_PT))
    comment.append(Para(texts.EMEBI_BREAK_CAVEAT if evolution.break_inside else texts.EVOLUTION_SINCE_BREAK,
                        colour=theme.MUTED, size=FLOWS_COMMENT_PT))
    _fill(ph[tpl.PH_COMMENT], comment)
    _finish_slide(deck, slide, notes.evolution(fiche))
    return slide


# Inner plot area of the evolution chart when the collection break is marked on it (fractions of the frame):
# fixed, so that the line falls on the boundary between 2021 and 2022 in any application.
EVOLUTION_PLOT = (0.1, 0.12, 0.87, 0.72)
BREAK_LABEL_W = int(2.1 * EMU_PER_INCH)
BREAK_LABEL_H = int(0.26 * EMU_PER_INCH)


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
    _set_manual_plot_layout(chart, EVOLUTION_PLOT)
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
    line.name = texts.EVOLUTION_BREAK_LINE_NAME
    line.line.color.rgb = RGBColor.from_string(theme.HIGHLIGHT)
    line.line.width = Pt(1.5)
    line.line.dash_style = MSO_LINE.DASH
    set_alt_text(line, texts.EVOLUTION_BREAK_LABEL)
    label = _add_textbox(slide, texts.EVOLUTION_BREAK_LABEL_NAME,
                         (line_x + int(0.05 * EMU_PER_INCH), top, BREAK_LABEL_W, BREAK_LABEL_H),
                         [Para(texts.EVOLUTION_BREAK_LABEL, size=9, bold=True, colour=theme.HIGHLIGHT)],
                         anchor=MSO_ANCHOR.TOP, fill=theme.WHITE)
    set_alt_text(label, texts.EVOLUTION_BREAK_LABEL)


def _add_practical_slide(deck: _Deck) -> Slide:
    fiche = deck.fiche
    slide, ph = _new_slide(deck, tpl.LAYOUT_CONTACT)
    _fill(ph[tpl.PH_TITLE], [texts.DECK_PRACTICAL_TITLE])
    _fill(ph[tpl.PH_TEXT], _practical_paragraphs(deck.brand))
    sources = [Para(texts.DECK_SOURCES_HEADING, bold=True, colour=theme.ACCENT), Para(texts.sources_line(texts.period(fiche)))]
    sources += [Para(c, level=1) for c in texts.DATA_CONCEPTS]
    sources.append(Para(f"{texts.DECK_SOURCE_LABEL} {fiche.data.source}"))
    _fill(ph[tpl.PH_SOURCES], sources)
    _finish_slide(deck, slide, notes.practical(fiche))
    return slide


def _practical_paragraphs(brand: Brand) -> list[Para]:
    """The model's « Informations pratiques », with the brand's links as hyperlinks (a link without an
    address is left out with its sentence, rather than shown dead)."""
    size = PRACTICAL_PT
    paras = [Para(texts.PRACTICAL, size=size)]
    if brand.portraits_link:
        paras += [Para(texts.PRACTICAL_PORTRAITS, size=size),
                  Para(texts.PRACTICAL_PORTRAITS_LINK, level=1, size=size, link=brand.portraits_link)]
    if brand.press_kit_link:
        paras += [Para(texts.PRACTICAL_ASSEMBLY, size=size),
                  Para(texts.PRACTICAL_ASSEMBLY_LINK, level=1, size=size, link=brand.press_kit_link)]
    if brand.contact:
        paras.append(Para(texts.PRACTICAL_CONTACT.format(contact=brand.contact), size=size,
                          link=f"mailto:{brand.contact}", link_text=brand.contact))
    if brand.news:
        paras.append(Para(texts.PRACTICAL_FURTHER, bold=True, colour=theme.ACCENT, size=size))
        paras += [Para(f"{label} : {address}", level=1, size=size, link=address, link_text=address)
                  for label, address in brand.news]
    return paras


# --------------------------------------------------------------------------------------------------------
# Deck
# --------------------------------------------------------------------------------------------------------
def _remove_template_slides(prs: PresentationObject) -> None:
    id_list = prs.slides.element  # p:sldIdLst
    for slide_id in list(id_list):
        rid = slide_id.rId
        id_list.remove(slide_id)
        prs.part.drop_rel(rid)


def _set_properties(prs: PresentationObject, fiche: Fiche) -> None:
    props = prs.core_properties
    name = texts.level_title(fiche.level, fiche.departement.nom)
    props.title = texts.deck_title(name, texts.period(fiche))
    props.subject = texts.cover_subtitle(name, bool(fiche.territoires_industrie))
    props.author = texts.DECK_AUTHOR
    props.last_modified_by = texts.DECK_AUTHOR
    props.keywords = texts.DECK_KEYWORDS
    props.language = "fr-FR"
    props.revision = 1
    props.created = props.modified = fiche.document_date
    # Not the template's description: what this deck is (dc:description).
    props.comments = texts.DEMO_WARNING if fiche.demonstration else texts.sources_line(texts.period(fiche))


def build_deck(fiche: Fiche, *, template: Path | None = None) -> PresentationObject:
    """Build the deck of a fiche in memory (see `write_deck`)."""
    prs = tpl.load_template(template)
    _remove_template_slides(prs)
    deck = _Deck(prs, fiche, tpl.layouts_by_name(prs), brand=load_brand(template))
    _add_cover_slide(deck)
    _add_introduction_slide(deck)
    _add_context_slide(deck)
    _add_caveats_slide(deck)
    _add_summary_slide(deck)
    # The map opens the figures, after the caveats: a port's or a head office's exports (said there) are
    # what most often explains a département's place on it.
    _add_figure_pages(deck)
    _add_practical_slide(deck)
    _set_properties(prs, fiche)
    return prs


def _add_figure_pages(deck: _Deck) -> list[Slide]:
    """The figure pages of `deck.fiche`, map to evolution: what a Territoire d'industrie's deck repeats for
    each of its départements (render/territoire_deck.py)."""
    fiche = deck.fiche
    slides = [_add_map_slide(deck)]
    if fiche.breakdown:
        slides.append(_add_breakdown_slide(deck))
    slides.append(_add_butterfly_slide(deck))
    if fiche.exposure is not None:
        slides.append(_add_exposure_slide(deck))
    slides.append(_add_activities_slide(deck))
    for flow in (EXPORT, IMPORT):
        slides.append(_add_flows_slide(deck, flow))
        if fiche.compares_with_france:
            slides.append(_add_comparison_slide(deck, flow))
    evolution = _add_evolution_slide(deck)
    return slides + ([evolution] if evolution is not None else [])


def write_deck(fiche: Fiche, path: Path | str, *, template: Path | str | None = None) -> None:
    """Write the PowerPoint deck of a fiche: cover, context, partners, activities, flows, sources.

    Args:
        fiche: the aggregate of one département and one year.
        path: the .pptx file to write (replaced atomically).
        template: a .pptx or .potx with the layouts of the bundled template (default: the bundled one).

    Raises:
        TemplateError: the template is unreadable or lacks a layout or placeholder.
        OutputError: the file cannot be written.
    """
    prs = build_deck(fiche, template=template)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(_reproducible(prs, fiche.document_date))


def _reproducible(prs: PresentationObject, when) -> bytes:
    """The deck's package with every entry dated `when` (the data's date) instead of the clock's, in the
    order python-pptx wrote them: the same inputs give the same bytes, as the workbook does. Parts that
    python-pptx leaves short of the standard are completed on the way (see _strict)."""
    import io
    import zipfile

    written = io.BytesIO()
    prs.save(written)
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, _strict(info.filename, parts[info.filename], parts, len(prs.slides)))
    return out.getvalue()


_AXIS_ID = re.compile(rb'(<c:(?:axId|crossAx) val=")(-\d+)(")')
_NOTES_MASTER_REL = re.compile(rb'<Relationship [^>]*Id="(rId\d+)"[^>]*Target="notesMasters/[^"]+"|'
                               rb'<Relationship [^>]*Target="notesMasters/[^"]+"[^>]*Id="(rId\d+)"')


def _strict(name: str, data: bytes, parts: dict[str, bytes], n_slides: int) -> bytes:
    """A part as ECMA-376 wants it where python-pptx falls short:
    - chart axis ids are unsigned ints (python-pptx writes negative ones);
    - a presentation with a notes master lists it (`p:notesMasterIdLst`, python-pptx issue #1051: Keynote
      refuses the deck otherwise);
    - `docProps/app.xml` counts the slides (python-pptx leaves the template's 0)."""
    if name.startswith("ppt/charts/") and name.endswith(".xml"):
        return _AXIS_ID.sub(lambda m: m[1] + str(int(m[2]) & 0x7FFFFFFF).encode() + m[3], data)
    if name == "ppt/presentation.xml" and b"notesMasterIdLst" not in data:
        match = _NOTES_MASTER_REL.search(parts.get("ppt/_rels/presentation.xml.rels", b""))
        if match:
            rid = match[1] or match[2]
            listed = b'<p:notesMasterIdLst><p:notesMasterId r:id="' + rid + b'"/></p:notesMasterIdLst>'
            return data.replace(b"</p:sldMasterIdLst>", b"</p:sldMasterIdLst>" + listed, 1)
    if name == "docProps/app.xml":
        return re.sub(rb"<Slides>\d+</Slides>", b"<Slides>" + str(n_slides).encode() + b"</Slides>", data)
    return data
