"""The Sankey flow diagrams as native, editable DrawingML: grey nodes, ribbons, labels and leader lines.

The nodes and ribbons come from `fichex.render.geometry.sankey`, the label placement from
`geometry.label_positions`; this module sizes the label columns, writes the group through
`fichex.render.drawingml`, and keeps a process-wide cache of the drawings it has written: the région's and
France's diagrams are the same in every deck of a batch, so they are drawn once per process and replayed.
Text is laid out here, with Arial advance widths, so that labels are shortened or hidden by one rule and
never overflow their column or overlap each other.
"""

from __future__ import annotations

import re

from typing import NamedTuple, Sequence

from pptx.shapes.group import GroupShape

from fichex.wording import deck as deck_text, numbers as numbers_text
from fichex.aggregation.model import FlowMatrix
from fichex.render import theme
from fichex.render.drawingml import Run, Shapes, finish_group, new_group
from fichex.render.geometry import (EMU_PER_INCH, EMU_PER_PT, Rect, SankeyLayout, label_columns, label_positions,
                                    sankey)
from fichex.render.text_fit import label_value_lines, line_height_emu, text_width_emu, words_of

# Look of the Sankeys (kept here rather than in theme.py: only this module uses them).
FLOW_OPACITY = 55          # % opacity of grey ribbons: crossings stay readable
FLOW_OPACITY_COMPACT = 45  # lighter in the small comparison Sankeys, where the fine ribbons form a mesh
HIGHLIGHT_OPACITY = 80     # % opacity of the five largest flows (theme.HIGHLIGHT)
RANK_BADGE = 0.19          # in: the square badge holding a highlighted flow's rank
RANK_BADGE_GAP = 0.04      # in: between the badge and the node the flow arrives at
RANK_BADGE_PT = 9
RANK_BADGE_LINE_PT = 1.0
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
    group, shapes = new_group(slide, name, alt_text)
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
    return finish_group(slide, group, shapes, frame_emu)


# The région's and France's flow diagrams are the same in every deck of a batch: drawn once per process,
# then replayed with the slide's shape ids.
_SANKEY_CACHE: dict[tuple, tuple[int, int, list[str], list]] = {}
_SANKEY_CACHE_SIZE = 64
_SHAPE_ID = re.compile(r'(<p:cNvPr id=")(\d+)(")')


def _replay(shapes: Shapes, first_id: int, count: int, parts: list[str], bounds: list) -> None:
    """Append recorded parts (numbered from `first_id`, `count` ids) to `shapes`, renumbered after its own."""
    delta = shapes.next_id - first_id
    shift = (lambda m: f"{m[1]}{int(m[2]) + delta}{m[3]}")
    shapes.parts.extend(_SHAPE_ID.sub(shift, part) if delta else part for part in parts)
    shapes.next_id += count
    shapes.bounds = list(bounds)


class _Look(NamedTuple):
    """The sizes of a Sankey, full-size or compact: label text (pt) and line height, nodes, pads (EMU)."""

    size: float
    line_h: int
    node_w: int
    node_gap: int
    label_pad: int
    label_caps: tuple
    grey_opacity: int


def _look(compact: bool) -> _Look:
    """The sizes of a full-size (flows slide) or compact (comparison slide) Sankey."""
    size = SANKEY_SIZE_COMPACT if compact else SANKEY_SIZE
    return _Look(size, line_height_emu(size), int((0.07 if compact else 0.11) * EMU_PER_INCH),
                 int((0.04 if compact else 0.07) * EMU_PER_INCH), int((0.05 if compact else 0.08) * EMU_PER_INCH),
                 SANKEY_LABEL_CAPS_COMPACT if compact else SANKEY_LABEL_CAPS,
                 FLOW_OPACITY_COMPACT if compact else FLOW_OPACITY)


class _Labels(NamedTuple):
    """One side's labels: the column width, each node's lines of (label, value) and height with its air."""

    width: int
    lines: list
    heights: list


