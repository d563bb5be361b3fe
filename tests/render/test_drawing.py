"""Native drawings: one group per drawing, ribbons per non-zero cell, red highlights, alt text, Béziers."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from fichex import texts
from fichex.aggregation.model import ActivityTrade, FlowMatrix, FlowNode
from fichex.render import theme
from fichex.aggregation.aggregate import activity_tiles
from fichex.render.drawing import draw_sankey, draw_trade_treemap, text_width_emu

NS_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
FRAME = (int(Inches(0.5)), int(Inches(1)), int(Inches(12)), int(Inches(6)))
SMALL_FRAME = (int(Inches(0.5)), int(Inches(1)), int(Inches(6)), int(Inches(3.5)))


def _matrix(values, highlighted, others=True) -> FlowMatrix:
    src = [FlowNode(f"P{i}", f"Produit numéro {i} & dérivés") for i in range(len(values))]
    tgt = [FlowNode(f"C{j}", f"Pays {j}") for j in range(len(values[0]))]
    if others:
        src[-1] = FlowNode("AUTRES", "Autres")
        tgt[-1] = FlowNode("AUTRES", "Autres")
    return FlowMatrix("E", tuple(src), tuple(tgt), tuple(tuple(float(v) for v in row) for row in values),
                      frozenset(highlighted))


MATRIX = _matrix([[315e6, 14e6, 0, 27e6], [10e6, 7e6, 2e6, 12e6], [0.4e6, 0, 0, 0.8e6], [13e6, 0.6e6, 0.6e6, 3e6]],
                 {(0, 0), (0, 3), (3, 0), (1, 3), (0, 1)})


def _activity(code, label, exports, imports) -> ActivityTrade:
    return ActivityTrade(code, label, label, code[:2], label, float(exports), float(imports))


def _tiles(activities):
    return activity_tiles(activities, "E"), activity_tiles(activities, "I")


ACTIVITIES = tuple(
    _activity(f"C{k:02d}", f"Activité industrielle numéro {k}", 400e6 / (k + 1) ** 1.3, 150e6 / (k + 2))
    for k in range(20)) + (_activity("X01", "Exportée seulement", 5e6, 0),)


def _reopen(prs):
    stream = io.BytesIO()
    prs.save(stream)
    stream.seek(0)
    return Presentation(stream)


def _blank_slide():
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    return prs, prs.slides.add_slide(prs.slide_layouts[6])


def _ribbons(group):
    return [s for s in group.shapes if s.name.startswith("Flux ")
            and s._element.find(f".//{NS_A}custGeom") is not None]


def _fill_colour(shape):
    clr = shape._element.find(f"./*/{NS_A}solidFill/{NS_A}srgbClr")
    return None if clr is None else clr.get("val")


def test_sankey_is_one_group_with_a_ribbon_per_cell():
    prs, slide = _blank_slide()
    draw_sankey(slide, MATRIX, FRAME, name="Sankey export", alt_text="Flux à l'export, Creuse")
    slide = _reopen(prs).slides[0]
    assert len(slide.shapes) == 1
    group = slide.shapes[0]
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert group.name == "Sankey export"
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == "Flux à l'export, Creuse"
    ribbons = _ribbons(group)
    non_zero = sum(1 for row in MATRIX.values for v in row if v > 0)
    assert len(ribbons) == non_zero
    red = [r for r in ribbons if _fill_colour(r) == theme.HIGHLIGHT]
    assert len(red) == len(MATRIX.highlighted)
    assert all(_fill_colour(r) == theme.FLOW_GREY for r in ribbons if r not in red)
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
    prs, slide = _blank_slide()
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    group = _reopen(prs).slides[0].shapes[0]
    red_names = {r.name for r in _ribbons(group) if _fill_colour(r) == theme.HIGHLIGHT}
    expected = {f"Flux {MATRIX.sources[i].label} – {MATRIX.targets[j].label}" for i, j in MATRIX.highlighted}
    assert red_names == expected


def test_sankey_labels_inside_frame_and_not_overlapping():
    values = [[1e9] + [1e3] * 10] + [[1e3] * 11 for _ in range(10)]
    matrix = _matrix(values, {(0, 0)})
    for compact, frame in ((False, FRAME), (True, SMALL_FRAME)):
        prs, slide = _blank_slide()
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
    prs, slide = _blank_slide()
    group = draw_sankey(slide, _matrix(values, set()), FRAME, name="S", alt_text="S")
    assert len(_ribbons(group)) == sum(1 for row in values for v in row if v > 0)
    labels = sorted((s for s in group.shapes if s.name.startswith("Étiquette") and s.left < FRAME[0] + 10),
                    key=lambda s: s.top)
    assert 0 < len(labels) < 120  # only those with room are labelled
    for a, b in zip(labels, labels[1:]):
        assert a.top + a.height <= b.top + 1

    prs, slide = _blank_slide()
    group = draw_sankey(slide, _matrix([[0, 0], [0, 0]], set(), others=False), FRAME, name="Z", alt_text="vide")
    assert _ribbons(group) == []
    _reopen(prs)


def _slide_ids(slide) -> list[int]:
    return [int(v) for v in slide.shapes._spTree.xpath("//p:cNvPr/@id")]


def _first_free_id(self) -> int:
    """The lowest id not in use: how python-pptx numbers a new group (`CT_GroupShape._next_shape_id`)."""
    used = {int(v) for v in self._spTree.xpath("//@id") if v.isdigit()}
    return next(n for n in range(1, len(used) + 2) if n not in used)


@pytest.mark.parametrize("first_free", [False, True], ids=["as_installed", "first_free_id_everywhere"])
def test_drawings_keep_shape_ids_unique_after_a_deletion(monkeypatch, first_free):
    if first_free:
        from pptx.shapes.shapetree import _BaseShapes
        monkeypatch.setattr(_BaseShapes, "_next_shape_id", property(_first_free_id))
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[1])  # title and content: two placeholders
    for k in range(4):
        slide.shapes.add_textbox(Inches(k), 0, Inches(1), Inches(0.5))
    # A placeholder and a shape in the middle of the tree are removed: their ids become free.
    for shape in (slide.placeholders[1], slide.shapes[3]):
        shape._element.getparent().remove(shape._element)
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    draw_trade_treemap(slide, *_tiles(ACTIVITIES), FRAME, name="T", alt_text="T")
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))  # a shape added after the drawings
    ids = _slide_ids(_reopen(prs).slides[0])
    assert len(ids) > 50
    assert len(ids) == len(set(ids))


def test_drawings_keep_shape_ids_unique_in_turbo_mode():
    prs, slide = _blank_slide()
    slide.shapes.turbo_add_enabled = True
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))
    ids = _slide_ids(slide)
    assert len(ids) == len(set(ids))


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
        prs, slide = _blank_slide()
        labels = _label_texts(draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact))
        assert not [t for t in labels if "…" in t], (compact, labels)
        assert any(t.replace("\n", " ").startswith("Produits pharmaceutiques 66 020.5 M€") for t in labels)


def test_sankey_too_long_labels_are_shortened_within_their_column():
    long_name = ("Produits de la construction automobile et de ses équipementiers de second rang, "
                 "de leurs fournisseurs de pièces détachées et de leurs sous-traitants de toute la filière")
    src = (FlowNode("P0", long_name), FlowNode("P1", "Boissons"))
    tgt = (FlowNode("C0", long_name.replace("Produits", "Pays")), FlowNode("C1", "Italie"))
    matrix = FlowMatrix("E", src, tgt, ((5e8, 1e8), (2e8, 3e8)), frozenset())
    for compact, frame in ((False, FRAME), (True, SMALL_FRAME)):
        prs, slide = _blank_slide()
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


def test_treemap_group_totals_and_others():
    prs, slide = _blank_slide()
    draw_trade_treemap(slide, *_tiles(ACTIVITIES), FRAME, name="Treemap", alt_text="Principales activités")
    group = _reopen(prs).slides[0].shapes[0]
    assert len(_reopen(prs).slides[0].shapes) == 1
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == "Principales activités"
    compartments = [s for s in group.shapes if s.name.startswith(("Importations –", "Exportations –"))]
    imports = [s for s in compartments if s.name.startswith("Importations")]
    exports = [s for s in compartments if s.name.startswith("Exportations")]
    assert len(imports) == 12 and len(exports) == 12
    assert sum(s.name.endswith("Autres") for s in compartments) == 2
    assert {_fill_colour(s) for s in imports if not s.name.endswith("Autres")} == {theme.IMPORT}
    assert {_fill_colour(s) for s in exports if not s.name.endswith("Autres")} == {theme.EXPORT}
    assert all(s._element.nvSpPr.cNvPr.get("descr") for s in compartments)
    total_e = sum(a.exports_eur for a in ACTIVITIES)
    total_i = sum(a.imports_eur for a in ACTIVITIES)
    all_text = " | ".join(s.text_frame.text for s in group.shapes if s.has_text_frame)
    assert f"Importations : {texts.format_meur_fixed(total_i)} M€" in all_text
    assert f"Exportations : {texts.format_meur_fixed(total_e)} M€" in all_text
    assert f"Solde : +{texts.format_meur_fixed(total_e - total_i)} M€" in all_text
    # Imports block left of exports block, areas in the ratio of the totals (one scale for both).
    area_i = sum(s.width * s.height for s in imports)
    area_e = sum(s.width * s.height for s in exports)
    assert area_i / area_e == pytest.approx(total_i / total_e, rel=0.01)
    assert max(s.left + s.width for s in imports) < min(s.left for s in exports)


def test_treemap_labels_fit_their_compartment():
    prs, slide = _blank_slide()
    group = draw_trade_treemap(slide, *_tiles(ACTIVITIES), SMALL_FRAME, name="T", alt_text="T")
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
    acts = [_activity("A", "Seulement exportée", 10e6, 0), _activity("B", "Autre", 2e6, 0)]
    prs, slide = _blank_slide()
    group = draw_trade_treemap(slide, *_tiles(acts), (0, 0, int(Inches(2.5)), int(Inches(2))), name="T", alt_text="T")
    texts_ = [s.text_frame.text for s in group.shapes if s.has_text_frame]
    assert "Solde : +12.0 M€" in texts_
    headers = [s for s in group.shapes if s.name.startswith("T –")]
    for a in headers:
        for b in headers:
            if a is not b and a.top == b.top:
                assert a.left + a.width <= b.left or b.left + b.width <= a.left
    _reopen(prs)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_drawings_to_pdf(tmp_path):
    prs, slide = _blank_slide()
    draw_trade_treemap(slide, *_tiles(ACTIVITIES), FRAME, name="Treemap", alt_text="Activités")
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    draw_sankey(slide, MATRIX, FRAME, name="Sankey", alt_text="Flux")
    draw_sankey(slide, MATRIX, SMALL_FRAME, name="Sankey compact", alt_text="Flux", compact=True)
    deck = tmp_path / "x.pptx"
    prs.save(deck)
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(deck)],
        capture_output=True, timeout=180)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    pdf = tmp_path / "x.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


# --- Legibility: every compartment says what it is, every label sits by its node, every text reads -------

# The template's chart frames: a full-width drawing (treemap, flows Sankey) and a half-slide comparison Sankey.
SLIDE_FRAME = (int(Inches(0.5)), int(Inches(1.9)), int(Inches(8.5)), int(Inches(4.95)))
HALF_FRAME = (int(Inches(0.5)), int(Inches(2.35)), int(Inches(6.0)), int(Inches(4.0)))
DEPARTEMENTS = ("23", "87", "13", "75", "971", "976", "20")
COMPARTMENT = ("Importations –", "Exportations –")
VALUE = re.compile(r"-?\d{1,3}( \d{3})*\.\d M€")


def _background(shape) -> str:
    """The colour behind a shape's text: its own fill, else the white slide."""
    return _fill_colour(shape) or "FFFFFF"


