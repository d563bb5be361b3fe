"""Pure geometry for the drawings: squarified treemaps, two-column Sankey layouts, Sankey label places.

Numbers in, numbers out: no python-pptx here, and every function is tested without opening a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

from fichex.aggregation.model import FlowMatrix

EMU_PER_INCH = 914_400   # English Metric Units, PowerPoint's length unit
EMU_PER_PT = 12_700


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle: top-left corner (x, y), width w, height h (y grows downwards)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def area(self) -> float:
        return self.w * self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


# ---------------------------------------------------------------------------------------------------------
# Treemap


def _check_values(values: Sequence[float]) -> list[float]:
    cleaned = [float(v) for v in values]
    for v in cleaned:
        if not v >= 0:  # also rejects NaN
            raise ValueError(f"valeur négative ou invalide pour un treemap : {v!r}")
    return cleaned


def _worst(row_sum: float, row_max: float, row_min: float, side: float) -> float:
    """Worst aspect ratio of a row of areas laid along a side of length `side` (Bruls et al., 2000)."""
    s2 = row_sum * row_sum
    w2 = side * side
    return max(w2 * row_max / s2, s2 / (w2 * row_min))


def squarify(values: Sequence[float], frame: Rect, *, keep_order: bool = False) -> list[Rect]:
    """Squarified treemap of `values` in `frame` (Bruls, Huizing and van Wijk, 2000).

    Items are laid out largest first (the most readable arrangement: big rectangles top-left), or in
    input order with `keep_order` (to put an « Autres » compartment last, bottom-right, whatever its
    size); the rectangles are returned in input order either way. Areas are proportional to the values and the rectangles tile
    the frame exactly: each row ends on the remaining frame's edge and the last row takes what is left, so
    float rounding never leaves a gap. Zero values get zero-area rectangles placed at the frame's
    bottom-right corner; if every value is zero every rectangle has zero area.

    Args:
        values: non-negative numbers, any order.
        frame: the rectangle to tile.
        keep_order: lay out in input order instead of largest first.

    Returns:
        One rectangle per value, in input order.

    Raises:
        ValueError: a value is negative or NaN.
    """
    vals = _check_values(values)
    corner = Rect(frame.x + frame.w, frame.y + frame.h, 0.0, 0.0)
    out: list[Rect] = [corner] * len(vals)
    total = sum(vals)
    if total <= 0 or frame.w <= 0 or frame.h <= 0:
        return out
    order = [i for i, v in enumerate(vals) if v > 0]
    if not keep_order:
        order.sort(key=lambda i: (-vals[i], i))
    scale = frame.w * frame.h / total
    areas = [vals[i] * scale for i in order]

    remaining = (frame.x, frame.y, frame.w, frame.h)
    start = 0
    while start < len(order):
        end, row_sum = _row_end(areas, start, min(remaining[2], remaining[3]))
        remaining = _lay_row(out, order, areas, start, end, row_sum, remaining, last_row=end == len(order))
        start = end
    return out


def _row_end(areas: Sequence[float], start: int, side: float) -> tuple[int, float]:
    """End (exclusive) and sum of the row of areas from `start` laid along `side`: grown while the worst
    aspect ratio does not get worse."""
    end = start + 1
    row_sum = areas[start]
    row_max = row_min = areas[start]
    current = _worst(row_sum, row_max, row_min, side)
    while end < len(areas):
        a = areas[end]
        candidate = _worst(row_sum + a, max(row_max, a), min(row_min, a), side)
        if candidate > current:
            break
        row_sum += a
        row_max = max(row_max, a)
        row_min = min(row_min, a)
        current = candidate
        end += 1
    return end, row_sum


def _lay_row(out: list[Rect], order: Sequence[int], areas: Sequence[float], start: int, end: int, row_sum: float,
             frame: tuple[float, float, float, float], *, last_row: bool) -> tuple[float, float, float, float]:
    """Lay the row `areas[start:end]` as a strip along the shorter side of `frame` (x, y, w, h): a vertical
    strip on its left when it is wide, a horizontal one at its top when it is tall; the last row takes the
    whole frame. Each rectangle goes to `out[order[k]]`; the last of the row ends on the frame's edge, so
    float rounding never leaves a gap. Returns the frame that remains."""
    x, y, w, h = frame
    vertical = w >= h
    # In the strip's own axes: `across` is where the strip starts and how much room there is across it,
    # `along` where its first rectangle starts and the length they share.
    across, room, along, length_total = (x, w, y, h) if vertical else (y, h, x, w)
    thickness = room if last_row else row_sum / length_total
    pos = along
    for k in range(start, end):
        length = (along + length_total - pos) if k == end - 1 else areas[k] / thickness
        out[order[k]] = Rect(across, pos, thickness, length) if vertical else Rect(pos, across, length, thickness)
        pos += length
    across += thickness
    room -= thickness
    return (across, along, room, length_total) if vertical else (along, across, length_total, room)


class TradeTreemap(NamedTuple):
    """The two blocks of the activities treemap and their compartments (a plain tuple for unpacking)."""

    imports_block: Rect
    exports_block: Rect
    imports: list[Rect]
    exports: list[Rect]


def trade_treemap(export_values: Sequence[float], import_values: Sequence[float], frame: Rect,
                  gap: float, *, keep_order: bool = False) -> TradeTreemap:
    """Imports block on the left, exports block on the right, widths proportional to the two totals.

    The two blocks share the frame's height, so their areas compare the import and export totals and
    the overall balance shows at a glance. `gap` separates the blocks only when both are non-empty.

    Args:
        export_values: export amounts of the compartments (any order).
        import_values: import amounts of the compartments (any order).
        frame: the rectangle holding both blocks.
        gap: horizontal space between the blocks, in the frame's units.
        keep_order: passed to `squarify` for both blocks.

    Returns:
        `TradeTreemap(imports_block, exports_block, imports, exports)` — note the order is left to right
        (imports first), the compartment lists are in the order of the input values.
    """
    exports = _check_values(export_values)
    imports = _check_values(import_values)
    total_e, total_i = sum(exports), sum(imports)
    if total_e > 0 and total_i > 0:
        usable = max(frame.w - gap, 0.0)
        w_i = usable * total_i / (total_i + total_e)
        imports_block = Rect(frame.x, frame.y, w_i, frame.h)
        exports_block = Rect(frame.x + w_i + (frame.w - usable), frame.y, usable - w_i, frame.h)
    elif total_i > 0:
        imports_block = frame
        exports_block = Rect(frame.x + frame.w, frame.y, 0.0, frame.h)
    else:
        imports_block = Rect(frame.x, frame.y, 0.0, frame.h)
        exports_block = frame if total_e > 0 else Rect(frame.x + frame.w, frame.y, 0.0, frame.h)
    return TradeTreemap(imports_block, exports_block, squarify(imports, imports_block, keep_order=keep_order),
                        squarify(exports, exports_block, keep_order=keep_order))


# ---------------------------------------------------------------------------------------------------------
# Sankey


@dataclass(frozen=True)
class Ribbon:
    """One flow of a Sankey: a band from the right edge of a left node to the left edge of a right node."""

    source: int
    target: int
    value: float
    y0_top: float
    y0_bottom: float
    y1_top: float
    y1_bottom: float
    x0: float
    x1: float
    highlighted: bool

    @property
    def thickness(self) -> float:
        return self.y0_bottom - self.y0_top


@dataclass(frozen=True)
class SankeyLayout:
    """Node rectangles (sources left, targets right, in matrix order) and ribbons (largest flow first)."""

    nodes_left: list[Rect]
    nodes_right: list[Rect]
    ribbons: list[Ribbon]
    scale: float  # frame units per unit of value: ribbon thickness = value × scale


def _fit_scale(totals: Sequence[float], room: float, min_h: float) -> float:
    """Largest k with Σ max(k·t, min_h) over non-zero nodes ≤ room (nodes below the minimum are lifted)."""
    positive = sorted(t for t in totals if t > 0)
    if not positive:
        return 0.0
    if room <= 0:
        return 0.0
    # Nodes lifted to min_h are the smallest ones: try "the m smallest are lifted" for m = 0, 1, ...
    remaining = sum(positive)
    for m in range(len(positive) + 1):
        fixed = m * min_h
        if m == len(positive):
            return 0.0
        k = (room - fixed) / remaining if room > fixed else 0.0
        if k * positive[m] >= min_h or min_h <= 0:
            return k
        remaining -= positive[m]
    return 0.0


def _spacing(heights: Sequence[float], labels: Sequence[float] | None, node_gap: float) -> tuple[float, list[float], float]:
    """Room above the first node, the least gap after each node but the last, and room below the last.

    Without labels: no room at the ends and `node_gap` between nodes. With label heights, two neighbouring
    node centres are at least half of both labels apart, and each end node's centre at least half its
    label from the frame's edge, so that every label can sit level with its node's centre."""
    n = len(heights)
    if not labels:
        return 0.0, [node_gap] * max(n - 1, 0), 0.0
    gaps = [max(node_gap, (labels[i] + labels[i + 1]) / 2 - (heights[i] + heights[i + 1]) / 2)
            for i in range(n - 1)]
    lead = max(0.0, (labels[0] - heights[0]) / 2) if n else 0.0
    trail = max(0.0, (labels[-1] - heights[-1]) / 2) if n else 0.0
    return lead, gaps, trail


def _column_heights(totals: Sequence[float], k: float, min_h: float) -> list[float]:
    return [max(t * k, min_h) if t > 0 else 0.0 for t in totals]


def _column_span(totals: Sequence[float], k: float, min_h: float, labels: Sequence[float] | None,
                 node_gap: float) -> float:
    """Height a column needs at scale k: nodes, least gaps and the room its end labels need."""
    heights = _column_heights(totals, k, min_h)
    lead, gaps, trail = _spacing(heights, labels, node_gap)
    return lead + sum(heights) + sum(gaps) + trail


def _column(totals: Sequence[float], k: float, frame: Rect, x: float, node_width: float, node_gap: float,
            min_h: float, labels: Sequence[float] | None = None) -> list[Rect]:
    heights = _column_heights(totals, k, min_h)
    n = len(heights)
    if n == 0:
        return []
    lead, gaps, trail = _spacing(heights, labels, node_gap)
    spare = frame.h - lead - sum(heights) - sum(gaps) - trail
    tolerance = 1e-9 * max(frame.h, 1.0)  # the scale was fitted to the frame: rounding is no overflow
    if labels and n > 1 and spare < -tolerance:
        # The labels cannot all have their room (too many for the frame): shrink their gaps alike.
        lead, gaps, trail = 0.0, [node_gap] * (n - 1), 0.0
        spare = frame.h - sum(heights) - sum(gaps)
    if n == 1:
        # A single node is centred.
        return [Rect(x, frame.y + (frame.h - heights[0]) / 2, node_width, heights[0])]
    if spare < -tolerance:
        # Not even the least gaps fit (hundreds of nodes, for which the scale's fit shrank the gap).
        lead, trail, spare = 0.0, 0.0, 0.0
        gaps = [max(frame.h - sum(heights), 0.0) / (n - 1)] * (n - 1)
    # Justify the column: the gaps share whatever height the nodes leave beyond their least gaps.
    extra = max(spare, 0.0) / (n - 1)
    y = frame.y + lead
    rects = []
    for i, h in enumerate(heights):
        rects.append(Rect(x, y, node_width, h))
        if i < n - 1:
            y += h + gaps[i] + extra
    return rects


LABEL_SCALE_FLOOR = 0.4  # labels' room may take the ribbons down to this fraction of their scale, no further


def sankey(matrix: FlowMatrix, frame: Rect, node_width: float, node_gap: float,
           min_node_height: float = 0,
           label_heights: tuple[Sequence[float], Sequence[float]] | None = None) -> SankeyLayout:
    """Two-column Sankey layout of a flow matrix: sources on the left, targets on the right.

    Proportionality: every ribbon's thickness is `value × scale` at both ends, with one scale for the
    whole drawing, and a node holding ribbons is at least as tall as the sum of its ribbons. Without a
    minimum node height each node's height is exactly `total × scale` and its ribbons tile it. With
    `min_node_height`, nodes whose proportional height is smaller are lifted to that minimum (so a tiny
    node stays visible and labelled); their ribbons keep the common scale — proportionality among ribbons
    is never bent — and sit as a contiguous stack centred in the lifted node. The scale is the largest
    that lets both columns, lifted nodes and gaps included, fit the frame's height; when the minimum
    heights and gaps alone cannot fit (hundreds of nodes), the minimum and then the gap are shrunk.

    With `label_heights` (the height of each source's and each target's label), the nodes are spaced so
    that every label can sit level with its node's centre without touching its neighbours: two
    neighbouring centres are at least half of both labels apart, an end node's centre at least half its
    label from the frame's edge. The scale gives way for that (down to LABEL_SCALE_FLOOR of the scale
    without labels); a column whose labels cannot have their room even then is laid out as without labels
    (the caller moves those labels apart and ties them to their node).

    Ribbons at a node are stacked in the order of the node at their other end (top to bottom), which
    avoids crossings between ribbons of the same node. Zero cells have no ribbon; a zero matrix gives
    zero-height nodes spread over the frame and no ribbon.

    Args:
        matrix: the flows; values[i][j] from sources[i] to targets[j], non-negative.
        frame: rectangle holding both node columns and the ribbons between them.
        node_width: width of the node rectangles.
        node_gap: minimum vertical space between two nodes of a column.
        min_node_height: minimum height of a non-zero node (0: strictly proportional nodes).
        label_heights: (sources' label heights, targets' label heights), in the frame's units; None for
            no room kept for labels.

    Returns:
        A SankeyLayout; ribbons are listed largest first (as `FlowMatrix.links()`).
    """
    values = [[max(float(v), 0.0) for v in row] for row in matrix.values]
    n_src = len(values)
    n_tgt = len(matrix.targets)
    src_tot = [sum(row) for row in values]
    tgt_tot = [sum(values[i][j] for i in range(n_src)) for j in range(n_tgt)]
    k_left, min_left = _fitted_column(src_tot, frame.h, node_gap, min_node_height)
    k_right, min_right = _fitted_column(tgt_tot, frame.h, node_gap, min_node_height)
    k = min(k_left, k_right)
    labels_left, labels_right = label_heights if label_heights else (None, None)
    if label_heights and k > 0:
        k = _label_scale(k, frame.h, node_gap, (src_tot, min_left, labels_left), (tgt_tot, min_right, labels_right))
    x_left = frame.x
    x_right = frame.x + frame.w - node_width
    nodes_left = _column(src_tot, k, frame, x_left, node_width, node_gap, min_left, labels_left)
    nodes_right = _column(tgt_tot, k, frame, x_right, node_width, node_gap, min_right, labels_right)
    ribbons = _ribbons(values, matrix.highlighted, k, (nodes_left, src_tot), (nodes_right, tgt_tot),
                       x_left + node_width, x_right)
    return SankeyLayout(nodes_left, nodes_right, ribbons, k)


def _fitted_column(totals: Sequence[float], frame_h: float, node_gap: float,
                   min_node_height: float) -> tuple[float, float]:
    """Scale and effective minimum node height for one column of a Sankey (see `sankey`)."""
    n_pos = sum(1 for t in totals if t > 0)
    gaps = node_gap * max(len(totals) - 1, 0)
    gap_eff = node_gap
    if gaps > frame_h * 0.5:  # too many nodes for the asked gap: gaps get at most half the height
        gap_eff = frame_h * 0.5 / max(len(totals) - 1, 1)
        gaps = gap_eff * max(len(totals) - 1, 0)
    room = frame_h - gaps
    min_h = min(min_node_height, room * 0.5 / n_pos) if n_pos else 0.0
    return _fit_scale(totals, room, min_h), min_h


def _label_scale(k: float, frame_h: float, node_gap: float, left: tuple, right: tuple) -> float:
    """The largest scale, from `k` down to LABEL_SCALE_FLOOR × k, at which both columns (each given as
    (totals, minimum node height, label heights)) keep their labels' room within `frame_h`; `k` itself
    when it fits, or when not even the floor does (narrower ribbons would not give the labels their room)."""
    def fits(scale: float) -> bool:
        return all(_column_span(totals, scale, min_h, labels, node_gap) <= frame_h
                   for totals, min_h, labels in (left, right))
    low, high = k * LABEL_SCALE_FLOOR, k
    if not fits(k) and fits(low):
        # The column spans grow with the scale: the largest scale that fits, by bisection.
        for _ in range(32):
            mid = (low + high) / 2
            low, high = (mid, high) if fits(mid) else (low, mid)
        k = low
    return k


def _ribbons(values: Sequence[Sequence[float]], highlighted, k: float, left: tuple, right: tuple, x0: float,
             x1: float) -> list[Ribbon]:
    """The ribbons of the non-zero cells, largest first, between x0 and x1; `left` and `right` are each
    (node rectangles, node totals). At a node, the ribbons are stacked in the order of the node at their
    other end, as a contiguous stack centred in the node (flush when the node is proportional)."""
    (nodes_left, src_tot), (nodes_right, tgt_tot) = left, right
    n_src, n_tgt = len(nodes_left), len(nodes_right)
    left_cursor = [r.y + (r.h - src_tot[i] * k) / 2 for i, r in enumerate(nodes_left)]
    right_cursor = [r.y + (r.h - tgt_tot[j] * k) / 2 for j, r in enumerate(nodes_right)]
    y0: dict[tuple[int, int], float] = {}
    y1: dict[tuple[int, int], float] = {}
    for i in range(n_src):  # at a source, ribbons go top to bottom in target order
        for j in range(n_tgt):
            if values[i][j] > 0:
                y0[i, j] = left_cursor[i]
                left_cursor[i] += values[i][j] * k
    for j in range(n_tgt):  # at a target, in source order
        for i in range(n_src):
            if values[i][j] > 0:
                y1[i, j] = right_cursor[j]
                right_cursor[j] += values[i][j] * k
    cells = [(i, j, values[i][j]) for i in range(n_src) for j in range(n_tgt) if values[i][j] > 0]
    cells.sort(key=lambda c: (-c[2], c[0], c[1]))
    ribbons = []
    for i, j, v in cells:
        t = v * k
        ribbons.append(Ribbon(i, j, v, y0[i, j], y0[i, j] + t, y1[i, j], y1[i, j] + t, x0, x1,
                              (i, j) in highlighted))
    return ribbons


# ---------------------------------------------------------------------------------------------------------
# Sankey labels


def declutter(centres: Sequence[float], heights: Sequence[float], low: float, high: float) -> list[float]:
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


def label_positions(nodes: Sequence[Rect], totals: Sequence[float], heights: Sequence[float], low: int,
                    high: int) -> dict[int, float]:
    """Centre of each shown label: level with its node (the layout kept room for that), moved apart only
    when the room was short; when the labels cannot all fit, the largest nodes' labels that fit unmoved.

    Args:
        nodes: the node rectangles of one column.
        totals: each node's total; a node of total 0 has no label.
        heights: each label's height.
        low, high: the labels' band (the frame's top and bottom).

    Returns:
        {node index: label centre} for the labels shown.
    """
    shown = [k for k, t in enumerate(totals) if t > 0]
    centres = [nodes[k].y + nodes[k].h / 2 for k in shown]
    if sum(heights[k] for k in shown) <= high - low:
        return dict(zip(shown, declutter(centres, [heights[k] for k in shown], low, high)))
    placed: dict[int, float] = {}
    for k in sorted(shown, key=lambda k: (-totals[k], k)):
        h = heights[k]
        c = min(max(nodes[k].y + nodes[k].h / 2, low + h / 2), high - h / 2)
        if all(abs(c - other) >= (h + heights[j]) / 2 for j, other in placed.items()):
            placed[k] = c
    return placed


def label_columns(left: int, right: int, budget: int) -> tuple[int, int]:
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
