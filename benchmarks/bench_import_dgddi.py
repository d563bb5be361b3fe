"""Benchmark of `fichex data import` on a simulated France-wide DGDDI regional file (run by hand, not in CI).

Writes a headerless regional file in the official layout (10 fields, euros, quarters, DGDDI codes) of
--lines lines (default 4 million, about one year of real quarterly CPF4 data for all of France), then
imports it in a child process and prints lines per second and the child's peak memory (ru_maxrss).
Usage: python benchmarks/bench_import_dgddi.py [--lines 4000000] [--keep DIR]
Goals (issue 10): over 500 000 lines/s, under 1.5 GB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

FICHEX = shutil.which("fichex") or str(Path(sys.executable).with_name("fichex"))


def write_file(path: Path, lines: int, seed: int = 1) -> None:
    """A regional file of `lines` distinct keys (flow × quarter × territory × CPF4 × country, as in the real
    files) drawn from the reference codes, written in chunks."""
    from fichex.data import reference

    rng = np.random.default_rng(seed)
    deps = reference.departements().query("dgddi")
    cpf4 = reference.cpf4_products().query("code_a129 != ''")
    countries = reference.countries()["code_pays"].to_numpy()
    sizes = (2, 4, len(deps), len(cpf4), len(countries))
    keys = np.sort(rng.choice(int(np.prod(sizes)), size=lines, replace=False))
    chunk = 500_000
    with path.open("w", encoding="utf-8") as handle:
        for start in range(0, lines, chunk):
            rest, c = np.divmod(keys[start:start + chunk], sizes[4])
            rest, p = np.divmod(rest, sizes[3])
            rest, d = np.divmod(rest, sizes[2])
            f, q = np.divmod(rest, sizes[1])
            n = len(c)
            values = rng.lognormal(9, 2.5, n).astype(np.int64) + 1
            frame = pd.DataFrame({
                "flux": np.where(f == 0, "E", "I"), "trimestre": q + 1,
                "annee": 2024, "dep": deps["code_dgddi"].to_numpy()[d],
                "region": deps["code_region_dgddi"].to_numpy()[d], "a129": cpf4["code_a129"].to_numpy()[p],
                "cpf4": cpf4["code_cpf4"].to_numpy()[p], "pays": countries[c], "valeur": values,
                "masse": (values / rng.lognormal(1.4, 1.2, n)).astype(np.int64)})
            frame.to_csv(handle, sep=";", header=False, index=False, lineterminator="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=4_000_000)
    parser.add_argument("--keep", type=Path, help="keep the generated file and data folder here")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="fichex-bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "REGIONAL_CPF4PAYSE.txt"
    start = time.perf_counter()
    write_file(source, args.lines)
    print(f"fichier simulé : {args.lines:,} lignes ; {source.stat().st_size / 1e6:.0f} Mo "
          f"({time.perf_counter() - start:.1f} s)".replace(",", " "))
    start = time.perf_counter()
    result = subprocess.run([FICHEX, "data", "import", str(source), "--into", str(folder / "donnees"), "--json"],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode not in (0,):
        sys.exit(result.stderr)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"import : {seconds:.1f} s ; {args.lines / seconds:,.0f} lignes/s ; mémoire maximale {peak_mb:,.0f} Mo"
          .replace(",", " "))
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
