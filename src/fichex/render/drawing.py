"""Native, editable PowerPoint drawings: the activities treemap and the Sankey flow diagrams.

Geometry comes from `fichex.render.geometry`; this module only turns rectangles and ribbons into DrawingML. Each
drawing is one group shape (`p:grpSp`) whose children are written as one XML string and parsed once:
python-pptx's `add_shape` recomputes the group extents on every call (quadratic) and a fiche has a few
hundred shapes per drawing, so the direct route keeps a drawing within a few milliseconds.

Every fill and line is explicit (`srgbClr`, `noFill`): LibreOffice does not resolve theme styles the way
PowerPoint does. Text is laid out here, with Arial advance widths, so that labels are shortened or
hidden by one rule and never overflow their rectangle or overlap each other.
"""

from __future__ import annotations

import re

from typing import NamedTuple, Sequence

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.shapes.group import GroupShape

from fichex import texts
from fichex.aggregation.model import EXPORT, IMPORT, ActivityTile, FlowMatrix
from fichex.render import pptx_internals, theme
from fichex.render.geometry import EMU_PER_INCH, EMU_PER_PT, Rect, sankey, trade_treemap
from fichex.render.text_fit import label_value_lines, line_height_emu, text_width_emu, wrap_words

# Look of the drawings (kept here rather than in theme.py: only this module uses them).
FLOW_OPACITY = 55          # % opacity of grey ribbons: crossings stay readable
FLOW_OPACITY_COMPACT = 45  # lighter in the small comparison Sankeys, where the fine ribbons form a mesh
HIGHLIGHT_OPACITY = 80     # % opacity of the five largest flows (theme.HIGHLIGHT)
TREEMAP_BORDER = "FFFFFF"  # white separation between compartments
TREEMAP_OTHERS_TINT = 0.45  # « Autres » compartment: block colour mixed with 45 % white
TREEMAP_SIZES = (11.0, 9.5, 8.0)  # compartment label sizes tried in turn, pt (below 8 pt: unreadable)
TREEMAP_PAD = int(0.05 * EMU_PER_INCH)         # inner margin of a compartment's name and value
TREEMAP_THIN_PAD = int(0.025 * EMU_PER_INCH)   # … narrower when a long word needs it
TREEMAP_NUMBER_PAD = int(0.02 * EMU_PER_INCH)  # a number needs less: it is centred
TREEMAP_BLOCK_GAP = 0.12      # in, between the imports and exports blocks
TREEMAP_KEY_GAP = 0.12        # in, between the blocks and the key under them
TREEMAP_KEY_COLUMN_GAP = 0.2  # in, between the key's columns
TREEMAP_KEY_MAX_SHARE = 0.35  # the key takes at most this share of the frame's height
TREEMAP_KEY_ARRANGEMENTS = ((3, 10.0), (4, 9.0))  # (columns, pt) of the key, tried in turn
# Sankey label columns, as fractions of the frame width: each side as wide as its widest label up to the
# first cap, both together up to the second, so the ribbons keep the rest (about 40 %).
# Tried in turn (column, both columns): wider columns only when labels would be shortened or too many lines.
SANKEY_LABEL_CAPS = ((0.37, 0.60), (0.42, 0.66))  # « Instruments de mesure, horlogerie 12 856.2 M€ » in 8.5 in
SANKEY_LABEL_CAPS_COMPACT = ((0.32, 0.56), (0.37, 0.62), (0.42, 0.68))
SANKEY_SIZE = 9.5            # pt, labels of a flows slide's Sankey
SANKEY_SIZE_COMPACT = 9.0    # pt, labels of the région and France Sankeys (readable from the back of a room)
SANKEY_LABEL_LINES = 2       # a label wraps to two lines at most, then is shortened
SANKEY_LABEL_AIR = 0.15      # share of a line kept free above and below each label
SANKEY_LEADER_PAD = 0.3      # in, between labels and nodes when leader lines are drawn
SANKEY_LEADER_GAP = 0.03     # in, between a leader line and the text or node it joins
SANKEY_LEADER_WIDTH = 0.75   # pt

def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", " "))


# ---------------------------------------------------------------------------------------------------------
# DrawingML fragments


class Run(NamedTuple):
    text: str
    colour: str
    bold: bool = False


def _fill(colour: str | None, opacity: int = 100) -> str:
    if colour is None:
        return "<a:noFill/>"
    if opacity >= 100:
        return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
    return f'<a:solidFill><a:srgbClr val="{colour}"><a:alpha val="{opacity * 1000}"/></a:srgbClr></a:solidFill>'


def _line(colour: str | None, width_emu: int = 0) -> str:
    if colour is None:
        return "<a:ln><a:noFill/></a:ln>"
    return f'<a:ln w="{width_emu}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln>'


def _paragraphs(lines: Sequence[Sequence[Run]], size_pt: float, align: str) -> str:
    sz = int(round(size_pt * 100))
    out = []
    for runs in lines:
        parts = [f'<a:p><a:pPr algn="{align}"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
                 f'<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft></a:pPr>']
        for run in runs:
            parts.append(
                f'<a:r><a:rPr lang="fr-FR" sz="{sz}" b="{1 if run.bold else 0}" dirty="0">'
                f'{_fill(run.colour)}<a:latin typeface="{theme.FONT}"/><a:cs typeface="{theme.FONT}"/></a:rPr>'
                f'<a:t>{_esc(run.text)}</a:t></a:r>')
        parts.append(f'<a:endParaRPr lang="fr-FR" sz="{sz}"/></a:p>')
        out.append("".join(parts))
    return "".join(out)


