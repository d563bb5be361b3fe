"""The last hostile cases of issue 22, through the real commands: a bad byte in DGDDI's national file, an
archive holding one flow only (and what `figures` then says), `figures` and `data info` reading a folder
an import replaces, and the staging an import needs against the table it writes. Built on the harnesses of
test_hostile, test_hostile_imports and test_hostile_pinned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import test_hostile as hostile
import test_hostile_imports as imports
import test_hostile_pinned as pinned
from fichex.data import trade

OFFICIAL_NATIONAL_IMPORT = "I;09;2018;014310;A01Z;01012100;AU;70000;1000;2\n"
NATIONAL_BAD_BYTE = b"I;09;2018;014310;A01Z;01012100;D\xe9;5;1000;2\n"
NATIONAL_EXPORT = "E;09;2018;014310;A01Z;01012100;AU;500000;1000;2\n"
# Exports of two départements of Nouvelle-Aquitaine (23 and 87) and of 01: a fiche of 23 has ranks to give.
EXPORTS_ONLY = imports.OFFICIAL_EXPORT + "E;3;2018;23;09;A01Z;0111;DE;5000;10\nE;3;2018;87;09;A01Z;0111;DE;7000;10\n"
IMPORTS_ONLY = imports.OFFICIAL_IMPORT + "I;3;2018;23;09;A01Z;0111;DE;900;10\n"


def _fichex(args: list[str]) -> subprocess.CompletedProcess:
    completed = subprocess.run([sys.executable, "-m", "fichex", *args], capture_output=True, text=True, timeout=300,
                               check=False, env={**os.environ, "FICHEX_CACHE": "off", "COLUMNS": "200"})
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    return completed


# --- the national file: a bad byte is one rejected line, not an abort ------------------------------------

def _national_with_bad_byte(folder: Path) -> list[str]:
    region = folder / "region"
    imports._write(region, "REGIONAL_CPF4PAYSE.txt", imports.OFFICIAL_EXPORT)
    imports._write(region, "REGIONAL_CPF4PAYSI.txt", imports.OFFICIAL_IMPORT)
    imports._write(region, "NATIONAL_NC8PAYSI.txt", OFFICIAL_NATIONAL_IMPORT.encode() + NATIONAL_BAD_BYTE
                   + NATIONAL_EXPORT.encode())
    return hostile.imports(str(region))


def _national_line_rejected_alone(target: Path) -> None:
    national = [r for r in imports._rejected(target) if r["fichier"].endswith("NATIONAL_NC8PAYSI.txt")]
    assert [(r["ligne"], r["motif"]) for r in national] == [
        ("2", "ligne illisible (octet hors UTF-8 ou ligne démesurée)")]
    assert "0xe9" in national[0]["detail"]
    report = imports._report(target)
    gaps = {(g["annee"], g["flux"]): g["national_eur"] for g in report["ecart_national"]}
    assert gaps == {(2018, "I"): 70000.0, (2018, "E"): 500000.0}  # the unreadable line's 5 € left out
    assert any("NATIONAL_NC8PAYSI.txt : 1 ligne illisible" in w for w in report["avertissements"])
    assert imports._total(target, "E") == 406473.0 and imports._total(target, "I") == 52.0


# --- one flow only -----------------------------------------------------------------------------------------

def _flow_absent_said(flow_noun: str, present_noun: str):
    def check(target: Path) -> None:
        warnings = imports._report(target)["avertissements"]
        said = [w for w in warnings if w.startswith(f"aucune ligne d'{flow_noun} dans ")]
        assert len(said) == 1 and "\n" not in said[0], warnings
        assert not any(w.startswith(f"aucune ligne d'{present_noun}") for w in warnings)
        shown = _fichex(["figures", "23", "--data", str(target)])
        assert shown.returncode == 0, shown.stderr
        assert " / 0" not in shown.stdout and "absentes des données" in shown.stdout
        assert f"Les {flow_noun} sont absentes des données en 2018" in " ".join(shown.stdout.split())
        assert "Solde commercial" not in shown.stdout
        figures = json.loads(_fichex(["figures", "23", "--data", str(target), "--json"]).stdout)
        absent = figures[flow_noun]
        assert absent["rang_departements"] is None and absent["part_france_pct"] is None
        assert absent["part_region_pct"] is None and figures["solde_eur"] is None
        assert figures[present_noun]["rang_departements"] is not None
        # build refuses: every document would print the absent flow's « 1er sur 0 », shares and balance
        out = target.parent / f"documents-sans-{flow_noun}"
        built = _fichex(["build", "23", "--data", str(target), "--year", "2018", "--out-dir", str(out),
                         "--formats", "xlsx"])
        lines = built.stderr.strip().splitlines()
        assert built.returncode == 1 and len(lines) == 1, built.stderr
        assert lines[0].startswith(f"Erreur : les données ne contiennent aucune ligne d'{flow_noun} en 2018")
        assert not out.exists()
    return check


CASES = [
    imports.ImportCase("octet hors UTF-8 dans le fichier national", _national_with_bad_byte, 0,
                       check=_national_line_rejected_alone),
    imports.ImportCase("archive sans le fichier des importations", lambda f: imports._imports(imports._zip(
        f, "region.zip", [("REGIONAL_CPF4PAYSE.txt", EXPORTS_ONLY.encode())])), 0,
        check=_flow_absent_said("importations", "exportations")),
    imports.ImportCase("archive sans le fichier des exportations", lambda f: imports._imports(imports._zip(
        f, "region.zip", [("REGIONAL_CPF4PAYSI.txt", IMPORTS_ONLY.encode())])), 0,
        check=_flow_absent_said("exportations", "importations")),
]


import pytest  # noqa: E402  (after the cases, as in test_hostile_imports)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_remaining_import(case: imports.ImportCase, tmp_path: Path, tmp_path_factory):
    imports.test_hostile_import(case, tmp_path, tmp_path_factory)


# --- figures and data info hold the data they read ---------------------------------------------------------

def _reader_and_import(tmp_path: Path, demo_trade, reader: list[str]):
    """`reader` (figures or data info) started on folder D (dataset A) and frozen (SIGSTOP) once it holds
    D's table; then `data import B --into D` (B: A's values × 1.5), which must wait for it (it says so on
    stderr) and, the reader resumed, replace the table once the reader has given A's figures."""
    data_file = pinned._write(pinned._rows(demo_trade), tmp_path / "D" / trade.TRADE_FILE_NAME)
    source = tmp_path / "B.parquet"
    pinned._rows(demo_trade, (), 1.5).astype({c: str for c in trade.CODE_COLUMNS}).drop(
        columns="code_a129").to_parquet(source, index=False)
    env = {**os.environ, "FICHEX_CACHE": "off"}
    running = subprocess.Popen([sys.executable, "-m", "fichex", *reader, str(data_file.parent), "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    said = tmp_path / "import.err"
    importing = None
    try:
        held = pinned._wait_until(lambda: pinned._locked(data_file, "READ"), running)
        os.kill(running.pid, signal.SIGSTOP)  # the reader holds its data, midway
        with open(said, "w") as err_file:
            importing = subprocess.Popen([sys.executable, "-m", "fichex", "data", "import", str(source), "--into",
                                          str(data_file.parent)], stdout=subprocess.DEVNULL, stderr=err_file,
                                         text=True, env=env)
        waited = pinned._wait_until(lambda: "une commande lit" in said.read_text(), importing)
        unchanged = pinned._exports(data_file.parent, {"FICHEX_CACHE": "off", "FICHEX_LOCK_WAIT": "0"})
    finally:
        os.kill(running.pid, signal.SIGCONT)
        out, err = running.communicate(timeout=600)
        if importing is not None:
            importing.wait(timeout=600)
    assert held, "the reader never held its data"
    assert waited, said.read_text()  # the import waited for the reader
    assert running.returncode == 0 and "Traceback" not in err, err
    assert importing.returncode == 0 and "Traceback" not in said.read_text(), said.read_text()
    return json.loads(out), data_file, unchanged


def test_figures_hold_their_data_while_an_import_waits(tmp_path, demo_trade):
    shown, data_file, meanwhile = _reader_and_import(tmp_path, demo_trade, ["figures", "23", "--data"])
    rows = pinned._rows(demo_trade, ("23",))
    expected_a = float(rows[rows["flux"] == "E"]["valeur_eur"].sum())
    assert shown["exportations"]["total_eur"] == expected_a  # A's, whole: never B's, never a mix
    assert meanwhile == expected_a  # while the import waited, the folder still held A
    # The import ran once the figures were given: the folder now holds B.
    assert pinned._exports(data_file.parent, {"FICHEX_CACHE": "off"}) == expected_a * 1.5


def test_data_info_holds_its_data_while_an_import_waits(tmp_path, demo_trade):
    shown, _, _ = _reader_and_import(tmp_path, demo_trade, ["data", "info"])
    rows = pinned._rows(demo_trade)
    assert shown["nb_lignes"] == len(rows)
    assert {t["flux"]: t["valeur_eur"] for t in shown["totaux"]}["E"] == round(
        float(rows[rows["flux"] == "E"]["valeur_eur"].sum()), 2)
