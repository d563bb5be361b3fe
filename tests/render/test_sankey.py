"""The Sankey drawing: one group, a ribbon per non-zero cell, red highlights, alt text, Béziers, labels
level with their nodes (or tied to them), one number format, and the replay cache."""

from __future__ import annotations

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from fichex.aggregation.model import FlowMatrix, FlowNode
from fichex.render import sankey, theme
from fichex.render.sankey import draw_sankey
from fichex.render.text_fit import text_width_emu

from drawing_helpers import (one_line, DEPARTEMENTS, FRAME, HALF_FRAME, MATRIX, NS_A, SLIDE_FRAME, SMALL_FRAME, VALUE,
                             assert_contrast, blank_slide, fill_colour, flow_matrix, reopen)


def _ribbons(group):
    return [s for s in group.shapes if s.name.startswith("Flux ")
            and s._element.find(f".//{NS_A}custGeom") is not None]



def test_sankey_is_one_group_with_a_ribbon_per_cell():
    prs, slide = blank_slide()
    draw_sankey(slide, MATRIX, FRAME, name="Sankey export", alt_text="Flux à l'export, Creuse")
    slide = reopen(prs).slides[0]
    assert len(slide.shapes) == 1
    group = slide.shapes[0]
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert group.name == "Sankey export"
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == "Flux à l'export, Creuse"
    ribbons = _ribbons(group)
    non_zero = sum(1 for row in MATRIX.values for v in row if v > 0)
    assert len(ribbons) == non_zero
    red = [r for r in ribbons if fill_colour(r) == theme.HIGHLIGHT]
    assert len(red) == len(MATRIX.highlighted)
    assert all(fill_colour(r) == theme.FLOW_GREY for r in ribbons if r not in red)
    for ribbon in ribbons:
        geom = ribbon._element.find(f".//{NS_A}custGeom")
        assert len(geom.findall(f".//{NS_A}cubicBezTo")) == 2
        assert ribbon._element.find(f".//{NS_A}alpha") is not None  # transparency
        assert " : " in ribbon._element.nvSpPr.cNvPr.get("descr")
    # Every shape has an explicit fill or no fill, Arial text, and alternative text where it means something.
    for shape in group.shapes:
        assert shape._element.spPr.find(f"{NS_A}solidFill") is not None or \
            shape._element.spPr.find(f"{NS_A}noFill") is not None
        for latin in shape._element.iter(f"{NS_A}latin"):
            assert latin.get("typeface") == "Arial"


def test_sankey_red_ribbons_match_highlighted_cells():
    prs, slide = blank_slide()
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    group = reopen(prs).slides[0].shapes[0]
    red_names = {r.name for r in _ribbons(group) if fill_colour(r) == theme.HIGHLIGHT}
    expected = {f"Flux {MATRIX.sources[i].label} – {MATRIX.targets[j].label}" for i, j in MATRIX.highlighted}
    assert red_names == expected


def test_each_highlighted_flow_carries_its_rank_beside_its_red():
    prs, slide = blank_slide()
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    group = reopen(prs).slides[0].shapes[0]
    badges = [s for s in group.shapes if s.name.startswith("Rang du flux")]
    assert sorted(b.text_frame.text for b in badges) == [str(n) for n in range(1, len(MATRIX.highlighted) + 1)]
    largest = max(MATRIX.highlighted, key=lambda c: MATRIX.values[c[0]][c[1]])
    rank_1 = next(b for b in badges if b.text_frame.text == "1")
    assert rank_1.name.endswith(f"{MATRIX.sources[largest[0]].label} – {MATRIX.targets[largest[1]].label}")
    boxes = sorted((b.top, b.top + b.height) for b in badges)
    assert all(below[0] >= above[1] for above, below in zip(boxes, boxes[1:]))  # none hides another


def test_sankey_labels_inside_frame_and_not_overlapping():
    values = [[1e9] + [1e3] * 10] + [[1e3] * 11 for _ in range(10)]
    matrix = flow_matrix(values, {(0, 0)})
    for compact, frame in ((False, FRAME), (True, SMALL_FRAME)):
        prs, slide = blank_slide()
        group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact)
        labels = [s for s in group.shapes if s.name.startswith("Étiquette")]
        assert len(labels) == 22
        x, y, w, h = frame
        for side in ("left", "right"):
            col = sorted((s for s in labels if (s.left < x + w / 2) == (side == "left")), key=lambda s: s.top)
            assert len(col) == 11
            for a, b in zip(col, col[1:]):
                assert a.top + a.height <= b.top + 1
            for s in col:
                assert x <= s.left and s.left + s.width <= x + w + 1
                assert y <= s.top and s.top + s.height <= y + h + 1


