"""The deck's toolkit: the deck being built, a new slide on a named layout, text frames and boxes, the native
chart, alternative text, and the end of every slide (empty placeholders out, banner, speaker notes)."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Sequence

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from fichex.wording import deck as deck_text, model_text, numbers as numbers_text
from fichex.wording.places import Place, place_of
from fichex.aggregation.model import Fiche
from fichex.render import template as tpl
from fichex.render import text_fit, theme
from fichex.render.brand import Brand
from fichex.render.drawingml import escape_text
from fichex.render.geometry import EMU_PER_INCH
from fichex.render.pptx_internals import notes_slide, shape_tree

Frame = tuple[int, int, int, int]  # left, top, width, height in EMU

BANNER_H = int(0.3 * EMU_PER_INCH)
LABEL_PT = 10          # the charts' category labels and series keys
FLOWS_COMMENT_PT = 11  # the flow slides' side panel holds the model's full introduction
SERIES_KEY_H = int(0.3 * EMU_PER_INCH)  # the series named above the bars (add_series_key)


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
class Deck:
    """A deck being built: the presentation, the fiche whose pages are being added, the template's layouts
    and brand, and what the slide builders keep between slides."""

    prs: PresentationObject
    fiche: Fiche
    layouts: dict[str, SlideLayout]
    brand: Brand = field(default_factory=Brand)
    # what the decks built on the same template share in this process (`template.template_store`): the
    # layouts' resolved geometry, new slides' shapes, the demonstration banner (see the properties below)
    shared: dict = field(default_factory=dict)
    # placeholders of the slide being built, checked for emptiness by finish_slide
    current: list = field(default_factory=list)
    # what each page title names after its subject (« … – Doubs (25) »): a Territoire d'industrie's deck
    # repeats its départements' pages, and two slides of one deck never share a title
    title_of: str = ""
    # the deck's first notes page before it was written on, copied for the next ones (pptx_internals.notes_slide)
    notes: dict = field(default_factory=dict)

    def for_fiche(self, fiche: Fiche, title_of: str = "") -> Deck:
        """The same deck (presentation, layouts, brand, resolved geometry) adding the pages of `fiche`, their
        titles naming `title_of`: a Territoire d'industrie's deck holds the pages of each of its départements
        in turn."""
        return replace(self, fiche=fiche, current=[], title_of=title_of)

    @property
    def geometry(self) -> dict[str, list[tuple[str, int, Frame, object]]]:
        """Layout name → [(placeholder name, idx, inherited frame, list style)], resolved once (inheritance is
        slow)."""
        return self.shared.setdefault("geometry", {})

    @property
    def skeletons(self) -> dict[str, list]:
        """Layout name → the shapes of a new slide on it once new_slide has set them up (copied for the next)."""
        return self.shared.setdefault("skeletons", {})

    @property
    def banner(self) -> list:
        """The demonstration banner as first drawn (at most one element), copied onto the next slides."""
        return self.shared.setdefault("banner", [])

    def page_title(self, title: str) -> str:
        """A page's title, naming what `title_of` names (deck_text.page_title)."""
        return deck_text.page_title(title, self.title_of)

    @property
    def place(self) -> Place:
        """The grammar of the fiche's territory (wording.places)."""
        return place_of(self.fiche)


# A page title naming its département (a Territoire d'industrie's deck) keeps to one line: the template's
# title size (26 pt), else the largest of these that fits.
PAGE_TITLE_SIZES = (26, 24, 22, 20, 18)


def fill_page_title(deck: Deck, placeholder, title: str) -> None:
    """Fill a page's title placeholder with `deck.page_title(title)`, at the template's size, or smaller
    where the département it names makes it longer than one line."""
    text = deck.page_title(title)
    if not deck.title_of:
        fill(placeholder, [text])
        return
    size = text_fit.fitting_size(text, int(placeholder.width), int(placeholder.height), PAGE_TITLE_SIZES, True)
    fill(placeholder, [Para(text, size=size if size != PAGE_TITLE_SIZES[0] else None)])


