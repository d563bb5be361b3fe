"""Treemap and Sankey geometry: proportional areas and widths, exact tiling, ribbons meeting their nodes,
Sankey labels kept apart and within their band."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fichex.render.geometry import Rect, declutter, label_columns, label_positions, sankey, squarify, trade_treemap
from fichex.aggregation.model import FlowMatrix, FlowNode

TOL = 1e-6

FRAME = Rect(10.0, 20.0, 400.0, 250.0)


def _inside(r: Rect, frame: Rect, tol: float = TOL) -> bool:
    return (r.x >= frame.x - tol and r.y >= frame.y - tol and r.x + r.w <= frame.x + frame.w + tol
            and r.y + r.h <= frame.y + frame.h + tol and r.w >= -tol and r.h >= -tol)


def _overlap(a: Rect, b: Rect) -> float:
    w = min(a.x + a.w, b.x + b.w) - max(a.x, b.x)
    h = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    return max(w, 0.0) * max(h, 0.0)


def _assert_tiles(values, rects, frame):
    total = sum(values)
    assert len(rects) == len(values)
    scale = frame.area / total
    for v, r in zip(values, rects):
        assert r.area == pytest.approx(v * scale, rel=1e-6, abs=1e-6 * frame.area)
        assert _inside(r, frame, tol=1e-6 * max(frame.w, frame.h))
    assert sum(r.area for r in rects) == pytest.approx(frame.area, rel=1e-9)
    for a, b in itertools.combinations(rects, 2):
        assert _overlap(a, b) <= 1e-6 * frame.area


def _matrix(values, highlighted=frozenset(), others=True) -> FlowMatrix:
    n_src, n_tgt = len(values), len(values[0]) if values else 0
    src = tuple(FlowNode(f"S{i}", f"Source {i}") for i in range(n_src))
    tgt = tuple(FlowNode(f"T{j}", f"Cible {j}") for j in range(n_tgt))
    if others and n_src and n_tgt:
        src = src[:-1] + (FlowNode("AUTRES", "Autres"),)
        tgt = tgt[:-1] + (FlowNode("AUTRES", "Autres"),)
    return FlowMatrix("E", src, tgt, tuple(tuple(float(v) for v in row) for row in values),
                      frozenset(highlighted))


def _assert_sankey(matrix: FlowMatrix, frame: Rect, min_h: float = 0.0):
    lay = sankey(matrix, frame, node_width=8.0, node_gap=4.0, min_node_height=min_h)
    assert len(lay.nodes_left) == len(matrix.sources)
    assert len(lay.nodes_right) == len(matrix.targets)
    non_zero = {(i, j) for i, row in enumerate(matrix.values) for j, v in enumerate(row) if v > 0}
    assert {(r.source, r.target) for r in lay.ribbons} == non_zero
    assert len(lay.ribbons) == len(non_zero)
    for node in lay.nodes_left + lay.nodes_right:
        assert _inside(node, frame, tol=1e-6 * frame.h)
    for column in (lay.nodes_left, lay.nodes_right):
        for a, b in zip(column, column[1:]):
            assert a.y + a.h <= b.y + 1e-9 * frame.h
    k = lay.scale
    for rib in lay.ribbons:
        # Same thickness at both ends, proportional to the flow.
        assert rib.y0_bottom - rib.y0_top == pytest.approx(rib.value * k, rel=1e-9, abs=1e-12)
        assert rib.y1_bottom - rib.y1_top == pytest.approx(rib.value * k, rel=1e-9, abs=1e-12)
        src, tgt = lay.nodes_left[rib.source], lay.nodes_right[rib.target]
        assert rib.x0 == pytest.approx(src.x + src.w)
        assert rib.x1 == pytest.approx(tgt.x)
        tol = 1e-9 * frame.h
        assert src.y - tol <= rib.y0_top and rib.y0_bottom <= src.y + src.h + tol
        assert tgt.y - tol <= rib.y1_top and rib.y1_bottom <= tgt.y + tgt.h + tol
        assert rib.highlighted == ((rib.source, rib.target) in matrix.highlighted)
    # Ribbons of one node are contiguous; without a minimum height they tile it exactly.
    for side, nodes, key, top, bottom in (
            ("left", lay.nodes_left, "source", "y0_top", "y0_bottom"),
            ("right", lay.nodes_right, "target", "y1_top", "y1_bottom")):
        for idx, node in enumerate(nodes):
            ribs = sorted((r for r in lay.ribbons if getattr(r, key) == idx), key=lambda r: getattr(r, top))
            for a, b in zip(ribs, ribs[1:]):
                assert getattr(a, bottom) == pytest.approx(getattr(b, top), abs=1e-9 * frame.h)
            if ribs and min_h == 0:
                assert getattr(ribs[0], top) == pytest.approx(node.y, abs=1e-9 * frame.h)
                assert getattr(ribs[-1], bottom) == pytest.approx(node.y + node.h, abs=1e-9 * frame.h)
            if min_h == 0:
                total = sum(r.value for r in ribs)
                assert node.h == pytest.approx(total * k, rel=1e-9, abs=1e-12)
    return lay


# --- squarify -------------------------------------------------------------------------------------------

def test_squarify_areas_proportional_and_tiling():
    values = [6, 6, 4, 3, 2, 2, 1]
    rects = squarify(values, FRAME)
    _assert_tiles(values, rects, FRAME)


def test_squarify_keeps_input_order():
    values = [1, 10, 3]
    rects = squarify(values, FRAME)
    assert rects[1].area > rects[2].area > rects[0].area
    assert (rects[1].x, rects[1].y) == (FRAME.x, FRAME.y)  # the largest is placed first, top-left


def test_squarify_keep_order_lays_out_in_input_order():
    values = [10, 6, 3, 20]  # « Autres » last even when it is the largest
    rects = squarify(values, FRAME, keep_order=True)
    _assert_tiles(values, rects, FRAME)
    assert (rects[0].x, rects[0].y) == (FRAME.x, FRAME.y)
    assert rects[3].x + rects[3].w == pytest.approx(FRAME.x + FRAME.w)
    assert rects[3].y + rects[3].h == pytest.approx(FRAME.y + FRAME.h)


def test_squarify_zero_values_get_zero_area():
    rects = squarify([5, 0, 3, 0], FRAME)
    assert rects[1].area == 0 and rects[3].area == 0
    _assert_tiles([5, 3], [rects[0], rects[2]], FRAME)


def test_squarify_all_zero_and_empty():
    assert all(r.area == 0 for r in squarify([0, 0], FRAME))
    assert squarify([], FRAME) == []


def test_squarify_rejects_negative():
    with pytest.raises(ValueError):
        squarify([1, -1], FRAME)


def test_squarify_aspect_ratios_reasonable():
    rects = squarify([1] * 16, Rect(0, 0, 100, 100))
    for r in rects:
        assert max(r.w / r.h, r.h / r.w) <= 1.5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=1e-3, max_value=1e9), min_size=1, max_size=40),
       st.floats(min_value=1, max_value=1e7), st.floats(min_value=1, max_value=1e7))
def test_squarify_property(values, w, h):
    frame = Rect(3.0, 5.0, w, h)
    _assert_tiles(values, squarify(values, frame), frame)
    _assert_tiles(values, squarify(values, frame, keep_order=True), frame)


# --- trade_treemap --------------------------------------------------------------------------------------

def test_trade_treemap_blocks_proportional_to_totals():
    exports = [419.8, 81.6, 69.6, 46.3]
    imports = [167.3, 23.1, 6.4]
    frame = Rect(0, 0, 1000, 400)
    imp_block, exp_block, imp_rects, exp_rects = trade_treemap(exports, imports, frame, gap=10)
    assert imp_block.x == frame.x and exp_block.x + exp_block.w == pytest.approx(frame.w)
    assert exp_block.x - (imp_block.x + imp_block.w) == pytest.approx(10)
    assert imp_block.w / exp_block.w == pytest.approx(sum(imports) / sum(exports))
    _assert_tiles(imports, imp_rects, imp_block)
    _assert_tiles(exports, exp_rects, exp_block)
    # Same scale in both blocks: compartment areas compare across imports and exports.
    assert imp_rects[0].area / exp_rects[0].area == pytest.approx(167.3 / 419.8)


def test_trade_treemap_one_side_empty():
    frame = Rect(0, 0, 100, 50)
    result = trade_treemap([3, 1], [0, 0], frame, gap=5)
    assert result.exports_block == frame and result.imports_block.w == 0
    assert all(r.area == 0 for r in result.imports)
    result = trade_treemap([], [], frame, gap=5)
    assert result.imports_block.w == 0 and result.exports_block.w == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=1, max_value=1e9), min_size=1, max_size=15),
       st.lists(st.floats(min_value=1, max_value=1e9), min_size=1, max_size=15))
def test_trade_treemap_property(exports, imports):
    frame = Rect(0, 0, 1200, 500)
    imp_block, exp_block, imp_rects, exp_rects = trade_treemap(exports, imports, frame, gap=12)
    assert imp_block.area + exp_block.area == pytest.approx(frame.area - 12 * frame.h)
    assert _overlap(imp_block, exp_block) == 0
    _assert_tiles(imports, imp_rects, imp_block)
    _assert_tiles(exports, exp_rects, exp_block)


# --- sankey ---------------------------------------------------------------------------------------------

def test_sankey_proportional_and_meeting_nodes():
    values = [[5, 3, 0], [1, 0, 4], [2, 2, 2]]
    lay = _assert_sankey(_matrix(values, {(0, 0), (1, 2)}), FRAME)
    assert sum(r.highlighted for r in lay.ribbons) == 2
    # Both columns use the same scale and fill the frame height at the limiting column.
    assert lay.nodes_left[0].h / lay.nodes_left[1].h == pytest.approx(8 / 5)


def test_sankey_ribbons_ordered_by_other_end():
    lay = sankey(_matrix([[1, 1, 1], [1, 1, 1], [1, 1, 1]]), FRAME, 8, 4)
    for i in range(3):
        ribs = [r for r in lay.ribbons if r.source == i]
        assert [r.target for r in sorted(ribs, key=lambda r: r.y0_top)] == [0, 1, 2]
        ribs = [r for r in lay.ribbons if r.target == i]
        assert [r.source for r in sorted(ribs, key=lambda r: r.y1_top)] == [0, 1, 2]


def test_sankey_one_dominant_flow():
    values = [[1e9, 1, 0], [0, 2, 0], [0, 0, 3]]
    _assert_sankey(_matrix(values), FRAME)
    lay = _assert_sankey(_matrix(values), FRAME, min_h=5)
    assert all(n.h >= 5 - 1e-9 for n in lay.nodes_left + lay.nodes_right)


def test_sankey_hundreds_of_tiny_flows():
    values = [[1e6] + [1.0] * 149] + [[1.0] * 150 for _ in range(149)]
    lay = _assert_sankey(_matrix(values), FRAME, min_h=3)
    assert len(lay.ribbons) == 150 * 150


def test_sankey_without_others_and_zero_rows():
    values = [[4, 0], [0, 0], [1, 5]]
    lay = _assert_sankey(_matrix(values, others=False), FRAME)
    assert lay.nodes_left[1].h == 0


def test_sankey_zero_matrix():
    lay = _assert_sankey(_matrix([[0, 0], [0, 0]]), FRAME)
    assert lay.ribbons == [] and all(n.h == 0 for n in lay.nodes_left + lay.nodes_right)
    lay = sankey(_matrix([]), FRAME, 8, 4)
    assert lay.nodes_left == [] and lay.ribbons == []


def test_sankey_real_fiche_shape():
    values = [[315.4, 14.7, 16.7, 27.8], [10.6, 7.3, 2.8, 12.6], [0.4, 0.1, 0.0, 0.8], [13.6, 0.6, 0.6, 3.4]]
    lay = _assert_sankey(_matrix(values, {(0, 0)}), FRAME, min_h=6)
    for node in lay.nodes_left + lay.nodes_right:
        assert node.h >= 6 - 1e-9
    assert math.isclose(max(n.y + n.h for n in lay.nodes_left), FRAME.y + FRAME.h, rel_tol=1e-9) or \
        math.isclose(max(n.y + n.h for n in lay.nodes_right), FRAME.y + FRAME.h, rel_tol=1e-9)


matrices = st.integers(min_value=1, max_value=12).flatmap(
    lambda n_src: st.integers(min_value=1, max_value=12).flatmap(
        lambda n_tgt: st.lists(
            st.lists(st.one_of(st.just(0.0), st.floats(min_value=1e-3, max_value=1e10)),
                     min_size=n_tgt, max_size=n_tgt),
            min_size=n_src, max_size=n_src)))


@settings(max_examples=200, deadline=None)
@given(matrices, st.sampled_from([0.0, 2.0, 10.0]), st.booleans())
def test_sankey_property(values, min_h, others):
    cells = [(i, j) for i, row in enumerate(values) for j, v in enumerate(row) if v > 0]
    cells.sort(key=lambda c: -values[c[0]][c[1]])
    _assert_sankey(_matrix(values, set(cells[:5]), others=others), FRAME, min_h=min_h)


def _centres(nodes):
    return [n.y + n.h / 2 for n in nodes]


@pytest.mark.parametrize("labels", [8.0, 12.0, 16.0])
def test_sankey_label_heights_keep_node_centres_apart(labels):
    """One large node and ten thin ones: with label heights, neighbouring centres are at least a label
    apart and the end labels stay within the frame; proportionality is kept."""
    values = [[1e6] + [1.0] * 10] + [[1.0] * 11 for _ in range(10)]
    matrix = _matrix(values)
    heights = ([labels] * 11, [labels] * 11)
    lay = sankey(matrix, FRAME, 8.0, 4.0, min_node_height=2.0, label_heights=heights)
    for nodes in (lay.nodes_left, lay.nodes_right):
        centres = _centres(nodes)
        for a, b in zip(centres, centres[1:]):
            assert b - a >= labels - 1e-6
        assert centres[0] - labels / 2 >= FRAME.y - 1e-6
        assert centres[-1] + labels / 2 <= FRAME.y + FRAME.h + 1e-6
    for rib in lay.ribbons:
        assert rib.y0_bottom - rib.y0_top == pytest.approx(rib.value * lay.scale)
    # Without label heights the thin nodes crowd together under the large one.
    plain = sankey(matrix, FRAME, 8.0, 4.0, min_node_height=2.0)
    assert min(b - a for a, b in zip(_centres(plain.nodes_left), _centres(plain.nodes_left)[1:])) < 8.0
    assert plain.scale >= lay.scale


def test_sankey_label_heights_too_many_for_the_frame():
    """Labels that cannot all have their room: the layout is the plain one (the drawing ties them with
    leader lines), nothing overflows."""
    values = [[1.0] * 30 for _ in range(30)]
    lay = _assert_sankey(_matrix(values), FRAME, min_h=2.0)
    crowded = sankey(_matrix(values), FRAME, 8.0, 4.0, min_node_height=2.0, label_heights=([20.0] * 30, [20.0] * 30))
    for node in crowded.nodes_left + crowded.nodes_right:
        assert _inside(node, FRAME, tol=1e-6 * FRAME.h)
    assert crowded.scale == pytest.approx(lay.scale)


@settings(max_examples=100, deadline=None)
@given(matrices, st.sampled_from([0.0, 3.0]), st.floats(min_value=0.0, max_value=40.0))
def test_sankey_label_heights_property(values, min_h, label):
    matrix = _matrix(values)
    heights = ([label] * len(matrix.sources), [label] * len(matrix.targets))
    lay = sankey(matrix, FRAME, 8.0, 4.0, min_node_height=min_h, label_heights=heights)
    for node in lay.nodes_left + lay.nodes_right:
        assert _inside(node, FRAME, tol=1e-6 * FRAME.h)
    for column in (lay.nodes_left, lay.nodes_right):
        for a, b in zip(column, column[1:]):
            assert a.y + a.h <= b.y + 1e-9 * FRAME.h
    for rib in lay.ribbons:
        assert rib.y0_bottom - rib.y0_top == pytest.approx(rib.value * lay.scale, rel=1e-9, abs=1e-12)
        src, tgt = lay.nodes_left[rib.source], lay.nodes_right[rib.target]
        tol = 1e-9 * FRAME.h
        assert src.y - tol <= rib.y0_top and rib.y0_bottom <= src.y + src.h + tol
        assert tgt.y - tol <= rib.y1_top and rib.y1_bottom <= tgt.y + tgt.h + tol


# --- Sankey labels -----------------------------------------------------------------------------------------


def test_declutter_leaves_labels_that_have_room():
    assert declutter([10.0, 30.0, 50.0], [10.0, 10.0, 10.0], 0.0, 100.0) == [10.0, 30.0, 50.0]


def test_declutter_moves_crowded_labels_apart_within_the_band():
    """Three labels wanting the same centre near the top: pushed down below the band's top, each pair
    half of both heights apart, and back up as far as the bottom requires."""
    ys = declutter([2.0, 2.0, 2.0], [10.0, 10.0, 10.0], 0.0, 100.0)
    assert ys == [5.0, 15.0, 25.0]
    ys = declutter([98.0, 98.0], [10.0, 20.0], 0.0, 100.0)
    assert ys == [75.0, 90.0]
    heights = [4.0, 8.0, 6.0, 10.0]
    ys = declutter([50.0, 51.0, 52.0, 53.0], heights, 40.0, 70.0)
    for k in range(len(ys) - 1):
        assert ys[k + 1] - ys[k] >= (heights[k] + heights[k + 1]) / 2 - 1e-9
    assert ys[0] - heights[0] / 2 >= 40.0 and ys[-1] + heights[-1] / 2 <= 70.0


def test_label_positions_level_with_their_nodes_when_there_is_room():
    nodes = [Rect(0, 0, 5, 20), Rect(0, 30, 5, 0), Rect(0, 40, 5, 20)]
    placed = label_positions(nodes, [2.0, 0.0, 1.0], [10.0, 10.0, 10.0], 0, 100)
    assert placed == {0: 10.0, 2: 50.0}  # the empty node has no label


def test_label_positions_too_many_keep_the_largest_nodes_labels():
    """Labels taller than the band together: the largest nodes' labels, unmoved but for the band's edges,
    and only those that do not overlap one already placed."""
    nodes = [Rect(0, 0, 5, 10), Rect(0, 10, 5, 10), Rect(0, 20, 5, 10)]
    placed = label_positions(nodes, [1.0, 3.0, 2.0], [12.0, 12.0, 12.0], 0, 30)
    assert placed == {1: 15.0}
    placed = label_positions(nodes, [3.0, 1.0, 2.0], [12.0, 12.0, 12.0], 0, 30)
    assert placed == {0: 6.0, 2: 24.0}


@pytest.mark.parametrize("left, right, budget, widths", [
    (100, 200, 400, (100, 200)),   # both fit: as wide as their labels
    (100, 500, 400, (100, 300)),   # the short side keeps what it needs, the long one gives way
    (500, 100, 400, (300, 100)),
    (300, 500, 401, (200, 201)),   # both long: half each
])
def test_label_columns_the_wider_gives_way_first(left, right, budget, widths):
    assert label_columns(left, right, budget) == widths
