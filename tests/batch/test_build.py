"""Batch builds: target selection, serial = parallel, failures isolated, interruption safe, incremental."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fichex.data import reference
from fichex.batch import build, manifest, targets
from fichex.render import pdf
from fichex.data import trade
from fichex.cli import app
from fichex.errors import FichexError, UnknownCodeError

runner = CliRunner()
FICHEX = [sys.executable, "-m", "fichex"]


def test_targets_from_codes_region_and_all():
    def codes(*args, **kwargs):
        return [dep.code for dep in targets.resolve_targets(*args, **kwargs)]

    assert codes(["23", "2a", "1", "9a"]) == ["23", "2A", "01", "971"]
    assert codes([], region="94") == ["2A", "2B"]
    assert len(codes([], all_departements=True)) == 101
    # Once the data is read, its territories decide: DGDDI files have Corse as « 20 » and Monaco « 99 ».
    dgddi = set(reference.departements().query("dgddi")["code_departement"])
    assert codes([], region="94", present=dgddi) == ["20"]
    assert codes(["2A", "2B"], present=dgddi) == ["20"]
    assert "99" in codes([], region="93", present=dgddi)
    assert len(codes([], all_departements=True, present=dgddi)) == 101  # 95 metropolitan, 5 DOM, Monaco
    assert targets.substitution_notes(["2a"], dgddi) == [
        "2A : les données douanières ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse (2B) ; fiche «\u00a0Corse\u00a0» "
        "(code 20) pour les deux départements"]
    both = codes(["23", "23"], region="75")
    assert len(both) == 12 and both.count("23") == 1


def test_unknown_targets_are_refused_before_any_work(tmp_path):
    with pytest.raises(UnknownCodeError, match="« 9F »"):
        build.build(["23", "9F"], out_dir=tmp_path)
    assert not any(tmp_path.rglob("*.xlsx"))
    result = runner.invoke(app, ["build", "23", "--region", "99", "--out-dir", str(tmp_path)])
    assert result.exit_code == 1 and result.stderr.startswith("Erreur : région inconnue : « 99 »")


def test_formats_are_checked():
    assert targets.parse_formats("pptx,xlsx") == ("xlsx", "pptx")
    with pytest.raises(FichexError, match="format inconnu : docx"):
        targets.parse_formats("xlsx,docx")


def slide_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith(("ppt/slides/", "ppt/charts/", "ppt/notesSlides/", "ppt/embeddings/"))}


def test_serial_and_parallel_builds_give_the_same_documents(tmp_path):
    # The Méthode sheet records the command run: the same command gives the same bytes, whatever --jobs.
    command = "fichex build 23 87 2A"
    serial = build.build(["23", "87", "2A"], out_dir=tmp_path / "serie", jobs=1, command=command)
    parallel = build.build(["23", "87", "2A"], out_dir=tmp_path / "parallele", jobs=2, command=command)
    assert not serial.failed and not parallel.failed
    for one, two in zip(serial.results, parallel.results):
        assert one.code == two.code
        files_one = {Path(f.path).name: f for f in one.files}
        files_two = {Path(f.path).name: f for f in two.files}
        assert files_one.keys() == files_two.keys() and len(files_one) == 2
        for name, info in files_one.items():
            if name.endswith(".xlsx"):
                assert info.sha256 == files_two[name].sha256
            else:
                assert slide_parts(Path(info.path)) == slide_parts(Path(files_two[name].path))


def test_second_build_skips_everything_and_json_lists_every_file(tmp_path):
    out = tmp_path / "out"
    first = runner.invoke(app, ["build", "23", "87", "--out-dir", str(out), "--jobs", "1", "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["construits"] == 2 and data["echecs"] == 0
    for target in data["cibles"]:
        assert target["statut"] == "construit" and len(target["fichiers"]) == 2
        for info in target["fichiers"]:
            content = Path(info["path"]).read_bytes()
            assert hashlib.sha256(content).hexdigest() == info["sha256"] and len(content) == info["size"]
    assert Path(data["cibles"][0]["fichiers"][0]["path"]).as_posix().endswith(
        "out/2024/23-creuse/commerce-exterieur-23-creuse-2024.xlsx")
    again = json.loads(runner.invoke(app, ["build", "23", "87", "--out-dir", str(out), "--json"]).stdout)
    assert again["construits"] == 0 and again["inchanges"] == 2
    forced = json.loads(runner.invoke(app, ["build", "23", "--out-dir", str(out), "--json", "--force"]).stdout)
    assert forced["construits"] == 1
    recorded = json.loads((out / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(recorded["fichiers"]) == 4


def test_a_failing_target_leaves_the_others_built(tmp_path):
    demo = trade.load()
    rows = demo.table[demo.table["code_departement"].isin(["23", "87"])]
    data = tmp_path / "donnees"
    trade.write_parquet(rows, data / trade.TRADE_FILE_NAME, trade.DataSource(False, "extrait", ""))
    result = runner.invoke(app, ["build", "23", "2A", "87", "--data", str(data), "--out-dir", str(tmp_path / "o"),
                                 "--jobs", "1", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [t["statut"] for t in data["cibles"]] == ["construit", "échec", "construit"]
    assert "aucune donnée pour le département 2A" in data["cibles"][1]["motif"]
    assert not list((tmp_path / "o").rglob("*corse*"))  # nothing left for the failed target


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    result = runner.invoke(app, ["build", "23", "--out-dir", str(blocker / "sous-dossier")])
    assert result.exit_code == 1
    assert result.stderr == (f"Erreur : un fichier porte déjà ce nom, ce n'est pas un dossier : {blocker / 'sous-dossier'}"
                             " ; choisissez un autre --out-dir\n")


def test_pdf_without_libreoffice_names_the_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(FichexError, match="apt-get install -y libreoffice-impress"):
        build.build(["23"], formats="pdf", out_dir=tmp_path)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_leaves_no_partial_file(tmp_path, sig):
    out = tmp_path / "out"
    scratch = tmp_path / "tmp"  # the build's TMPDIR: libraries' scratch files must not stay there either
    scratch.mkdir()
    process = subprocess.Popen([*FICHEX, "build", "--all", "--jobs", "2", "--out-dir", str(out), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "TMPDIR": str(scratch)})
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.rglob("*.pptx"))) < 3:
        time.sleep(0.05)
    assert process.poll() is None, "the build ended before it could be interrupted"
    os.killpg(process.pid, sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    # Worker processes (children of the forkserver) finish their cleanup after the main one has gone:
    # check once the whole process group has ended.
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("des processus de fichex tournent encore 30 s après l'interruption")
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert not [p.name for p in scratch.iterdir() if not p.name.startswith("pymp-")]
    for path in out.rglob("*.xlsx"):
        zipfile.ZipFile(path).testzip()
    for path in out.rglob("*.pptx"):
        zipfile.ZipFile(path).testzip()


def test_cli_builds_are_identical_whatever_jobs_out_dir_or_quiet(tmp_path, monkeypatch):
    # The Méthode sheet records the command, out-dir included: the same relative out-dir in two folders
    # (whether pytest runs as `pytest` or `python -m pytest`, which changes what the command line shows).
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    one = runner.invoke(app, ["build", "87", "--jobs", "1", "--out-dir", "out", "--json"])
    monkeypatch.chdir(tmp_path / "b")
    two = runner.invoke(app, ["build", "87", "--jobs", "2", "--out-dir", "out", "--quiet"])
    assert one.exit_code == 0 and two.exit_code == 0
    first = json.loads(one.stdout)["cibles"][0]["fichiers"][0]
    assert first["path"].endswith(".xlsx")
    second = next((tmp_path / "b").rglob("*.xlsx"))
    assert hashlib.sha256(second.read_bytes()).hexdigest() == first["sha256"]
    # Decks too: their package entries carry the data's date, not the clock's.
    decks = [next((tmp_path / d).rglob("*.pptx")).read_bytes() for d in ("a", "b")]
    assert hashlib.sha256(decks[0]).hexdigest() == hashlib.sha256(decks[1]).hexdigest()


def test_json_says_when_the_data_is_a_demonstration(tmp_path):
    data = json.loads(runner.invoke(app, ["build", "23", "--out-dir", str(tmp_path), "--json"]).stdout)
    assert data["donnees_demonstration"] is True
    recorded = json.loads((tmp_path / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert all(entry["donnees_demonstration"] for entry in recorded["fichiers"].values())


def test_refused_build_leaves_no_output_folder(tmp_path):
    result = runner.invoke(app, ["build", "23", "--year", "1990", "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : aucune donnée pour l'année 1990")
    assert not (tmp_path / "o").exists()


def test_changed_output_is_rebuilt(tmp_path):
    build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    path = next(tmp_path.rglob("*.xlsx"))
    content = bytearray(path.read_bytes())
    content[-30] ^= 0xFF  # same size, different bytes
    path.write_bytes(bytes(content))
    again = build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    assert again.results[0].status == "built"


@pytest.mark.libreoffice
def test_pdf_through_libreoffice(tmp_path):
    import shutil
    import tempfile

    from fichex.render.thumbnail import thumbnail_path

    before = set(Path(tempfile.gettempdir()).glob("fichex-lo-*"))
    result = build.build(["23"], formats="pdf", out_dir=tmp_path, jobs=1)
    assert not result.failed, result.results[0].reason
    pdf = Path(result.results[0].files[0].path)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    # No deck, no temporary left; the index page's thumbnail when poppler is installed.
    thumbnail = [thumbnail_path(pdf).name] if shutil.which("pdftoppm") else []
    assert sorted(p.name for p in pdf.parent.iterdir()) == sorted([pdf.name, *thumbnail])
    assert set(Path(tempfile.gettempdir()).glob("fichex-lo-*")) == before  # LibreOffice profile removed


def test_two_builds_into_one_folder_keep_every_manifest_entry(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    runs = [subprocess.Popen([*FICHEX, "build", *codes, "--jobs", "1", "--formats", "xlsx", "--out-dir", str(out),
                              "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for codes in (["23", "87", "19"], ["2A", "33", "40"])]
    for run in runs:
        _, stderr = run.communicate(timeout=180)
        assert run.returncode == 0, stderr
    entries = manifest.read(out)["fichiers"]
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) == 6 and sorted(entries) == sorted(manifest.key_of(out, f) for f in files)
    for path in files:
        assert entries[manifest.key_of(out, path)]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_sigterm_to_the_main_process_leaves_a_manifest_of_every_file(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen([*FICHEX, "build", "--all", "--jobs", "2", "--out-dir", str(out), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.rglob("*.pptx"))) < 4:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)  # the main process only: the workers finish their targets
    process.wait(timeout=60)
    assert process.returncode != 0
    time.sleep(1)
    on_disk = sorted(manifest.key_of(out, p) for p in out.rglob("*") if p.suffix in (".xlsx", ".pptx"))
    entries = manifest.read(out)["fichiers"]
    assert on_disk and sorted(entries) == on_disk
    for key in on_disk:
        assert entries[key]["sha256"] == hashlib.sha256((out / key).read_bytes()).hexdigest()


# --- A build that ends cleanly --------------------------------------------------------------------------------

def _children() -> list[str]:
    """Command lines of this process's live child processes, read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[1]) == os.getpid() and fields[0] != "Z":
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, ValueError, IndexError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
def test_a_parallel_build_leaves_no_process_behind(tmp_path):
    result = build.build(["23", "87", "2A"], formats="xlsx", out_dir=tmp_path, jobs=2)
    assert not result.failed
    assert not [line for line in _children() if "multiprocessing" in line], _children()


