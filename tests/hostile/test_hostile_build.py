"""A build that ends cleanly, through the real command line: refused targets leave no --out-dir, a target
whose deck fails on a full disk leaves no unlisted workbook and no empty folder, the pool's processes are gone
when the command returns, and SIGTERM is one French line.

The cases share the checks of tests/hostile/test_hostile_templates.py (`run_case`): exit code, one « Erreur : »
line, nothing written outside the target folder, no temporary file left.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_hostile_templates import Case, listing, run_case

FICHEX = [sys.executable, "-m", "fichex"]
ONLY_01 = "annee;flux;code_departement;code_produit;code_pays;valeur_eur\n2024;E;01;10.51;DE;12\n2024;I;01;10.51;DE;5\n"
# The real command with one thing changed, in every process (sitecustomize is imported at each start, the
# pool's workers included): the disk is full whenever a deck is renamed into place (the workbook, written
# first, fits).
DISK_FULL_FOR_DECKS = """
import errno, os
real_replace = os.replace
def replace(source, target, *args, **kwargs):
    if str(target).endswith(".pptx"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return real_replace(source, target, *args, **kwargs)
os.replace = replace
"""


def _data_of_01(folder: Path) -> Path:
    """A data folder imported (by the real command) from two lines of the Ain (an export, an import): no other département has data."""
    (folder / "ain.csv").write_text(ONLY_01, encoding="utf-8")
    subprocess.run([*FICHEX, "data", "import", "ain.csv", "--into", "donnees"], cwd=folder, check=True,
                   capture_output=True, env={**os.environ, "FICHEX_CACHE": "off"})
    return folder / "donnees"


def test_every_target_refused_leaves_no_out_dir(tmp_path):
    completed = run_case(Case("cibles toutes refusées", lambda f: [
        "build", "23", "--data", str(_data_of_01(f)), "--jobs", "1", "--quiet", "--out-dir", "cible"], 1,
        ("23 Creuse", "aucune donnée")), tmp_path)
    assert completed.stdout == ""


def test_a_refused_option_leaves_no_out_dir(tmp_path):
    run_case(Case("--year absente", lambda f: ["build", "23", "--year", "1990", "--out-dir", "cible/sous-dossier"],
                  1, ("1990",)), tmp_path)


def _disk_full_build(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The build run in tmp_path/travail with the disk full for decks (the patch in tmp_path/site)."""
    work, patch = tmp_path / "travail", tmp_path / "site"
    work.mkdir(exist_ok=True)
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(DISK_FULL_FOR_DECKS, encoding="utf-8")
    path = os.pathsep.join(p for p in (str(patch), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run([*FICHEX, "build", *args], cwd=work, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "FICHEX_CACHE": "off", "PYTHONPATH": path}, check=False)


def test_a_full_disk_for_the_deck_leaves_no_unlisted_workbook_nor_empty_folder(tmp_path):
    completed = _disk_full_build(tmp_path, "23", "--jobs", "1", "--quiet", "--out-dir", "cible")
    assert completed.returncode == 1, completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Erreur : 23 Creuse : disque plein"), completed.stderr
    assert "commerce-exterieur-23-creuse-2024.xlsx" in lines[0] and "retiré" in lines[0]
    # The folder was created by this build, which left nothing: neither it nor a workbook or folder in it.
    assert listing(tmp_path / "travail") == set()


def test_a_full_disk_in_a_folder_of_earlier_builds_keeps_what_the_manifest_lists(tmp_path):
    out = tmp_path / "cible"
    subprocess.run([*FICHEX, "build", "87", "--jobs", "1", "--quiet", "--out-dir", str(out)], check=True,
                   capture_output=True)
    before = listing(out)
    # 87 is up to date (skipped); 23 and 2A are built by two workers, and both decks find the disk full.
    completed = _disk_full_build(tmp_path, "23", "2A", "87", "--jobs", "2", "--quiet", "--out-dir", str(out))
    assert completed.returncode == 1, completed.stderr
    lines = completed.stderr.splitlines()
    assert [line.split(" : ")[1] for line in lines] == ["23 Creuse", "20 Corse"], completed.stderr
    assert all("disque plein" in line and "retiré" in line for line in lines)
    assert listing(out) == before  # no workbook, no folder of 23 or 2A
    entries = json.loads((out / "fichex-manifest.json").read_text(encoding="utf-8"))["fichiers"]
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.suffix in (".xlsx", ".pptx"))
    assert sorted(entries) == on_disk and len(on_disk) == 2
    for key in on_disk:
        assert entries[key]["sha256"] == hashlib.sha256((out / key).read_bytes()).hexdigest()


def _alive_in_group(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def test_no_pool_process_outlives_the_command(tmp_path):
    process = subprocess.Popen([*FICHEX, "build", "23", "87", "2A", "--jobs", "2", "--formats", "xlsx", "--quiet",
                                "--out-dir", str(tmp_path / "cible")], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, stderr = process.communicate(timeout=240)
    assert process.returncode == 0, stderr
    # The workers, the forkserver and the resource tracker were joined before the command returned: none is
    # left to be reparented (and reaped, or not, by whatever adopts it).
    assert not _alive_in_group(process.pid)


def test_sigterm_prints_one_french_line_and_keeps_its_exit_code(tmp_path):
    out = tmp_path / "cible"
    process = subprocess.Popen([*FICHEX, "build", "--all", "--jobs", "2", "--quiet", "--out-dir", str(out)],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.rglob("*.pptx"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    assert stderr.splitlines() == ["Erreur : interrompu (signal SIGTERM) ; aucun fichier partiel n'a été laissé"]
    deadline = time.time() + 30
    while time.time() < deadline and _alive_in_group(process.pid):
        time.sleep(0.05)
    assert not _alive_in_group(process.pid)
