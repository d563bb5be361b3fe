"""The template contract: bundled template complete, .potx accepted, missing layouts reported in French."""

from __future__ import annotations

import importlib.util
import io
import itertools
import re
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


# --- The package itself: parsed whole with DTDs refused, no macros, bounded, no external content -------------

_IDS = itertools.count(900)


def _relationship(target: str, kind: str = "image") -> bytes:
    return (f'<Relationship Id="rId{next(_IDS)}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/{kind}" Target="{target}" TargetMode="External"/>').encode()


def _in_layout_rels(*relationships: bytes):
    def change(part: str, data: bytes) -> bytes:
        if part == "ppt/slideLayouts/_rels/slideLayout1.xml.rels":
            return data.replace(b"</Relationships>", b"".join(relationships) + b"</Relationships>")
        return data
    return change


def _add_members(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return path


def test_a_doctype_after_a_long_comment_is_found(template_copy):
    def late_doctype(part: str, data: bytes) -> bytes:
        if part == "ppt/slideMasters/slideMaster1.xml":
            return data.replace(b"?>", b"?><!--" + b"x" * 20000 + b"--><!DOCTYPE x SYSTEM 'y.dtd'>", 1)
        return data

    with pytest.raises(TemplateError, match=r"refusé : .* sa partie ppt/slideMasters/slideMaster1\.xml déclare un "
                                            r"DOCTYPE"):
        tpl.check_template(template_copy("tardif.pptx", late_doctype))


def test_a_doctype_in_a_utf16_part_is_found(template_copy):
    def utf16(part: str, data: bytes) -> bytes:
        if part == "ppt/presProps.xml":
            text = re.sub(r"encoding=.UTF-8.", 'encoding="UTF-16"', data.decode("utf-8"), count=1)
            return text.replace("?>", '?><!DOCTYPE p [<!ENTITY a "b">]>', 1).encode("utf-16")
        return data

    with pytest.raises(TemplateError, match=r"ppt/presProps\.xml déclare un DOCTYPE"):
        tpl.load_template(template_copy("utf16.pptx", utf16))


def test_an_entity_bomb_is_refused_before_any_entity_is_declared(template_copy):
    lol = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;">' % ((n,) + (n - 1,) * 10)
                   for n in range(1, 10))
    bomb = b'?><!DOCTYPE p [<!ENTITY l0 "lol">' + lol + b"]>"
    path = template_copy("bombe.pptx", lambda part, data: data.replace(b"?>", bomb, 1)
                         if part == "ppt/presentation.xml" else data)
    with pytest.raises(TemplateError, match="DOCTYPE"):
        tpl.check_template(path)


def test_a_malformed_xml_part_is_named(template_copy):
    path = template_copy("tronque.pptx", lambda part, data: data[:200] if part == "ppt/viewProps.xml" else data)
    with pytest.raises(TemplateError) as info:
        tpl.check_template(path)
    assert str(info.value) == (f"modèle PowerPoint refusé : {path} ; sa partie ppt/viewProps.xml n'est pas du XML "
                               "bien formé (ligne 2) : ouvrez-le et enregistrez-le de nouveau dans PowerPoint ou "
                               "LibreOffice")


