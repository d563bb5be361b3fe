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
from fichex.render.text_fit import line_height_emu, shorten, text_width_emu, wrap_words

# Look of the drawings (kept here rather than in theme.py: only this module uses them).
FLOW_OPACITY = 55          # % opacity of grey ribbons: crossings stay readable
FLOW_OPACITY_COMPACT = 45  # lighter in the small comparison Sankeys, where the fine ribbons form a mesh
HIGHLIGHT_OPACITY = 80     # % opacity of the five largest flows (theme.HIGHLIGHT)
TREEMAP_BORDER = "FFFFFF"  # white separation between compartments
TREEMAP_OTHERS_TINT = 0.45  # « Autres » compartment: block colour mixed with 45 % white
TREEMAP_SIZES = (11.0, 9.5, 8.0)  # compartment label sizes tried in turn, pt (below 8 pt: unreadable)
TREEMAP_MIN_CHARS = 6  # a shortened label keeps at least this many characters, else the value stands alone
# Sankey label columns, as fractions of the frame width: each side as wide as its widest label up to the
# first cap, both together up to the second, so the ribbons keep the rest (about 40 %).
SANKEY_LABEL_COLUMN = 0.37           # « Instruments de mesure, horlogerie 12 856.2 M€ » whole in 8.5 in
SANKEY_LABEL_COLUMNS = 0.60
SANKEY_LABEL_COLUMN_COMPACT = 0.32   # « Produits pharmaceutiques 66 020.5 » whole in a half-slide Sankey
SANKEY_LABEL_COLUMNS_COMPACT = 0.56

def _mix_white(colour: str, amount: float) -> str:
    r, g, b = theme.hex_to_rgb(colour)
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in (r, g, b))


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


class _Item(NamedTuple):
    label: str
    value: float
    others: bool


def _items(tiles: Sequence[ActivityTile]) -> list[_Item]:
    return [_Item(t.label, t.value_eur, t.is_others) for t in tiles if t.value_eur > 0]