def new_slide(deck: Deck, layout_name: str) -> tuple[Slide, dict]:
    """Add a slide on a named layout; return it with its placeholders by layout placeholder name.

    Each kept placeholder gets its geometry written explicitly (LibreOffice does not always inherit it)
    and the layout's name, so a reader of the file sees « Commentaire » rather than « Text Placeholder 3 ».
    The first slide on a layout is set up through python-pptx; the next ones receive copies of its shapes
    as they stood then (the same XML: a new slide's shapes are numbered from 2 alike), which is much faster.
    """
    layout = deck.layouts[layout_name]
    if layout_name not in deck.geometry:
        frames = {ph.placeholder_format.idx: _frame(ph) for ph in layout.placeholders}
        styles = {ph.placeholder_format.idx: list_style(ph) for ph in layout.placeholders}
        deck.geometry[layout_name] = [(name, idx, frames[idx], styles[idx])
                                      for name, idx in tpl.placeholder_indices(layout).items()]
    skeleton = deck.skeletons.get(layout_name)
    if skeleton is None:
        slide = deck.prs.slides.add_slide(layout)
        _set_up_placeholders(deck, slide, layout_name)
        deck.skeletons[layout_name] = [deepcopy(shape.element) for shape in slide.shapes]
    else:
        slide = _add_bare_slide(deck.prs, layout)
        tree = shape_tree(slide)
        for element in skeleton:
            tree.insert_element_before(deepcopy(element), "p:extLst")
    by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
    deck.current = list(by_idx.values())
    placeholders = {name: by_idx[idx] for name, idx, _, _ in deck.geometry[layout_name] if idx in by_idx}
    return slide, placeholders


def _add_bare_slide(prs: PresentationObject, layout: SlideLayout) -> Slide:
    """`prs.slides.add_slide(layout)` without the layout's placeholders: the same part, relationship and
    entry in the slide list (python-pptx's own steps, through public methods)."""
    r_id, slide = prs.part.add_slide(layout)
    prs.slides.element.add_sldId(r_id)
    return slide


def _set_up_placeholders(deck: Deck, slide: Slide, layout_name: str) -> None:
    """Write each kept placeholder's geometry, name and list styles (see new_slide)."""
    by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
    for name, idx, frame, style in deck.geometry[layout_name]:
        ph = by_idx.get(idx)
        if ph is None:
            continue
        ph.left, ph.top, ph.width, ph.height = frame
        ph.element.nvSpPr.cNvPr.set("name", name)
        if style is not None:
            set_list_style(ph, style)


def list_style(layout_placeholder):
    """The layout placeholder's own text styles (`a:lstStyle`), if it has any."""
    found = layout_placeholder.element.xpath("./p:txBody/a:lstStyle")
    return found[0] if found and len(found[0]) else None


def set_list_style(placeholder, style) -> None:
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


def fill(shape, paragraphs: Sequence[Para | str]) -> None:
    """Replace a shape's text by `paragraphs` (explicit run formatting only where asked).

    Written as one XML string, parsed once (`_fill_at_once`): the `a:p` and `a:r` python-pptx's text frame API
    makes for the same calls, about five times cheaper; through that API (`_fill_through_api`) for what the
    string does not write the same way (a link, a run that is empty, blank or holds a control character)."""
    items = [item if isinstance(item, Para) else Para(item) for item in paragraphs]
    if not _fill_at_once(shape, items):
        _fill_through_api(shape, items)


def _fill_through_api(shape, paragraphs: Sequence[Para]) -> None:
    frame = shape.text_frame
    frame.clear()
    for i, para in enumerate(paragraphs):
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


def _fill_at_once(shape, paragraphs: Sequence[Para]) -> bool:
    """`_fill_through_api`'s XML, written at once; False (nothing done) where it would differ.

    python-pptx keeps the first paragraph (its properties) and drops the others; each paragraph gets an
    `a:pPr` (`lvl` unless 0), each run an `a:rPr` (`b`, `i`, `sz` in the order they are set, the colour as
    `a:solidFill`) before its `a:t`, inserted before the paragraph's `a:endParaRPr`."""
    if not paragraphs or not all(_written_at_once(para) for para in paragraphs):
        return False
    shape.text_frame.clear()
    body = shape.element.txBody
    first = body.p_lst[0]
    first_properties = first.get_or_add_pPr()
    if paragraphs[0].level:
        first_properties.set("lvl", str(paragraphs[0].level))
    elif "lvl" in first_properties.attrib:
        del first_properties.attrib["lvl"]
    others = "".join(f'<a:p><a:pPr{_level(para)}/>{_run(para)}</a:p>' for para in paragraphs[1:])
    written = parse_xml(f'<a:txBody {nsdecls("a")}><a:p>{_run(paragraphs[0])}</a:p>{others}</a:txBody>')
    end = first.endParaRPr
    for run in list(written[0]):
        if end is None:
            first.append(run)
        else:
            end.addprevious(run)
    for paragraph in list(written)[1:]:
        body.append(paragraph)
    return True