_EMPTY_PARAGRAPH = '<a:p><a:endParaRPr lang="fr-FR"/></a:p>'


class _Shapes:
    """Accumulates the XML of a group's children, numbering shape ids and tracking the bounding box."""

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self.parts: list[str] = []
        self.bounds = [None, None, None, None]  # x0, y0, x1, y1

    def _nv(self, name: str, descr: str | None, textbox: bool = False) -> str:
        shape_id = self.next_id
        self.next_id += 1
        descr_attr = f' descr="{_esc(descr)}"' if descr else ""
        return (f'<p:nvSpPr><p:cNvPr id="{shape_id}" name="{_esc(name)}"{descr_attr}/>'
                + ('<p:cNvSpPr txBox="1"/>' if textbox else "<p:cNvSpPr/>") + "<p:nvPr/></p:nvSpPr>")

    def _grow(self, x: int, y: int, w: int, h: int) -> None:
        b = self.bounds
        if b[0] is None:
            self.bounds = [x, y, x + w, y + h]
        else:
            b[0], b[1] = min(b[0], x), min(b[1], y)
            b[2], b[3] = max(b[2], x + w), max(b[3], y + h)

    @staticmethod
    def _xfrm(x: int, y: int, w: int, h: int) -> str:
        return f'<a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'

    def rect(self, name: str, x: int, y: int, w: int, h: int, fill: str, *, descr: str | None = None,
             line: str | None = None, line_w: int = 0, opacity: int = 100) -> None:
        w, h = max(w, 1), max(h, 1)
        self._grow(x, y, w, h)
        self.parts.append(
            f'<p:sp>{self._nv(name, descr)}<p:spPr>{self._xfrm(x, y, w, h)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill, opacity)}{_line(line, line_w)}'
            f'</p:spPr></p:sp>')

    def text(self, name: str, x: int, y: int, w: int, h: int, lines: Sequence[Sequence[Run]],
             size_pt: float, *, align: str = "l", anchor: str = "t", descr: str | None = None,
             fill: str | None = None, line: str | None = None, line_w: int = 0, inset: int = 0) -> None:
        """A shape with text; `fill` given → a filled rectangle holding the text (treemap compartment)."""
        w, h = max(w, 1), max(h, 1)
        self._grow(x, y, w, h)
        body = (f'<p:txBody><a:bodyPr wrap="square" lIns="{inset}" tIns="{inset}" rIns="{inset}" '
                f'bIns="{inset}" anchor="{anchor}" rtlCol="0"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
                f'{_paragraphs(lines, size_pt, align) if lines else _EMPTY_PARAGRAPH}'
                f'</p:txBody>')
        self.parts.append(
            f'<p:sp>{self._nv(name, descr, textbox=fill is None)}<p:spPr>{self._xfrm(x, y, w, h)}'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>{_fill(fill)}{_line(line, line_w)}</p:spPr>'
            f'{body}</p:sp>')

    def path(self, name: str, x: int, y: int, w: int, h: int, path: str, colour: str, width_emu: int) -> None:
        """An open line (`path`: DrawingML path commands in the shape's own coordinates), no fill."""
        self._grow(x, y, w, h)
        self.parts.append(
            f'<p:sp>{self._nv(name, None)}<p:spPr>{self._xfrm(x, y, w, h)}'
            f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
            f'<a:pathLst><a:path w="{w}" h="{h}" fill="none">{path}</a:path></a:pathLst></a:custGeom>'
            f'<a:noFill/>{_line(colour, width_emu)}</p:spPr></p:sp>')

    def ribbon(self, name: str, x0: int, x1: int, y0t: int, y0b: int, y1t: int, y1b: int, fill: str,
               opacity: int, descr: str | None = None) -> None:
        """A Sankey band: two cubic Béziers (horizontal tangents at both ends) joined by vertical edges."""
        top = min(y0t, y1t)
        w = max(x1 - x0, 1)
        h = max(max(y0b, y1b) - top, 1)
        self._grow(x0, top, w, h)
        a0, b0, a1, b1 = y0t - top, y0b - top, y1t - top, y1b - top
        cx = w // 2
        path = (f'<a:path w="{w}" h="{h}"><a:moveTo><a:pt x="0" y="{a0}"/></a:moveTo>'
                f'<a:cubicBezTo><a:pt x="{cx}" y="{a0}"/><a:pt x="{cx}" y="{a1}"/><a:pt x="{w}" y="{a1}"/>'
                f'</a:cubicBezTo><a:lnTo><a:pt x="{w}" y="{b1}"/></a:lnTo>'
                f'<a:cubicBezTo><a:pt x="{cx}" y="{b1}"/><a:pt x="{cx}" y="{b0}"/><a:pt x="0" y="{b0}"/>'
                f'</a:cubicBezTo><a:close/></a:path>')
        self.parts.append(
            f'<p:sp>{self._nv(name, descr)}<p:spPr>{self._xfrm(x0, top, w, h)}'
            f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
            f'<a:pathLst>{path}</a:pathLst></a:custGeom>{_fill(fill, opacity)}{_line(None)}</p:spPr></p:sp>')


