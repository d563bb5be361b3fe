"""Hostile templates and brand files, each made by the test itself, through the real command line.

Each case runs `python -m fichex` (`template check` or `build --template`) in a scratch working folder with
its own TMPDIR and checks, as tests/hostile/test_hostile.py does: the exit code; on failure exactly one
line on stderr, starting with « Erreur : » and naming what is at fault; nothing written outside the target
folder and no file in it; no temporary file left.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from conftest import copy_template

from fichex.resources import default_template_path


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes the inputs under the folder given, returns the arguments
    code: int
    message: tuple[str, ...] = ()  # pieces of the error line
    env: dict[str, str] = field(default_factory=dict)
    target: str = "cible"  # the folder the command may write


def listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def run_case(case: Case, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run a case's command and check what every hostile case must hold (shared with test_hostile_build)."""
    work, inputs, scratch = tmp_path / "travail", tmp_path / "entrees", tmp_path / "tmp"
    for folder in (work, inputs, scratch):
        folder.mkdir()
    args = case.make(inputs)
    before = listing(tmp_path)
    env = {**os.environ, "TMPDIR": str(scratch), "FICHEX_CACHE": "off", **case.env}
    completed = subprocess.run([sys.executable, "-m", "fichex", *args], cwd=work, env=env, capture_output=True,
                               text=True, timeout=240, check=False)
    assert completed.returncode == case.code, completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr and "erreur inattendue" not in completed.stderr
    if case.code:
        lines = completed.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Erreur : "), completed.stderr[-2000:]
        for piece in case.message:
            assert piece in lines[0], lines[0]
        assert not (work / case.target).exists()
    created = {p for p in listing(tmp_path) - before if not p.startswith(f"travail/{case.target}")}
    assert created <= {"travail"}, created
    leftovers = [p for p in listing(tmp_path) if p.endswith(".tmp") or "/." in f"/{p}" or p.endswith(".part")]
    assert not leftovers, leftovers
    assert not [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    return completed


# --- Templates -------------------------------------------------------------------------------------------------

LAYOUT_RELS = "ppt/slideLayouts/_rels/slideLayout1.xml.rels"
IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
MACRO_MAIN = b"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"
PRESENTATION_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def _edited(name: str, part: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    return lambda folder: copy_template(folder / name, lambda member, data: edit(data) if member == part else data)


def _with_members(name: str, members: dict[str, bytes], content_types: Callable[[bytes], bytes] = lambda d: d):
    """The bundled template with members added (deflated) and its content types edited."""
    def make(folder: Path) -> Path:
        path = copy_template(folder / name, lambda member, data: content_types(data)
                             if member == "[Content_Types].xml" else data)
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
            for member, data in members.items():
                package.writestr(member, data)
        return path
    return make


def _external(target: str, kind: str = IMAGE_TYPE) -> Callable[[bytes], bytes]:
    relationship = f'<Relationship Id="rId99" Type="{kind}" Target="{target}" TargetMode="External"/>'.encode()
    return lambda data: data.replace(b"</Relationships>", relationship + b"</Relationships>")


def _doctype_after_comment(data: bytes) -> bytes:
    # A comment may precede the DOCTYPE: 5 000 bytes of it hid the declaration from a check of the first 4 KiB.
    return data.replace(b"?>", b"?><!--" + b"x" * 5000 + b'--><!DOCTYPE p [<!ENTITY a "aaaa">]>', 1)


TEMPLATES: dict[str, tuple[Callable[[Path], Path], tuple[str, ...], dict[str, str]]] = {
    "DOCTYPE après un long commentaire": (_edited("commentaire.pptx", "ppt/presentation.xml", _doctype_after_comment),
                                          ("refusé", "ppt/presentation.xml", "DOCTYPE"), {}),
    "projet VBA": (_with_members("macros.pptx", {"ppt/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512},
                                 lambda d: d.replace(PRESENTATION_MAIN, MACRO_MAIN)),
                   ("refusé", "macros", "vbaProject.bin"), {}),
    "type .pptm sans projet": (_edited("pptm.pptx", "[Content_Types].xml",
                                       lambda d: d.replace(PRESENTATION_MAIN, MACRO_MAIN)), ("refusé", "macros"), {}),
    "image de 60 Mio compressée": (_with_members("lourd.pptx", {"ppt/media/image99.png": b"\0" * (60 << 20)}),
                                   ("refusé", "décompressé", "50.0 Mio", "FICHEX_TEMPLATE_MAX_MIB"), {}),
    "limite abaissée par la variable": (_with_members("moyen.pptx", {"ppt/media/image99.png": b"\0" * (2 << 20)}),
                                        ("refusé", "1.0 Mio"), {"FICHEX_TEMPLATE_MAX_MIB": "1"}),
    "variable de limite invalide": (lambda folder: default_template_path(), ("FICHEX_TEMPLATE_MAX_MIB", "« -3 »"),
                                    {"FICHEX_TEMPLATE_MAX_MIB": "-3"}),
    "image liée en http": (_edited("lien.pptx", LAYOUT_RELS, _external("http://exemple.invalid/logo.png")),
                           ("refusé", "slideLayout1.xml.rels → http://exemple.invalid/logo.png"), {}),
    "image liée en UNC (file://)": (_edited("unc.pptx", LAYOUT_RELS, _external("file://///serveur/partage/l.png")),
                                    ("refusé", "file://///serveur/partage/l.png"), {}),
    "hyperlien vers un partage": (_edited("partage.pptx", LAYOUT_RELS,
                                          _external("\\\\serveur\\partage\\doc.pptx", HYPERLINK_TYPE)),
                                  ("refusé", "\\\\serveur\\partage\\doc.pptx"), {}),
    "partie XML tronquée": (_edited("tronque.pptx", "ppt/presentation.xml", lambda d: d[:len(d) // 2]),
                            ("ppt/presentation.xml", "XML bien formé"), {}),
}


def _template_cases() -> list[Case]:
    cases = []
    for name, (make, message, env) in TEMPLATES.items():
        cases.append(Case(f"check : {name}", lambda f, make=make: ["template", "check", str(make(f))], 1, message,
                          env))
        cases.append(Case(f"build : {name}", lambda f, make=make: ["build", "23", "--formats", "pptx", "--template",
                                                                   str(make(f)), "--out-dir", "cible"], 1, message,
                          env))
    return cases


# --- Brand files (beside a copy of the bundled template) ---------------------------------------------------------

def _branded(toml: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "brand.toml").write_bytes(toml if isinstance(toml, bytes) else toml.encode("utf-8"))
        return copy_template(folder / "modele.pptx", lambda member, data: data)
    return make


BRANDS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "caractère de contrôle échappé": (_branded('institution = "GOUVERNE\\u0007MENT"\n'),
                                      ("brand.toml", "« institution »", "U+0007")),
    "NUL échappé dans un lien": (_branded('news_1_label = "x"\nnews_1_link = "https://a.fr/\\u0000"\n'),
                                 ("brand.toml", "« news_1_link »", "U+0000")),
    "inversion bidirectionnelle": (_branded('contact = "moc.elpmaxe@\\u202eetcatnoc"\n'),
                                   ("brand.toml", "« contact »", "U+202E")),
    "bombe d'imbrication": (_branded("motto = " + "[" * 30000 + "]" * 30000 + "\n"),
                            ("brand.toml", "« motto »", "imbrique")),
    "table imbriquée": (_branded('[institution]\nnom = "x"\n'), ("brand.toml", "« institution »", "plat")),
    "valeur de 5 000 caractères": (_branded('publisher = "' + "x" * 5000 + '"\n'),
                                   ("brand.toml", "« publisher »", "1000 caractères")),
    "fichier de 100 Kio": (_branded("# " + "x" * (100 * 1024) + '\ninstitution = "x"\n'), ("brand.toml", "64 Kio")),
    "caractère de contrôle brut": (_branded(b'institution = "a\x01b"\n'), ("brand.toml", "line 1")),
}


def _brand_cases() -> list[Case]:
    cases = []
    for name, (make, message) in BRANDS.items():
        cases.append(Case(f"brand.toml, check : {name}", lambda f, make=make: ["template", "check", str(make(f))], 1,
                          message))
        cases.append(Case(f"brand.toml, build : {name}", lambda f, make=make: [
            "build", "23", "--formats", "pptx", "--template", str(make(f)), "--out-dir", "cible"], 1, message))
    return cases


CASES = [
    *_template_cases(),
    *_brand_cases(),
    # --- what a template may carry: a web hyperlink, and a brand file within its bounds ---
    Case("check : hyperlien web accepté", lambda f: ["template", "check", str(_edited(
        "web.pptx", LAYOUT_RELS, _external("https://exemple.fr/", HYPERLINK_TYPE))(f))], 0),
    Case("check : marque dans ses bornes", lambda f: ["template", "check", str(_branded(
        'institution = "RÉGION|' + "x" * 990 + '"\nmotto = "[a] {b}" # [[[[[[[[[[\n')(f))], 0),
]


def test_every_case_is_named_once():
    assert len({case.name for case in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_template(case: Case, tmp_path: Path):
    run_case(case, tmp_path)
