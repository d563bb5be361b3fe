"""Hostile import inputs that used to give a wrong figure with exit code 0 (issue 22): fichex's own outputs
read again, a header line taken for thousands of euros, a ZIP member read twice, a flow missing, a bad
byte, a cut file, a formula in the rejected lines. Run through the real command line by test_hostile's
harness (exit code, one « Erreur : » line, nothing written outside the target, no temporary file left,
the reconciliation), then the figure itself is checked."""

from __future__ import annotations

import csv
import json
import shutil
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import test_hostile as hostile
from fichex import api

HEADER = hostile.HEADER
OFFICIAL_EXPORT = hostile.REGIONAL  # E;3;2018;01;18;A01Z;0111;BE;406473;1210935
OFFICIAL_IMPORT = "I;3;2018;01;18;A01Z;0111;AR;52;11\n"
OFFICIAL_HEADER = "Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse\n"
FORMULA = "-1+cmd|' /C calc'!A0"


@dataclass(frozen=True)
class ImportCase(hostile.Case):
    """A hostile case of test_hostile, with the figures checked after an import that succeeds."""

    check: Callable[[Path], None] | None = None  # given the target folder, after an import that succeeds
    # Inputs with hidden files (a cache folder, a temporary file) are written outside the harness's folder,
    # where any hidden file counts as a leftover of the command.
    hidden_inputs: bool = False

    def hostile_case(self) -> hostile.Case:
        return hostile.Case(self.name, self.make, self.code, self.message)


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def _report(target: Path) -> dict:
    return json.loads((target / "rapport_import.json").read_text(encoding="utf-8"))


def _total(target: Path, flow: str = "E") -> float:
    return sum(t["valeur_eur"] for t in _report(target)["totaux"] if t["flux"] == flow)


