"""Benchmark of the query engine against the pandas path on large tables (run by hand, not in CI).

Builds tables of 10, 25 and 50 million rows from the demonstration table (copy k of every row gets the
product code « CPF4 + k », a six-digit CPF code of the same A129 position, so that keys stay unique and
each year grows with the table), writes each twice on disk:

- `moteur.parquet`: as `fichex data import` writes it (checked rows, year × flow × territory order,
  row groups): `fichex` queries it in place with DuckDB (data/store.py);
- `pandas.parquet`: the same rows without the import's mark: `fichex` reads it whole and checks it,
  the path every table took before the engine,

then measures side by side, in child processes (wall time, peak memory of the process tree and of its
largest process, sampled every 20 ms): `figures 23 --json`, `build 23 --formats xlsx,pptx`, and on the
25-million-row table `build --all --formats xlsx,pptx --jobs 2`. The engine is measured cold (no cached
aggregate) and warm (second run). Usage:

    python benchmarks/bench_engine.py [--sizes 10,25,50] [--all-size 25] [--skip-pandas-all] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import rss_by_pid  # noqa: E402  (the process-tree memory probe, shared)

FICHEX = shutil.which("fichex") or str(Path(sys.executable).with_name("fichex"))
MILLION = 1_000_000


def run_measured(command: list[str], env: dict | None = None) -> dict:
    """Wall seconds, peak RSS of the tree and of its largest single process (MiB), exit code."""
    tree_peak = single_peak = 0
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak, single_peak
        while not done.is_set():
            sizes = rss_by_pid(process.pid)
            tree_peak = max(tree_peak, sum(sizes.values()))
            single_peak = max(single_peak, max(sizes.values(), default=0))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode:
        print(stderr.decode(errors="replace")[-2000:], file=sys.stderr)
    return {"secondes": round(wall, 2), "memoire_mio": round(tree_peak / 1024),
            "plus_gros_processus_mio": round(single_peak / 1024), "code": process.returncode}


def make_tables(rows: int, folder: Path) -> tuple[Path, Path]:
    """The two files of a table of `rows` rows (see the module docstring)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from fichex.data import trade
    from fichex.resources import demo_dataset_path

    engine, plain = folder / "moteur.parquet", folder / "pandas.parquet"
    if engine.exists() and plain.exists():
        return engine, plain
    base = pq.read_table(demo_dataset_path())
    base = base.cast(pa.schema([pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f
                                for f in base.schema]))
    parts = []
    for k in range(math.ceil(rows / base.num_rows)):
        codes = pc.binary_join_element_wise(base["code_produit"], pa.scalar(f"{k:02d}"), "")
        parts.append(base.set_column(base.schema.get_field_index("code_produit"), "code_produit", codes))
    table = pa.concat_tables(parts).slice(0, rows)
    del parts
    table = table.sort_by([(column, "ascending") for column in trade.STORAGE_ORDER])
    meta = json.loads(pq.read_schema(demo_dataset_path()).metadata[trade.METADATA_KEY])
    meta["source"] = f"table de banc d'essai ({rows:,} lignes, copies des données de démonstration)"
    for path, checked in ((engine, True), (plain, False)):
        described = dict(meta)
        if not checked:
            described.pop("format", None)
        stamped = table.replace_schema_metadata({trade.METADATA_KEY: json.dumps(described).encode()})
        pq.write_table(stamped, path, compression="zstd", compression_level=1, row_group_size=trade.ROW_GROUP_ROWS)
    return engine, plain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,25,50", help="table sizes in millions of rows")
    parser.add_argument("--all-size", type=int, default=25, help="size (millions) for build --all --jobs 2")
    parser.add_argument("--skip-pandas-all", action="store_true", help="skip build --all on the pandas path")
    parser.add_argument("--keep", type=Path, help="folder where the tables are kept between runs")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="fichex-bench-engine-"))
    results = []
    print(f"machine : {os.cpu_count()} cœurs ; fichex = {FICHEX}")

    def measure(label: str, size: int, path: Path, command: list[str], cold: bool = False) -> None:
        if cold:
            shutil.rmtree(path.parent / ".fichex-cache", ignore_errors=True)
        with tempfile.TemporaryDirectory() as out:
            full = [FICHEX, *command, "--data", str(path)] + (["--out-dir", out, "--jobs", "1", "--quiet", "--force"]
                                                             if command[0] == "build" and "--jobs" not in command
                                                             else (["--out-dir", out, "--quiet", "--force"]
                                                                   if command[0] == "build" else []))
            result = run_measured(full)
        result.update({"mesure": label, "millions_de_lignes": size})
        results.append(result)
        print(f"{size:>4} M | {label:<48} | {result['secondes']:>7.2f} s | {result['memoire_mio']:>6} Mio "
              f"(processus le plus gros {result['plus_gros_processus_mio']} Mio){'' if result['code'] == 0 else ' ÉCHEC'}",
              flush=True)

    for size in [int(s) for s in args.sizes.split(",")]:
        folder = root / f"{size}M"
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        engine, plain = make_tables(size * MILLION, folder)
        print(f"table de {size} M lignes prête ({time.perf_counter() - start:.0f} s)", flush=True)
        figures = ["figures", "23", "--json"]
        build_one = ["build", "23", "--formats", "xlsx,pptx"]
        measure("figures 23 --json, moteur (froid)", size, engine, figures, cold=True)
        measure("figures 23 --json, moteur (agrégats en cache)", size, engine, figures)
        measure("figures 23 --json, pandas", size, plain, figures)
        measure("build 23 xlsx,pptx, moteur (froid)", size, engine, build_one, cold=True)
        measure("build 23 xlsx,pptx, moteur (agrégats en cache)", size, engine, build_one)
        measure("build 23 xlsx,pptx, pandas", size, plain, build_one)
        if size == args.all_size:
            build_all = ["build", "--all", "--formats", "xlsx,pptx", "--jobs", "2"]
            measure("build --all xlsx,pptx --jobs 2, moteur (froid)", size, engine, build_all, cold=True)
            if not args.skip_pandas_all:
                measure("build --all xlsx,pptx --jobs 2, pandas", size, plain, build_all)
    (root / "resultats.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"résultats : {root / 'resultats.json'}")
    if not args.keep:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