@pytest.mark.parametrize("members, content_type, shown", [
    ({"ppt/vbaProject.bin": b"\0" * 64}, None, "ppt/vbaProject.bin"),
    ({"ppt/VBAPROJECTSIGNATURE.BIN": b"\0"}, None, "ppt/VBAPROJECTSIGNATURE.BIN"),
    ({}, b"application/vnd.ms-powerpoint.template.macroEnabled.main+xml", ".potm"),
    ({}, b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", ".pptm"),
])
def test_macro_enabled_packages_are_refused(template_copy, members, content_type, shown):
    main = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
    path = template_copy("macros.pptx", lambda part, data: data.replace(main, content_type)
                         if content_type and part == "[Content_Types].xml" else data)
    _add_members(path, members)
    with pytest.raises(TemplateError) as info:
        tpl.load_template(path)
    assert "macros" in str(info.value) and shown in str(info.value) and "sans macros" in str(info.value)


def test_the_size_bound_counts_decompressed_bytes(template_copy, monkeypatch):
    path = _add_members(template_copy("lourd.pptx", lambda part, data: data), {"ppt/media/zeros.png": b"\0" * (3 << 20)})
    assert path.stat().st_size < 1 << 20  # three MiB of zeros compress to almost nothing
    tpl.check_template(path)  # under the default bound
    monkeypatch.setenv(tpl.MAX_SIZE_VARIABLE, "2")
    with pytest.raises(TemplateError) as info:
        tpl.check_template(path)
    assert str(info.value).startswith(f"modèle PowerPoint refusé : {path} ; il fait 3.1 Mio une fois décompressé, "
                                      "au-delà de la limite de 2.0 Mio : compressez ses images")
    assert tpl.MAX_SIZE_VARIABLE in str(info.value)


def test_the_size_bound_and_its_variable(monkeypatch):
    monkeypatch.delenv(tpl.MAX_SIZE_VARIABLE, raising=False)
    assert tpl.max_size_bytes() == tpl.DEFAULT_MAX_SIZE_MIB << 20 == 50 << 20
    monkeypatch.setenv(tpl.MAX_SIZE_VARIABLE, "120.5")
    assert tpl.max_size_bytes() == int(120.5 * (1 << 20))
    for bad in ("0", "-1", "beaucoup", "nan", "inf", "1e30"):
        monkeypatch.setenv(tpl.MAX_SIZE_VARIABLE, bad)
        with pytest.raises(TemplateError, match=rf"^variable FICHEX_TEMPLATE_MAX_MIB invalide \(« {bad} »\)"):
            tpl.max_size_bytes()


def test_a_file_larger_than_the_bound_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "enorme.pptx"
    with open(path, "wb") as handle:
        handle.truncate(3 << 20)  # sparse: never read
    monkeypatch.setenv(tpl.MAX_SIZE_VARIABLE, "1")
    with pytest.raises(TemplateError, match=r"refusé : .*enorme\.pptx ; il fait 3\.0 Mio, au-delà de la limite"):
        tpl.load_template(path)


def test_too_many_parts_are_refused(template_copy, monkeypatch):
    monkeypatch.setattr(tpl, "MAX_PARTS", 10)
    with pytest.raises(TemplateError, match=r"il compte \d+ parties \(au plus 10\)"):
        tpl.check_template(template_copy("parties.pptx", lambda part, data: data))


def test_not_a_regular_file(tmp_path):
    with pytest.raises(TemplateError) as info:
        tpl.check_template(tmp_path)
    assert str(info.value).startswith(f"modèle PowerPoint illisible : {tmp_path} (ce n'est pas un fichier ordinaire)")


def test_external_content_is_listed_and_refused(template_copy):
    path = template_copy("liens.pptx", _in_layout_rels(
        _relationship("http://exemple.invalid/logo.png"), _relationship("file://///serveur/partage/a.png"),
        _relationship("\\\\serveur\\partage\\b.wav", "audio"), _relationship("file:///C:/x.pptx", "hyperlink"),
        _relationship("https://exemple.fr/page", "hyperlink"), _relationship("mailto:a@b.fr", "hyperlink")))
    with pytest.raises(TemplateError) as info:
        tpl.check_template(path)
    rels = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
    assert str(info.value) == (
        f"modèle PowerPoint refusé : {path} ; liens vers des contenus extérieurs, que PowerPoint suivrait à "
        f"l'ouverture de chaque présentation : {rels} → http://exemple.invalid/logo.png ; {rels} → "
        f"file://///serveur/partage/a.png ; {rels} → \\\\serveur\\partage\\b.wav et 1 autre(s) ; insérez ces "
        "contenus dans le modèle (image : Insertion > Image, sans « Lier au fichier ») ou retirez-les")
    with pytest.raises(TemplateError, match="contenus extérieurs"):
        tpl.load_template(path)


def test_web_and_mail_hyperlinks_are_kept(template_copy):
    path = template_copy("hyperliens.pptx", _in_layout_rels(
        _relationship("https://exemple.fr/page", "hyperlink"), _relationship("MAILTO:a@b.fr", "hyperlink")))
    assert tpl.check_template(path) == []
    tpl.load_template(path)


def test_a_link_target_is_shown_on_one_line(template_copy):
    path = template_copy("controle.pptx", _in_layout_rels(_relationship("http://a.invalid/&#10;" + "x" * 300)))
    with pytest.raises(TemplateError) as info:
        tpl.check_template(path)
    assert "\n" not in str(info.value) and "http://a.invalid/?" + "x" * 102 + "…" in str(info.value)


def test_check_reads_the_brand_beside_the_template(tmp_path):
    from conftest import template_with_brand

    template = template_with_brand(tmp_path / "marque", 'institution = "a\\u0007b"\n')
    with pytest.raises(TemplateError, match=r"brand\.toml : la clé « institution » contient un caractère de contrôle"):
        tpl.check_template(template)
