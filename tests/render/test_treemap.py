"""The activities treemap drawing: one group, the blocks in the ratio of the totals, the header, every
compartment named or numbered in the key, « Autres », text that fits and reads on its fill."""

from __future__ import annotations

import itertools

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from fichex.wording import grammar as grammar_text, numbers as numbers_text
from fichex.render import theme
from fichex.render.text_fit import text_width_emu
from fichex.render.treemap import (TREEMAP_BOTTOM_GAP, TREEMAP_HEADER_SLIP, _fold_into_others, _Item,
                                   draw_trade_treemap)

from drawing_helpers import (one_line, ACTIVITIES, DEPARTEMENTS, FRAME, SLIDE_FRAME, SMALL_FRAME, VALUE, activity,
                             assert_contrast, blank_slide, fill_colour, reopen, run_colours, tiles_of)

COMPARTMENT = ("Importations –", "Exportations –")


def test_treemap_group_totals_and_others():
    prs, slide = blank_slide()
    draw_trade_treemap(slide, *tiles_of(ACTIVITIES), FRAME, name="Treemap", alt_text="Principales activités")
    group = reopen(prs).slides[0].shapes[0]
    assert len(reopen(prs).slides[0].shapes) == 1
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == "Principales activités"
    compartments = [s for s in group.shapes if s.name.startswith(("Importations –", "Exportations –"))]
    imports = [s for s in compartments if s.name.startswith("Importations")]
    exports = [s for s in compartments if s.name.startswith("Exportations")]
    assert len(imports) == 12 and len(exports) == 12
    assert sum(s.name.endswith("Autres") for s in compartments) == 2
    assert {fill_colour(s) for s in imports if not s.name.endswith("Autres")} == {theme.IMPORT}
    assert {fill_colour(s) for s in exports if not s.name.endswith("Autres")} == {theme.EXPORT}
    assert all(s._element.nvSpPr.cNvPr.get("descr") for s in compartments)
    total_e = sum(a.exports_eur for a in ACTIVITIES)
    total_i = sum(a.imports_eur for a in ACTIVITIES)
    all_text = " | ".join(s.text_frame.text for s in group.shapes if s.has_text_frame)
    assert f"Importations : {numbers_text.meur(total_i)}" in all_text
    assert f"Exportations : {numbers_text.meur(total_e)}" in all_text
    assert numbers_text.balance_label(total_e - total_i) in all_text
    # Imports block left of exports block, areas in the ratio of the totals (one scale for both).
    area_i = sum(s.width * s.height for s in imports)
    area_e = sum(s.width * s.height for s in exports)
    assert area_i / area_e == pytest.approx(total_i / total_e, rel=0.01)
    assert max(s.left + s.width for s in imports) < min(s.left for s in exports)


def test_treemap_labels_fit_their_compartment():
    prs, slide = blank_slide()
    group = draw_trade_treemap(slide, *tiles_of(ACTIVITIES), SMALL_FRAME, name="T", alt_text="T").group
    for shape in group.shapes:
        if not shape.name.startswith(("Importations –", "Exportations –")) or not shape.has_text_frame:
            continue
        paragraphs = [p for p in shape.text_frame.paragraphs if p.runs]
        for p in paragraphs:
            size = p.runs[0].font.size.pt
            width = text_width_emu(p.runs[0].text, size, bool(p.runs[0].font.bold))
            assert width <= shape.width
        if paragraphs:
            size = paragraphs[0].runs[0].font.size.pt
            assert len(paragraphs) * size * 1.2 * 12700 <= shape.height


def test_treemap_one_sided_and_narrow_frame():
    acts = [activity("A", "Seulement exportée", 10e6, 0), activity("B", "Autre", 2e6, 0)]
    prs, slide = blank_slide()
    group = draw_trade_treemap(slide, *tiles_of(acts), (0, 0, int(Inches(2.5)), int(Inches(2))), name="T", alt_text="T").group
    texts_ = [s.text_frame.text for s in group.shapes if s.has_text_frame]
    assert "Solde : +12\u00a0M€" in texts_
    headers = [s for s in group.shapes if s.name.startswith("T –")]
    for a in headers:
        for b in headers:
            if a is not b and a.top == b.top:
                assert a.left + a.width <= b.left or b.left + b.width <= a.left
    reopen(prs)



