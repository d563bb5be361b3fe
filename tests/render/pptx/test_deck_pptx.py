"""The deck as a whole (render/pptx/__init__.py): its slides in order, their layouts, the template it is built
on, alternative text on every figure, and LibreOffice opening it."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fichex.wording import deck as deck_text, model_text, specialisation as spec_text
from fichex.errors import TemplateError
from fichex.resources import default_template_path
from fichex.render.pptx import write_deck

EXPECTED_TITLES = [
    model_text.COVER_TITLE,
    deck_text.DECK_INTRO_TITLE,
    deck_text.DECK_CONTEXT_TITLE,
    deck_text.DECK_CAVEATS_TITLE,
    deck_text.DECK_SUMMARY_TITLE,
    deck_text.DECK_MAP_TITLE,
    deck_text.DECK_PARTNERS_TITLE,
    deck_text.EXPOSURE_TITLE,
    spec_text.SPECIALISATION_TITLE,
    deck_text.DECK_ACTIVITIES_TITLE,
    deck_text.DECK_FLOW_TITLES["E"],
    deck_text.DECK_COMPARISON_TITLES["E"],
    deck_text.DECK_FLOW_TITLES["I"],
    deck_text.DECK_COMPARISON_TITLES["I"],
    deck_text.DECK_EVOLUTION_TITLE,
    deck_text.DECK_PRACTICAL_TITLE,
]


def descr(shape) -> str:
    return shape.element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def test_slides_and_titles(deck_23):
    prs = deck_23
    assert len(prs.slides) == len(EXPECTED_TITLES)
    assert [slide.shapes.title.text_frame.text for slide in prs.slides] == EXPECTED_TITLES
    assert prs.slide_width * 9 == prs.slide_height * 16


def test_layouts_used(deck_23):
    assert [slide.slide_layout.name for slide in deck_23.slides] == [
        "Couverture", "Titre et texte", "Titre et texte", "Titre et texte", "Titre et texte", "Graphique",
        "Graphique", "Graphique", "Deux graphiques", "Graphique", "Graphique",
        "Deux graphiques", "Graphique", "Deux graphiques", "Graphique", "Contact"]


def test_alt_text_on_every_chart_and_drawing(deck_23):
    count = 0
    for slide in deck_23.slides:
        for shape in slide.shapes:
            if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                assert len(descr(shape)) > 40, shape.name
                count += 1
    # map, butterfly, exposure, RCA bars and waterfall, treemap, Sankeys, evolution
    assert count == 1 + 1 + 1 + 2 + 1 + 1 + 2 + 1 + 2 + 1


def test_potx_template(fiche_23, tmp_path):
    potx = tmp_path / "marque.potx"
    with zipfile.ZipFile(default_template_path()) as zin, zipfile.ZipFile(potx, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            zout.writestr(info, data)
    out = tmp_path / "depuis_potx.pptx"
    write_deck(fiche_23, out, template=potx)
    assert len(Presentation(str(out)).slides) == len(EXPECTED_TITLES)


def test_template_missing_layout(fiche_23, tmp_path):
    branded = Presentation(str(default_template_path()))
    branded.slide_layouts[3].element.cSld.set("name", "Autre")
    path = tmp_path / "incomplet.pptx"
    branded.save(str(path))
    out = tmp_path / "deck.pptx"
    with pytest.raises(TemplateError, match="Graphique"):
        write_deck(fiche_23, out, template=path)
    assert not out.exists()
    assert list(tmp_path.glob(".deck.pptx.*")) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_deck(deck_23_path, tmp_path):
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(deck_23_path)],
        capture_output=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "fiche_23.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
