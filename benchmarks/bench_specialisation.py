"""Benchmark of the specialisation step (issue 26) on the demonstration data (run by hand, not in CI).

Prints, in this process: the store's by-product sums of a year (DuckDB, a fresh store each time), the
specialisation of 23, 87 and the région 75 from those sums (aggregation/specialisation.py), and a whole
fiche of 23 built by FicheBuilder; then `fichex figures 23 --json` in child processes. Medians of
`--repeat` runs. Usage: python benchmarks/bench_specialisation.py [--year 2024] [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from fichex.aggregation import specialisation
from fichex.aggregation.aggregate import FicheBuilder
from fichex.data import reference, trade

FICHEX = shutil.which("fichex") or str(Path(sys.executable).with_name("fichex"))


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    year, repeat = args.year, args.repeat
    regions = dict(zip(reference.departements()["code_departement"], reference.departements()["code_region"]))

    def sums(of_year: int):
        rows = trade.load().store.product_sums(of_year).copy()
        rows["code_region"] = rows["code_departement"].map(regions)
        return rows

    print(f"sommes par produit d'une année (nouveau store) : {timed(lambda: sums(year), repeat):.3f} s")
    rows, before = sums(year), sums(year - 1)
    for key, code, region in (("code_departement", "23", "75"), ("code_departement", "87", "75"),
                              ("code_region", "75", None)):
        seconds = timed(lambda: specialisation.specialisation_of(
            rows, key, code, region_code=region, start_rows=before, end_rows=rows, start_year=year - 1, year=year),
            repeat)
        print(f"spécialisation de {code} ({key}) : {seconds:.3f} s")
    print(f"fiche entière de 23 : {timed(lambda: FicheBuilder(trade.load()).build('23', year), repeat):.3f} s")
    command = [FICHEX, "figures", "23", "--json", "--year", str(year)]
    seconds = timed(lambda: subprocess.run(command, check=True, capture_output=True), repeat)
    print(f"fichex figures 23 --json : {seconds:.3f} s")


if __name__ == "__main__":
    main()