def test_folding_into_others_keeps_the_total():
    """Folded compartments add their value to « Autres », made last when there was none; nothing is lost."""
    items = [_Item("A", 50.0, False), _Item("B", 3.0, False), _Item("Autres", 10.0, True), _Item("C", 2.0, False)]
    assert _fold_into_others(items, set()) is items
    folded = _fold_into_others(items, {1, 3})
    assert folded == [_Item("A", 50.0, False), _Item("Autres", 15.0, True)]
    made = _fold_into_others(items[:2], {1})
    assert made == [_Item("A", 50.0, False), _Item(grammar_text.OTHERS_LABEL, 3.0, True)]
    assert sum(i.value for i in folded) == sum(i.value for i in items)


# --- Legibility: every compartment says what it is, every text reads -------------------------------------

def _treemap_parts(group):
    tiles = [s for s in group.shapes if s.name.startswith(COMPARTMENT)]
    key = {}
    for s in group.shapes:
        if s.name.startswith("Légende ") and s.text_frame.text and not s.text_frame.text.isdigit():
            number = int(s.name.split()[1])
            key[number] = s
    return tiles, key


def _assert_treemap_legible(group):
    tiles, key = _treemap_parts(group)
    numbers = []
    for tile in tiles:
        text = tile.text_frame.text.strip()
        label = tile.name.split(" – ", 1)[1]
        assert text, f"compartiment vide : {tile.name}"
        assert "…" not in text, tile.name
        if text.isdigit():
            numbers.append(int(text))
            entry = key.get(int(text))
            assert entry is not None, f"numéro {text} sans légende"
            assert entry.name.endswith(label) and one_line(entry.text_frame.text).startswith(label)
            assert VALUE.search(entry.text_frame.text.replace("\n", " ")), entry.text_frame.text
        else:
            # The whole name (a hyphenated word may break after its hyphen), then the value.
            assert text.replace("-\n", "-").replace("\n", " ").startswith(label), (label, text)
            assert VALUE.fullmatch(text.split("\n")[-1]), text
    sizes = [run.font.size.pt for s in group.shapes if s.has_text_frame
             for p in s.text_frame.paragraphs for run in p.runs]
    assert sizes and min(sizes) >= 9, min(sizes)  # no label under 9 pt, numbers and key included
    assert sorted(numbers) == sorted(key) == list(range(1, len(numbers) + 1))
    _assert_names_go_to_the_largest(tiles)
    names = [t.name for t in tiles]
    assert len(names) == len(set(names))  # two compartments never read the same
    # Key entries inside the frame, side by side or one under the other, never overlapping.
    boxes = [s for s in group.shapes if s.name.startswith("Légende ")]
    for a, b in itertools.combinations(boxes, 2):
        assert (a.left + a.width <= b.left + 1 or b.left + b.width <= a.left + 1
                or a.top + a.height <= b.top + 1 or b.top + b.height <= a.top + 1), (a.name, b.name)
    assert_contrast(group)


def _meur_of(tile) -> float:
    """A compartment's value in M€, read back from its alternative text (« Exportations – Verre : 20.9 M€ »)."""
    value = tile._element.nvSpPr.cNvPr.get("descr").rsplit(" : ", 1)[1]
    return float(value.replace("\u202f", "").replace("\u00a0", "").replace("M€", "").replace("\u2212", "-"))


