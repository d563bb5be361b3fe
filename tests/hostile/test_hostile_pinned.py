"""Hostile cases of pinned data and of the year-aggregate cache, through the real commands: a build and an
import of the same folder at once, two imports into one folder, a tampered or stale cache, an unusable
cache location. Each must give the right figure or one French line, never a traceback, never a workbook
mixing two datasets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fichex.data import reference, trade
from fichex.provenance import DataSource

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    completed = subprocess.run([sys.executable, "-m", "fichex", *args], env={**os.environ, **(env or {})},
                               capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    return completed


def _rows(demo_trade, codes: tuple[str, ...] = (), factor: float = 1.0):
    """The demonstration rows of 2024 (of `codes` when given), values × factor."""
    table = demo_trade.table
    rows = table[table["annee"] == 2024]
    if codes:
        rows = rows[rows["code_departement"].isin(codes)]
    rows = rows.reset_index(drop=True)
    rows["valeur_eur"] = rows["valeur_eur"] * factor
    return rows


def _write(rows, path: Path, source: str = "essai") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    trade.write_parquet(rows, path, DataSource(False, source, ""), checked=True)
    return path


def _region_codes() -> tuple[str, ...]:
    table = reference.departements()
    return tuple(table[table["code_region"] == "75"]["code_departement"])


def _exports(folder: Path, env: dict) -> float:
    completed = _run(["figures", "23", "--data", str(folder), "--json"], env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)["exportations"]["total_eur"]


# --- the year-aggregate cache ----------------------------------------------------------------------------

def _tamper(cache: Path, change) -> int:
    """Rewrite every cached aggregate with `change(values)`, keeping its metadata (and, when the cache
    records a checksum of its values, recomputing it as a careful poisoner would)."""
    from fichex.data import store

    count = 0
    for path in cache.glob("agregat-*.parquet"):
        table = pq.read_table(path)
        frame = table.to_pandas()
        frame["valeur_eur"] = change(frame["valeur_eur"])
        meta = dict(table.schema.metadata or {})
        key = getattr(store, "CACHE_METADATA_KEY", None)
        if key in meta and hasattr(store, "aggregate_checksum"):
            described = json.loads(meta[key])
            described["somme"] = store.aggregate_checksum(frame)
            meta[key] = json.dumps(described).encode()
        tampered = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(tampered.replace_schema_metadata(meta), path)
        count += 1
    return count


@pytest.mark.parametrize("change", [lambda v: v * 10, lambda v: -v], ids=["valeurs ×10", "valeurs négatives"])
def test_a_poisoned_cache_is_not_believed(tmp_path, demo_trade, change):
    data = _write(_rows(demo_trade, _region_codes()), tmp_path / "D" / trade.TRADE_FILE_NAME).parent
    env = {"FICHEX_CACHE": str(tmp_path / "cache")}
    expected = _exports(data, env)
    assert _tamper(tmp_path / "cache", change) >= 1
    assert _exports(data, env) == expected
    completed = _run(["figures", "23", "--data", str(data), "--json"], env)
    assert 0 <= json.loads(completed.stdout)["exportations"]["part_france_pct"] <= 100


def _same_size(path_a: Path, rows_a, path_b: Path, rows_b) -> None:
    """Write A and B as files of exactly the same size, the smaller padded in its description (each
    character adds one or two bytes: the description is stored twice, once in base64)."""
    padding = {path_a: 0, path_b: 0}
    rows = {path_a: rows_a, path_b: rows_b}
    for path in rows:
        _write(rows[path], path)
    for _ in range(200):
        size_a, size_b = path_a.stat().st_size, path_b.stat().st_size
        if size_a == size_b:
            return
        smaller = path_a if size_a < size_b else path_b
        padding[smaller] += max(1, abs(size_a - size_b) // 3)
        _write(rows[smaller], smaller, "essai" + " " * padding[smaller])
    raise AssertionError("could not make both files the same size")


def test_a_data_file_swapped_for_one_of_the_same_size_and_date_is_read_afresh(tmp_path, demo_trade):
    codes = _region_codes()
    data_file = tmp_path / "D" / trade.TRADE_FILE_NAME
    other = tmp_path / "B" / trade.TRADE_FILE_NAME
    _same_size(data_file, _rows(demo_trade, codes), other, _rows(demo_trade, codes, factor=1.5))
    env = {"FICHEX_CACHE": str(tmp_path / "cache")}
    before = _exports(data_file.parent, env)
    stat = data_file.stat()
    os.replace(other, data_file)
    os.utime(data_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (data_file.stat().st_size, data_file.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert _exports(data_file.parent, env) == pytest.approx(1.5 * before)


def _unusable(kind: str, tmp_path: Path) -> Path:
    if kind == "fichier":
        path = tmp_path / "un-fichier"
        path.write_text("x")
        return path
    if kind == "/dev/null":
        return Path("/dev/null")
    if kind == "sous un fichier":
        (tmp_path / "un-fichier").write_text("x")
        return tmp_path / "un-fichier" / "cache"
    if kind == "impossible à créer":
        return Path("/proc/1/fichex-cache")
    path = tmp_path / "partage"
    path.mkdir()
    path.chmod(0o777)  # as a shared /tmp folder: another local user could plant aggregates there
    return path


@pytest.mark.parametrize("kind", ["fichier", "/dev/null", "sous un fichier", "impossible à créer",
                                  "modifiable par tous"])
def test_an_unusable_cache_location_is_one_warning_and_the_right_figure(tmp_path, demo_trade, kind):
    data = _write(_rows(demo_trade, _region_codes()), tmp_path / "D" / trade.TRADE_FILE_NAME).parent
    expected = _exports(data, {"FICHEX_CACHE": "off"})
    location = _unusable(kind, tmp_path)
    completed = _run(["figures", "23", "--data", str(data), "--json"], {"FICHEX_CACHE": str(location)})
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["exportations"]["total_eur"] == expected
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fichex : avertissement : cache"), completed.stderr
    assert str(location) in lines[0]
    if kind == "modifiable par tous":
        assert not list(location.iterdir())  # nothing written where another user could have written first


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_a_cache_folder_without_write_permission_is_one_warning(tmp_path, demo_trade):
    data = _write(_rows(demo_trade, _region_codes()), tmp_path / "D" / trade.TRADE_FILE_NAME).parent
    folder = tmp_path / "lecture-seule"
    folder.mkdir(mode=0o500)
    completed = _run(["figures", "23", "--data", str(data)], {"FICHEX_CACHE": str(folder)})
    assert completed.returncode == 0
    assert len(completed.stderr.splitlines()) == 1 and str(folder) in completed.stderr


# --- pinned data: builds and imports of one folder --------------------------------------------------------

def _locked(path: Path, kind: str) -> bool:
    """Whether some process holds a flock of `kind` (READ or WRITE) on `path` (/proc/locks, Linux)."""
    inode = path.stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and kind in fields and any(f.endswith(f":{inode}") for f in fields):
            return True
    return False


def _wait_until(condition, process: subprocess.Popen, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_an_import_into_a_folder_a_build_reads_waits_or_fails_with_one_line(tmp_path, demo_trade):
    codes = _region_codes()
    data_file = _write(_rows(demo_trade, codes), tmp_path / "D" / trade.TRADE_FILE_NAME)
    source = tmp_path / "B.parquet"
    _rows(demo_trade, codes, 1.5).astype({c: str for c in trade.CODE_COLUMNS}).drop(columns="code_a129").to_parquet(
        source, index=False)
    before = data_file.read_bytes()
    build = subprocess.Popen([sys.executable, "-m", "fichex", "build", "--region", "75", "--formats", "xlsx",
                              "--jobs", "1", "--out-dir", str(tmp_path / "out"), "--data", str(data_file.parent)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        held = _wait_until(lambda: _locked(data_file, "READ"), build)
        refused = _run(["data", "import", str(source), "--into", str(data_file.parent)], {"FICHEX_LOCK_WAIT": "0"})
    finally:
        out, err = build.communicate(timeout=600)
    assert held, "the build never held its data"
    assert build.returncode == 0, err
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Erreur : dossier de données occupé"), refused.stderr
    assert str(data_file.parent) in lines[0] and "FICHEX_LOCK_WAIT" in lines[0]
    assert data_file.read_bytes() == before
    assert sorted(p.name for p in data_file.parent.iterdir() if not p.name.startswith(".fichex-cache")) == [
        trade.TRADE_FILE_NAME]


def test_two_imports_into_one_folder_take_turns(tmp_path):
    from fichex.data import lock

    folder = tmp_path / "D"
    source = tmp_path / "t.csv"
    source.write_text("annee;flux;code_departement;code_produit;code_pays;valeur_eur\n2024;E;23;10.51;DE;12\n",
                      encoding="utf-8")
    with lock.importing(folder, trade.TRADE_FILE_NAME):  # another import is writing the folder
        refused = _run(["data", "import", str(source), "--into", str(folder)], {"FICHEX_LOCK_WAIT": "0"})
        waiting = subprocess.Popen([sys.executable, "-m", "fichex", "data", "import", str(source), "--into",
                                    str(folder)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None  # it waits for the other import
        assert not (folder / trade.TRADE_FILE_NAME).exists()
    out, err = waiting.communicate(timeout=300)
    assert refused.returncode == 1
    assert len(refused.stderr.splitlines()) == 1 and refused.stderr.startswith("Erreur : dossier de données occupé")
    assert waiting.returncode == 0, err
    assert "Traceback" not in err
    assert err.startswith("fichex : un autre import écrit dans") and "remplacera" in err.splitlines()[0]
    assert (folder / trade.TRADE_FILE_NAME).exists()


@pytest.mark.parametrize("start", [["--delay", "0.3"], ["--delay", "0", "--after-first-workbook"]],
                         ids=["0,3 s après", "après le premier classeur"])
def test_a_build_and_an_import_started_together_never_mix_two_datasets(start):
    """The case of the issue: `build --region 75 --jobs 2` and `data import B --into D` 0.3 s later, or once
    the build's workers hold a year aggregate of A (its first workbook written)."""
    completed = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "concurrent_import.py"), "--runs", "1",
                                "--years", "2024", "--departements", "region", "--json", *start],
                               capture_output=True, text=True, timeout=900, check=False)
    summary = json.loads(completed.stdout)
    (run,) = summary["details"]
    assert summary["classeurs_melanges"] == 0, run
    assert not summary["tracebacks"], run
    assert run["import_rc"] == 0, run
    assert run["build_rc"] == 0 and sum(run["classeurs"].values()) == 12, run
