"""A DrawingML writer: a group shape whose children are written as one XML string and parsed once.

The treemap (`render/treemap.py`), the Sankey (`render/sankey.py`) and the map (`render/map_drawing.py`)
each draw one group shape (`p:grpSp`). python-pptx's `add_shape` recomputes the group extents on every
call (quadratic) and a drawing has a few hundred shapes, so `Shapes` accumulates the children's XML,
numbering their ids and tracking their bounding box, and `finish_group` parses it once: a drawing stays
within a few milliseconds. Within `drawings_written_at_save` (how `write_deck` builds), the XML is not even
parsed: the group holds a marker (`DrawingMarker`) that the deck's package replaces with those bytes as it is
written (`expand_drawings`). The writers below write that XML exactly as lxml would serialise it once parsed
(`escape_text`, `escape_attr`, `<a:t/>`), so both routes give the same bytes (tests/render/test_drawingml.py).

Every fill and line is explicit (`srgbClr`, `noFill`): LibreOffice does not resolve theme styles the way
PowerPoint does.
"""

from __future__ import annotations

import contextlib
import re
from contextvars import ContextVar
from typing import Iterator, NamedTuple, Sequence

from lxml import etree
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.shapes.group import GroupShape

from fichex.render import pptx_internals, theme


# Characters XML 1.0 forbids (the C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF and the
# surrogates): a space instead, as a label on one line.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_attr(text: str) -> str:
    """`text` as an XML attribute value on one line (a line feed becomes a space), escaped as lxml writes one."""
    return (_NOT_XML.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", " ").replace("\r", "&#13;").replace("\t", "&#9;"))


def escape_text(text: str) -> str:
    """`text` as an element's text on one line (a line feed becomes a space), escaped as lxml writes it."""
    return (_NOT_XML.sub(" ", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", " ").replace("\r", "&#13;"))


# ---------------------------------------------------------------------------------------------------------
# DrawingML fragments


class Run(NamedTuple):
    """One run of text: its characters, colour (hex RGB) and weight."""

    text: str
    colour: str
    bold: bool = False


def _fill(colour: str | None, opacity: int = 100) -> str:
    """The `a:solidFill` of `colour` (with `a:alpha` below 100 % opacity), or `a:noFill` for None."""
    if colour is None:
        return "<a:noFill/>"
    if opacity >= 100:
        return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    return f'<a:solidFill><a:srgbClr val="{colour}"><a:alpha val="{opacity * 1000}"/></a:srgbClr></a:solidFill>'


def _line(colour: str | None, width_emu: int = 0, *, rounded: bool = False) -> str:
    """The `a:ln` outline of `colour`, or one with `a:noFill` for None; `rounded`: round caps and joins."""
    if colour is None:
        return "<a:ln><a:noFill/></a:ln>"
    if rounded:
        return (f'<a:ln w="{width_emu}" cap="rnd"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
                f'<a:round/></a:ln>')
    return f'<a:ln w="{width_emu}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln>'


def _paragraphs(lines: Sequence[Sequence[Run]], size_pt: float, align: str) -> str:
    """One `a:p` per line of runs, at `size_pt` in the theme's font, with no spacing before or after."""
    sz = int(round(size_pt * 100))
    out = []
    for runs in lines:
        parts = [f'<a:p><a:pPr algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                 f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft></a:pPr>']
        for run in runs:
            parts.append(
                f'<a:r><a:rPr lang="fr-FR" sz="{sz}" b="{1 if run.bold else 0}" dirty="0">'
                f'{_fill(run.colour)}<a:latin typeface="{theme.FONT}"/><a:cs typeface="{theme.FONT}"/></a:rPr>'
                f'{_text_element(run.text)}</a:r>')
        parts.append(f'<a:endParaRPr lang="fr-FR" sz="{sz}"/></a:p>')
        out.append("".join(parts))
    return "".join(out)


def _text_element(text: str) -> str:
    """The run's `a:t` (`<a:t/>` when empty, as lxml writes an empty element)."""
    return f"<a:t>{escape_text(text)}</a:t>" if text else "<a:t/>"


def _path_list(paths: str) -> str:
    """The `a:pathLst` holding `paths` (`<a:pathLst/>` when there are none)."""
    return f"<a:pathLst>{paths}</a:pathLst>" if paths else "<a:pathLst/>"


_EMPTY_PARAGRAPH = '<a:p><a:endParaRPr lang="fr-FR"/></a:p>'
_CUSTOM_GEOMETRY = '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'


class Shapes:
    """Accumulates the XML of a group's children, numbering shape ids and tracking the bounding box.

    `parts` (the children's XML), `next_id` (the id the next shape takes) and `bounds` (x0, y0, x1, y1 in
    EMU, None before the first shape) are read by `finish_group`.
    """

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.parts: list[str] = []
        self.bounds = [None, None, None, None]  # x0, y0, x1, y1

    def _nv(self, name: str, descr: str | None, textbox: bool = False) -> str:
        """The `p:nvSpPr` of the next shape: its id, name and alternative text."""
        shape_id = self.next_id
        self.next_id += 1
        descr_attr = f' descr="{escape_attr(descr)}"' if descr else ""
        return (f'<p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape_attr(name)}"{descr_attr}/>'
                + ('<p:cNvSpPr txBox="1"/>' if textbox else "<p:cNvSpPr/>") + "<p:nvPr/></p:nvSpPr>")

    def _grow(self, x: int, y: int, w: int, h: int) -> None:
        """Widen the bounding box to hold the rectangle (x, y, w, h)."""
        b = self.bounds
        if b[0] is None:
            self.bounds = [x, y, x + w, y + h]
        else:
            b[0], b[1] = min(b[0], x), min(b[1], y)
            b[2], b[3] = max(b[2], x + w), max(b[3], y + h)

    @staticmethod
    def _xfrm(x: int, y: int, w: int, h: int) -> str:
        """The `a:xfrm` placing a shape at (x, y), w by h."""
        return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'

    def _preset(self, geometry: str, name: str, x: int, y: int, w: int, h: int, fill: str | None,
                descr: str | None, line: str | None, line_w: int, opacity: int) -> None:
        """A `p:sp` of the preset `geometry` (`rect`, `ellipse`), without text."""
        w, h = max(w, 1), max(h, 1)
        self._grow(x, y, w, h)
        self.parts.append(
            f'<p:sp>{self._nv(name, descr)}<p:spPr>{self._xfrm(x, y, w, h)}'
            f'<a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom>{_fill(fill, opacity)}{_line(line, line_w)}'
            f'</p:spPr></p:sp>')

    def rect(self, name: str, x: int, y: int, w: int, h: int, fill: str | None, *, descr: str | None = None,
             line: str | None = None, line_w: int = 0, opacity: int = 100) -> None:
        """A rectangle (`p:sp`, preset `rect`) filled with `fill` (None: no fill), without text."""
        self._preset("rect", name, x, y, w, h, fill, descr, line, line_w, opacity)

    def ellipse(self, name: str, x: int, y: int, w: int, h: int, fill: str | None, *, descr: str | None = None,
                line: str | None = None, line_w: int = 0) -> None:
        """An ellipse (`p:sp`, preset `ellipse`) in the rectangle (x, y, w, h), without text."""
        self._preset("ellipse", name, x, y, w, h, fill, descr, line, line_w, 100)

    def text(self, name: str, x: int, y: int, w: int, h: int, lines: Sequence[Sequence[Run]],
             size_pt: float, *, align: str = "l", anchor: str = "t", descr: str | None = None,
             fill: str | None = None, line: str | None = None, line_w: int = 0, inset: int = 0,
             upward: bool = False) -> None:
        """A shape with text (`p:sp` with `p:txBody`); `fill` given → a filled rectangle holding the text
        (treemap compartment), else a text box. `upward`: the text turned a quarter left, read from bottom
        to top (`vert="vert270"`), its lines as long as the shape is high."""
        w, h = max(w, 1), max(h, 1)
        self._grow(x, y, w, h)
        vert = ' vert="vert270"' if upward else ""
        body = (f'<p:txBody><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" '
                f'bIns="{inset}" anchor="{anchor}" rtlCol="0"{vert}><a:noAutofit/></a:bodyPr><a:lstStyle/>'
                f'{_paragraphs(lines, size_pt, align) if lines else _EMPTY_PARAGRAPH}'
                f'</p:txBody>')
        self.parts.append(
            f'<p:sp>{self._nv(name, descr, textbox=fill is None)}<p:spPr>{self._xfrm(x, y, w, h)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill)}{_line(line, line_w)}</p:spPr>'
            f'{body}</p:sp>')

    def freeform(self, name: str, x: int, y: int, w: int, h: int, paths: str, *, descr: str | None = None,
                 fill: str | None = None, opacity: int = 100, line: str | None = None, line_w: int = 0,
                 rounded: bool = False) -> None:
        """A custom-geometry shape (`p:sp` with `a:custGeom`) at (x, y), w by h.

        Args:
            paths: its `a:path` elements, in the shape's own coordinates.
            fill, opacity: the fill colour (None: no fill) and its opacity in %.
            line, line_w: the outline colour (None: no outline) and width in EMU.
            rounded: round caps and joins on the outline.
        """
        self._grow(x, y, w, h)
        self.parts.append(
            f'<p:sp>{self._nv(name, descr)}<p:spPr>{self._xfrm(x, y, w, h)}{_CUSTOM_GEOMETRY}'
            f'{_path_list(paths)}</a:custGeom>{_fill(fill, opacity)}'
            f'{_line(line, line_w, rounded=rounded)}</p:spPr></p:sp>')

    def path(self, name: str, x: int, y: int, w: int, h: int, path: str, colour: str, width_emu: int) -> None:
        """An open line (`path`: DrawingML path commands in the shape's own coordinates), no fill."""
        self.freeform(name, x, y, w, h, f'<a:path w="{w}" h="{h}" fill="none">{path}</a:path>',
                      line=colour, line_w=width_emu)

    def ribbon(self, name: str, x0: int, x1: int, y0t: int, y0b: int, y1t: int, y1b: int, fill: str,
               opacity: int, descr: str | None = None) -> None:
        """A Sankey band: two cubic Béziers (horizontal tangents at both ends) joined by vertical edges."""
        top = min(y0t, y1t)
        w = max(x1 - x0, 1)
        h = max(max(y0b, y1b) - top, 1)
        a0, b0, a1, b1 = y0t - top, y0b - top, y1t - top, y1b - top
        cx = w // 2
        path = (f'<a:path w="{w}" h="{h}"><a:moveTo><a:pt x="0" y="{a0}"/></a:moveTo>'
                f'<a:cubicBezTo><a:pt x="{cx}" y="{a0}"/><a:pt x="{cx}" y="{a1}"/><a:pt x="{w}" y="{a1}"/>'
                f'</a:cubicBezTo><a:lnTo><a:pt x="{w}" y="{b1}"/></a:lnTo>'
                f'<a:cubicBezTo><a:pt x="{cx}" y="{b1}"/><a:pt x="{cx}" y="{b0}"/><a:pt x="0" y="{b0}"/>'
                f'</a:cubicBezTo><a:close/></a:path>')
        self.freeform(name, x0, top, w, h, path, descr=descr, fill=fill, opacity=opacity)


def _max_shape_id(slide) -> int:
    """Largest numeric `id` in the slide's XML (ids have document scope, as python-pptx counts them)."""
    return max((int(v) for v in slide.shapes.element.xpath("//@id") if v.isdigit()), default=1)


def new_group(slide, name: str, alt_text: str) -> tuple[GroupShape, Shapes]:
    """Add an empty group shape (`p:grpSp`) named `name`, with `alt_text` as its `descr`, to the slide.

    Returns:
        The group and the `Shapes` that numbers its children from the id after the group's.
    """
    # The group's children are numbered here, not by python-pptx, so they must start above every id on
    # the slide: python-pptx gives a new group the first *free* id (`CT_GroupShape.add_grpSp`), and after a
    # deletion, numbering from there would reuse the ids of shapes further up the tree.
    highest = _max_shape_id(slide)
    group = slide.shapes.add_group_shape()
    c_nv_pr = group.element.nvGrpSpPr.cNvPr
    if group.shape_id <= highest:
        c_nv_pr.set("id", str(highest + 1))
    c_nv_pr.set("name", name)
    c_nv_pr.set("descr", alt_text)
    return group, Shapes(group.shape_id + 1)


def finish_group(slide, group: GroupShape, shapes: Shapes, frame_emu: tuple[int, int, int, int]) -> GroupShape:
    """Write the children `shapes` holds into the group and its `a:xfrm`: the children's bounding box, or
    `frame_emu` when there are none, in slide space (no scaling). Returns the group.

    The children are parsed once into the group; within `drawings_written_at_save`, they are kept as bytes
    behind a marker instead, which the package replaces with them (`expand_drawings`)."""
    grp_sp = group.element
    pptx_internals.note_shape_ids(slide.shapes, shapes.next_id - 1)
    if shapes.parts:
        kept = _DEFERRED.get()
        if kept is None:
            wrapper = parse_xml(f'<p:grpSp {nsdecls("a", "p")}>{"".join(shapes.parts)}</p:grpSp>')
            for child in list(wrapper):
                grp_sp.append(child)
        else:
            kept.append("".join(shapes.parts).encode())
            marker = etree.SubElement(grp_sp, DrawingMarker.TAG)
            marker.set("id", str(shapes.next_id - 1))  # python-pptx's next shape id counts the hidden ones
            marker.set("n", str(len(kept) - 1))
    if shapes.bounds[0] is None:
        x, y, w, h = frame_emu
    else:
        x0, y0, x1, y1 = shapes.bounds
        x, y, w, h = x0, y0, x1 - x0, y1 - y0
    # Child space = slide space: the group adds no scaling, so the drawing stays where it was laid out.
    xfrm = grp_sp.grpSpPr.xfrm
    xfrm.off.x, xfrm.off.y, xfrm.ext.cx, xfrm.ext.cy = x, y, w, h
    xfrm.chOff.x, xfrm.chOff.y, xfrm.chExt.cx, xfrm.chExt.cy = x, y, w, h
    return group


# ---------------------------------------------------------------------------------------------------------
# Drawings written when the package is


class DrawingMarker:
    """The element standing for a group's children in a slide built within `drawings_written_at_save`:
    `<fichexDessin id="…" n="…"/>`, `id` its highest shape id (so that python-pptx and `_max_shape_id`, which
    read every `id` of the slide, number later shapes after the hidden ones), `n` its drawing's index."""

    TAG = "fichexDessin"
    PATTERN = re.compile(rb'<fichexDessin id="\d+" n="(\d+)"/>')


_DEFERRED: ContextVar[list[bytes] | None] = ContextVar("fichex_drawings_at_save", default=None)


@contextlib.contextmanager
def drawings_written_at_save() -> Iterator[list[bytes]]:
    """Within this block, `finish_group` keeps each drawing's children as bytes (the list yielded) behind a
    marker rather than parsing them into the slide: the slide's tree stays small (python-pptx's look-ups
    and the serialisation of the slide go faster), and `expand_drawings` puts them back in the slide's XML.

    Only for a deck whose package is written with `expand_drawings` (render/pptx/package.py `reproducible`)
    before the block ends: python-pptx's own `save` would write the markers."""
    kept: list[bytes] = []
    token = _DEFERRED.set(kept)
    try:
        yield kept
    finally:
        _DEFERRED.reset(token)


def expand_drawings(xml: bytes, kept: Sequence[bytes]) -> bytes:
    """A part's XML with each drawing marker replaced by the children it stands for."""
    if b"<" + DrawingMarker.TAG.encode() not in xml:
        return xml
    return DrawingMarker.PATTERN.sub(lambda match: kept[int(match[1])], xml)
