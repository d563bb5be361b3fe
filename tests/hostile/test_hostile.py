"""Hostile and malformed inputs, each built by the test itself, run through the real command line.

Every case runs `python -m fichex` in a scratch working folder with its own TMPDIR and checks:
- the exit code;
- on failure, exactly one line on stderr, starting with « Erreur : » (no traceback);
- nothing written outside the target folder, and no temporary file left, in the target or in TMPDIR;
- for an import that succeeds, the reconciliation: lines read = kept + rejected.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from conftest import copy_template

HEADER = "annee;flux;code_departement;code_produit;code_pays;valeur_eur\n"
VALID = "2024;E;01;10.51;DE;12\n"
REGIONAL = "E;3;2018;01;18;A01Z;0111;BE;406473;1210935\n"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes the inputs under the folder given, returns the arguments
    code: int
    message: str = ""  # a piece of the error line
    target: str = "cible"  # the folder the command may write


def text(name: str, content: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(content, encoding=encoding)
        return path
    return write


def imports(*paths: str) -> list[str]:
    return ["data", "import", *paths, "--into", "cible"]


def _zip(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def _bomb(folder: Path) -> list[str]:
    path = folder / "bombe.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bombe.csv", "w") as member:
        for _ in range(24):
            member.write(b"0" * (1 << 20))
    return imports(str(path))


def _template_without(folder: Path, layout: bytes) -> Path:
    return copy_template(folder / "modele.pptx", lambda part, data: data.replace(
        b'name="' + layout + b'"', b'name="Autre mise en page"') if part.startswith("ppt/slideLayouts/") else data)


def _template_with_entities(folder: Path) -> Path:
    return copy_template(folder / "entites.pptx", lambda part, data: data.replace(
        b"?>", b'?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>', 1)
        if part == "ppt/presentation.xml" else data)


CASES = [
    # --- imports that cannot give a table: exit 1, one line, nothing written ---
    Case("fichier vide", lambda f: imports(str(text("vide.csv", "")(f))), 1, "vide"),
    Case("en-tête sans ligne", lambda f: imports(str(text("t.csv", HEADER)(f))), 1),
    Case("mauvais séparateur", lambda f: imports(str(text("t.csv", HEADER.replace(";", "|") + "2024|E\n")(f))), 1),
    Case("UTF-16", lambda f: imports(str(text("t.csv", HEADER + VALID, "utf-16")(f))), 1),
    Case("Latin-1 derrière un BOM UTF-8", lambda f: imports(str(_bytes(f, "t.csv", b"\xef\xbb\xbf" + HEADER.encode()
                                                                       + b"2024;E;01;caf\xe9;DE;1\n"))), 1,
         "marque UTF-8 (BOM)"),
    Case("Parquet corrompu", lambda f: imports(str(_bytes(f, "t.parquet", b"PAR1" + os.urandom(200)))), 1),
    Case("faux xlsx", lambda f: imports(str(text("t.xlsx", "ceci n'est pas un classeur")(f))), 1),
    Case("16 octets au hasard", lambda f: imports(str(_bytes(f, "t.csv", bytes(range(200, 216))))), 1),
    Case("bombe ZIP", _bomb, 1, "bombe ZIP"),
    Case("ZIP illisible", lambda f: imports(str(_bytes(f, "t.zip", b"PK\x03\x04" + os.urandom(100)))), 1),
    Case("périphérique", lambda f: imports("/dev/zero"), 1, "n'est pas un fichier ordinaire"),
    Case("fichier absent", lambda f: imports(str(f / "absent.csv")), 1, "introuvable"),
    Case("--into sur un fichier", lambda f: [*imports(str(text("t.csv", HEADER + VALID)(f)))[:-1],
                                             str(text("un-fichier", "x")(f))], 1, "choisissez un autre --into"),
    Case("fichier national seul", lambda f: imports(str(text("NATIONAL_NC8PAYSE.txt",
                                                             "I;09;2018;014310;A01Z;01012100;AU;70000;1000;2\n")(f))),
         1, "fichier national seul"),
    Case("régional sans ligne utilisable", lambda f: imports(str(text("REGIONAL_CPF4PAYSE.txt", REGIONAL.replace(
        ";01;", ";98;") * 3)(f))), 1, "aucune ligne valide"),
    Case("régional mêlé à une table", lambda f: imports(str(text("REGIONAL_CPF4PAYSE.txt", REGIONAL)(f)),
                                                        str(text("t.csv", HEADER + VALID)(f))), 1, "mêlé"),
    Case("valeurs infinies seulement", lambda f: imports(str(text("t.csv", HEADER + "2024;E;01;10.51;DE;inf\n"
                                                                  "2024;E;01;10.51;IT;1e400\n")(f))), 1),
    # --- imports that keep what is usable: exit 0, reconciliation ---
    Case("cellule géante", lambda f: imports(str(text("t.csv", HEADER + VALID + "2024;E;01;" + "x" * 1_100_000
                                                     + ";DE;1\n")(f))), 0),
    Case("défauts du format DGDDI", lambda f: imports(str(text("REGIONAL_CPF4PAYSE.txt", REGIONAL
                                                               + "E;3;2018;01;18;A01Z;0111;BE;406473\n"
                                                               + REGIONAL.replace(";3;", ";5;")
                                                               + REGIONAL.replace("406473", "406,5")
                                                               + REGIONAL.replace(";01;", ";01 ;"))(f))), 0),
    Case("valeurs infinies parmi d'autres", lambda f: imports(str(text("t.csv", HEADER + VALID
                                                                       + "2024;E;01;10.51;IT;Infinity\n")(f))), 0),
    Case("unités dans les cellules", lambda f: imports(str(text("t.csv", HEADER + "2024;E;01;10.51;DE;12 keur\n"
                                                                "2024;E;01;10.51;IT;12 €\n")(f))), 0),
    Case("formules", lambda f: imports(str(text("t.csv", HEADER + VALID + '2024;E;01;=HYPERLINK("x");DE;1\n')(f))), 0),
    Case("chemin remontant dans un ZIP", lambda f: imports(str(_zip(f, "t.zip", {"../../evasion.csv":
                                                                                (HEADER + VALID).encode()}))), 0),
    # --- builds and figures refused before any work ---
    Case("département inconnu", lambda f: ["build", "98", "--out-dir", "cible"], 1, "département inconnu"),
    Case("région inconnue", lambda f: ["build", "--region", "99", "--out-dir", "cible"], 1, "région inconnue"),
    Case("année absente", lambda f: ["build", "23", "--year", "1999", "--out-dir", "cible"], 1, "1999"),
    Case("format inconnu", lambda f: ["build", "23", "--formats", "docx", "--out-dir", "cible"], 1),
    Case("--out-dir sur un fichier", lambda f: ["build", "23", "--out-dir", str(text("un-fichier", "x")(f))], 1,
         "choisissez un autre --out-dir"),
    Case("modèle sans mise en page", lambda f: ["build", "23", "--template", str(_template_without(f, b"Graphique")),
                                                "--out-dir", "cible"], 1, "Graphique"),
    Case("modèle à entités XML", lambda f: ["build", "23", "--template", str(_template_with_entities(f)),
                                            "--out-dir", "cible"], 1, "DOCTYPE"),
    Case("modèle qui n'est pas un ZIP", lambda f: ["build", "23", "--template", str(text("m.pptx", "texte")(f)),
                                                   "--out-dir", "cible"], 1, "illisible"),
    Case("dossier de données vide", lambda f: ["figures", "23", "--data", str(_folder(f, "donnees"))], 1),
    Case("données Parquet corrompues", lambda f: ["figures", "23", "--data", str(_bytes(f, "d.parquet", b"PAR1"
                                                                                          + b"\x00" * 64))], 1),
    Case("téléchargement file://", lambda f: ["data", "download", "--url", "file:///etc/passwd", "--dest", "cible"], 1,
         "adresse refusée"),
    Case("--jobs 0", lambda f: ["build", "23", "--jobs", "0", "--out-dir", "cible"], 2, "--jobs"),
    Case("option inconnue", lambda f: ["build", "23", "--vite"], 2, "option inconnue"),
]


def _bytes(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _folder(folder: Path, name: str) -> Path:
    path = folder / name
    path.mkdir()
    return path


def _listing(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_the_suite_is_large_enough():
    assert len(CASES) >= 30 and len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    work, inputs, scratch = tmp_path / "travail", tmp_path / "entrees", tmp_path / "tmp"
    for folder in (work, inputs, scratch):
        folder.mkdir()
    args = case.make(inputs)
    before = _listing(tmp_path)
    env = {**os.environ, "TMPDIR": str(scratch), "FICHEX_CACHE": "off"}
    completed = subprocess.run([sys.executable, "-m", "fichex", *args], cwd=work, env=env, capture_output=True,
                               text=True, timeout=240, check=False)
    assert completed.returncode == case.code, completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr
    if case.code:
        lines = completed.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Erreur : "), completed.stderr[-2000:]
        assert case.message in lines[0]
    # Only the target folder may have appeared, and no temporary file may be left anywhere.
    created = {p for p in _listing(tmp_path) - before if not p.startswith(f"travail/{case.target}")}
    assert created <= {"travail"}, created
    target = work / case.target
    if case.code:
        assert not target.exists() or not any(p.is_file() for p in target.rglob("*"))
    leftovers = [p for p in _listing(tmp_path) if p.endswith(".tmp") or "/." in f"/{p}" or p.endswith(".part")]
    assert not leftovers, leftovers
    assert not [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    if case.code == 0 and args[:2] == ["data", "import"]:
        report = json.loads((target / "rapport_import.json").read_text(encoding="utf-8"))
        assert report["lignes_lues"] == report["lignes_conservees"] + report["lignes_rejetees"]
        for line in report["rapprochement"]:
            assert line["lignes_lues"] == line["lignes_conservees"] + line["lignes_rejetees"]