def _max_shape_id(slide) -> int:
    """Largest numeric `id` in the slide's XML (ids have document scope, as python-pptx counts them)."""
    return max((int(v) for v in slide.shapes.element.xpath("//@id") if v.isdigit()), default=1)


def _new_group(slide, name: str, alt_text: str) -> tuple[GroupShape, _Shapes]:
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
    return group, _Shapes(group.shape_id + 1)


def _finish_group(slide, group: GroupShape, shapes: _Shapes, frame_emu: tuple[int, int, int, int]) -> GroupShape:
    grp_sp = group.element
    pptx_internals.note_shape_ids(slide.shapes, shapes.next_id - 1)
    if shapes.parts:
        wrapper = parse_xml(f'<p:grpSp {nsdecls("a", "p")}>{"".join(shapes.parts)}</p:grpSp>')
        for child in list(wrapper):
            grp_sp.append(child)
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
# Treemap
#
# A compartment shows its whole name (wrapped, never cut: two « Autres produits… » could not be told
# apart) and its value; one too small for that shows a number, and a key beside the blocks gives the number's
# name and value; one too small even for a number joins « Autres » (its area and value go there).


class _Item(NamedTuple):
    label: str
    value: float
    others: bool


class _Tile(NamedTuple):
    """How one compartment is drawn: its item, rectangle (EMU), fill, and either its text or its number."""

    flow: str
    item: _Item
    x: int
    y: int
    w: int
    h: int
    fill: str
    size: float
    pad: int               # inner margin of the text
    lines: list            # [[Run, …], …]: name and value, or the number alone
    number: int | None     # the key's number, None when the name is written in the compartment


class _KeyEntry(NamedTuple):
    flow: str
    number: int
    label: str
    value_text: str


def _items(tiles: Sequence[ActivityTile]) -> list[_Item]:
    return [_Item(t.label, t.value_eur, t.is_others) for t in tiles if t.value_eur > 0]


def _fold_into_others(items: list[_Item], folded: set[int]) -> list[_Item]:
    """The items with those at `folded` (indices) added to « Autres » (made, last, if there was none)."""
    if not folded:
        return items
    moved = sum(items[k].value for k in folded)
    kept = [item for k, item in enumerate(items) if k not in folded]
    for k, item in enumerate(kept):
        if item.others:
            kept[k] = item._replace(value=item.value + moved)
            return kept
    return kept + [_Item(texts.OTHERS_LABEL, moved, True)]


def _tile_fill(flow: str, item: _Item) -> str:
    colour = theme.FLOW_COLOUR[flow]
    return theme.mix_white(colour, TREEMAP_OTHERS_TINT) if item.others else colour