# What python-pptx writes otherwise or refuses: control characters (it writes « _x0007_ »), characters XML
# forbids (lxml refuses them); levels beyond 0-8 and sizes beyond 1-4 000 pt (python-pptx refuses them).
_CONTROL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def _written_at_once(para: Para) -> bool:
    """Whether `_fill_at_once` writes this paragraph as python-pptx's API does (else the API writes it, or
    refuses it)."""
    return (not para.link and bool(para.text.strip()) and not _CONTROL.search(para.text)
            and 0 <= para.level <= 8 and (not para.size or 1 <= para.size <= 4000))


def _level(para: Para) -> str:
    return f' lvl="{para.level}"' if para.level else ""


def _run(para: Para) -> str:
    """A paragraph's one run, as python-pptx writes it (see _fill_at_once)."""
    attributes = ""
    if para.bold is not None:
        attributes += f' b="{1 if para.bold else 0}"'
    if para.italic is not None:
        attributes += f' i="{1 if para.italic else 0}"'
    if para.size:
        attributes += f' sz="{Pt(para.size).centipoints}"'
    colour = f'<a:solidFill><a:srgbClr val="{RGBColor.from_string(para.colour)}"/></a:solidFill>' if para.colour else ""
    properties = f"<a:rPr{attributes}>{colour}</a:rPr>" if colour else f"<a:rPr{attributes}/>"
    return f"<a:r>{properties}<a:t>{escape_text(para.text)}</a:t></a:r>"


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


def take_frame(placeholder) -> Frame:
    """The geometry of a placeholder a chart or drawing replaces.

    The placeholder stays (empty) until `finish_slide` removes it: removing it now would free its shape
    id, which python-pptx hands to the next group while drawingml.py numbers the group's children from
    there, so ids would collide (PowerPoint then offers to repair the file).
    """
    return _frame(placeholder)


def _remove(shape) -> None:
    element = shape.element
    element.getparent().remove(element)


def set_alt_text(shape, text: str) -> None:
    """Alternative text of any shape (`p:cNvPr/@descr`; python-pptx has no API for it)."""
    shape.element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def add_textbox(slide, name: str, frame: Frame, paragraphs: Sequence[Para], *, align=PP_ALIGN.LEFT,
                anchor=MSO_ANCHOR.MIDDLE, background: str | None = None, inset: int = 0):
    """A named text box in `frame`, word-wrapped, in the theme's font, on a solid `background` if given."""
    box = slide.shapes.add_textbox(*frame)
    box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = None
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = Emu(inset)
    fill(box, paragraphs)
    for p in tf.paragraphs:
        p.alignment = align
        for r in p.runs:
            r.font.name = theme.FONT
    if background:
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor.from_string(background)
    return box


def finish_slide(deck: Deck, slide: Slide, notes: Sequence[str]) -> None:
    """Remove placeholders left empty, put the title first in reading order, add the demonstration banner and
    the speaker notes."""
    for ph in deck.current:
        element = ph.element
        if element.getparent() is not None and not "".join(element.xpath(".//a:t/text()")).strip():
            _remove(ph)
    title_first(slide)
    if deck.fiche.demonstration:
        add_demo_banner(deck, slide)
    lines = list(notes)
    if deck.fiche.demonstration:
        lines.append(model_text.DEMO_WARNING + ".")
    set_text(notes_slide(slide, deck.notes).notes_placeholder, "\n\n".join(lines))


def set_text(shape, text: str) -> None:
    """`shape.text_frame.text = text` (a paragraph per line, each line one run without formatting; an empty
    line an empty paragraph), written as one XML string and parsed once: the same XML as python-pptx's, which
    writes the text itself when a line is blank or holds a character `_CONTROL` matches."""
    lines = text.split("\n")
    if any(_CONTROL.search(line) or (line and not line.strip()) for line in lines):
        shape.text_frame.text = text
        return
    body = shape.element.txBody
    body.clear_content()
    written = parse_xml(f'<a:txBody {nsdecls("a")}>'
                        + "".join(f"<a:p><a:r><a:t>{escape_text(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
                                  for line in lines) + "</a:txBody>")
    for paragraph in list(written):
        body.append(paragraph)