def _failing_decks(monkeypatch):
    from fichex.errors import OutputError
    from fichex.render import pptx

    def full(fiche, path, template=None):
        raise OutputError(f"disque plein en écrivant {path} ; libérez de la place ou choisissez un autre --out-dir")

    monkeypatch.setattr(pptx, "write_deck", full)


def test_a_target_whose_deck_fails_removes_its_workbook_and_folders(tmp_path, monkeypatch):
    _failing_decks(monkeypatch)
    out = tmp_path / "o"
    result = build.build(["23"], out_dir=out, jobs=1, command="fichex build 23")
    assert [r.status for r in result.results] == ["failed"]
    assert result.results[0].reason.endswith(
        "; retiré(s) pour ne pas laisser une fiche incomplète hors du manifeste : commerce-exterieur-23-creuse-2024.xlsx")
    assert not out.exists()  # created by this build, which left nothing in it


def test_a_failed_target_keeps_the_files_the_manifest_describes(tmp_path, monkeypatch):
    out = tmp_path / "o"
    build.build(["23"], out_dir=out, jobs=1, command="fichex build 23")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _failing_decks(monkeypatch)
    # The same command rewrites the same workbook: still described, kept, and the reason says nothing removed.
    same = build.build(["23"], out_dir=out, jobs=1, force=True, command="fichex build 23")
    assert same.results[0].status == "failed" and "retiré" not in same.results[0].reason
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    # Another command writes another workbook: not what the manifest describes, so removed with its entry;
    # the earlier deck stays, listed.
    other = build.build(["23"], out_dir=out, jobs=1, force=True, command="fichex build 23 --force")
    assert "retiré" in other.results[0].reason
    entries = manifest.read(out)["fichiers"]
    assert sorted(Path(key).suffix for key in entries) == [".pptx"]
    assert sorted(p.suffix for p in out.rglob("commerce-exterieur-*")) == [".pptx"]