def _sankey_shapes(shapes: Shapes, matrix: FlowMatrix, frame_emu: tuple[int, int, int, int],
                   compact: bool) -> None:
    """The ribbons, nodes, labels and leader lines of a Sankey diagram (see draw_sankey)."""
    fx, fy, fw, fh = (int(v) for v in frame_emu)
    look = _look(compact)
    src_tot = matrix.source_totals
    tgt_tot = matrix.target_totals
    left_texts = [(node.label, numbers_text.meur(t)) for node, t in zip(matrix.sources, src_tot)]
    right_texts = [(node.label, numbers_text.meur(t)) for node, t in zip(matrix.targets, tgt_tot)]
    left, right = _fit_labels(left_texts, src_tot, right_texts, tgt_tot, fw, fh, look)

    def layout(pad_left: int, pad_right: int) -> SankeyLayout:
        inner = Rect(fx + left.width + pad_left, fy, fw - left.width - right.width - pad_left - pad_right, fh)
        # A node is at least a hairline tall, so the smallest partner stays visible next to its label.
        return sankey(matrix, inner, look.node_w, look.node_gap, min_node_height=max(1.5 * EMU_PER_PT, 1.0),
                      label_heights=(left.heights, right.heights))

    lay = layout(look.label_pad, look.label_pad)
    pos_left, leaders_left = _placed(lay.nodes_left, src_tot, left.heights, fy, fy + fh)
    pos_right, leaders_right = _placed(lay.nodes_right, tgt_tot, right.heights, fy, fy + fh)
    if leaders_left or leaders_right:
        # Room for leader lines between the labels and the nodes they left (the nodes move sideways only).
        leader_pad = int(SANKEY_LEADER_PAD * EMU_PER_INCH)
        lay = layout(leader_pad if leaders_left else look.label_pad, leader_pad if leaders_right else look.label_pad)
    _draw_ribbons(shapes, matrix, lay, look)
    _draw_ranks(shapes, matrix, lay)
    _draw_side(shapes, True, lay.nodes_left, matrix.sources, src_tot, left, pos_left, fx, fw, look)
    _draw_side(shapes, False, lay.nodes_right, matrix.targets, tgt_tot, right, pos_right, fx, fw, look)


def _column_width(items: Sequence[tuple[str, str]], totals: Sequence[float], max_col: int, size: float) -> int:
    """The width of a side's widest label (bold name, space, value) on one line, at most `max_col`."""
    widths = [text_width_emu(lab, size, True) + text_width_emu(" " + val, size)
              for (lab, val), t in zip(items, totals) if t > 0]
    return min(max(widths, default=0), max_col)


def _label_lines(items: Sequence[tuple[str, str]], totals: Sequence[float], col_w: int,
                 size: float) -> tuple[list[list[tuple[str, str]]], int]:
    """Each node's label lines (none for an empty node) and how many labels had to be shortened."""
    out, cut = [], 0
    for (lab, val), t in zip(items, totals):
        lines = (label_value_lines(lab, val, col_w, size, SANKEY_LABEL_LINES, min_chars=2) or []) if t > 0 else []
        cut += bool(t > 0 and " ".join(part for part, _ in lines if part) != " ".join(words_of(lab)))
        out.append(lines)
    return out, cut


def _label_heights(all_lines: Sequence[list], line_h: int) -> list[float]:
    """Each label's height: its lines, with a little air above and below it (SANKEY_LABEL_AIR of a line)."""
    return [len(ls) * line_h * (1 + SANKEY_LABEL_AIR) if ls else 0.0 for ls in all_lines]


def _fit_labels(left_texts: Sequence[tuple[str, str]], src_tot: Sequence[float],
                right_texts: Sequence[tuple[str, str]], tgt_tot: Sequence[float], fw: int, fh: int,
                look: _Look) -> tuple[_Labels, _Labels]:
    """The two label columns: as narrow as the first caps allow; wider (the ribbons narrower) when labels
    would be shortened or their lines would not fit the frame's height beside their nodes."""
    best = None
    for rank, (column, columns) in enumerate(look.label_caps):
        widths = label_columns(_column_width(left_texts, src_tot, int(fw * column), look.size),
                               _column_width(right_texts, tgt_tot, int(fw * column), look.size), int(fw * columns))
        (lines_l, cut_l), (lines_r, cut_r) = (_label_lines(left_texts, src_tot, widths[0], look.size),
                                              _label_lines(right_texts, tgt_tot, widths[1], look.size))
        heights_l, heights_r = _label_heights(lines_l, look.line_h), _label_heights(lines_r, look.line_h)
        crowded = sum(heights_l) > fh or sum(heights_r) > fh
        score = (crowded, cut_l + cut_r, rank)
        if best is None or score < best[0]:
            best = (score, _Labels(widths[0], lines_l, heights_l), _Labels(widths[1], lines_r, heights_r))
        if not crowded and not cut_l + cut_r:
            break
    return best[1], best[2]


def _placed(nodes: Sequence[Rect], totals: Sequence[float], heights: Sequence[float], low: int,
            high: int) -> tuple[dict[int, float], bool]:
    """The labels' centres (see `geometry.label_positions`) and whether any left its node's height."""
    positions = label_positions(nodes, totals, heights, low, high)
    off = any(not nodes[k].y - 1 <= c <= nodes[k].y + nodes[k].h + 1 for k, c in positions.items())
    return positions, off


