"""Benchmark of `fichex data import` on a simulated France-wide DGDDI regional file (run by hand, not in CI).

Writes a headerless regional file in the official layout (10 fields, euros, quarters, DGDDI codes) of
--lines lines per year (default 4 million, about one year of real quarterly CPF4 data for all of France)
for --years years, then imports it in a child process and prints lines per second, the child's peak
memory (ru_maxrss), its time over DuckDB's own `read_csv` of the same file into a sorted Parquet
file with no check (issue 27: at most 3 times) and the peak size of its staging in TMPDIR against the table's. With --bombs, also imports two ZIP bombs (1 GiB of zeros behind a DGDDI file name and
behind a CSV name, about 1 MB compressed each) and prints how each was refused, and its peak memory.
Usage: python benchmarks/bench_import_dgddi.py [--lines 4000000] [--years 1] [--bombs] [--keep DIR] [--source FILE]
       1 GiB file: --years 7 (28 million lines, 1.06 GB).
Goal (issue 15): under 500 MB whatever the file's size. Measured: 4 M lines 15.5 s at 385 MB; --years 7
(28 M lines, 1.07 GB) 120 s at 426 MB; each bomb refused in about 1 s at 115 MB. (The in-memory importer
before it read 535 000 lines/s, issue 10's goal, but held 1.1 GB for 4 M lines.) Staging in TMPDIR (issue 22):
4 M lines (153 MB) peaked at 377 MB for a 32 MB table, 2 M lines at 133 MB for a 17 MB table, while DuckDB
sorted all the lines at once; sorted part by part, 2 M lines peak at 17 MB for a 17 MB table (1.0 times).
Issue 27 (at most 3 times DuckDB's time, under 500 MB), 3.5 M lines on the shared 2-core machine (load about
5, DuckDB getting about one core): DuckDB alone 4.8 s, the import 11.8 s before (2.4 times, 389 MB) and
11.3 s now (2.1 times, 419 MB); --years 7: 90 s at 407 MB, staging 263 MB for a 225 MB table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import run_with_peak  # noqa: E402  (the sampling runner, shared)



def write_file(path: Path, lines: int, seed: int = 1, years: int = 1) -> None:
    """A regional file of `lines` distinct keys per year (flow × quarter × territory × CPF4 × country, as in
    the real files) drawn from the reference codes, for `years` years up to 2024, written in chunks."""
    with path.open("w", encoding="utf-8") as handle:
        for offset in range(years):
            _write_year(handle, lines, 2024 - offset, seed + offset)


def _write_year(handle, lines: int, year: int, seed: int) -> None:
    from fichex.data import reference

    rng = np.random.default_rng(seed)
    deps = reference.departements().query("dgddi")
    cpf4 = reference.cpf4_products().query("code_a129 != ''")
    countries = reference.countries()["code_pays"].to_numpy()
    sizes = (2, 4, len(deps), len(cpf4), len(countries))
    keys = np.sort(rng.choice(int(np.prod(sizes)), size=lines, replace=False))
    chunk = 500_000
    if True:
        for start in range(0, lines, chunk):
            rest, c = np.divmod(keys[start:start + chunk], sizes[4])
            rest, p = np.divmod(rest, sizes[3])
            rest, d = np.divmod(rest, sizes[2])
            f, q = np.divmod(rest, sizes[1])
            n = len(c)
            values = rng.lognormal(9, 2.5, n).astype(np.int64) + 1
            frame = pd.DataFrame({
                "flux": np.where(f == 0, "E", "I"), "trimestre": q + 1,
                "annee": year, "dep": deps["code_dgddi"].to_numpy()[d],
                "region": deps["code_region_dgddi"].to_numpy()[d], "a129": cpf4["code_a129"].to_numpy()[p],
                "cpf4": cpf4["code_cpf4"].to_numpy()[p], "pays": countries[c], "valeur": values,
                "masse": (values / rng.lognormal(1.4, 1.2, n)).astype(np.int64)})
            frame.to_csv(handle, sep=";", header=False, index=False, lineterminator="\n")


def _high_water_kib(pid: int) -> int:
    """A process's own peak RSS (VmHWM, counted from its exec): the rusage of a child also counts the memory
    of the parent it was forked from, which generated the file."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def _folder_bytes(folder: Path) -> int:
    """The bytes of the files under `folder` now (files may vanish while it is walked)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def _import(source: Path, into: Path, staging: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """`fichex data import` in a child process; (seconds, that child's peak memory in MB, result). With
    `staging`, the child's TMPDIR is a folder of its own whose largest size (bytes) goes to staging["peak"]."""
    import os

    command = [sys.executable, "-m", "fichex", "data", "import", str(source), "--into", str(into)]
    if staging is None:
        seconds, peak_kib, result = run_with_peak(command, _high_water_kib)
        return seconds, peak_kib / 1024, result
    scratch = into.parent / "tmpdir-import"
    scratch.mkdir(exist_ok=True)
    staging["peak"] = 0

    def probe(pid: int) -> int:
        staging["peak"] = max(staging["peak"], _folder_bytes(scratch))
        return _high_water_kib(pid)

    previous = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(scratch)
    try:
        seconds, peak_kib, result = run_with_peak(command, probe)
    finally:
        if previous is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = previous
    return seconds, peak_kib / 1024, result


# What DuckDB alone does with the same file, no check at all: read the ten fields, sort them in the table's
# storage order and write them to Parquet (zstd), with its default memory and both cores.
_DUCKDB_REFERENCE = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute(f\"\"\"COPY (SELECT * FROM read_csv('{sys.argv[1]}', delim = ';', header = false, quote = '', columns = {{
  'flux': 'VARCHAR', 'trimestre': 'BIGINT', 'annee': 'BIGINT', 'code_departement': 'VARCHAR',
  'code_region': 'VARCHAR', 'code_a129': 'VARCHAR', 'code_produit': 'VARCHAR', 'code_pays': 'VARCHAR',
  'valeur_eur': 'DOUBLE', 'masse_kg': 'DOUBLE'}})
  ORDER BY annee, flux, code_departement, trimestre, code_produit, code_pays)
  TO '{sys.argv[2]}' (FORMAT parquet, COMPRESSION zstd)\"\"\")