def test_a_build_whose_targets_all_fail_leaves_no_out_dir(tmp_path):
    demo = trade.load()
    data = tmp_path / "donnees"
    trade.write_parquet(demo.table[demo.table["code_departement"] == "23"], data / trade.TRADE_FILE_NAME,
                        trade.DataSource(False, "extrait", ""))
    for jobs in (1, 2):
        result = build.build(["87", "2A"], data=data, out_dir=tmp_path / "o" / "p", jobs=jobs)
        assert [r.status for r in result.results] == ["failed", "failed"]
        assert not (tmp_path / "o").exists()
    (tmp_path / "existant").mkdir()  # a folder the user made stays
    build.build(["87"], data=data, out_dir=tmp_path / "existant", jobs=1)
    assert (tmp_path / "existant").is_dir()


def test_the_brand_is_checked_before_any_work(tmp_path):
    from conftest import template_with_brand

    template = template_with_brand(tmp_path / "marque", 'motto = "a\\u0000"\n')
    with pytest.raises(FichexError, match="« motto » contient un caractère de contrôle"):
        build.build(["23"], template=template, out_dir=tmp_path / "o")
    assert not (tmp_path / "o").exists()
    build.build(["23"], template=template, formats="xlsx", out_dir=tmp_path / "o")  # no deck: no brand read