def _run_colours(shape):
    for run in shape._element.iter(f"{NS_A}r"):
        clr = run.find(f"./{NS_A}rPr/{NS_A}solidFill/{NS_A}srgbClr")
        yield run.findtext(f"{NS_A}t"), clr.get("val")


def _assert_contrast(group):
    for shape in group.shapes:
        for text, colour in _run_colours(shape):
            ratio = theme.contrast_ratio(colour, _background(shape))
            assert ratio >= 4.5, (shape.name, text, colour, _background(shape), round(ratio, 2))


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
            assert entry.name.endswith(label) and " ".join(entry.text_frame.text.split()).startswith(label)
            assert VALUE.search(entry.text_frame.text.replace("\n", " ")), entry.text_frame.text
        else:
            assert text.replace("\n", " ").startswith(label), (label, text)  # the whole name, then the value
            assert VALUE.fullmatch(text.split("\n")[-1]), text
            size = tile.text_frame.paragraphs[0].runs[0].font.size.pt
            assert size >= 8
    assert sorted(numbers) == sorted(key) == list(range(1, len(numbers) + 1))
    names = [t.name for t in tiles]
    assert len(names) == len(set(names))  # two compartments never read the same
    # Key entries inside the frame, side by side or one under the other, never overlapping.
    boxes = [s for s in group.shapes if s.name.startswith("Légende ")]
    for a, b in itertools.combinations(boxes, 2):
        assert (a.left + a.width <= b.left + 1 or b.left + b.width <= a.left + 1
                or a.top + a.height <= b.top + 1 or b.top + b.height <= a.top + 1), (a.name, b.name)
    _assert_contrast(group)


