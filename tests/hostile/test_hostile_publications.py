"""Hostile cases of issue 22 through the real `fichex data import`: overlapping DGDDI publications, and an
import stopped by a signal, killed outright, or short of temporary space.

Each runs `python -m fichex` in a scratch folder with its own TMPDIR, as tests/hostile/test_hostile.py does,
and checks the exit code, one « Erreur : » line and no traceback, and that nothing is left behind: no staging
folder in TMPDIR, no temporary file in --into.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fichex.data.importing import common
from fichex.data import reference

CODE_BY_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143}


def _environment(scratch: Path) -> dict[str, str]:
    return {**os.environ, "TMPDIR": str(scratch), "FICHEX_CACHE": "off"}


def _folders(tmp_path: Path) -> tuple[Path, Path]:
    work, scratch = tmp_path / "travail", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    return work, scratch


def _fichex(args: list[str], work: Path, scratch: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fichex", *args], cwd=work, env=_environment(scratch),
                          capture_output=True, text=True, timeout=240, check=False)


def _one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert "Traceback" not in stderr and len(lines) == 1 and lines[0].startswith("Erreur : "), stderr[-3000:]
    return lines[0]


def _nothing_left(scratch: Path, target: Path) -> None:
    assert not [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    assert not target.exists() or not [p for p in target.rglob("*") if p.name.startswith(".") or
                                       p.name.endswith(".tmp")]


# --- Overlapping publications ---------------------------------------------------------------------------------
def _lines(quarters, value) -> list[tuple]:
    """(flux, trimestre, année, département, région, A129, CPF4, pays, valeur, masse) for Creuse and
    Haute-Vienne, two products, three countries, each quarter of `quarters`; `value(key)` None: no line."""
    lines = []
    for (year, quarter), flow, dep, (a129, cpf4), country in itertools.product(
            quarters, "EI", ("23", "87"), (("A01Z", "0111"), ("C11Z", "1102")), ("BE", "DE", "US")):
        key = (flow, quarter, year, dep, "09", a129, cpf4, country)
        euros = value(key)
        if euros is not None:
            lines.append((*key, euros, euros // 2))
    return lines


def _publication_zip(path: Path, lines: list[tuple]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for flow, name in (("E", "REGIONAL_CPF4PAYSE.txt"), ("I", "REGIONAL_CPF4PAYSI.txt")):
            archive.writestr(name, "".join(";".join(map(str, line)) + "\n" for line in lines if line[0] == flow))
    return path


ANNUAL = _lines([(2024, q) for q in (1, 2, 3, 4)], lambda k: None if k[7] == "US" else 30_000 + 1_000 * k[1])
# The « dernière publication » of the five quarters 2024 T4 – 2025 T4: every 2024 T4 value revised up by 10 %.
REVISION = _lines([(2024, 4), *((2025, q) for q in (1, 2, 3, 4))],
                  lambda k: 34_000 + 3_400 if k[2] == 2024 else 50_000 + k[1])


def test_an_annual_file_and_a_revising_publication_give_the_revised_totals(tmp_path):
    """Both orders on the command line: the publication covering the later quarter wins, key by key."""
    work, scratch = _folders(tmp_path)
    annual = _publication_zip(tmp_path / "annuel-2024.zip", ANNUAL)
    revision = _publication_zip(tmp_path / "derniere-publication.zip", REVISION)
    latest = {line[:8]: line[8] for line in ANNUAL} | {line[:8]: line[8] for line in REVISION}
    expected = sum(v for k, v in latest.items() if k[0] == "E" and k[2] == 2024 and k[3] == "23")
    assert expected == 2 * 2 * (31_000 + 32_000 + 33_000) + 2 * 3 * 37_400  # by hand: Q1–Q3 annual, Q4 revised
    for order, target in (([revision, annual], "cible"), ([annual, revision], "cible2")):
        completed = _fichex(["data", "import", *map(str, order), "--into", target], work, scratch)
        assert completed.returncode == 0, completed.stderr[-3000:]
        assert "publications superposées" in completed.stdout and "Traceback" not in completed.stderr
        figures = _fichex(["figures", "23", "--year", "2024", "--json", "--data", target], work, scratch)
        assert figures.returncode == 0, figures.stderr[-3000:]
        assert json.loads(figures.stdout)["exportations"]["total_eur"] == expected
        rejected = list(csv.DictReader(io.StringIO((work / target / "lignes_rejetees.csv").read_text(
            encoding="utf-8-sig")), delimiter=";"))
        assert len(rejected) == sum(1 for line in ANNUAL if line[1:3] == (4, 2024))
        assert {r["motif"] for r in rejected} == {common.MOTIF_REVISED}
        assert all(r["fichier"].startswith("annuel-2024.zip:") and "derniere-publication.zip:" in r["detail"]
                   for r in rejected)
        report = json.loads((work / target / "rapport_import.json").read_text(encoding="utf-8"))
        assert report["lignes_lues"] == report["lignes_conservees"] + report["lignes_rejetees"]
        _nothing_left(scratch, work / target)


# --- Signals ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def large_regional_file(tmp_path_factory) -> Path:
    """A valid regional file long enough for an import to take a few seconds (distinct keys, real codes)."""
    path = tmp_path_factory.mktemp("grand") / "REGIONAL_CPF4PAYSE.txt"
    deps = reference.departements().query("dgddi")
    prefixes = [f"{d};{r};" for d, r in zip(deps["code_dgddi"], deps["code_region_dgddi"])]
    products = reference.cpf4_products().query("code_a129 != ''")
    products = [f"{a};{c};" for a, c in zip(products["code_a129"], products["code_cpf4"])][:60]
    countries = list(reference.countries()["code_pays"])[:40]
    with path.open("w", encoding="utf-8") as handle:
        for year, quarter in itertools.product((2022, 2023, 2024), (1, 2, 3, 4)):
            head = f"E;{quarter};{year};"
            handle.write("".join(f"{head}{dep}{product}{country};{n % 9_973 + 1};{n % 97}\n" for n, (dep, product, country)
                                 in enumerate(itertools.product(prefixes, products, countries))))
    return path


def _stage_folders(scratch: Path) -> list[Path]:
    return [p for p in scratch.glob("fichex-tmp-*") if p.is_dir()]


def _start_import(source: Path, work: Path, scratch: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "fichex", "data", "import", str(source), "--into", "cible"],
                            cwd=work, env=_environment(scratch), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _wait_for(process: subprocess.Popen, ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.communicate()[1][-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.005)


def _staging_started(scratch: Path) -> bool:
    return any((folder / "kept-000002.parquet").exists() for folder in _stage_folders(scratch))


def _stage_created(scratch: Path) -> bool:
    return bool(_stage_folders(scratch))


def _sorting_started(scratch: Path) -> bool:
    # DuckDB writes the outputs (their temporary files in the target) from the staged blocks, part by part.
    target = scratch.parent / "travail" / "cible"
    return target.is_dir() and any(p.name.endswith(".tmp") for p in target.iterdir())


PHASES = {"création": _stage_created, "lecture": _staging_started, "duckdb": _sorting_started}


@pytest.mark.parametrize("signum, phase", [(signal.SIGTERM, "création"), (signal.SIGTERM, "lecture"),
                                           (signal.SIGINT, "lecture"), (signal.SIGTERM, "duckdb"),
                                           (signal.SIGINT, "duckdb")],
                         ids=["SIGTERM à la création du dossier", "SIGTERM en lecture", "Ctrl-C en lecture",
                              "SIGTERM pendant DuckDB", "Ctrl-C pendant DuckDB"])
def test_a_signal_stops_the_import_with_one_line_and_leaves_nothing(large_regional_file, tmp_path, signum, phase):
    """The signal sent as soon as the staging folder appears, while blocks are staged, or once DuckDB writes
    the sorted lines."""
    work, scratch = _folders(tmp_path)
    process = _start_import(large_regional_file, work, scratch)
    _wait_for(process, lambda: PHASES[phase](scratch))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == CODE_BY_SIGNAL[signum], stderr[-3000:]
    line = _one_error_line(stderr)
    assert "interrompu" in line or "SIGTERM" in line
    _nothing_left(scratch, work / "cible")
    assert not (work / "cible").exists() or not any((work / "cible").iterdir())


def test_the_staging_of_a_killed_import_is_reclaimed_by_the_next(large_regional_file, tmp_path):
    work, scratch = _folders(tmp_path)
    process = _start_import(large_regional_file, work, scratch)
    _wait_for(process, lambda: _staging_started(scratch))
    process.kill()
    process.communicate(timeout=60)
    left = _stage_folders(scratch)
    assert left  # kill -9 runs no cleanup
    (work / "cible").mkdir(exist_ok=True)
    orphan = work / "cible" / f".commerce_exterieur.parquet.{process.pid}.abcd1234.tmp"
    orphan.write_bytes(b"PAR1 a moitie ecrit")
    small = tmp_path / "REGIONAL_CPF4PAYSE.txt"
    small.write_text("E;3;2018;01;18;A01Z;0111;BE;406473;1210935\n", encoding="utf-8")
    completed = _fichex(["data", "import", str(small), "--into", "cible"], work, scratch)
    assert completed.returncode == 0, completed.stderr[-3000:]
    _nothing_left(scratch, work / "cible")


def _can_mount_small_tmpfs(folder: Path) -> bool:
    if shutil.which("unshare") is None or not sys.platform.startswith("linux"):
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{folder}'"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def test_a_full_temporary_folder_is_one_line_naming_it(large_regional_file, tmp_path):
    """TMPDIR on a 2 MB file system (a private mount: `unshare`), far too small for the staging."""
    work, scratch = _folders(tmp_path)
    if not _can_mount_small_tmpfs(scratch):
        pytest.skip("no private mount of a small tmpfs here (unshare -rm)")
    command = ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=2m tmpfs '{scratch}' && exec \"$@\"", "sh",
               sys.executable, "-m", "fichex", "data", "import", str(large_regional_file), "--into", "cible"]
    completed = subprocess.run(command, cwd=work, env=_environment(scratch), capture_output=True, text=True,
                               timeout=240, check=False)
    assert completed.returncode == 1, completed.stderr[-3000:]
    line = _one_error_line(completed.stderr)
    assert str(scratch) in line and "TMPDIR" in line
    assert not (work / "cible").exists() or not any((work / "cible").iterdir())
