"""The deck's package (render/pptx/package.py): the template's slides dropped, the same bytes from the same
inputs, and the parts python-pptx leaves short of the standard completed."""

from __future__ import annotations

import re
import time
import zipfile

from pptx import Presentation

from fichex.wording import model_text
from fichex.resources import default_template_path
from fichex.render.pptx import write_deck
from fichex.render.pptx import package
from fichex.render.pptx.package import strict_part
from fichex.render.pptx_internals import saved_members


def test_template_slides_are_dropped(fiche_23, deck_23, tmp_path):
    branded = Presentation(str(default_template_path()))
    branded.slides.add_slide(branded.slide_layouts[0])
    path = tmp_path / "avec_diapo.pptx"
    branded.save(str(path))
    out = tmp_path / "deck.pptx"
    write_deck(fiche_23, out, template=path)
    assert len(Presentation(str(out)).slides) == len(deck_23.slides)


def test_deck_parts_are_deterministic(fiche_23, deck_23_path, tmp_path):
    again = tmp_path / "encore.pptx"
    write_deck(fiche_23, again)
    with zipfile.ZipFile(deck_23_path) as one, zipfile.ZipFile(again) as two:
        assert one.namelist() == two.namelist()
        for name in one.namelist():
            assert one.read(name) == two.read(name), name


def test_decks_are_byte_identical_across_builds(fiche_23, tmp_path):
    write_deck(fiche_23, tmp_path / "a.pptx")
    time.sleep(2.1)  # ZIP dates have a two-second resolution: a clock date would differ
    write_deck(fiche_23, tmp_path / "b.pptx")
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()
    dates = {info.date_time for info in zipfile.ZipFile(tmp_path / "a.pptx").infolist()}
    assert dates == {(fiche_23.document_date.year, fiche_23.document_date.month, fiche_23.document_date.day, 0, 0, 0)}


def test_the_one_pass_package_equals_python_pptx_save_rezipped(fiche_23, deck_23_path, tmp_path, monkeypatch):
    """The members python-pptx would save, compressed once, give the bytes of its saved ZIP read back and
    re-zipped (the route before issue 27): the same deck, byte for byte."""
    monkeypatch.setattr(package, "package_members", saved_members)
    write_deck(fiche_23, tmp_path / "rezipped.pptx")
    assert (tmp_path / "rezipped.pptx").read_bytes() == deck_23_path.read_bytes()


def test_the_package_meets_the_standard_where_python_pptx_falls_short(fiche_23, deck_23, tmp_path):
    write_deck(fiche_23, tmp_path / "d.pptx")
    with zipfile.ZipFile(tmp_path / "d.pptx") as package:
        charts = [package.read(n) for n in package.namelist() if n.startswith("ppt/charts/") and n.endswith(".xml")]
        presentation = package.read("ppt/presentation.xml")
        rels = package.read("ppt/_rels/presentation.xml.rels")
        app = package.read("docProps/app.xml")
        core = package.read("docProps/core.xml").decode()
    ids = [int(v) for chart in charts for v in re.findall(rb'<c:(?:axId|crossAx) val="(-?\d+)"', chart)]
    assert charts and ids and all(0 <= v < 2**32 for v in ids)
    for chart in charts:  # every axis still crosses an axis of its chart
        assert set(re.findall(rb'<c:crossAx val="(\d+)"', chart)) <= set(re.findall(rb'<c:axId val="(\d+)"', chart))
    (rid,) = re.findall(rb'<p:notesMasterId r:id="(rId\d+)"/>', presentation)
    assert re.search(rb'Id="' + rid + rb'"[^>]*notesMaster', rels) or re.search(rb'notesMaster[^>]*Id="' + rid, rels)
    assert presentation.index(b"</p:sldMasterIdLst>") < presentation.index(b"<p:notesMasterIdLst>") \
        < presentation.index(b"<p:sldIdLst>")
    assert f"<Slides>{len(deck_23.slides)}</Slides>".encode() in app
    assert f"<dc:description>{model_text.DEMO_WARNING}</dc:description>" in core


def test_strict_part_leaves_other_parts_alone():
    data = b'<c:axId val="-5"/>'
    assert strict_part("ppt/slides/slide1.xml", data, {}, 3) == data
    assert strict_part("ppt/charts/chart1.xml", data, {}, 3) == b'<c:axId val="2147483643"/>'