def add_demo_banner(deck: Deck, slide: Slide) -> None:
    """The demonstration warning across the top of the slide: drawn once per template in this process (the
    deck's `shared` store), then copied: the same shape, numbered after the slide's other shapes as
    python-pptx numbers a new one."""
    if not deck.banner:
        width = int(deck.prs.slide_width)
        banner = add_textbox(slide, deck_text.DECK_DEMO_BANNER_NAME, (0, 0, width, BANNER_H),
                             [Para(model_text.DEMO_WARNING, size=10, colour=theme.WARNING_TEXT, bold=True)],
                             align=PP_ALIGN.CENTER, background=theme.WARNING_FILL)
        set_alt_text(banner, model_text.DEMO_WARNING)
        deck.banner.append(deepcopy(banner.element))
        return
    tree = shape_tree(slide)
    copy = deepcopy(deck.banner[0])
    copy.nvSpPr.cNvPr.set("id", str(tree.max_shape_id + 1))
    tree.insert_element_before(copy, "p:extLst")


def title_first(slide: Slide) -> None:
    """Move the title placeholder to the front of the shape tree: a screen reader reads the shapes in that
    order, and the cover's layout lists the institutional block before the title."""
    tree = shape_tree(slide)
    titles = tree.xpath("./p:sp[p:nvSpPr/p:nvPr/p:ph[@type='title' or @type='ctrTitle']]")
    shapes = tree.xpath("./p:sp|./p:grpSp|./p:graphicFrame|./p:pic|./p:cxnSp|./p:contentPart")
    if titles and shapes and shapes[0] is not titles[0]:
        shapes[0].addprevious(titles[0])


def chart_slide(deck: Deck, title: str, chart_title: str, comment: Sequence[Para | str]) -> tuple[Slide, Frame]:
    """A slide on the « Graphique » layout with its title, chart title and side comment filled; returns it
    with the frame of the chart placeholder, which the chart or drawing then takes (see `take_frame`)."""
    slide, ph = new_slide(deck, tpl.LAYOUT_CHART)
    fill_page_title(deck, ph[tpl.PH_TITLE], title)
    fill(ph[tpl.PH_CHART_TITLE], [chart_title])
    fill(ph[tpl.PH_COMMENT], comment)
    return slide, take_frame(ph[tpl.PH_CHART])


# --------------------------------------------------------------------------------------------------------
# Figures in text (the numbers themselves are written by fichex.wording.numbers)
# --------------------------------------------------------------------------------------------------------
def balance_colour(value_eur: float) -> str:
    """A balance's colour: green or red by its sign, the text colour for what rounds to zero."""
    return theme.TEXT if numbers_text.rounds_to_zero(value_eur) else theme.balance_colour(value_eur)


# --------------------------------------------------------------------------------------------------------
# Native charts
# --------------------------------------------------------------------------------------------------------
def add_chart(slide, kind, frame: Frame, data, name: str, alt_text: str, font_pt: float):
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


def style_meur_axis(value_axis) -> None:
    """A value axis in millions of euros: light gridlines, whole numbers, titled « millions d'euros »."""
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string(theme.NODE_GREY)
    value_axis.tick_labels.number_format = theme.AXIS_FMT_WHOLE
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = deck_text.DECK_MEUR_AXIS
    value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)


def colour_series(series, colour: str) -> None:
    """A bar or column series filled solid in `colour`."""
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = RGBColor.from_string(colour)


def set_manual_plot_layout(chart, plot: tuple[float, float, float, float]) -> None:
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


def add_series_key(slide, entries: Sequence[tuple[str, str]], frame: Frame) -> None:
    """« ■ Département  ■ Région  ■ France » above a chart, each in its series' colour, in the bars' order."""
    x, y, w, h = frame
    width = int(1.4 * EMU_PER_INCH)
    for i, (name, colour) in enumerate(entries):
        box = add_textbox(slide, deck_text.SERIES_KEY_NAME.format(series=name), (x + i * width, y, width, h),
                          [Para("■ ", size=LABEL_PT + 2, colour=colour)])
        run = box.text_frame.paragraphs[0].add_run()  # the name in the text colour: light swatches stay legible
        run.text = name
        run.font.size = Pt(LABEL_PT)
        run.font.name = theme.FONT
        run.font.color.rgb = RGBColor.from_string(theme.TEXT)