@pytest.mark.parametrize("code", DEPARTEMENTS)
def test_treemap_every_compartment_named_or_numbered_in_the_key(builder, code):
    fiche = builder.build(code, 2024)
    prs, slide = _blank_slide()
    group = draw_trade_treemap(slide, fiche.export_tiles, fiche.import_tiles, SLIDE_FRAME, name="T", alt_text="T")
    _assert_treemap_legible(group)
    tiles, _ = _treemap_parts(group)
    x, y, w, h = SLIDE_FRAME
    for shape in group.shapes:
        assert x <= shape.left and shape.left + shape.width <= x + w + 1, shape.name
        assert y <= shape.top and shape.top + shape.height <= y + h + 1, shape.name
    # Areas still tell the totals: what is not drawn on its own is in « Autres ».
    area = {flow: sum(t.width * t.height for t in tiles if t.name.startswith(flow)) for flow in COMPARTMENT}
    assert area[COMPARTMENT[0]] / area[COMPARTMENT[1]] == pytest.approx(
        sum(t.value_eur for t in fiche.import_tiles) / sum(t.value_eur for t in fiche.export_tiles), rel=0.02)


def test_treemap_small_compartments_get_numbers_and_a_key():
    """Many small activities in a small frame: numbers, a key, the smallest folded into « Autres »."""
    acts = tuple(_activity(f"C{k:02d}", f"Autres produits numéro {k}", 900e6 / (k + 1) ** 2, 300e6 / (k + 1) ** 2)
                 for k in range(20))
    prs, slide = _blank_slide()
    group = draw_trade_treemap(slide, *_tiles(acts), SMALL_FRAME, name="T", alt_text="T")
    _assert_treemap_legible(group)
    tiles, key = _treemap_parts(group)
    assert key, "a small frame needs a key"
    others = [t for t in tiles if t.name.endswith("– Autres")]
    assert len(others) == 2


