"""France's fiche on a large regional table (issue 27's second ratio; run by hand, not in CI).

In one run: generates a 20 million-line regional file with the import benchmark's generator
(bench_import_dgddi.write_file: 4 million lines a year, 5 years) and imports it, or reuses the table already
imported under --cache (generation and import are printed with their times); then measures, each in its own
process, alternated --runs times: `build 23`, `build --level france` (same formats, --jobs 1, --force, a fresh
folder) and `figures 23 --json`: wall time and peak memory (RSS of the process tree sampled every 20 ms, and the
root's own high-water mark: the larger of the two). Prints the medians and France's ratio to `build 23`.
Aggregates are computed in each process (FICHEX_CACHE=off: « cold ») unless --cached.
Goals (issue 27): `build --level france` ≤ 2 × `build 23` and < 1 GB; `figures 23` < 500 MB.
Usage: python benchmarks/bench_france.py [--cache /tmp/fichex-bench-france] [--runs 3] [--formats xlsx,pptx]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import FICHEX, rss_by_pid, run_with_peak  # noqa: E402  (the sampling runner, shared)
from bench_import_dgddi import write_file  # noqa: E402  (the import benchmark's generator)

LINES_PER_YEAR, YEARS = 4_000_000, 5


def table_in(cache: Path, lines: int, years: int) -> Path:
    """The imported table under `cache` (`donnees/`), generated and imported first if it is not there yet."""
    data = cache / f"donnees-{lines}x{years}"
    if (data / "commerce_exterieur.parquet").exists():
        print(f"table réutilisée : {data}")
        return data
    cache.mkdir(parents=True, exist_ok=True)
    source = cache / "REGIONAL_CPF4PAYSE.txt"
    start = time.perf_counter()
    write_file(source, lines, years=years)
    print(f"fichier simulé : {lines * years:,} lignes, {source.stat().st_size / 1e6:,.0f} Mo, "
          f"{time.perf_counter() - start:.0f} s".replace(",", " "))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "fichex", "data", "import", str(source), "--into", str(data)],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"import : {time.perf_counter() - start:.0f} s ; table {data}")
    source.unlink()
    return data


def _peak_kib(pid: int) -> int:
    """The larger of the process tree's RSS now and the root's own high-water mark (VmHWM)."""
    tree = sum(rss_by_pid(pid).values())
    try:
        with open(f"/proc/{pid}/status") as handle:
            own = next((int(line.split()[1]) for line in handle if line.startswith("VmHWM:")), 0)
    except OSError:
        own = 0
    return max(tree, own)


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MiB) of one command; exits on a failure."""
    wall, peak, result = run_with_peak(command, _peak_kib)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} : code de sortie {result.returncode}\n{result.stderr[-2000:]}")
    return wall, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "fichex-bench-france",
                        help="where the generated table is kept between runs")
    parser.add_argument("--lines", type=int, default=LINES_PER_YEAR, help="lines per year")
    parser.add_argument("--years", type=int, default=YEARS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="xlsx,pptx")
    parser.add_argument("--cached", action="store_true", help="keep the aggregates' cache between commands")
    args = parser.parse_args()
    data = table_in(args.cache, args.lines, args.years)
    if not args.cached:
        os.environ["FICHEX_CACHE"] = "off"
    results: dict[str, list[tuple[float, float]]] = {"build 23": [], "build --level france": [],
                                                    "figures 23 --json": []}
    for _ in range(args.runs):
        for label, arguments in (("build 23", ["build", "23"]), ("build --level france", ["build", "--level", "france"])):
            with tempfile.TemporaryDirectory() as out:
                results[label].append(measure([FICHEX, *arguments, "--data", str(data), "--formats", args.formats,
                                               "--out-dir", out, "--jobs", "1", "--force", "--quiet"]))
        results["figures 23 --json"].append(measure([FICHEX, "figures", "23", "--json", "--data", str(data)]))
    medians = {label: (statistics.median(w for w, _ in runs), statistics.median(p for _, p in runs))
               for label, runs in results.items()}
    for label, (wall, peak) in medians.items():
        print(f"{label:>22} : {wall:6.2f} s ; mémoire maximale {peak:5.0f} Mio")
    ratio = medians["build --level france"][0] / medians["build 23"][0]
    print(f"build --level france / build 23 : {ratio:.2f} (cible ≤ 2 ; médianes de {args.runs}, "
          f"{'agrégats en cache' if args.cached else 'sans cache des agrégats'}) ; France "
          f"{medians['build --level france'][1]:.0f} Mio (cible < 1 024) ; figures 23 "
          f"{medians['figures 23 --json'][1]:.0f} Mio (cible < 500)")


if __name__ == "__main__":
    main()