def _compartment_text(label: str, value_text: str, w: int, h: int,
                      colour: str) -> tuple[float, int, list[list[Run]]] | None:
    """Largest size at which the whole name (wrapped, up to three lines) and the value fit, with the usual
    margin, else with a thin one: (size, margin, lines), or None."""
    for pad in (TREEMAP_PAD, TREEMAP_THIN_PAD):
        inner_w, inner_h = w - 2 * pad, h - 2 * pad
        if inner_w <= 0 or inner_h <= 0:
            continue
        for size in TREEMAP_SIZES:
            max_lines = int(inner_h // line_height_emu(size))
            if max_lines < 2 or text_width_emu(value_text, size) > inner_w:
                continue
            label_lines = wrap_words(label, inner_w, size, True, min(max_lines - 1, 3), cut=False)
            if label_lines is not None:
                return size, pad, [[Run(line, colour, True)] for line in label_lines] + [[Run(value_text, colour)]]
    return None


def _number_size(number: int, w: int, h: int) -> float | None:
    """Largest size at which the number fits the compartment (with a thin margin), else None."""
    pad = TREEMAP_NUMBER_PAD
    for size in TREEMAP_SIZES:
        if (text_width_emu(str(number), size, True) <= w - 2 * pad
                and line_height_emu(size) <= h - 2 * pad):
            return size
    return None


class _Key(NamedTuple):
    """The key under the blocks: its text size, number gutter, column width and rows (EMU, from its top)."""

    size: float
    gutter: int
    column_w: int
    height: int
    rows: list  # (entry, or None for a flow heading; flow; x offset; y offset; lines of runs)


def _key_layout(entries: Sequence[_KeyEntry], width: int, columns: int, size: float) -> _Key | None:
    """The key's entries in `columns` columns across `width`, filled top to bottom then left to right
    with columns of even height; a heading names the flow before its first entry. None if an entry
    does not fit its column."""
    line_h = line_height_emu(size)
    gap = int(TREEMAP_KEY_COLUMN_GAP * EMU_PER_INCH)
    column_w = (width - (columns - 1) * gap) // columns
    gutter = max(text_width_emu(str(e.number), size, True) for e in entries) + text_width_emu("  ", size)
    blocks = []  # (flow heading or None, entry, lines): each kept whole in one column
    flow = None
    for entry in entries:
        lines = label_value_lines(entry.label, entry.value_text, column_w - gutter, size, 3)
        if (lines is None or not lines[0][0]
                or text_width_emu(texts.FLOW_LABEL[entry.flow], size, True) > column_w):
            return None
        runs = [[Run(lab, theme.TEXT, True)] + ([Run(val, theme.MUTED)] if val else []) for lab, val in lines]
        blocks.append((entry.flow if entry.flow != flow else None, entry, runs))
        flow = entry.flow
    total = sum(len(runs) + (1 if heading else 0) for heading, _, runs in blocks)
    per_column = -(-total // columns)
    rows: list = []
    column, used, height = 0, 0, 0
    for heading, entry, runs in blocks:
        need = len(runs) + (1 if heading else 0)
        if used and used + need > per_column and column < columns - 1:
            column, used = column + 1, 0
        x = column * (column_w + gap)
        if heading:
            rows.append((None, heading, x, used * line_h,
                         [[Run(texts.FLOW_LABEL[heading], theme.FLOW_COLOUR[heading], True)]]))
            used += 1
        rows.append((entry, entry.flow, x, used * line_h, runs))
        used += len(runs)
        height = max(height, used * line_h)
    return _Key(size, gutter, column_w, height, rows)


def _plan_treemap(exports: list[_Item], imports: list[_Item], left: int, top: int, width: int, height: int):
    """Blocks, compartments and key of the treemap within (left, top, width, height): of the key
    arrangements tried, the one that leaves the fewest compartments numbered or folded into « Autres »,
    the large ones counting more (then the shortest key).

    Returns (TradeTreemap, tiles, key) where key is None or a _Key for the bottom of the frame.
    """
    best = None
    total = sum(i.value for i in exports + imports) or 1.0
    for columns, size in TREEMAP_KEY_ARRANGEMENTS:
        plan = _plan_treemap_with(exports, imports, left, top, width, height, columns, size)
        tm, tiles, key = plan
        numbered = [t.item.value / total for t in tiles if t.number is not None]
        folded = len(exports) + len(imports) - len(tiles)
        score = (len(numbered) + 20 * sum(numbered) + 2 * folded, key.height if key else 0)
        if best is None or score < best[0]:
            best = (score, plan)
        if key is None:
            break  # every name fits: no key
    return best[1]


def _plan_treemap_with(exports: list[_Item], imports: list[_Item], left: int, top: int, width: int,
                       height: int, columns: int, size: float):
    """The plan of `_plan_treemap` with the key in `columns` columns at `size` pt."""
    gap = int(TREEMAP_BLOCK_GAP * EMU_PER_INCH)
    key_gap = int(TREEMAP_KEY_GAP * EMU_PER_INCH)
    folded: dict[str, set[int]] = {EXPORT: set(), IMPORT: set()}
    base = {EXPORT: exports, IMPORT: imports}
    key_h = 0
    max_key_h = int(height * TREEMAP_KEY_MAX_SHARE)
    entries: list[_KeyEntry] = []
    for _attempt in range(64):  # each pass folds a compartment or heightens the key: a few passes at most
        shown = {flow: _fold_into_others(base[flow], folded[flow]) for flow in (EXPORT, IMPORT)}
        blocks_h = height - (key_h + key_gap if key_h else 0)
        tm = trade_treemap([i.value for i in shown[EXPORT]], [i.value for i in shown[IMPORT]],
                           Rect(left, top, width, blocks_h), gap, keep_order=True)
        tiles: list[_Tile] = []
        entries = []
        too_small: dict[str, list[int]] = {EXPORT: [], IMPORT: []}
        for flow, rects in ((IMPORT, tm.imports), (EXPORT, tm.exports)):
            for k, (item, rect) in enumerate(zip(shown[flow], rects)):
                x, y = int(round(rect.x)), int(round(rect.y))
                w, h = int(round(rect.x + rect.w)) - x, int(round(rect.y + rect.h)) - y
                if w <= 0 or h <= 0:
                    continue
                fill = _tile_fill(flow, item)
                colour = theme.text_colour_on(fill)
                value_text = texts.drawing_meur(item.value)
                fitted = _compartment_text(item.label, value_text, w, h, colour)
                if fitted is not None:
                    tiles.append(_Tile(flow, item, x, y, w, h, fill, *fitted, None))
                    continue
                number = len(entries) + 1
                number_size = _number_size(number, w, h)
                if number_size is None and not item.others:
                    too_small[flow].append(k)
                    continue
                entries.append(_KeyEntry(flow, number, item.label, value_text))
                tiles.append(_Tile(flow, item, x, y, w, h, fill, number_size or TREEMAP_SIZES[-1],
                                   TREEMAP_NUMBER_PAD, [[Run(str(number), colour, True)]], number))
        if any(too_small.values()):
            # Fold the compartments too small for a number into « Autres ».
            for flow in (EXPORT, IMPORT):
                originals = [k for k in range(len(base[flow])) if k not in folded[flow]]
                folded[flow].update(originals[k] for k in too_small[flow])
            continue
        if not entries:
            return tm, tiles, None
        key = _key_layout(entries, width, columns, size)
        if key is not None and key.height <= key_h:
            return tm, tiles, key
        if key is not None and key.height <= max_key_h:
            key_h = key.height  # the blocks get lower: lay them out again (the key only ever grows)
            continue
        # The key is too long for its band: the smallest numbered compartment joins « Autres ».
        numbered = [t for t in tiles if t.number is not None and not t.item.others]
        if not numbered:
            break
        smallest = min(numbered, key=lambda t: (t.item.value, t.number))
        folded[smallest.flow].add(base[smallest.flow].index(smallest.item))
    # Only for frames far smaller than a slide's: the key on one column, whatever its height.
    return tm, tiles, _key_layout(entries, width, 1, TREEMAP_SIZES[-1]) if entries else None


def _row_texts(items: list[tuple[str, str, int]], left: int, right: int, size: float) -> list[tuple[int, int]] | None:
    """Place header texts (text, colour, preferred x) on one line without overlap; None if they cannot."""
    placed = []
    gap = int(0.15 * EMU_PER_INCH)
    cursor = left
    for text, _colour, wanted in items:
        width = text_width_emu(text, size, True)
        x = max(wanted, cursor)
        placed.append((x, width))
        cursor = x + width + gap
    if placed and placed[-1][0] + placed[-1][1] > right:
        # Push everything back from the right edge, keeping order and gaps.
        limit = right
        for k in range(len(placed) - 1, -1, -1):
            x, width = placed[k]
            x = min(x, limit - width)
            placed[k] = (x, width)
            limit = x - gap
        if placed[0][0] < left:
            return None
    return placed


def draw_trade_treemap(slide, export_tiles: Sequence[ActivityTile], import_tiles: Sequence[ActivityTile],
                       frame_emu: tuple[int, int, int, int], *, name: str, alt_text: str) -> GroupShape:
    """Draw the imports (blue, left) and exports (violet, right) treemap of activities as one group.

    Block widths are proportional to the import and export totals (one scale for every compartment).
    The compartments come from the aggregate (`Fiche.export_tiles`, `Fiche.import_tiles`: the largest
    activities and « Autres »). A header line above the blocks gives each total and the overall balance.
    Each compartment shows its whole name and value, or, when too small, a number that the key on the
    right of the blocks explains (« 3 Sidérurgie 8.7 M€ »); a compartment too small even for a number is
    counted in « Autres ». Text is white on the block colours and dark on the light « Autres » tint.

    Args:
        slide: a python-pptx slide.
        export_tiles, import_tiles: the compartments of each flow, « Autres » last.
        frame_emu: (left, top, width, height) of the whole drawing, header and key included, in EMU.
        name: the group's shape name.
        alt_text: the group's alternative text.

    Returns:
        The group shape.
    """
    fx, fy, fw, fh = (int(v) for v in frame_emu)
    group, shapes = _new_group(slide, name, alt_text)
    exports = _items(export_tiles)
    imports = _items(import_tiles)
    total_e = sum(i.value for i in exports)
    total_i = sum(i.value for i in imports)

    header_size = 12.0
    header_gap = int(0.08 * EMU_PER_INCH)
    balance = total_e - total_i
    headers = [(texts.drawing_block_total(IMPORT, total_i), theme.IMPORT),
               (texts.drawing_block_total(EXPORT, total_e), theme.EXPORT)]
    balance_text = texts.drawing_balance(balance)
    balance_colour = theme.balance_colour(balance)

    # Where the blocks go decides where the headers go: lay out once with a one-line header.
    def blocks(n_header_lines: int):
        top = fy + n_header_lines * line_height_emu(header_size) + header_gap
        return top, _plan_treemap(exports, imports, fx, top, fw, fy + fh - top)

    # The headers shrink (down to 8 pt) until the widest fits the frame, then take one, two or three lines.
    all_texts = [headers[0][0], headers[1][0], balance_text]
    while header_size > 8 and max(text_width_emu(t, header_size, True) for t in all_texts) > fw:
        header_size -= 0.5
    header_h = line_height_emu(header_size)
    top, (tm, tiles, key) = blocks(1)
    wanted = [(headers[0][0], headers[0][1], int(tm.imports_block.x)),
              (headers[1][0], headers[1][1], int(tm.exports_block.x)),
              (balance_text, balance_colour, fx + fw - text_width_emu(balance_text, header_size, True))]
    header_rows: list = []
    for grouping in ([[0, 1, 2]], [[0, 1], [2]], [[0], [1], [2]]):
        rows = []
        for indices in grouping:
            items = [wanted[k] if len(indices) > 1 else (wanted[k][0], wanted[k][1], fx) for k in indices]
            placed = _row_texts(items, fx, fx + fw, header_size)
            if placed is None:
                break
            rows.append([(item, (x, min(width, fx + fw - x))) for item, (x, width) in zip(items, placed)])
        else:
            header_rows = rows
            break
    if len(header_rows) > 1:
        top, (tm, tiles, key) = blocks(len(header_rows))
    for r, row_items in enumerate(header_rows):
        for (text, colour, _), (x, width) in row_items:
            shapes.text(texts.DRAWING_PART_NAME.format(drawing=name, part=text.split(' :')[0]), x, fy + r * header_h, width, header_h,
                        [[Run(text, colour, True)]], header_size, anchor="ctr")

    border = int(1.5 * EMU_PER_PT)
    for tile in tiles:
        flow_label = texts.FLOW_LABEL[tile.flow]
        value_text = texts.drawing_meur(tile.item.value)
        shape_name = texts.TREEMAP_COMPARTMENT_NAME.format(flow=flow_label, label=tile.item.label)
        descr = texts.TREEMAP_COMPARTMENT_ALT.format(flow=flow_label, label=tile.item.label, value=value_text)
        numbered = tile.number is not None
        shapes.text(shape_name, tile.x, tile.y, tile.w, tile.h, tile.lines, tile.size, descr=descr,
                    fill=tile.fill, line=TREEMAP_BORDER, line_w=border, inset=tile.pad,
                    align="ctr" if numbered else "l", anchor="ctr" if numbered else "t")
    if key is not None:
        line_h = line_height_emu(key.size)
        key_top = int(round(max(tm.imports_block.bottom, tm.exports_block.bottom))) + int(TREEMAP_KEY_GAP * EMU_PER_INCH)
        for entry, flow, dx, dy, lines in key.rows:
            x, y = fx + dx, key_top + dy
            if entry is None:
                shapes.text(texts.DRAWING_PART_NAME.format(drawing=name, part=texts.FLOW_LABEL[flow]), x, y,
                            key.column_w, line_h, lines, key.size, anchor="ctr")
                continue
            entry_name = texts.TREEMAP_KEY_ENTRY_NAME.format(number=entry.number, label=entry.label)
            shapes.text(entry_name, x, y, key.gutter, line_h,
                        [[Run(str(entry.number), theme.FLOW_COLOUR[flow], True)]], key.size, anchor="ctr")
            shapes.text(entry_name, x + key.gutter, y, key.column_w - key.gutter, len(lines) * line_h, lines,
                        key.size)
    return _finish_group(slide, group, shapes, frame_emu)


# ---------------------------------------------------------------------------------------------------------
# Sankey


def _declutter(centres: Sequence[float], heights: Sequence[float], low: float, high: float) -> list[float]:
    """Label centres in order, each pair at least half of both heights apart, each label within
    [low, high], moved as little as the two sweeps allow (down from the top, then back up)."""
    ys = list(centres)
    for k in range(len(ys)):
        floor = low + heights[k] / 2 if k == 0 else ys[k - 1] + (heights[k - 1] + heights[k]) / 2
        ys[k] = max(ys[k], floor)
    for k in range(len(ys) - 1, -1, -1):
        ceiling = high - heights[k] / 2 if k == len(ys) - 1 else ys[k + 1] - (heights[k + 1] + heights[k]) / 2
        ys[k] = min(ys[k], ceiling)
    return ys


def _label_positions(nodes: Sequence[Rect], totals: Sequence[float], heights: Sequence[float], low: int,
                     high: int) -> dict[int, float]:
    """Centre of each shown label: level with its node (the layout kept room for that), moved apart only
    when the room was short; when the labels cannot all fit, the largest nodes' labels that fit unmoved."""
    shown = [k for k, t in enumerate(totals) if t > 0]
    centres = [nodes[k].y + nodes[k].h / 2 for k in shown]
    if sum(heights[k] for k in shown) <= high - low:
        return dict(zip(shown, _declutter(centres, [heights[k] for k in shown], low, high)))
    placed: dict[int, float] = {}
    for k in sorted(shown, key=lambda k: (-totals[k], k)):
        h = heights[k]
        c = min(max(nodes[k].y + nodes[k].h / 2, low + h / 2), high - h / 2)
        if all(abs(c - other) >= (h + heights[j]) / 2 for j, other in placed.items()):
            placed[k] = c
    return placed


def _label_columns(left: int, right: int, budget: int) -> tuple[int, int]:
    """Widths of the two label columns within `budget` together: the narrower keeps what it needs and the
    wider gives way first, so one long side never shortens the labels of a short one."""
    if left + right <= budget:
        return left, right
    half = budget // 2
    if left <= half:
        return left, budget - left
    if right <= half:
        return budget - right, right
    return half, budget - half


def draw_sankey(slide, matrix: FlowMatrix, frame_emu: tuple[int, int, int, int], *, name: str, alt_text: str,
                compact: bool = False) -> GroupShape:
    """Draw a flow matrix as a Sankey diagram of native shapes, grouped.

    Sources are grey nodes on the left with their labels right-aligned before them, targets on the right
    with labels after them; each label reads « name value M€ » (one decimal everywhere), on two lines when
    its column is too narrow for one. Ribbons are custom-geometry shapes bounded by cubic Béziers, red
    (theme.HIGHLIGHT) for the highlighted cells, grey otherwise, both slightly transparent. The nodes are
    spaced so that each label sits level with its node; a label that must move off its node (a frame too
    small for them all) is tied to it by a leader line. Each label column is as wide as its widest label,
    within a share of the frame (SANKEY_LABEL_CAPS: the first that keeps every label whole and lets the
    labels fit the height); a label longer than two lines of its column is shortened with « … ».

    Args:
        slide: a python-pptx slide.
        matrix: the flows (`ScopeSummary.export_flows` or `import_flows`).
        frame_emu: (left, top, width, height) of the whole drawing, labels included, in EMU.
        name: the group's shape name.
        alt_text: the group's alternative text.
        compact: smaller nodes and label columns, for the région and France comparison Sankeys.

    Returns:
        The group shape.
    """
    group, shapes = _new_group(slide, name, alt_text)
    key = (matrix, tuple(int(v) for v in frame_emu), compact)
    recorded = _SANKEY_CACHE.get(key)
    if recorded is None:
        first_id = shapes.next_id
        _sankey_shapes(shapes, matrix, frame_emu, compact)
        if len(_SANKEY_CACHE) >= _SANKEY_CACHE_SIZE:
            _SANKEY_CACHE.pop(next(iter(_SANKEY_CACHE)))
        _SANKEY_CACHE[key] = (first_id, shapes.next_id - first_id, list(shapes.parts), list(shapes.bounds))
    else:
        _replay(shapes, *recorded)
    return _finish_group(slide, group, shapes, frame_emu)


# The région's and France's flow diagrams are the same in every deck of a batch: drawn once per process,
# then replayed with the slide's shape ids.
_SANKEY_CACHE: dict[tuple, tuple[int, int, list[str], list]] = {}
_SANKEY_CACHE_SIZE = 64
_SHAPE_ID = re.compile(r'(<p:cNvPr id=")(\d+)(")')


def _replay(shapes: _Shapes, first_id: int, count: int, parts: list[str], bounds: list) -> None:
    """Append recorded parts (numbered from `first_id`, `count` ids) to `shapes`, renumbered after its own."""
    delta = shapes.next_id - first_id
    shift = (lambda m: f"{m[1]}{int(m[2]) + delta}{m[3]}")
    shapes.parts.extend(_SHAPE_ID.sub(shift, part) if delta else part for part in parts)
    shapes.next_id += count
    shapes.bounds = list(bounds)


def _sankey_shapes(shapes: _Shapes, matrix: FlowMatrix, frame_emu: tuple[int, int, int, int],
                   compact: bool) -> None:
    """The ribbons, nodes, labels and leader lines of a Sankey diagram (see draw_sankey)."""
    fx, fy, fw, fh = (int(v) for v in frame_emu)
    size = SANKEY_SIZE_COMPACT if compact else SANKEY_SIZE
    line_h = line_height_emu(size)
    node_w = int((0.07 if compact else 0.11) * EMU_PER_INCH)
    node_gap = int((0.04 if compact else 0.07) * EMU_PER_INCH)
    label_pad = int((0.05 if compact else 0.08) * EMU_PER_INCH)
    leader_pad = int(SANKEY_LEADER_PAD * EMU_PER_INCH)
    src_tot = matrix.source_totals
    tgt_tot = matrix.target_totals
    left_texts = [(node.label, texts.drawing_meur(t)) for node, t in zip(matrix.sources, src_tot)]
    right_texts = [(node.label, texts.drawing_meur(t)) for node, t in zip(matrix.targets, tgt_tot)]

    def column_width(items, totals, max_col) -> int:
        widths = [text_width_emu(lab, size, True) + text_width_emu(" " + val, size)
                  for (lab, val), t in zip(items, totals) if t > 0]
        return min(max(widths, default=0), max_col)

    def label_lines(items, totals, col_w) -> tuple[list[list[tuple[str, str]]], int]:
        """Each node's label lines (none for an empty node) and how many labels had to be shortened."""
        out, cut = [], 0
        for (lab, val), t in zip(items, totals):
            lines = (label_value_lines(lab, val, col_w, size, SANKEY_LABEL_LINES, min_chars=2) or []) if t > 0 else []
            cut += bool(t > 0 and " ".join(part for part, _ in lines if part) != " ".join(lab.split()))
            out.append(lines)
        return out, cut

    def heights(all_lines) -> list[float]:
        # Each label keeps a little air above and below it (SANKEY_LABEL_AIR of a line).
        return [len(ls) * line_h * (1 + SANKEY_LABEL_AIR) if ls else 0.0 for ls in all_lines]

    # Label columns as narrow as the first caps allow; wider (the ribbons narrower) when labels would be
    # shortened or their lines would not fit the frame's height beside their nodes.
    best = None
    for rank, (column, columns) in enumerate(SANKEY_LABEL_CAPS_COMPACT if compact else SANKEY_LABEL_CAPS):
        widths = _label_columns(column_width(left_texts, src_tot, int(fw * column)),
                                column_width(right_texts, tgt_tot, int(fw * column)), int(fw * columns))
        (lines_l, cut_l), (lines_r, cut_r) = (label_lines(left_texts, src_tot, widths[0]),
                                              label_lines(right_texts, tgt_tot, widths[1]))
        heights_l, heights_r = heights(lines_l), heights(lines_r)
        crowded = sum(heights_l) > fh or sum(heights_r) > fh
        score = (crowded, cut_l + cut_r, rank)
        if best is None or score < best[0]:
            best = (score, widths, lines_l, lines_r, heights_l, heights_r)
        if not crowded and not cut_l + cut_r:
            break
    _, (left_w, right_w), lines_left, lines_right, heights_left, heights_right = best

    def layout(pad_left: int, pad_right: int):
        inner = Rect(fx + left_w + pad_left, fy, fw - left_w - right_w - pad_left - pad_right, fh)
        # A node is at least a hairline tall, so the smallest partner stays visible next to its label.
        return sankey(matrix, inner, node_w, node_gap, min_node_height=max(1.5 * EMU_PER_PT, 1.0),
                      label_heights=(heights_left, heights_right))

    def placed(nodes, totals, heights) -> tuple[dict[int, float], bool]:
        positions = _label_positions(nodes, totals, heights, fy, fy + fh)
        off = any(not nodes[k].y - 1 <= c <= nodes[k].y + nodes[k].h + 1 for k, c in positions.items())
        return positions, off

    lay = layout(label_pad, label_pad)
    pos_left, leaders_left = placed(lay.nodes_left, src_tot, heights_left)
    pos_right, leaders_right = placed(lay.nodes_right, tgt_tot, heights_right)
    if leaders_left or leaders_right:
        # Room for leader lines between the labels and the nodes they left (the nodes move sideways only).
        lay = layout(leader_pad if leaders_left else label_pad, leader_pad if leaders_right else label_pad)

    total = matrix.total
    for rib in sorted(lay.ribbons, key=lambda r: (r.highlighted, -r.value)):
        src, tgt = matrix.sources[rib.source].label, matrix.targets[rib.target].label
        colour, opacity = ((theme.HIGHLIGHT, HIGHLIGHT_OPACITY) if rib.highlighted
                           else (theme.FLOW_GREY, FLOW_OPACITY_COMPACT if compact else FLOW_OPACITY))
        shapes.ribbon(texts.SANKEY_RIBBON_NAME.format(source=src, target=tgt), int(round(rib.x0)), int(round(rib.x1)),
                      int(round(rib.y0_top)), int(round(rib.y0_bottom)), int(round(rib.y1_top)),
                      int(round(rib.y1_bottom)), colour, opacity,
                      descr=texts.sankey_ribbon_alt(src, tgt, rib.value, total))

    for on_left, nodes, flow_nodes, totals, all_lines, positions, col_w in (
            (True, lay.nodes_left, matrix.sources, src_tot, lines_left, pos_left, left_w),
            (False, lay.nodes_right, matrix.targets, tgt_tot, lines_right, pos_right, right_w)):
        for node, flow_node, t in zip(nodes, flow_nodes, totals):
            if t > 0:
                shapes.rect(texts.SANKEY_NODE_NAME.format(label=flow_node.label), int(round(node.x)), int(round(node.y)),
                            int(round(node.w)), int(round(node.h)), theme.NODE_GREY,
                            descr=texts.SANKEY_NODE_ALT.format(label=flow_node.label, value=texts.drawing_meur(t)))
        for k, centre in sorted(positions.items()):
            lines = all_lines[k]
            if not lines:
                continue
            runs = [[Run(lab, theme.TEXT, True)] * bool(lab) + [Run(val, theme.MUTED)] * bool(val)
                    for lab, val in lines]
            box_h = len(lines) * line_h
            node = nodes[k]
            node_centre = node.y + node.h / 2
            if on_left:
                x, align = fx, "r"
                label_end, node_edge = fx + col_w, node.x
            else:
                x, align = fx + fw - col_w, "l"  # the column after the nodes and their pad
                label_end, node_edge = x, node.x + node.w
            if not node.y - 1 <= centre <= node.y + node.h + 1:
                _leader(shapes, texts.SANKEY_LEADER_NAME.format(label=flow_nodes[k].label), label_end, centre,
                        node_edge, node_centre)
            shapes.text(texts.SANKEY_LABEL_NAME.format(label=flow_nodes[k].label), x,
                        int(round(centre - box_h / 2)), col_w, box_h, runs, size, align=align, anchor="ctr")


def _leader(shapes: _Shapes, name: str, x_label: float, y_label: float, x_node: float, y_node: float) -> None:
    """A thin grey line from a label's end to its node's edge: short level stubs at both ends, a slope
    between."""
    x0, x1 = int(round(x_label)), int(round(x_node))
    y0, y1 = int(round(y_label)), int(round(y_node))
    gap = int(SANKEY_LEADER_GAP * EMU_PER_INCH) * (1 if x1 >= x0 else -1)
    x0 += gap  # not touching the text nor the node
    x1 -= gap
    left, top = min(x0, x1), min(y0, y1)
    w, h = max(abs(x1 - x0), 1), max(abs(y1 - y0), 1)
    stub = w // 4
    points = [(x0, y0), (x0 + stub * (1 if x1 >= x0 else -1), y0),
              (x1 - stub * (1 if x1 >= x0 else -1), y1), (x1, y1)]
    path = "".join(f'<a:{"moveTo" if k == 0 else "lnTo"}><a:pt x="{px - left}" y="{py - top}"/>'
                   f'</a:{"moveTo" if k == 0 else "lnTo"}>' for k, (px, py) in enumerate(points))
    shapes.path(name, left, top, w, h, path, theme.NODE_GREY, int(SANKEY_LEADER_WIDTH * EMU_PER_PT))