"""


def _children_cpu() -> float:
    """The CPU seconds (user and system) of the child processes waited for so far."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def duckdb_reference(source: Path, folder: Path) -> tuple[float, float]:
    """DuckDB's `read_csv` of `source` into a sorted Parquet file, in a child process: (seconds, peak MB)."""
    target = folder / "reference-duckdb.parquet"
    seconds, peak_kib, result = run_with_peak([sys.executable, "-c", _DUCKDB_REFERENCE, str(source), str(target)],
                                              _high_water_kib)
    if result.returncode != 0:
        sys.exit(result.stderr)
    target.unlink()
    return seconds, peak_kib / 1024


def write_bombs(folder: Path, size: int = 1 << 30) -> list[Path]:
    """Two ZIPs of `size` zero bytes each, one member named as a DGDDI regional file, one as a CSV."""
    import zipfile

    bombs = []
    for name, member in (("bombe_dgddi.zip", "REGIONAL_CPF4PAYSE.txt"), ("bombe_csv.zip", "bomb.csv")):
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            with archive.open(member, "w", force_zip64=True) as out:
                block = bytes(16 << 20)
                for _ in range(size // len(block)):
                    out.write(block)
        bombs.append(path)
    return bombs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=4_000_000, help="lines per year")
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--bombs", action="store_true", help="also import two ZIP bombs")
    parser.add_argument("--keep", type=Path, help="keep the generated file and data folder here")
    parser.add_argument("--source", type=Path, help="import this regional file instead of generating one (kept)")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="fichex-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = args.source or folder / "REGIONAL_CPF4PAYSE.txt"
    start = time.perf_counter()
    if args.source is None:
        write_file(source, args.lines, years=args.years)
    with source.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 24), b""))
    print(f"fichier {'simulé' if args.source is None else 'donné'} : {lines:,} lignes ; "
          f"{source.stat().st_size / 1e6:.0f} Mo ({time.perf_counter() - start:.1f} s)".replace(",", " "))
    cpu_before = _children_cpu()
    reference_seconds, reference_mb = duckdb_reference(source, folder)
    reference_cpu = _children_cpu() - cpu_before
    print(f"DuckDB seul (read_csv → Parquet trié ; sans contrôle) : {reference_seconds:.1f} s ; "
          f"CPU {reference_cpu:.1f} s ; mémoire maximale {reference_mb:,.0f} Mo".replace(",", " "))
    staging: dict = {}
    cpu_before = _children_cpu()
    seconds, peak_mb, result = _import(source, folder / "donnees", staging)
    cpu = _children_cpu() - cpu_before
    if result.returncode != 0:
        sys.exit(result.stderr)
    print(f"import : {seconds:.1f} s ; CPU {cpu:.1f} s ; {lines / seconds:,.0f} lignes/s ; mémoire maximale "
          f"{peak_mb:,.0f} Mo".replace(",", " "))
    print(f"import / DuckDB seul : {seconds / reference_seconds:.1f} fois le temps (objectif de l'issue 27 : 3 au "
          f"plus) ; {cpu / reference_cpu:.1f} fois le CPU ; mémoire maximale {peak_mb:.0f} Mo (objectif : moins de "
          "500)")
    table = (folder / "donnees" / "commerce_exterieur.parquet").stat().st_size
    print(f"espace temporaire (TMPDIR) au plus haut : {staging['peak'] / 1e6:,.0f} Mo, pour une table de "
          f"{table / 1e6:,.0f} Mo ({staging['peak'] / table:.1f} fois) et un fichier de "
          f"{source.stat().st_size / 1e6:,.0f} Mo".replace(",", " "))
    if args.source is None:
        source.unlink()
    if args.bombs:
        for bomb in write_bombs(folder):
            seconds, peak_mb, result = _import(bomb, folder / "bombe")
            said = [line for line in result.stderr.splitlines() if line.startswith("Erreur")]
            print(f"{bomb.name} ({bomb.stat().st_size / 1e6:.1f} Mo) : code {result.returncode} en {seconds:.1f} s ; "
                  f"mémoire maximale {peak_mb:.0f} Mo ; {said[0] if said else result.stderr[-300:]}")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