def _rejected(target: Path) -> list[dict]:
    with open(target / "lignes_rejetees.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


# --- fichex's own outputs in an input folder -------------------------------------------------------------

def _folder_with_earlier_import(inputs: Path) -> Path:
    """A download folder holding a table of 3 000 €, and in it what an earlier import of it wrote (the
    table, the report, the rejected lines), the aggregates' cache and a temporary file."""
    folder = inputs / "telechargement"
    _write(folder, "ventes.csv", HEADER + "2024;E;01;10.51;DE;3000\n" + "2024;E;01;10.51;XX;5\n")
    earlier = inputs / "import-precedent"
    api.import_data([folder], earlier)
    for name in ("commerce_exterieur.parquet", "rapport_import.json", "lignes_rejetees.csv"):
        shutil.copy(earlier / name, folder / name)
    (folder / ".fichex-cache").mkdir()
    shutil.copy(earlier / "commerce_exterieur.parquet", folder / ".fichex-cache" / "agregat-2024-0123abcd.parquet")
    shutil.copy(earlier / "commerce_exterieur.parquet", folder / ".commerce_exterieur.parquet.4242.tmp")
    shutil.rmtree(earlier)
    return folder


def _only_the_source_is_read(target: Path) -> None:
    assert _total(target) == 3000.0
    skipped = {f["fichier"] for f in _report(target)["fichiers"] if f["statut"] == "ignoré"}
    assert {"telechargement/commerce_exterieur.parquet", "telechargement/rapport_import.json",
            "telechargement/lignes_rejetees.csv", "telechargement/.fichex-cache/agregat-2024-0123abcd.parquet",
            "telechargement/.commerce_exterieur.parquet.4242.tmp"} <= skipped


def _into_the_input_folder(inputs: Path, inside: str = "") -> list[str]:
    folder = _write(inputs, "telechargement/ventes.csv", HEADER + "2024;E;01;10.51;DE;3000\n").parent
    return ["data", "import", str(folder), "--into", str(folder / inside) if inside else str(folder)]


# --- the regional layout ---------------------------------------------------------------------------------

def _in_euros(target: Path) -> None:
    assert _total(target, "E") == 406473.0 and _total(target, "I") == 52.0


def _zip(folder: Path, name: str, members: list[tuple[str, bytes]]) -> Path:
    path = folder / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name, which is the point here
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members:
                archive.writestr(member, data)
    return path


def _bad_byte_rejected_alone(target: Path) -> None:
    rejected = _rejected(target)
    assert [(r["ligne"], r["motif"]) for r in rejected] == [
        ("2", "ligne illisible (octet hors UTF-8 ou ligne démesurée)")]
    assert "0xe9" in rejected[0]["detail"]
    assert _total(target, "E") == 406473.0 and _total(target, "I") == 52.0


# --- formulas in the rejected lines ----------------------------------------------------------------------

def _formula_neutralised(target: Path) -> None:
    cells = {r["valeur"] for r in _rejected(target)}
    assert "'" + FORMULA in cells and FORMULA not in cells


def _formula_neutralised_negative_kept(target: Path) -> None:
    _formula_neutralised(target)
    assert "-5" in {r["valeur"] for r in _rejected(target)}


def _imports(path: Path) -> list[str]:
    return hostile.imports(str(path))


CASES = [
    ImportCase("dossier contenant un import précédent et son cache",
               lambda f: _imports(_folder_with_earlier_import(f)), 0, check=_only_the_source_is_read,
               hidden_inputs=True),
    ImportCase("--into égal au dossier importé", lambda f: _into_the_input_folder(f), 1, "dossier importé"),
    ImportCase("--into dans le dossier importé", lambda f: _into_the_input_folder(f, "donnees"), 1,
               "dans le dossier importé"),
    ImportCase("fichier régional avec l'en-tête officiel",
               lambda f: _imports(_write(f, "export_2018.txt", OFFICIAL_HEADER + OFFICIAL_EXPORT + OFFICIAL_IMPORT)),
               0, check=_in_euros),
    ImportCase("ZIP à deux membres du même nom", lambda f: _imports(_zip(f, "region.zip", [
        ("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT.encode()),
        ("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT.replace(";BE;", ";DE;").encode())])), 1,
        "region.zip : le fichier REGIONAL_CPF4PAYSE.txt figure plusieurs fois"),
    ImportCase("membre régional vide", lambda f: _imports(_zip(f, "region.zip", [
        ("REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT.encode()), ("REGIONAL_CPF4PAYSI.txt", b"")])), 1,
        "region.zip:REGIONAL_CPF4PAYSI.txt : fichier régional DGDDI vide (0 octet) : les importations"),
    ImportCase("un octet hors UTF-8", lambda f: _imports(_write(f, "REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT.encode()
                                                                + b"E;3;2018;01;18;A01Z;0111;D\xe9;1;1\n"
                                                                + OFFICIAL_IMPORT.encode())), 0,
               check=_bad_byte_rejected_alone),
    ImportCase("fichier sans saut de ligne final", lambda f: _imports(_write(
        f, "REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT + "E;3;2018;01;18;A01Z;0111;DE;5000")), 1,
        "la dernière ligne (2) ne finit pas par un saut de ligne"),
    ImportCase("dernière ligne coupée dans sa masse", lambda f: _imports(_write(
        f, "REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT + "E;3;2018;01;18;A01Z;0111;DE;5000;1")), 1,
        "fichier semble tronqué"),
    ImportCase("formule dans une valeur régionale", lambda f: _imports(_write(
        f, "REGIONAL_CPF4PAYSE.txt", OFFICIAL_EXPORT + f"E;3;2018;01;18;A01Z;0111;DE;{FORMULA};1\n")), 0,
        check=_formula_neutralised),
    ImportCase("formule dans une table", lambda f: _imports(_write(
        f, "t.csv", HEADER + hostile.VALID + f"2024;E;01;10.51;IT;{FORMULA}\n2024;E;01;10.51;ES;-5\n")), 0,
        check=_formula_neutralised_negative_kept),
]


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_import(case: ImportCase, tmp_path: Path, tmp_path_factory):
    run = case.hostile_case()
    before: dict[str, bytes] = {}
    if case.hidden_inputs:
        folder = tmp_path_factory.mktemp("entrees-cachees")

        def make(_: Path) -> list[str]:
            args = case.make(folder)
            before.update(_listing(folder))
            return args

        run = hostile.Case(run.name, make, run.code, run.message)
    hostile.test_hostile_input(run, tmp_path)
    if case.hidden_inputs:
        assert _listing(folder) == before  # the inputs are left as they were
    if case.check is not None:
        case.check(tmp_path / "travail" / "cible")
