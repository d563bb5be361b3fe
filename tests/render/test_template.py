"""The template contract: bundled template complete, .potx accepted, missing layouts reported in French."""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from fichex.errors import TemplateError
from fichex.resources import default_template_path
from fichex.render import template as tpl

REPO = Path(__file__).resolve().parent.parent.parent


def as_potx(source: Path, target: Path) -> Path:
    """Copy a .pptx as a .potx (only the main part's content type differs)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            zout.writestr(info, data)
    return target


def template_with(tmp_path: Path, name: str, edit) -> Path:
    prs = Presentation(str(default_template_path()))
    edit(prs)
    path = tmp_path / name
    prs.save(str(path))
    return path


def test_bundled_template_is_complete():
    assert tpl.check_template(default_template_path()) == []


def test_bundled_template_layouts_and_size():
    prs = Presentation(str(default_template_path()))
    assert [layout.name for layout in prs.slide_layouts] == list(tpl.BUNDLED_LAYOUTS)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert len(prs.slides) == 0
    for layout in prs.slide_layouts:
        names = set(tpl.placeholder_indices(layout))
        assert set(tpl.REQUIRED_LAYOUTS.get(layout.name, ())) <= names
    assert tpl.LAYOUT_SECTION not in tpl.REQUIRED_LAYOUTS  # offered, used by no slide, so not required


def test_bundled_template_uses_arial():
    with zipfile.ZipFile(default_template_path()) as package:
        theme = package.read("ppt/theme/theme1.xml").decode()
    assert theme.count('<a:latin typeface="Arial"/>') == 2


def test_potx_template_is_accepted(tmp_path):
    potx = as_potx(default_template_path(), tmp_path / "marque.potx")
    assert tpl.check_template(potx) == []
    prs = tpl.load_template(potx)
    assert tpl.LAYOUT_CHART in tpl.layouts_by_name(prs)


def test_missing_layout_is_listed_and_refused(tmp_path):
    def rename_contact(prs):
        layout = tpl.layouts_by_name(prs)[tpl.LAYOUT_CONTACT]
        layout._element.cSld.set("name", "Fin")

    path = template_with(tmp_path, "sans_contact.pptx", rename_contact)
    assert tpl.check_template(path) == [tpl.TemplateProblem("disposition manquante : « Contact »", blocking=True)]
    with pytest.raises(TemplateError) as info:
        tpl.load_template(path)
    message = str(info.value)
    assert "sans_contact.pptx" in message and "« Contact »" in message and "\n" not in message


def test_missing_placeholder_is_listed(tmp_path):
    def drop_comment(prs):
        layout = tpl.layouts_by_name(prs)[tpl.LAYOUT_CHART]
        for ph in layout.placeholders:
            if ph.name == tpl.PH_COMMENT:
                ph._element.getparent().remove(ph._element)

    path = template_with(tmp_path, "sans_commentaire.pptx", drop_comment)
    assert tpl.check_template(path) == [tpl.TemplateProblem(
        "disposition « Graphique » : espace(s) réservé(s) manquant(s) : « Commentaire »", blocking=True)]
    with pytest.raises(TemplateError):
        tpl.load_template(path)


def test_four_by_three_is_reported_but_usable(tmp_path):
    def narrow(prs):
        prs.slide_width = 9144000

    path = template_with(tmp_path, "ancien_format.pptx", narrow)
    problems = tpl.check_template(path)
    assert problems == [tpl.TemplateProblem(
        "format des diapositives non 16:9 (rapport largeur/hauteur 1.33, attendu 1.78)", blocking=False)]
    tpl.load_template(path)


def test_warning_and_blocking_problems_together(tmp_path):
    def narrow_without_contact(prs):
        prs.slide_width = 9144000
        tpl.layouts_by_name(prs)[tpl.LAYOUT_CONTACT]._element.cSld.set("name", "Fin")

    path = template_with(tmp_path, "ancien_sans_contact.pptx", narrow_without_contact)
    problems = tpl.check_template(path)
    assert [(p.blocking, "16:9" in p.message) for p in problems] == [(False, True), (True, False)]
    assert str(problems[1]) == problems[1].message == "disposition manquante : « Contact »"
    with pytest.raises(TemplateError) as info:
        tpl.load_template(path)
    assert "« Contact »" in str(info.value) and "16:9" not in str(info.value)


def test_problems_are_frozen():
    problem = tpl.TemplateProblem("disposition manquante : « Contact »", blocking=True)
    with pytest.raises(AttributeError):
        problem.blocking = False  # type: ignore[misc]


@pytest.mark.parametrize("content", [b"", b"ceci n'est pas un zip", b"PK\x03\x04tronque"])
def test_unreadable_template(tmp_path, content):
    path = tmp_path / "abime.pptx"
    path.write_bytes(content)
    with pytest.raises(TemplateError, match=r"^modèle PowerPoint illisible : .*abime\.pptx"):
        tpl.load_template(path)
    with pytest.raises(TemplateError) as info:
        tpl.check_template(path)
    assert str(info.value) == (f"modèle PowerPoint illisible : {path} (BadZipFile) ; fournissez un fichier .pptx "
                               "ou .potx enregistré par PowerPoint ou LibreOffice")


def test_missing_template_file(tmp_path):
    with pytest.raises(TemplateError, match="introuvable"):
        tpl.load_template(tmp_path / "absent.pptx")
    with pytest.raises(TemplateError) as info:
        tpl.check_template(tmp_path / "absent.pptx")
    assert str(info.value) == (f"modèle PowerPoint introuvable : {tmp_path / 'absent.pptx'} ; vérifiez le chemin "
                               "donné à fichex template check")


def test_template_bytes_are_cached(tmp_path):
    path = tmp_path / "copie.pptx"
    path.write_bytes(default_template_path().read_bytes())
    tpl.load_template(path)
    path.with_name("autre").write_bytes(b"")
    key = next(iter(tpl._CACHE))
    assert key[0] == str(path.resolve())


@pytest.mark.skipif(sys.version_info < (3, 11), reason="scripts/build_template.py needs tomllib (Python 3.11+)")
def test_build_template_is_deterministic_and_committed(tmp_path):
    spec = importlib.util.spec_from_file_location("build_template", REPO / "scripts" / "build_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    brand = module.read_brand(REPO / "templates" / "brand.toml")
    first, second = module.build(brand), module.build(brand)
    assert first == second
    assert first == default_template_path().read_bytes(), "templates/fichex.pptx is stale: run scripts/build_template.py"
    Presentation(io.BytesIO(first))


def test_a_template_declaring_xml_entities_is_refused(template_copy):
    from fichex.errors import TemplateError
    from fichex.render.template import check_template

    def entities(part: str, data: bytes) -> bytes:
        if part == "ppt/slideLayouts/slideLayout1.xml":
            return data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "boum">]>', 1)
        return data

    with pytest.raises(TemplateError, match=r"slideLayout1\.xml déclare un DOCTYPE"):
        check_template(template_copy("entites.pptx", entities))
