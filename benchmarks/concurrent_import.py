"""A build and an import into its data folder, started together, N times: how many workbooks mix two datasets
(run by hand; tests/hostile/test_hostile_pinned.py runs it once).

Each run makes a data folder D holding dataset A (rows of the demonstration data, as `fichex data import`
writes them) and a table B.parquet (the same rows, every value ×1.5), then starts
`fichex build --region 75 --jobs 2 --formats xlsx,pptx --data D` and, DELAY seconds later (or, with
--after-first-workbook, once the build has written its first workbook: its workers then hold a year
aggregate of A), `fichex data import B.parquet --into D`. Each workbook written is then read: its Synthèse export total (from
the year aggregate), the sum of its Données rows of the year and flow E (the detail query) and its
Évolution export total of the year (the quarterly query) are each A's or B's figure for that département; a
workbook whose three figures are not all A's or all B's is mixed. A target that failed is counted apart (a
failure with one French line is allowed; a mixed workbook is not).

Usage:

    python benchmarks/concurrent_import.py [--runs 20] [--delay 0.3] [--after-first-workbook] [--jobs 2] [--formats xlsx,pptx]
        [--years 2023,2024] [--departements region|tous] [--keep DIR] [--json]

Prints one line per run and a summary (or, with --json, one JSON document); exits 1 when a workbook is
mixed or a command printed a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGION = "75"
FACTOR = 1.5


def make_inputs(folder: Path, years: list[int], scope: str) -> tuple[Path, Path, dict[str, float]]:
    """Dataset A in folder/D, table B beside it; A's exports of the last year by département."""
    import pandas as pd

    from fichex.data import reference, trade
    from fichex.provenance import DataSource

    source = trade.load()
    table = source.table
    rows = table[table["annee"].isin(years)]
    if scope == "region":
        codes = set(reference.departements().query("code_region == @REGION")["code_departement"])
        rows = rows[rows["code_departement"].isin(codes)]
    rows = rows.reset_index(drop=True)
    data = folder / "D"
    data.mkdir()
    info = DataSource(False, "jeu A (banc d'essai)", "")
    trade.write_parquet(rows, data / trade.TRADE_FILE_NAME, info, checked=True)
    b_rows = pd.DataFrame({column: rows[column].astype(str) if column in trade.CODE_COLUMNS else rows[column]
                           for column in ("annee", "trimestre", "flux", "code_departement", "code_produit",
                                          "code_pays", "valeur_eur", "masse_kg")})
    b_rows["valeur_eur"] = b_rows["valeur_eur"] * FACTOR
    b_path = folder / "B.parquet"
    b_rows.to_parquet(b_path, index=False)
    year = max(years)
    exports = rows[(rows["annee"] == year) & (rows["flux"] == "E")]
    totals = exports.groupby("code_departement", observed=True)["valeur_eur"].sum()
    return data, b_path, {str(code): float(value) for code, value in totals.items()}


def workbook_figures(path: Path, year: int) -> dict[str, float]:
    """The workbook's export total of `year` as its Synthèse, Données and Évolution sheets give it."""
    import openpyxl

    from fichex.wording import grammar as grammar_text

    book = openpyxl.load_workbook(path)
    synthese = book["Synthèse"]
    row = next(cell.row for line in synthese.iter_rows() for cell in line if cell.value == grammar_text.FLOW_LABEL["E"])
    donnees = book["Données"]
    detail = _donnees_exports(donnees, year)
    evolution = book["Évolution"]
    table = evolution.tables["Evolution_annees"]
    cells = evolution[table.ref]
    years = {line[1].value: line[2].value for line in cells[1:]}
    return {"synthese": float(synthese.cell(row, 2).value), "donnees": detail, "evolution": float(years[year])}


def _donnees_exports(sheet, year: int) -> float:
    total = 0.0
    for line in sheet.iter_rows(min_row=4, max_col=19, values_only=True):
        if line[0] == year and line[1] == "E":
            total += float(line[18])
    return total