def test_treemap_text_contrast_on_every_fill():
    """White on the block colours, dark on the light « Autres » tint (white there was 2.3:1)."""
    prs, slide = _blank_slide()
    group = draw_trade_treemap(slide, *_tiles(ACTIVITIES), FRAME, name="T", alt_text="T")
    others = [s for s in group.shapes if s.name.endswith("– Autres")]
    assert others and all(c == theme.TEXT for s in others for _, c in _run_colours(s))
    _assert_contrast(group)


def test_theme_text_colours_reach_wcag_aa():
    for colour in (theme.TEXT, theme.MUTED, theme.EXPORT, theme.IMPORT, theme.POSITIVE, theme.NEGATIVE,
                   theme.ACCENT):
        assert theme.contrast_ratio(colour, "FFFFFF") >= 4.5, colour
        assert theme.contrast_ratio(colour, theme.BACKGROUND_ALT) >= 4.5, colour
    assert theme.contrast_ratio("000000", "FFFFFF") == pytest.approx(21)
    assert theme.contrast_ratio("777777", "777777") == pytest.approx(1)


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
        prs, slide = _blank_slide()
        group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=compact)
        assert _assert_labels_by_their_nodes(group, frame) == 0  # a slide's frame has room for every label
        _assert_contrast(group)
        labels = [s for s in group.shapes if s.name.startswith("Étiquette ")]
        assert len(labels) == sum(1 for t in matrix.source_totals if t > 0) + sum(1 for t in matrix.target_totals if t > 0)
        for label in labels:
            text = " ".join(label.text_frame.text.split())
            assert VALUE.search(text) and text.endswith(" M€"), text
            assert "…" not in text, text
            for run in (r for p in label.text_frame.paragraphs for r in p.runs):
                assert run.font.size.pt >= (9 if compact else 9.5)


def test_sankey_crowded_labels_are_tied_to_their_node():
    """A frame too low for every label beside its node: labels move apart and a leader line joins each."""
    values = [[1e9] + [1e6] * 10] + [[1e6] * 11 for _ in range(10)]
    matrix = _matrix(values, {(0, 0)})
    frame = (int(Inches(0.5)), int(Inches(1)), int(Inches(6)), int(Inches(2.2)))
    prs, slide = _blank_slide()
    group = draw_sankey(slide, matrix, frame, name="S", alt_text="S", compact=True)
    assert _assert_labels_by_their_nodes(group, frame) > 0
    _reopen(prs)


def test_compact_sankey_numbers_one_format_with_unit():
    """« 3 278.0 M€ » beside « 2 316.3 M€ », never « 3 278 »; 9 pt at least."""
    src = (FlowNode("P0", "Boissons"), FlowNode("P1", "Verre"))
    tgt = (FlowNode("C0", "Italie"), FlowNode("C1", "Espagne"))
    matrix = FlowMatrix("E", src, tgt, ((3_000e6, 278e6), (2_000e6, 316.3e6)), frozenset())
    prs, slide = _blank_slide()
    group = draw_sankey(slide, matrix, HALF_FRAME, name="S", alt_text="S", compact=True)
    texts_ = {" ".join(s.text_frame.text.split()) for s in group.shapes if s.name.startswith("Étiquette")}
    assert texts_ == {"Boissons 3 278.0 M€", "Verre 2 316.3 M€", "Italie 5 000.0 M€", "Espagne 594.3 M€"}