def _compartment_text(label: str, value_text: str, w: int, h: int, pad: int) -> tuple[float, list[list[Run]]] | None:
    """Largest font size at which the label (wrapped, shortened) and value fit; value alone as fallback."""
    inner_w, inner_h = w - 2 * pad, h - 2 * pad
    if inner_w <= 0 or inner_h <= 0:
        return None
    white = "FFFFFF"
    for size in TREEMAP_SIZES:
        line_h = line_height_emu(size)
        max_lines = int(inner_h // line_h)
        if max_lines < 1 or text_width_emu(value_text, size) > inner_w:
            continue
        if max_lines >= 2:
            label_lines = wrap_words(label, inner_w, size, True, min(max_lines - 1, 3),
                                      min_chars=min(TREEMAP_MIN_CHARS, len(label)))
            if label_lines is not None:
                return size, [[Run(line, white, True)] for line in label_lines] + [[Run(value_text, white)]]
    # Not even a shortened label fits: the value alone, at the smallest size that fits.
    for size in TREEMAP_SIZES:
        if line_height_emu(size) <= inner_h and text_width_emu(value_text, size) <= inner_w:
            return size, [[Run(value_text, white)]]
    return None


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

    Args:
        slide: a python-pptx slide.
        export_tiles, import_tiles: the compartments of each flow, « Autres » last.
        frame_emu: (left, top, width, height) of the whole drawing, header included, in EMU.
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
    block_gap = int(0.12 * EMU_PER_INCH)
    balance = total_e - total_i
    headers = [(texts.block_total_label(IMPORT, total_i), theme.IMPORT),
               (texts.block_total_label(EXPORT, total_e), theme.EXPORT)]
    balance_text = texts.balance_label(balance)
    balance_colour = theme.balance_colour(balance)

    # Where the blocks go decides where the headers go: lay out once with a one-line header.
    def blocks(n_header_lines: int):
        header_h = line_height_emu(header_size)
        top = fy + n_header_lines * header_h + header_gap
        # Items come largest first with « Autres » last: keep that order so « Autres » sits bottom-right.
        return top, trade_treemap([i.value for i in exports], [i.value for i in imports],
                                  Rect(fx, top, fw, fy + fh - top), block_gap, keep_order=True)

    # The headers shrink (down to 8 pt) until the widest fits the frame, then take one, two or three lines.
    all_texts = [headers[0][0], headers[1][0], balance_text]
    while header_size > 8 and max(text_width_emu(t, header_size, True) for t in all_texts) > fw:
        header_size -= 0.5
    header_h = line_height_emu(header_size)
    top, tm = blocks(1)
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
        top, tm = blocks(len(header_rows))
    for r, row_items in enumerate(header_rows):
        for (text, colour, _), (x, width) in row_items:
            shapes.text(texts.DRAWING_PART_NAME.format(drawing=name, part=text.split(' :')[0]), x, fy + r * header_h, width, header_h,
                        [[Run(text, colour, True)]], header_size, anchor="ctr")

    pad = int(0.05 * EMU_PER_INCH)
    border = int(1.5 * EMU_PER_PT)
    for flow, items, rects in ((IMPORT, imports, tm.imports), (EXPORT, exports, tm.exports)):
        colour = theme.FLOW_COLOUR[flow]
        for item, rect in zip(items, rects):
            x, y = int(round(rect.x)), int(round(rect.y))
            w, h = int(round(rect.x + rect.w)) - x, int(round(rect.y + rect.h)) - y
            if w <= 0 or h <= 0:
                continue
            value_text = texts.meur_label(item.value)
            fill = _mix_white(colour, TREEMAP_OTHERS_TINT) if item.others else colour
            fitted = _compartment_text(item.label, value_text, w, h, pad)
            shape_name = texts.TREEMAP_COMPARTMENT_NAME.format(flow=texts.FLOW_LABEL[flow], label=item.label)
            descr = texts.TREEMAP_COMPARTMENT_ALT.format(flow=texts.FLOW_LABEL[flow], label=item.label,
                                                         value=value_text)
            if fitted is None:
                shapes.rect(shape_name, x, y, w, h, fill, descr=descr, line=TREEMAP_BORDER, line_w=border)
            else:
                size, lines = fitted
                shapes.text(shape_name, x, y, w, h, lines, size, descr=descr, fill=fill,
                            line=TREEMAP_BORDER, line_w=border, inset=pad)
    return _finish_group(slide, group, shapes, frame_emu)


# ---------------------------------------------------------------------------------------------------------
# Sankey


def _declutter(centres: Sequence[float], height: float, low: float, high: float) -> list[float]:
    """Label centres at least `height` apart, in order, within [low + h/2, high - h/2], moved as little
    as the two sweeps allow (down from the top, then back up from the bottom)."""
    ys = list(centres)
    lo, hi = low + height / 2, high - height / 2
    for k in range(len(ys)):
        ys[k] = max(ys[k], lo if k == 0 else ys[k - 1] + height)
    for k in range(len(ys) - 1, -1, -1):
        ys[k] = min(ys[k], hi if k == len(ys) - 1 else ys[k + 1] - height)
    return ys


def _label_positions(nodes: Sequence[Rect], totals: Sequence[float], line_h: int, low: int,
                     high: int) -> dict[int, float]:
    """Centre of each shown label: all non-zero nodes when they fit, else the largest that fit unmoved."""
    shown = [k for k, t in enumerate(totals) if t > 0]
    centres = [nodes[k].y + nodes[k].h / 2 for k in shown]
    if len(shown) * line_h <= high - low:
        return dict(zip(shown, _declutter(centres, line_h, low, high)))
    # Too many nodes to label them all: label the largest first, skip any that would overlap.
    placed: dict[int, float] = {}
    for k in sorted(shown, key=lambda k: (-totals[k], k)):
        c = min(max(nodes[k].y + nodes[k].h / 2, low + line_h / 2), high - line_h / 2)
        if all(abs(c - other) >= line_h for other in placed.values()):
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
    with labels after them; each label reads « name  value M€ ». Ribbons are custom-geometry shapes
    bounded by cubic Béziers, red (theme.HIGHLIGHT) for the highlighted cells, grey otherwise, both
    slightly transparent. Labels keep at least one line apart: they shift off their node's centre when
    nodes are thin. Each label column is as wide as its widest label, within SANKEY_LABEL_COLUMN of the
    frame (both columns within SANKEY_LABEL_COLUMNS); a label longer than its column is shortened with « … ».

    Args:
        slide: a python-pptx slide.
        matrix: the flows (`ScopeSummary.export_flows` or `import_flows`).
        frame_emu: (left, top, width, height) of the whole drawing, labels included, in EMU.
        name: the group's shape name.
        alt_text: the group's alternative text.
        compact: smaller fonts, nodes and label columns, for the région and France comparison Sankeys.

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
    """The ribbons, nodes and labels of a Sankey diagram (see draw_sankey)."""
    fx, fy, fw, fh = (int(v) for v in frame_emu)
    size = 7.0 if compact else 9.5
    line_h = line_height_emu(size)
    node_w = int((0.07 if compact else 0.11) * EMU_PER_INCH)
    node_gap = int((0.04 if compact else 0.07) * EMU_PER_INCH)
    label_pad = int((0.05 if compact else 0.08) * EMU_PER_INCH)
    max_col = int(fw * (SANKEY_LABEL_COLUMN_COMPACT if compact else SANKEY_LABEL_COLUMN))
    max_both = int(fw * (SANKEY_LABEL_COLUMNS_COMPACT if compact else SANKEY_LABEL_COLUMNS))

    src_tot = matrix.source_totals
    tgt_tot = matrix.target_totals

    def label_texts(nodes, totals) -> list[tuple[str, str]]:
        return [(node.label, texts.meur_label(t) if not compact else texts.format_meur(t))
                for node, t in zip(nodes, totals)]

    left_texts = label_texts(matrix.sources, src_tot)
    right_texts = label_texts(matrix.targets, tgt_tot)
    space = text_width_emu(" ", size)

    def column_width(items, totals) -> int:
        widths = [text_width_emu(lab, size, True) + space + text_width_emu(val, size)
                  for (lab, val), t in zip(items, totals) if t > 0]
        return min(max(widths, default=0), max_col)

    left_w, right_w = _label_columns(column_width(left_texts, src_tot), column_width(right_texts, tgt_tot),
                                     max_both)
    inner = Rect(fx + left_w + label_pad, fy, fw - left_w - right_w - 2 * label_pad, fh)
    # A node is at least a hairline tall, so the smallest partner stays visible next to its label.
    lay = sankey(matrix, inner, node_w, node_gap, min_node_height=max(1.5 * EMU_PER_PT, 1.0))

    total = matrix.total
    for rib in sorted(lay.ribbons, key=lambda r: (r.highlighted, -r.value)):
        src, tgt = matrix.sources[rib.source].label, matrix.targets[rib.target].label
        colour, opacity = ((theme.HIGHLIGHT, HIGHLIGHT_OPACITY) if rib.highlighted
                           else (theme.FLOW_GREY, FLOW_OPACITY_COMPACT if compact else FLOW_OPACITY))
        shapes.ribbon(texts.SANKEY_RIBBON_NAME.format(source=src, target=tgt), int(round(rib.x0)), int(round(rib.x1)),
                      int(round(rib.y0_top)), int(round(rib.y0_bottom)), int(round(rib.y1_top)),
                      int(round(rib.y1_bottom)), colour, opacity,
                      descr=texts.sankey_ribbon_alt(src, tgt, rib.value, total))

    for on_left, nodes, flow_nodes, totals, items, col_w in (
            (True, lay.nodes_left, matrix.sources, src_tot, left_texts, left_w),
            (False, lay.nodes_right, matrix.targets, tgt_tot, right_texts, right_w)):
        for node, flow_node, t in zip(nodes, flow_nodes, totals):
            if t > 0:
                shapes.rect(texts.SANKEY_NODE_NAME.format(label=flow_node.label), int(round(node.x)), int(round(node.y)),
                            int(round(node.w)), int(round(node.h)), theme.NODE_GREY,
                            descr=texts.SANKEY_NODE_ALT.format(label=flow_node.label, value=texts.meur_label(t)))
        positions = _label_positions(nodes, totals, line_h, fy, fy + fh)
        for k, centre in sorted(positions.items()):
            label, value = items[k]
            value_w = text_width_emu(value, size)
            short = shorten(label, col_w - value_w - space, size, True, min_chars=2)
            runs = ([Run(short, theme.TEXT, True), Run(" " + value, theme.MUTED)] if short is not None
                    else [Run(value, theme.MUTED)])
            if on_left:
                x, align = fx, "r"
            else:
                x, align = int(round(nodes[k].x + nodes[k].w)) + label_pad, "l"
            shapes.text(texts.SANKEY_LABEL_NAME.format(label=flow_nodes[k].label), x, int(round(centre - line_h / 2)), col_w, line_h,
                        [runs], size, align=align, anchor="ctr")