def test_sankey_many_nodes_and_zero_matrix():
    values = [[1e6 if (i + j) % 3 else 0.0 for j in range(120)] for i in range(120)]
    prs, slide = blank_slide()
    group = draw_sankey(slide, flow_matrix(values, set()), FRAME, name="S", alt_text="S")
    assert len(_ribbons(group)) == sum(1 for row in values for v in row if v > 0)
    labels = sorted((s for s in group.shapes if s.name.startswith("Étiquette") and s.left < FRAME[0] + 10),
                    key=lambda s: s.top)
    assert 0 < len(labels) < 120  # only those with room are labelled
    for a, b in zip(labels, labels[1:]):
        assert a.top + a.height <= b.top + 1

    prs, slide = blank_slide()
    group = draw_sankey(slide, flow_matrix([[0, 0], [0, 0]], set(), others=False), FRAME, name="Z", alt_text="vide")
    assert _ribbons(group) == []
    reopen(prs)


def _label_texts(group) -> list[str]:
    return [s.text_frame.text for s in group.shapes if s.name.startswith("Étiquette")]


def test_sankey_typical_labels_are_whole():
    """Product names of usual length keep their whole name next to the value (full size and compact)."""
    names = ["Équipements automobiles", "Produits pharmaceutiques", "Produits pétroliers raffinés",
             "Autres produits chimiques", "Aéronautique et spatial", "Autres"]
    src = tuple(FlowNode(f"P{i}", name) for i, name in enumerate(names))
    tgt = tuple(FlowNode(f"C{j}", name) for j, name in enumerate(["Allemagne", "Royaume-Uni", "États-Unis",
                                                                   "Autres"]))
    totals = (73_972.2e6, 66_020.5e6, 20_377.4e6, 21_361.8e6, 79_476.6e6, 217_299.6e6)
    values = tuple(tuple(t * share for share in (0.4, 0.3, 0.2, 0.1)) for t in totals)
    matrix = FlowMatrix("E", src, tgt, values, frozenset({(0, 0)}))
    # The full-size Sankey of a flows slide (8.5 in wide) and a comparison Sankey (5.5 in wide).
    for compact, frame in ((False, (0, 0, int(Inches(8.5)), int(Inches(5)))),
                           (True, (0, 0, int(Inches(5.5)), int(Inches(3.8))))):
        prs, slide = blank_slide()
        labels = _label_texts(draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact))
        assert not [t for t in labels if "…" in t], (compact, labels)
        assert any(t.replace("\n", " ").startswith("Produits pharmaceutiques 66\u202f020.5\u00a0M€") for t in labels)


def test_sankey_too_long_labels_are_shortened_within_their_column():
    long_name = ("Produits de la construction automobile et de ses équipementiers de second rang, "
                 "de leurs fournisseurs de pièces détachées et de leurs sous-traitants de toute la filière")
    src = (FlowNode("P0", long_name), FlowNode("P1", "Boissons"))
    tgt = (FlowNode("C0", long_name.replace("Produits", "Pays")), FlowNode("C1", "Italie"))
    matrix = FlowMatrix("E", src, tgt, ((5e8, 1e8), (2e8, 3e8)), frozenset())
    for compact, frame in ((False, FRAME), (True, SMALL_FRAME)):
        prs, slide = blank_slide()
        group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact)
        labels = {s.text_frame.text: s for s in group.shapes if s.name.startswith("Étiquette")}
        short = [t for t in labels if "…" in t]
        assert len(short) == 2 and {"Boissons", "Italie"} <= {t.split(" ")[0] for t in labels}
        x, _, w, _ = frame
        ribbons = _ribbons(group)
        assert min(r.left for r in ribbons) - x >= 0 and max(r.left + r.width for r in ribbons) <= x + w
        # Labels take at most 60 % of the frame (56 % compact): the ribbons between the nodes keep the rest.
        assert max(r.left + r.width for r in ribbons) - min(r.left for r in ribbons) >= 0.33 * w
        size = 9.0 if compact else 9.5
        for text, shape in labels.items():
            paragraphs = shape.text_frame.paragraphs
            assert len(paragraphs) <= 2  # two lines at most
            for paragraph in paragraphs:
                width = sum(text_width_emu(r.text, size, bool(r.font.bold)) for r in paragraph.runs)
                assert width <= shape.width, text


# --- Legibility: every label sits by its node, every text reads -------------------------------------------


def _sankey_sides(group, frame):
    """Per side, label shapes and node shapes (names repeat across sides, « Autres »), keyed by label."""
    x, _, w, _ = frame
    middle = x + w / 2
    sides = {}
    for left in (True, False):
        def here(s):
            return (s.left + s.width / 2 < middle) == left
        labels = {s.name.removeprefix("Étiquette "): s for s in group.shapes
                  if s.name.startswith("Étiquette ") and here(s)}
        nodes = {s.name.removeprefix("Nœud "): s for s in group.shapes if s.name.startswith("Nœud ") and here(s)}
        leaders = {s.name.removeprefix("Trait de rappel "): s for s in group.shapes
                   if s.name.startswith("Trait de rappel ") and here(s)}
        sides[left] = (labels, nodes, leaders)
    return sides