def _draw_ribbons(shapes: Shapes, matrix: FlowMatrix, lay: SankeyLayout, look: _Look) -> None:
    """The ribbons, the grey ones first and the largest of each colour first (under the smaller ones)."""
    total = matrix.total
    for rib in sorted(lay.ribbons, key=lambda r: (r.highlighted, -r.value)):
        src, tgt = matrix.sources[rib.source].label, matrix.targets[rib.target].label
        colour, opacity = ((theme.HIGHLIGHT, HIGHLIGHT_OPACITY) if rib.highlighted
                           else (theme.FLOW_GREY, look.grey_opacity))
        shapes.ribbon(deck_text.SANKEY_RIBBON_NAME.format(source=src, target=tgt), int(round(rib.x0)), int(round(rib.x1)),
                      int(round(rib.y0_top)), int(round(rib.y0_bottom)), int(round(rib.y1_top)),
                      int(round(rib.y1_bottom)), colour, opacity,
                      descr=deck_text.sankey_ribbon_alt(src, tgt, rib.value, total))


def _draw_ranks(shapes: Shapes, matrix: FlowMatrix, lay: SankeyLayout) -> None:
    """The rank of each highlighted flow (1 for the largest) in a white badge at the ribbon's arriving end: the
    five main flows are told by a sign, not by their red alone. Badges of flows arriving side by side are
    spread downwards so that none hides another."""
    side, gap = int(RANK_BADGE * EMU_PER_INCH), int(RANK_BADGE_GAP * EMU_PER_INCH)
    ranked = sorted((r for r in lay.ribbons if r.highlighted), key=lambda r: (-r.value, r.source, r.target))
    placed = sorted(((r.y1_top + r.y1_bottom) / 2 - side / 2, rank, r) for rank, r in enumerate(ranked, 1))
    bottom = float("-inf")
    for top, rank, rib in placed:
        top = max(top, bottom + gap / 2)
        bottom = top + side
        shapes.text(deck_text.SANKEY_RANK_NAME.format(rank=rank, source=matrix.sources[rib.source].label,
                                                      target=matrix.targets[rib.target].label),
                    int(round(rib.x1)) - side - gap, int(round(top)), side, side,
                    [[Run(str(rank), theme.TEXT, True)]], RANK_BADGE_PT, align="ctr", anchor="ctr",
                    fill=theme.WHITE, line=theme.HIGHLIGHT, line_w=int(RANK_BADGE_LINE_PT * EMU_PER_PT))


def _draw_side(shapes: Shapes, on_left: bool, nodes: Sequence[Rect], flow_nodes: Sequence, totals: Sequence[float],
               labels: _Labels, positions: dict[int, float], fx: int, fw: int, look: _Look) -> None:
    """One side's nodes, then its labels (right-aligned before the left nodes, after the right ones), each
    tied to its node by a leader line when it had to move off the node's height."""
    for node, flow_node, t in zip(nodes, flow_nodes, totals):
        if t > 0:
            shapes.rect(deck_text.SANKEY_NODE_NAME.format(label=flow_node.label), int(round(node.x)), int(round(node.y)),
                        int(round(node.w)), int(round(node.h)), theme.NODE_GREY,
                        descr=deck_text.SANKEY_NODE_ALT.format(label=flow_node.label, value=numbers_text.meur(t)))
    col_w = labels.width
    for k, centre in sorted(positions.items()):
        lines = labels.lines[k]
        if not lines:
            continue
        runs = [[Run(lab, theme.TEXT, True)] * bool(lab) + [Run(val, theme.MUTED)] * bool(val)
                for lab, val in lines]
        box_h = len(lines) * look.line_h
        node = nodes[k]
        node_centre = node.y + node.h / 2
        if on_left:
            x, align = fx, "r"
            label_end, node_edge = fx + col_w, node.x
        else:
            x, align = fx + fw - col_w, "l"  # the column after the nodes and their pad
            label_end, node_edge = x, node.x + node.w
        if not node.y - 1 <= centre <= node.y + node.h + 1:
            _leader(shapes, deck_text.SANKEY_LEADER_NAME.format(label=flow_nodes[k].label), label_end, centre,
                    node_edge, node_centre)
        shapes.text(deck_text.SANKEY_LABEL_NAME.format(label=flow_nodes[k].label), x,
                    int(round(centre - box_h / 2)), col_w, box_h, runs, look.size, align=align, anchor="ctr")


def _leader(shapes: Shapes, name: str, x_label: float, y_label: float, x_node: float, y_node: float) -> None:
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