def test_a_long_temporary_folder_starts_the_workers_without_a_unix_socket(tmp_path):
    """The forkserver's socket lives in $TMPDIR; past about 70 characters its path is too long for AF_UNIX,
    and the build used to end with a traceback there (pytest-xdist's temporary folders are that long)."""
    assert build.pool_start_method("/tmp") == "forkserver"
    assert build.pool_start_method("/tmp/" + "x" * 100) == "spawn"
    scratch = tmp_path / ("un-dossier-temporaire-au-nom-tres-long-" * 3)
    scratch.mkdir()
    result = subprocess.run([*FICHEX, "build", "23", "87", "--jobs", "2", "--formats", "xlsx", "--out-dir",
                             str(tmp_path / "out"), "--quiet"], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(scratch)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert len(list((tmp_path / "out").rglob("*.xlsx"))) == 2


def test_the_documents_record_the_command_without_machine_paths():
    from fichex.batch.build import portable_command

    command = "fichex build 23 --out-dir /home/agent/sorties --data=/srv/douanes --template '/mnt/a b/modèle.pptx' --force"
    assert portable_command(command) == "fichex build 23 --force"
    assert portable_command("fichex build --level region 75 --formats xlsx") == "fichex build --level region 75 --formats xlsx"


def test_a_build_into_two_folders_gives_the_same_bytes(tmp_path):
    for folder in ("ici", "là/plus/loin"):
        subprocess.run([sys.executable, "-m", "fichex", "build", "23", "--formats", "xlsx,pptx", "--quiet",
                        "--out-dir", str(tmp_path / folder)], check=True, capture_output=True, timeout=300)
    first, second = (sorted((tmp_path / folder).rglob("*.*x")) for folder in ("ici", "là/plus/loin"))
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 2
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