def _assert_names_go_to_the_largest(tiles):
    """In each block, no activity shown by a number is larger than one shown by its name (« Autres » is
    not ranked)."""
    for flow in COMPARTMENT:
        shown = [t for t in tiles if t.name.startswith(flow) and not t.name.endswith("– Autres")]
        named = [_meur_of(t) for t in shown if not t.text_frame.text.strip().isdigit()]
        numbered = [_meur_of(t) for t in shown if t.text_frame.text.strip().isdigit()]
        if named and numbered:
            assert min(named) >= max(numbered), (flow, named, numbered)


@pytest.mark.parametrize("code", DEPARTEMENTS)
def test_treemap_every_compartment_named_or_numbered_in_the_key(builder, code):
    fiche = builder.build(code, 2024)
    prs, slide = blank_slide()
    group = draw_trade_treemap(slide, fiche.export_tiles, fiche.import_tiles, SLIDE_FRAME, name="T", alt_text="T").group
    _assert_treemap_legible(group)
    tiles, _ = _treemap_parts(group)
    x, y, w, h = SLIDE_FRAME
    for shape in group.shapes:
        assert x <= shape.left and shape.left + shape.width <= x + w + 1, shape.name
        # … and clear of the frame's bottom, where the slide's footer rule is
        assert y <= shape.top and shape.top + shape.height <= y + h - TREEMAP_BOTTOM_GAP + 1, shape.name
    # Each block's total stands over its block (the balance may move; a total alone on its line too).
    for flow in ("Importations", "Exportations"):
        header = min((s for s in group.shapes if s.name == f"T – {flow}"), key=lambda s: s.top)  # not the key's
        block_left = min(t.left for t in tiles if t.name.startswith(flow))
        beside = [s for s in group.shapes if s.name.startswith("T – ") and s is not header and s.top == header.top]
        if beside:
            assert abs(header.left - block_left) <= TREEMAP_HEADER_SLIP + 1, (flow, header.left, block_left)
    # Areas still tell the totals: what is not drawn on its own is in « Autres ».
    area = {flow: sum(t.width * t.height for t in tiles if t.name.startswith(flow)) for flow in COMPARTMENT}
    assert area[COMPARTMENT[0]] / area[COMPARTMENT[1]] == pytest.approx(
        sum(t.value_eur for t in fiche.import_tiles) / sum(t.value_eur for t in fiche.export_tiles), rel=0.02)


def test_treemap_small_compartments_get_numbers_and_a_key():
    """Many small activities in a small frame: numbers, a key, the smallest folded into « Autres »."""
    acts = tuple(activity(f"C{k:02d}", f"Autres produits numéro {k}", 900e6 / (k + 1) ** 2, 300e6 / (k + 1) ** 2)
                 for k in range(20))
    prs, slide = blank_slide()
    group = draw_trade_treemap(slide, *tiles_of(acts), SMALL_FRAME, name="T", alt_text="T").group
    _assert_treemap_legible(group)
    tiles, key = _treemap_parts(group)
    assert key, "a small frame needs a key"
    others = [t for t in tiles if t.name.endswith("– Autres")]
    assert len(others) == 2


def test_treemap_text_contrast_on_every_fill():
    """White on the block colours, dark on the light « Autres » tint (white there was 2.3:1)."""
    prs, slide = blank_slide()
    group = draw_trade_treemap(slide, *tiles_of(ACTIVITIES), FRAME, name="T", alt_text="T").group
    others = [s for s in group.shapes if s.name.endswith("– Autres")]
    assert others and all(c == theme.TEXT for s in others for _, c in run_colours(s))
    assert_contrast(group)


def test_theme_text_colours_reach_wcag_aa():
    for colour in (theme.TEXT, theme.MUTED, theme.EXPORT, theme.IMPORT, theme.POSITIVE, theme.NEGATIVE,
                   theme.ACCENT):
        assert theme.contrast_ratio(colour, "FFFFFF") >= 4.5, colour
        assert theme.contrast_ratio(colour, theme.BACKGROUND_ALT) >= 4.5, colour
    assert theme.contrast_ratio("000000", "FFFFFF") == pytest.approx(21)
    assert theme.contrast_ratio("777777", "777777") == pytest.approx(1)
