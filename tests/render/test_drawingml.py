"""The DrawingML writer: each kind of shape's XML, ids numbered after every id on the slide (after a
deletion, in turbo mode), the group's extents, and drawings LibreOffice opens."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from fichex.render import theme
from fichex.render.drawingml import (DrawingMarker, Run, Shapes, drawings_written_at_save, expand_drawings,
                                    finish_group, new_group)
from fichex.render.pptx import build_deck
from fichex.render.pptx.package import reproducible
from fichex.render.pptx.territoire import build_territoire_deck
from fichex.render.sankey import draw_sankey
from fichex.render.treemap import draw_trade_treemap

from drawing_helpers import ACTIVITIES, FRAME, MATRIX, NS_A, SMALL_FRAME, blank_slide, fill_colour, reopen, tiles_of


def _drawn(draw) -> list:
    """The shapes that `draw(shapes)` writes into a group on a blank slide, read back from the saved file."""
    prs, slide = blank_slide()
    group, shapes = new_group(slide, "G", "Groupe")
    draw(shapes)
    finish_group(slide, group, shapes, (0, 0, 100, 100))
    return list(reopen(prs).slides[0].shapes[0].shapes)


def test_each_shape_takes_the_next_id_and_widens_the_bounds():
    shapes = Shapes(7)
    shapes.rect("A", 10, 20, 30, 40, "112233")
    shapes.text("B", 0, 100, 5, 5, [[Run("b", "000000")]], 10.0)
    assert shapes.next_id == 9
    assert shapes.bounds == [0, 20, 40, 105]
    assert 'id="7" name="A"' in shapes.parts[0] and 'id="8" name="B"' in shapes.parts[1]


def test_rect_and_ellipse_have_explicit_fill_and_line():
    def draw(shapes):
        shapes.rect("Fond", 0, 0, 0, 0, "AABBCC", descr='a < b & "c"', opacity=40)
        shapes.ellipse("Repère", 10, 10, 50, 50, None, line="1F2933", line_w=28575)
    rect, ellipse = _drawn(draw)
    assert (rect.width, rect.height) == (1, 1)  # never zero-sized
    assert rect._element.nvSpPr.cNvPr.get("descr") == 'a < b & "c"'
    assert rect._element.xpath("./p:spPr/a:prstGeom/@prst") == ["rect"]
    assert rect._element.xpath("./p:spPr/a:solidFill/a:srgbClr/a:alpha/@val") == ["40000"]
    assert rect._element.xpath("./p:spPr/a:ln/a:noFill")
    assert ellipse._element.xpath("./p:spPr/a:prstGeom/@prst") == ["ellipse"]
    assert ellipse._element.xpath("./p:spPr/a:noFill")
    assert ellipse._element.xpath("./p:spPr/a:ln/@w") == ["28575"]
    assert ellipse._element.xpath("./p:spPr/a:ln/a:solidFill/a:srgbClr/@val") == ["1F2933"]


def test_text_runs_are_escaped_bold_and_in_the_theme_font():
    def draw(shapes):
        shapes.text("Étiquette", 0, 0, 1000, 500, [[Run("R&D <x>", "112233", True), Run(" 3.0 M€", "445566")], []],
                    9.5, align="r", anchor="ctr", inset=12)
        shapes.text("Vide", 0, 0, 10, 10, [], 9.0, fill="FFFFFF")
    label, empty = _drawn(draw)
    assert label.text_frame.text == "R&D <x> 3.0 M€\n"
    runs = label.text_frame.paragraphs[0].runs
    assert [r.font.bold for r in runs] == [True, False] and runs[0].font.size.pt == 9.5
    assert {e.get("typeface") for e in label._element.iter(f"{NS_A}latin")} == {theme.FONT}
    assert label._element.xpath("./p:nvSpPr/p:cNvSpPr/@txBox") == ["1"]
    assert label._element.xpath("./p:txBody/a:bodyPr/@anchor") == ["ctr"]
    assert label._element.xpath("./p:txBody/a:bodyPr/@lIns") == ["12"]
    assert empty.text_frame.text == "" and fill_colour(empty) == "FFFFFF"
    assert not empty._element.xpath("./p:nvSpPr/p:cNvSpPr/@txBox")  # a filled rectangle, not a text box


def test_freeform_path_and_ribbon_are_custom_geometry():
    ring = ('<a:path w="10" h="10"><a:moveTo><a:pt x="0" y="0"/></a:moveTo><a:lnTo><a:pt x="10" y="10"/></a:lnTo>'
            '<a:close/></a:path>')
    stroke = '<a:moveTo><a:pt x="0" y="0"/></a:moveTo><a:lnTo><a:pt x="50" y="20"/></a:lnTo>'

    def draw(shapes):
        shapes.freeform("Contour", 0, 0, 100, 100, ring * 2, fill="7B3FA0", line="FFFFFF", line_w=6350, rounded=True)
        shapes.path("Trait", 0, 0, 50, 20, stroke, "AAAAAA", 9525)
        shapes.ribbon("Flux", 0, 200, 10, 30, 50, 70, "C00000", 80, descr="A → B")
    outline, line, ribbon = _drawn(draw)
    for shape in (outline, line, ribbon):
        assert shape.shape_type == MSO_SHAPE_TYPE.FREEFORM
    assert len(outline._element.xpath("./p:spPr/a:custGeom/a:pathLst/a:path")) == 2
    assert outline._element.xpath("./p:spPr/a:ln/@cap") == ["rnd"] and outline._element.xpath("./p:spPr/a:ln/a:round")
    assert fill_colour(outline) == "7B3FA0"
    assert line._element.xpath("./p:spPr/a:custGeom/a:pathLst/a:path/@fill") == ["none"]
    assert line._element.xpath("./p:spPr/a:noFill") and not line._element.xpath("./p:spPr/a:ln/@cap")
    assert (ribbon.left, ribbon.top, ribbon.width, ribbon.height) == (0, 10, 200, 60)
    assert len(ribbon._element.xpath(".//a:cubicBezTo")) == 2
    assert ribbon._element.xpath("./p:spPr/a:solidFill/a:srgbClr/a:alpha/@val") == ["80000"]
    assert ribbon._element.xpath("./p:spPr/a:ln/a:noFill")


def test_finish_group_sets_the_extents_to_the_children_or_the_frame():
    prs, slide = blank_slide()
    group, shapes = new_group(slide, "Dessin", "Texte de remplacement")
    shapes.rect("A", 100, 200, 300, 400, "000000")
    shapes.rect("B", 50, 250, 10, 10, "000000")
    assert finish_group(slide, group, shapes, FRAME) is group
    empty, nothing = new_group(slide, "Vide", "Rien")
    finish_group(slide, empty, nothing, FRAME)
    group, empty = reopen(prs).slides[0].shapes
    assert group.name == "Dessin" and group._element.nvGrpSpPr.cNvPr.get("descr") == "Texte de remplacement"
    assert (group.left, group.top, group.width, group.height) == (50, 200, 350, 400)
    xfrm = group._element.grpSpPr.xfrm
    assert (xfrm.chOff.x, xfrm.chOff.y, xfrm.chExt.cx, xfrm.chExt.cy) == (50, 200, 350, 400)  # no scaling
    assert (empty.left, empty.top, empty.width, empty.height) == FRAME
    assert len(empty.shapes) == 0


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
    draw_trade_treemap(slide, *tiles_of(ACTIVITIES), FRAME, name="T", alt_text="T")
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))  # a shape added after the drawings
    ids = _slide_ids(reopen(prs).slides[0])
    assert len(ids) > 50
    assert len(ids) == len(set(ids))


def test_drawings_keep_shape_ids_unique_in_turbo_mode():
    prs, slide = blank_slide()
    slide.shapes.turbo_add_enabled = True
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))
    draw_sankey(slide, MATRIX, FRAME, name="S", alt_text="S")
    slide.shapes.add_textbox(0, 0, Inches(1), Inches(0.5))
    ids = _slide_ids(slide)
    assert len(ids) == len(set(ids))


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_drawings_to_pdf(tmp_path):
    prs, slide = blank_slide()
    draw_trade_treemap(slide, *tiles_of(ACTIVITIES), FRAME, name="Treemap", alt_text="Activités")
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


# --- Drawings written when the package is (drawings_written_at_save) ------------------------------------------

_AWKWARD = ['a < b & "c" > d', "l'Île-de-France", "tab\there", "retour\rchariot", "ligne\nsuivante",
            "ctrl\x01\x1f", "€ — « » ü 中", "", " ", "&amp;"]


@pytest.mark.parametrize("text", _AWKWARD)
def test_escaped_text_and_attributes_are_what_lxml_writes_back(text):
    """A drawing kept as bytes is written into the slide as is: its XML must be what parsing it and writing it
    back gives (the route outside `drawings_written_at_save`), whatever the label."""
    shapes = Shapes(2)
    shapes.text(text or "x", 0, 0, 10, 10, [[Run(text, "000000")]], 9.0, descr=text)
    shapes.freeform("Vide", 0, 0, 10, 10, "", descr=text)
    xml = "".join(shapes.parts)
    wrapper = parse_xml(f'<p:grpSp {nsdecls("a", "p")}>{xml}</p:grpSp>')
    written = "".join(_without_ns(etree.tostring(child, encoding=str)) for child in wrapper)
    assert written == xml


def _without_ns(xml: str) -> str:
    """A child serialised alone carries its namespace declarations: without them, as it is within the slide."""
    return re.sub(r' xmlns:\w+="[^"]*"', "", xml)


def _package(build, deferred: bool) -> bytes:
    """The package of the deck `build()` makes, its drawings parsed into the slides or written in at save."""
    when = datetime(2025, 3, 1)
    if not deferred:
        return reproducible(build(), when)
    with drawings_written_at_save() as drawings:
        return reproducible(build(), when, drawings)


def test_a_deck_with_its_drawings_kept_as_bytes_is_the_same_deck(builder):
    """Map, treemap, Sankeys (the région's and France's too) and a Territoire d'industrie's deck: the same
    package, byte for byte, whether the drawings are parsed into the slides or written in at save."""
    builds = [lambda: build_deck(builder.build("2A", 2024)),
              lambda: build_deck(builder.build_level("region", "75", 2024)),
              lambda: build_territoire_deck("Essai", [builder.build("23", 2024), builder.build("87", 2024)])]
    for build in builds:
        parsed, kept = _package(build, False), _package(build, True)
        assert b"fichexDessin" not in kept
        assert kept == parsed


def test_drawings_kept_as_bytes_leave_a_marker_counted_in_shape_ids():
    prs, slide = blank_slide()
    with drawings_written_at_save() as drawings:
        group, shapes = new_group(slide, "G", "Groupe")
        shapes.rect("A", 0, 0, 10, 10, "000000")
        shapes.rect("B", 0, 0, 10, 10, "000000")
        finish_group(slide, group, shapes, FRAME)
        after = slide.shapes.add_textbox(0, 0, 10, 10)  # python-pptx numbers it after the hidden shapes
    assert len(drawings) == 1 and drawings[0].count(b"<p:sp>") == 2
    assert after.shape_id == shapes.next_id
    xml = etree.tostring(slide.shapes._spTree)
    assert DrawingMarker.PATTERN.search(xml)
    assert expand_drawings(xml, drawings).count(b"<p:sp>") == 3 and b"fichexDessin" not in expand_drawings(xml, drawings)
    assert expand_drawings(b"<p:sld/>", drawings) == b"<p:sld/>"


def test_outside_the_block_the_drawing_is_parsed_into_the_slide():
    prs, slide = blank_slide()
    group, shapes = new_group(slide, "G", "Groupe")
    shapes.rect("A", 0, 0, 10, 10, "000000")
    finish_group(slide, group, shapes, FRAME)
    assert [child.tag.split("}")[-1] for child in group.element][-1] == "sp"


def test_every_part_of_a_written_deck_is_well_formed_xml(fiche_23, tmp_path):
    """The drawings go into the package unparsed: every XML part of the file must still parse."""
    import zipfile

    from fichex.render.pptx import write_deck

    write_deck(fiche_23, tmp_path / "deck.pptx")
    with zipfile.ZipFile(tmp_path / "deck.pptx") as package:
        parts = [name for name in package.namelist() if name.endswith((".xml", ".rels"))]
        for name in parts:
            etree.fromstring(package.read(name))
    assert any(name.startswith("ppt/slides/slide") for name in parts)
