"""What the two importers share: the rejection motifs, the rejected-lines file, the report's totals, the
« aucune ligne valide » error and the three output files written together."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from fichex.atomic import atomic_path
from fichex.data import reference
from fichex.data.importing.readers import input_mtime
from fichex.data.importing.report import ImportReport
from fichex.errors import InputDataError

INTO = "--into"  # the option naming the data folder, in error messages

# Columns of lignes_rejetees.csv: where the row was, its cells as read, why it was rejected.
REJECTED_COLUMNS = ["fichier", "ligne", "annee", "periode", "flux", "code_departement", "code_produit",
                    "code_pays", "valeur", "motif", "detail"]
# The report's totals: one per year × flow × département.
TOTALS_KEY = ["annee", "flux", "code_departement"]

# --- The rejection motifs (the « motif » column of lignes_rejetees.csv and the report's rejets_par_motif) --
# Both importers.
MOTIF_YEAR = "année invalide"
MOTIF_FLOW = "flux inconnu (E ou I attendu)"
MOTIF_DEPARTEMENT = "code département inconnu"
MOTIF_COUNTRY = "code pays inconnu"
MOTIF_VALUE_NEGATIVE = "valeur négative"
MOTIF_DUPLICATE = "doublon exact (une seule copie conservée)"
MOTIF_CONFLICT = "doublon en conflit (même clé, valeurs différentes : toutes les copies écartées)"
MOTIF_REVISED = "révisée par une publication plus récente (la ligne de la plus récente est conservée)"
REVISED_DETAIL = "remplacée par la valeur "  # then the value kept and where it was read
# Tidy tables: cells of any shape, read whole.
MOTIF_MALFORMED = "ligne mal formée"
MOTIF_YEAR_MISMATCH = "année et période incohérentes"
MOTIF_PRODUCT = "code produit inconnu (ni A129 ni CPF/NAF)"
MOTIF_PRODUCT_AGGREGATED = "code produit trop agrégé pour la nomenclature A129"
MOTIF_VALUE_MISSING = "valeur manquante"
MOTIF_VALUE_TEXT = "valeur non numérique"
MOTIF_VALUE_ABSURD = "valeur infinie ou démesurée (plus de 1 000 milliards d'euros sur une ligne)"
# DGDDI regional files: ten fields of fixed form, integer euros (a value cannot be infinite there).
MOTIF_FIELD_COUNT = "nombre de champs incorrect (10 attendus)"
MOTIF_EMPTY = "ligne vide"
MOTIF_QUARTER = "trimestre invalide (1 à 4 attendu)"
MOTIF_REGION = "code région incohérent avec le département"
MOTIF_A129 = "code A129 inconnu"
MOTIF_CPF4 = "code CPF4 mal formé (4 chiffres attendus)"
MOTIF_VALUE_NOT_INTEGER = "valeur non entière (euros entiers attendus, sans séparateur)"
MOTIF_VALUE_TOO_LARGE = "valeur démesurée (plus de 1 000 milliards d'euros sur une ligne)"
MOTIF_MASS = "masse non numérique (kilogrammes entiers attendus)"
MOTIF_UNREADABLE = "ligne illisible (octet hors UTF-8 ou ligne démesurée)"

# OWASP's advice against CSV injection: a cell starting with one of these is a formula to a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A negative number, whole cell (« -5 », « -1,5 », « -.5 », « -1e3 »): the one cell starting with « - » that
# keeps its meaning, since a spreadsheet reads it as that number, never as a formula.
_NEGATIVE_NUMBER = re.compile(r"-(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def harmless(text: str) -> str:
    """A cell of the rejected-lines file that a spreadsheet would run as a formula (starting with =, +, -,
    @, a tab or a carriage return: « =HYPERLINK(…) », « +cmd », « -1+cmd|' /C calc'!A0 ») is written with a
    leading apostrophe: shown as text, never evaluated. A cell that is a negative number, whole, stays as
    it is."""
    if text.startswith(_FORMULA_START) and not _NEGATIVE_NUMBER.fullmatch(text):
        return "'" + text
    return text


def lookup(values: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """Apply `function` once per distinct cell (files repeat the same few codes many times)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(value) for value in uniques]
    return pd.Series(results[codes], index=values.index, dtype=object)


def harmless_cells(values: pd.Series, text: Callable[[object], str]) -> pd.Series:
    """Each cell as `text` gives it, made harmless (see `harmless`), for lignes_rejetees.csv."""
    return lookup(values, lambda value: harmless(text(value)))


def rejected_by_reason(counts: Iterable[tuple[object, int]]) -> dict[str, int]:
    """(motif, rejected rows) pairs as the report's rejets_par_motif: most frequent first, then by motif."""
    return {str(motif): int(count) for motif, count in sorted(counts, key=lambda kv: (-kv[1], kv[0]))}


def no_valid_line_error(rows_read: int, by_reason: dict[str, int], fix: str) -> InputDataError:
    """The error of an import that kept no line: the lines read, the rejections by motif, then `fix`."""
    reasons = ", ".join(f"{motif} : {count}" for motif, count in by_reason.items())
    return InputDataError(f"aucune ligne valide sur {rows_read} lues ({reasons}) ; {fix}")


def per_year_totals(rows: pd.DataFrame, value: str, decimals: int | None = None) -> tuple[dict, ...]:
    """The report's totals: the sum of column `value` per year × flow × département, sorted (each sum
    rounded to `decimals` when given)."""
    sums = rows.groupby(TOTALS_KEY, sort=True)[value].sum()
    if decimals is not None:
        sums = sums.round(decimals)
    return tuple({"annee": int(year), "flux": str(flow), "code_departement": str(dep), "valeur_eur": float(total)}
                 for (year, flow, dep), total in sums.items())


def special_partners(rows: pd.DataFrame, value: str) -> tuple[dict, ...]:
    """The DGDDI special partner codes met in `rows` (« QU », « QS »…), with label and euros (column `value`)."""
    countries = reference.countries().set_index("code_pays")
    special_codes = set(countries.index[countries["special"]])
    sums = rows[rows["code_pays"].isin(special_codes)].groupby("code_pays", sort=True)[value].sum()
    return tuple({"code_pays": str(code), "pays": str(countries.at[code, "pays"]),
                  "valeur_eur": round(float(total), 2)} for code, total in sums.items())


def data_date(paths: Sequence[Path]) -> str:
    """The date of the data: the inputs' latest modification (UTC), else today."""
    mtime = input_mtime(paths)
    if mtime <= 0:
        return date.today().isoformat()
    return datetime.fromtimestamp(mtime, tz=timezone.utc).date().isoformat()


def write_outputs_together(report: ImportReport, write_rejected: Callable[[Path], None],
                           write_table: Callable[[], None]) -> None:
    """Write lignes_rejetees.csv (`write_rejected`, given its temporary path), the report and the canonical
    table (`write_table`): all under temporary names, renamed only once all three are written."""
    # Two `with`, not an ExitStack: an interruption raised once a file is made but before ExitStack.enter_context
    # recorded its cleanup (it calls a function of its own in between) would leave the file behind.
    with atomic_path(report.rejected_path, INTO) as rejected_tmp, atomic_path(report.report_path, INTO) as report_tmp:
        write_rejected(rejected_tmp)
        report_tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_table()