def _assert_labels_by_their_nodes(group, frame):
    leaders_drawn = 0
    for labels, nodes, leaders in _sankey_sides(group, frame).values():
        for name, label in labels.items():
            node = nodes[name]
            centre = label.top + label.height / 2
            if node.top - 1 <= centre <= node.top + node.height + 1:
                continue
            leader = leaders.get(name)
            assert leader is not None, f"« {name} » loin de son nœud, sans trait de rappel"
            node_centre = node.top + node.height / 2
            assert leader.top - 1 <= min(centre, node_centre) and max(centre, node_centre) <= leader.top + leader.height + 1
            leaders_drawn += 1
        # Labels of one side never overlap.
        ordered = sorted(labels.values(), key=lambda s: s.top)
        for a, b in zip(ordered, ordered[1:]):
            assert a.top + a.height <= b.top + 1, (a.name, b.name)
    return leaders_drawn


@pytest.mark.parametrize("code", DEPARTEMENTS)
def test_sankey_labels_level_with_their_nodes(builder, code):
    fiche = builder.build(code, 2024)
    for matrix, frame, compact in ((fiche.local.export_flows, SLIDE_FRAME, False),
                                   (fiche.local.import_flows, SLIDE_FRAME, False),
                                   (fiche.region_summary.export_flows, HALF_FRAME, True),
                                   (fiche.france_summary.import_flows, HALF_FRAME, True)):
        prs, slide = blank_slide()
        group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact)
        assert _assert_labels_by_their_nodes(group, frame) == 0  # a slide's frame has room for every label
        assert_contrast(group)
        labels = [s for s in group.shapes if s.name.startswith("Étiquette ")]
        assert len(labels) == sum(1 for t in matrix.source_totals if t > 0) + sum(1 for t in matrix.target_totals if t > 0)
        for label in labels:
            text = one_line(label.text_frame.text)
            assert VALUE.search(text) and text.endswith("\u00a0M€"), text
            assert "…" not in text, text
            for run in (r for p in label.text_frame.paragraphs for r in p.runs):
                assert run.font.size.pt >= (9 if compact else 9.5)


def test_sankey_crowded_labels_are_tied_to_their_node():
    """A frame too low for every label beside its node: labels move apart and a leader line joins each."""
    values = [[1e9] + [1e6] * 10] + [[1e6] * 11 for _ in range(10)]
    matrix = flow_matrix(values, {(0, 0)})
    frame = (int(Inches(0.5)), int(Inches(1)), int(Inches(6)), int(Inches(2.2)))
    prs, slide = blank_slide()
    group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=True)
    assert _assert_labels_by_their_nodes(group, frame) > 0
    reopen(prs)


def test_compact_sankey_numbers_one_format_with_unit():
    """Every label in the one number style (numbers.meur): « 3 278 M€ » beside « 2 316.3 M€ », as every text of
    the deck writes them; 9 pt at least."""
    src = (FlowNode("P0", "Boissons"), FlowNode("P1", "Verre"))
    tgt = (FlowNode("C0", "Italie"), FlowNode("C1", "Espagne"))
    matrix = FlowMatrix("E", src, tgt, ((3_000e6, 278e6), (2_000e6, 316.3e6)), frozenset())
    prs, slide = blank_slide()
    group = draw_sankey(slide, matrix, HALF_FRAME, name="S", alt_text="S", compact=True)
    texts_ = {one_line(s.text_frame.text) for s in group.shapes if s.name.startswith("Étiquette")}
    assert texts_ == {"Boissons 3\u202f278\u00a0M€", "Verre 2\u202f316.3\u00a0M€", "Italie 5\u202f000\u00a0M€", "Espagne 594.3\u00a0M€"}


def test_a_sankey_drawn_again_is_replayed_with_the_slide_s_ids():
    """The same matrix in the same frame: the second drawing comes from the cache, the same shapes renumbered
    after the ids already on the slide."""
    sankey._SANKEY_CACHE.clear()
    prs, slide = blank_slide()
    first = draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    assert len(sankey._SANKEY_CACHE) == 1
    second = draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    assert len(sankey._SANKEY_CACHE) == 1
    ids = [int(v) for v in slide.shapes._spTree.xpath("//p:cNvPr/@id")]
    assert len(ids) == len(set(ids))
    assert [s.name for s in first.shapes] == [s.name for s in second.shapes]
    assert [(s.left, s.top, s.width, s.height) for s in first.shapes] == [
        (s.left, s.top, s.width, s.height) for s in second.shapes]
    assert (first.left, first.top, first.width, first.height) == (second.left, second.top, second.width, second.height)
    offset = second.shapes[0].shape_id - first.shapes[0].shape_id
    assert offset > 0 and all(b.shape_id - a.shape_id == offset for a, b in zip(first.shapes, second.shapes))
    reopen(prs)