def classify(figures: dict[str, float], a_total: float) -> str:
    """« A », « B » or « mélangé » (mixed: the sheets' figures come from two datasets, or from neither)."""
    def which(value: float) -> str:
        if abs(value - a_total) <= 1e-6 * max(1.0, a_total):
            return "A"
        if abs(value - FACTOR * a_total) <= 1e-6 * max(1.0, a_total):
            return "B"
        return "?"

    kinds = {which(value) for value in figures.values()}
    return kinds.pop() if len(kinds) == 1 and "?" not in kinds else "mélangé"


def _first_workbook(out: Path, build: subprocess.Popen) -> None:
    """Wait until the build has written a workbook (its workers then hold a year aggregate), or has ended."""
    while build.poll() is None and not any(out.rglob("*.xlsx")):
        time.sleep(0.02)


def one_run(folder: Path, years: list[int], scope: str, delay: float, jobs: int, after_first: bool = False,
            formats: str = "xlsx") -> dict:
    data, b_path, a_totals = make_inputs(folder, years, scope)
    out = folder / "out"
    env = {**os.environ, "FICHEX_CACHE": str(folder / "cache")}
    env.pop("FICHEX_DATA", None)
    command = [sys.executable, "-m", "fichex"]
    build = subprocess.Popen([*command, "build", "--region", REGION, "--jobs", str(jobs), "--formats", formats,
                              "--out-dir", str(out), "--data", str(data), "--json"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    if after_first:
        _first_workbook(out, build)
    imported = subprocess.run([*command, "data", "import", str(b_path), "--into", str(data)], env=env,
                              capture_output=True, text=True, check=False)
    build_out, build_err = build.communicate(timeout=1800)
    year = max(years)
    kinds: dict[str, int] = {}
    for path in sorted(out.rglob("*.xlsx")):
        code = path.parent.name.split("-")[0]
        kind = classify(workbook_figures(path, year), a_totals[code])
        kinds[kind] = kinds.get(kind, 0) + 1
    try:
        payload = json.loads(build_out)
    except ValueError:
        payload = {}
    failures = [t["motif"] for t in payload.get("cibles", []) if t.get("statut") == "échec"]
    return {"build_rc": build.returncode, "import_rc": imported.returncode, "classeurs": kinds,
            "melanges": kinds.get("mélangé", 0), "echecs": len(failures), "motifs": sorted(set(failures)),
            "traceback": "Traceback" in build_err + imported.stderr,
            "stderr_build": build_err.strip().splitlines()[-3:], "stderr_import": imported.stderr.strip().splitlines()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="xlsx,pptx", help="what the build writes (decks make it longer)")
    parser.add_argument("--after-first-workbook", action="store_true",
                        help="start the import once the build has written its first workbook (after --delay)")
    parser.add_argument("--years", default="2023,2024")
    parser.add_argument("--departements", choices=("region", "tous"), default="tous")
    parser.add_argument("--keep", type=Path, help="keep each run's folder under DIR")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    years = [int(y) for y in args.years.split(",")]
    runs = []
    for n in range(1, args.runs + 1):
        folder = Path(tempfile.mkdtemp(prefix="fichex-concurrent-"))
        try:
            started = time.perf_counter()
            run = one_run(folder, years, args.departements, args.delay, args.jobs, args.after_first_workbook,
                          args.formats)
            run["secondes"] = round(time.perf_counter() - started, 1)
        finally:
            if args.keep:
                shutil.copytree(folder, args.keep / f"run-{n:02d}", dirs_exist_ok=True)
            shutil.rmtree(folder, ignore_errors=True)
        runs.append(run)
        if not args.json:
            print(f"run {n:2d}: build rc {run['build_rc']}, import rc {run['import_rc']}, classeurs "
                  f"{run['classeurs']}, mélangés {run['melanges']}, échecs {run['echecs']}, {run['secondes']} s", flush=True)
    summary = {"runs": len(runs), "classeurs_melanges": sum(r["melanges"] for r in runs),
               "classeurs": sum(sum(r["classeurs"].values()) for r in runs),
               "tracebacks": sum(r["traceback"] for r in runs), "details": runs}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"{summary['runs']} runs, {summary['classeurs']} classeurs, {summary['classeurs_melanges']} mélangés, "
              f"{summary['tracebacks']} tracebacks")
    return 1 if summary["classeurs_melanges"] or summary["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
