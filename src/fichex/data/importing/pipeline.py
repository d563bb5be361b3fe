"""From raw tables to the canonical trade table: column plan, row checks, duplicates, outputs."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from fichex.data import reference, trade
from fichex.errors import InputDataError
from fichex.data.importing import columns as col
from fichex.data.importing import dgddi
from fichex.data.importing.regional import import_regional
from fichex.data.importing.readers import RawTable, input_mtime, read_inputs
from fichex.data.importing.report import (
    REJECTED_FILE_NAME,
    REPORT_FILE_NAME,
    FileReport,
    ImportReport,
)
from fichex.atomic import atomic_path, check_writable_dir
from fichex.texts import IMPORT_STATUS_IMPORTED as STATUS_IMPORTED
from fichex.texts import IMPORT_STATUS_SKIPPED as STATUS_SKIPPED
from fichex.texts import group_thousands

# Columns of lignes_rejetees.csv: where the row was, its cells as read, why it was rejected.
REJECTED_COLUMNS = ["fichier", "ligne", "annee", "periode", "flux", "code_departement", "code_produit",
                    "code_pays", "valeur", "motif", "detail"]
_RAW_ROLES = ["annee", "periode", "flux", "code_departement", "code_produit", "code_pays", "valeur"]
# Rows sharing this key are duplicates; quarters or months of one year are summed afterwards.
DUPLICATE_KEY = ["annee_n", "sous_periode", "flux_n", "dep_n", "produit_n", "pays_n"]

MOTIF_MALFORMED = "ligne mal formée"
MOTIF_YEAR = "année invalide"
MOTIF_YEAR_MISMATCH = "année et période incohérentes"
MOTIF_FLOW = "flux inconnu (E ou I attendu)"
MOTIF_DEPARTEMENT = "code département inconnu"
MOTIF_PRODUCT = "code produit inconnu (ni A129 ni CPF/NAF)"
MOTIF_PRODUCT_AGGREGATED = "code produit trop agrégé pour la nomenclature A129"
PRODUCT_AGGREGATED_FIX = "fournissez des codes CPF à 4 chiffres"
MOTIF_COUNTRY = "code pays inconnu"
MOTIF_VALUE_MISSING = "valeur manquante"
MOTIF_VALUE_TEXT = "valeur non numérique"
MOTIF_VALUE_NEGATIVE = "valeur négative"
MOTIF_VALUE_ABSURD = "valeur infinie ou démesurée (plus de 1 000 milliards d'euros sur une ligne)"
MOTIF_DUPLICATE = "doublon exact (une seule copie conservée)"
MOTIF_CONFLICT = "doublon en conflit (même clé, valeurs différentes : toutes les copies écartées)"

INTO = "--into"  # the option naming the data folder, in error messages
_LABEL_FILE = re.compile(r"libel|label|nomenclature|^lib[_ -]", re.IGNORECASE)
_MAPPING_HINT = "voir docs/donnees-reelles.md"


@dataclass
class Plan:
    """Where each role of a table comes from: a column, the file name, a [defaults] value or wide headers."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    described: dict[str, str] = field(default_factory=dict)
    wide: list[tuple[str, int, str | None]] = field(default_factory=list)
    unit: str = col.DEFAULT_UNIT


class Skip(Exception):
    """A member of an archive or folder that is not a crossed pays × produits table."""


def _plan(table: RawTable, mapping: col.Mapping, known_deps: set[str]) -> Plan:
    """Decide the source of every role, or raise Skip (bundled tables) or InputDataError."""
    if table.bundled and _LABEL_FILE.search(Path(table.member).stem):
        raise Skip("fichier de libellés")
    if not table.headers:
        if table.bundled:
            raise Skip("fichier vide")
        raise InputDataError(f"{table.name} : aucune ligne d'en-tête trouvée ; la première ligne doit porter les "
                             "noms des colonnes")
    plan = Plan()
    by_norm = {col.normalise_header(h): h for h in table.headers}
    for role in col.ROLES:
        wanted = mapping.columns.get(role)
        if wanted is not None:
            header = wanted if wanted in table.headers else by_norm.get(col.normalise_header(wanted))
            if header is None:
                raise InputDataError(
                    f"{table.name} : colonne « {wanted} » (indiquée pour {role} dans {mapping.path}) absente ; "
                    f"colonnes lues : {', '.join(table.headers[:15])} ; corrigez le fichier --mapping")
        else:
            header = col.find_column(table.headers, role)
        if header is not None and header not in plan.columns.values():
            plan.columns[role] = header
            plan.described[role] = f"colonne « {header} »"

    for role, value in mapping.defaults.items():
        if role not in plan.columns:
            plan.constants[role] = value
            plan.described[role] = f"valeur par défaut « {value} » ({mapping.path})"

    if "valeur" not in plan.columns and "valeur" not in plan.constants:
        used = set(plan.columns.values())
        for header in table.headers:
            period = col.periods_from_header(header) if header not in used else None
            if period is not None:
                plan.wide.append((header, period[0], period[1]))
        if plan.wide:
            plan.described["valeur"] = "colonnes par période : " + ", ".join(h for h, _, _ in plan.wide)
            plan.described["annee"] = "en-têtes des colonnes de valeurs"
    if "flux" not in plan.columns and "flux" not in plan.constants:
        flow = col.flow_from_name(table.member)
        if flow:
            plan.constants["flux"] = flow
            plan.described["flux"] = f"nom du fichier ({flow})"
    if "code_departement" not in plan.columns and "code_departement" not in plan.constants:
        dep = col.departement_from_name(table.member, known_deps)
        if dep:
            plan.constants["code_departement"] = dep
            plan.described["code_departement"] = f"nom du fichier ({dep})"

    def present(role: str) -> bool:
        if role in plan.columns or role in plan.constants:
            return True
        if role == "valeur":
            return bool(plan.wide)
        if role == "annee":
            return bool(plan.wide) or "periode" in plan.columns
        return False

    missing = [role for role in col.REQUIRED_ROLES if not present(role)]
    if table.bundled and ({"code_pays", "code_produit"} & set(missing)):
        lacking = " et ".join(r.removeprefix("code_") for r in ("code_pays", "code_produit") if r in missing)
        raise Skip(f"pas de colonne {lacking} : fichier non croisé pays × produits, ignoré pour ne pas compter "
                   "deux fois")
    if missing:
        fixes = []
        if "flux" in missing:
            fixes.append("mettez export ou import dans le nom du fichier ou [defaults] flux = \"E\"")
        if "code_departement" in missing:
            fixes.append("mettez le département dans le nom du fichier (dep_01_export.csv)")
        fixes.append(f"indiquez les colonnes avec --mapping ([columns] {missing[0]} = \"NOM\", {_MAPPING_HINT})")
        plural = "s" if len(missing) > 1 else ""
        raise InputDataError(
            f"{table.name} : colonne{plural} {', '.join(missing)} introuvable{plural} "
            f"(colonnes lues : {', '.join(table.headers[:15])}) ; {' ; '.join(fixes)}")

    if mapping.unit:
        plan.unit = mapping.unit
        plan.described["unite"] = f"{mapping.path} : {mapping.unit}"
    elif "valeur" in plan.columns and col.unit_of_header(plan.columns["valeur"]):
        plan.unit = col.unit_of_header(plan.columns["valeur"]) or col.DEFAULT_UNIT
        plan.described["unite"] = f"d'après l'en-tête « {plan.columns['valeur']} »"
    else:
        plan.unit = col.DEFAULT_UNIT
        plan.described["unite"] = "milliers d'euros supposés (unité des fichiers DGDDI)"
    return plan


def _raw_frame(table: RawTable, plan: Plan) -> pd.DataFrame:
    """One row per value with the cells of every role as read (objects), plus fichier and ligne."""

    def block(value_header: str | None, year: int | None, sub: str | None) -> pd.DataFrame:
        frame = pd.DataFrame({"fichier": table.name, "ligne": table.lines}, index=table.frame.index)
        for role in _RAW_ROLES:
            if role == "valeur" and value_header is not None:
                frame[role] = table.frame[value_header]
            elif role in plan.columns:
                frame[role] = table.frame[plan.columns[role]]
            elif role in plan.constants:
                frame[role] = plan.constants[role]
            else:
                frame[role] = None
        if year is not None:
            frame["annee"] = frame["annee"].where(frame["annee"].map(lambda v: not col.is_blank(v)), year)
            if sub is not None:
                frame["periode"] = sub
        return frame.astype({r: object for r in _RAW_ROLES})

    if plan.wide:
        return pd.concat([block(h, y, s) for h, y, s in plan.wide], ignore_index=True)
    return block(None, None, None).reset_index(drop=True)


def _lookup_raw(values: pd.Series, function) -> pd.Series:
    """Apply `function` once per distinct cell (files repeat the same few codes many times)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    results = np.empty(len(uniques), dtype=object)
    results[:] = [function(value) for value in uniques]
    return pd.Series(results[codes], index=values.index, dtype=object)


def _lookup(values: pd.Series, function) -> pd.Series:
    """Apply `function` to the text of each distinct cell."""
    return _lookup_raw(values, lambda value: function(col.cell_text(value)))


def _country_resolver():
    countries = reference.countries()
    known = set(countries["code_pays"])
    by_name = {col.normalise_header(name): code for code, name in zip(countries["code_pays"], countries["pays"])}
    by_name.update({col.normalise_header(name): code
                    for code, name in zip(countries["code_pays"], countries["pays_officiel"])})

    def resolve(text: str) -> str | None:
        code = text.strip().upper()
        if code in known:
            return code
        first = re.split(r"\s+-\s+|\s+", code, maxsplit=1)[0]
        if first in known and len(first) == 2:
            return first
        return by_name.get(col.normalise_header(text))

    return resolve


def _departement_resolver(known: set[str]):
    def resolve(text: str) -> str | None:
        code = reference.normalise_departement_code(text) if text else ""
        if code in known:
            return code
        first = reference.normalise_departement_code(re.split(r"\s+-\s+|\s+", text.strip(), maxsplit=1)[0] or "-")
        return first if first in known else None

    return resolve


def _product(value: object) -> str:
    text = col.product_code(value)
    return re.split(r"\s+-\s+|\s+", text, maxsplit=1)[0] if text else text


def _a129_positions_of_aggregate(code: str) -> tuple[str, ...]:
    """The A129 positions of the NAF classes of a CPF/NAF group (« 10.5 ») or division (« 10 »), sorted.

    Empty for anything else. More than one position means the code is too aggregated to be placed in
    A129: its value cannot be split between the positions, so its rows are rejected with that reason.
    """
    digits = code.replace(".", "").replace(" ", "")
    if not (digits.isdigit() and 2 <= len(digits) <= 3):
        return ()
    return tuple(sorted(reference.positions_of_prefix(digits)))


def _check(raw: pd.DataFrame, plan: Plan, known_deps: set[str], decimal: str | None) -> pd.DataFrame:
    """Parse every role and set « motif » (first failing check) and « detail » on the rows that fail."""
    out = raw.copy()
    motif = pd.Series("", index=out.index, dtype=object)
    detail = pd.Series("", index=out.index, dtype=object)

    def reject(mask: pd.Series, reason: str, role: str | None = None, second: str | None = None) -> None:
        """Set the motif of the rows in `mask` not rejected yet; the detail quotes the cells of `role`."""
        mask = mask.fillna(False).astype(bool) & (motif == "")
        if not mask.any():
            return
        motif[mask] = reason
        if role is not None:
            text = "« " + out.loc[mask, role].map(col.cell_text) + " »"
            if second is not None:
                text = text + " / « " + out.loc[mask, second].map(col.cell_text) + " »"
            detail[mask] = text

    # année and période
    kind = col.normalise_header(plan.columns.get("periode", ""))
    period = _lookup(out["periode"], lambda t: col.parse_period(t, kind) if t else (None, None))
    year_cells = _lookup(out["annee"], lambda t: col.parse_period(t) if t else None)
    year_from_col = year_cells.map(lambda p: p[0] if p else None)
    year_from_period = period.map(lambda p: p[0] if p else None)
    sub = period.map(lambda p: p[1] if p else None)
    sub = sub.where(period.notna(), out["periode"].map(col.cell_text).replace("", None))
    sub = sub.where(sub.notna(), year_cells.map(lambda p: p[1] if p else None))
    year = year_from_col.where(year_from_col.notna(), year_from_period)
    out["annee_n"] = pd.to_numeric(year, errors="coerce")
    out["sous_periode"] = sub.fillna("").astype(str)
    reject(out["annee_n"].isna() | (out["annee_n"] < 1990) | (out["annee_n"] > 2100), MOTIF_YEAR, "annee")
    both = year_from_col.notna() & year_from_period.notna()
    mismatch = both & (year_from_col.where(both, 0) != year_from_period.where(both, 0))
    reject(mismatch, MOTIF_YEAR_MISMATCH, "annee", "periode")

    out["flux_n"] = _lookup(out["flux"], col.flow_code)
    reject(out["flux_n"].isna(), MOTIF_FLOW, "flux")

    out["dep_n"] = _lookup(out["code_departement"], _departement_resolver(known_deps))
    reject(out["dep_n"].isna(), MOTIF_DEPARTEMENT, "code_departement")

    out["produit_n"] = _lookup_raw(out["code_produit"], _product)
    a129 = {code: reference.product_to_a129(code) for code in out["produit_n"].unique()}
    out["a129_n"] = out["produit_n"].map(a129)
    spread = {code: _a129_positions_of_aggregate(code) for code, position in a129.items() if position is None}
    aggregated = out["produit_n"].map(lambda code: len(spread.get(code, ())) > 1)
    if aggregated.any():
        codes = out.loc[aggregated, "produit_n"]
        reject(aggregated, MOTIF_PRODUCT_AGGREGATED)
        detail[aggregated & (motif == MOTIF_PRODUCT_AGGREGATED)] = codes.map(
            lambda code: f"« {code} » ; {PRODUCT_AGGREGATED_FIX} (positions A129 possibles : "
                         f"{', '.join(spread[code])})")
    reject(out["a129_n"].isna(), MOTIF_PRODUCT, "code_produit")

    out["pays_n"] = _lookup(out["code_pays"], _country_resolver())
    reject(out["pays_n"].isna(), MOTIF_COUNTRY, "code_pays")

    amounts = col.parse_amounts(out["valeur"], decimal)
    blank = out["valeur"].map(col.is_blank)
    reject(blank, MOTIF_VALUE_MISSING)
    reject(amounts.isna(), MOTIF_VALUE_TEXT, "valeur")
    reject(amounts < 0, MOTIF_VALUE_NEGATIVE, "valeur")
    # A unit written in the cell is honoured (« 12 k€ » in a column of euros is 12 000 €).
    factor = col.cell_units(out["valeur"]).map(col.UNITS).astype("float64").fillna(col.UNITS[plan.unit])
    euros = amounts * factor
    reject(amounts.notna() & ~(euros.abs() <= trade.VALUE_CEILING_EUR), MOTIF_VALUE_ABSURD, "valeur")
    out["valeur_eur"] = euros.where(euros.abs() <= trade.VALUE_CEILING_EUR).round(2)

    out["motif"] = motif
    out["detail"] = detail
    return out


def _mark_duplicates(rows: pd.DataFrame) -> None:
    """Exact duplicates keep their first copy; copies that disagree on the value are all rejected.

    An exact copy is almost always the same file given twice (or a ZIP and its unzipped folder), so
    keeping one copy is right; when the values differ nothing says which is right, so none is kept.
    """
    valid = rows[rows["motif"] == ""]
    if valid.empty:
        return
    groups = valid.groupby(DUPLICATE_KEY, sort=False, dropna=False)
    size = groups["valeur_eur"].transform("size")
    distinct = groups["valeur_eur"].transform("nunique")
    positions = pd.Series(valid.index, index=valid.index)
    first_index = positions.groupby([valid[k] for k in DUPLICATE_KEY], sort=False, dropna=False).transform("first")
    conflict = (size > 1) & (distinct > 1)
    exact_copy = (size > 1) & (distinct == 1) & (valid.index.to_series() != first_index)
    where = rows.loc[first_index[exact_copy].to_numpy(), ["fichier", "ligne"]]
    rows.loc[exact_copy[exact_copy].index, "motif"] = MOTIF_DUPLICATE
    rows.loc[exact_copy[exact_copy].index, "detail"] = (
        "copie de " + where["fichier"].astype(str) + ":" + where["ligne"].astype(str)).to_numpy()
    rows.loc[conflict[conflict].index, "motif"] = MOTIF_CONFLICT
    rows.loc[conflict[conflict].index, "detail"] = (
        "valeur " + valid.loc[conflict, "valeur"].map(col.cell_text)).to_numpy()


def _period_warnings(kept: pd.DataFrame) -> list[str]:
    """Years covered by only some quarters or months, and years mixing annual and sub-annual rows."""
    warnings = []
    keys = ["annee_n", "flux_n", "dep_n"]
    subs = kept.groupby(keys, sort=True)["sous_periode"].agg(lambda s: tuple(sorted(set(s))))
    by_year: dict[tuple[int, tuple], int] = {}
    mixed: dict[int, int] = {}
    for (year, _flow, _dep), periods in subs.items():
        year = int(year)
        if "" in periods and len(periods) > 1:
            mixed[year] = mixed.get(year, 0) + 1
            continue
        quarters = [p for p in periods if re.fullmatch(r"T[1-4]", p)]
        months = [p for p in periods if re.fullmatch(r"M\d\d", p)]
        if (quarters and len(quarters) < 4 and len(quarters) == len(periods)) or (
                months and len(months) < 12 and len(months) == len(periods)):
            by_year[(year, periods)] = by_year.get((year, periods), 0) + 1
    for (year, periods), count in sorted(by_year.items()):
        warnings.append(f"année {year} incomplète : périodes {', '.join(periods)} seulement "
                        f"({count} département{'s' if count > 1 else ''} × flux) ; ses totaux ne couvrent pas "
                        "l'année entière")
    for year, count in sorted(mixed.items()):
        warnings.append(f"année {year} : lignes annuelles et infra-annuelles mêlées pour {count} département"
                        f"{'s' if count > 1 else ''} × flux ; risque de double compte, vérifiez les fichiers")
    return warnings


def _source_text(names: list[str], demonstration: bool = False) -> str:
    shown = ", ".join(names[:3]) + (f" et {len(names) - 3} autres" if len(names) > 3 else "")
    if demonstration:
        return (f"Données de démonstration importées ({shown}) : chiffres simulés, pas des données douanières "
                "réelles")
    return f"Données DGDDI importées ({shown})"


def _rows(count: int) -> str:
    return f"{group_thousands(str(count))} ligne{'s' if count > 1 else ''}"


def _demonstration_warning(names: list[str]) -> str:
    return (f"{', '.join(names)} : données de démonstration (chiffres simulés) ; la table importée reste marquée "
            "comme démonstration, importez des fichiers DGDDI pour des fiches réelles")


def _created(paths: Sequence[Path]) -> str:
    mtime = input_mtime(paths)
    if mtime <= 0:
        return date.today().isoformat()
    return datetime.fromtimestamp(mtime, tz=timezone.utc).date().isoformat()


_FORMULA_START = re.compile(r"^(?:[=+@\t\r]|-(?![\d.,]))")


def _harmless(text: str) -> str:
    """A cell of the rejected-lines file that a spreadsheet would run as a formula (« =HYPERLINK(…) »,
    « +cmd », « @SUM », « -x ») is written with a leading apostrophe: shown as text, never evaluated.
    Negative numbers stay as they are."""
    return "'" + text if _FORMULA_START.match(text) else text


def _write_outputs(report: ImportReport, rejected: pd.DataFrame, table: pd.DataFrame, *,
                   cells_as_read: bool = True, presorted: bool = False) -> None:
    """Write the rejected rows, the report and the canonical table; the three appear together.

    With cells_as_read, the rejected cells are objects as a reader returned them (numbers, dates…) and are
    written as their text; otherwise they are already text.
    """
    rejected_out = rejected.reindex(columns=REJECTED_COLUMNS)
    if cells_as_read:
        rejected_out = rejected_out.copy()
        for column in REJECTED_COLUMNS:  # once per distinct cell: files repeat the same few values
            rejected_out[column] = _lookup(rejected_out[column], _harmless)
    else:
        rejected_out = rejected_out.fillna("")
        for column in REJECTED_COLUMNS:
            rejected_out[column] = _lookup_raw(rejected_out[column], lambda v: _harmless(str(v)))
    # Temporary names first, renamed only once all are written.
    with contextlib.ExitStack() as stack:
        rejected_tmp = stack.enter_context(atomic_path(report.rejected_path, INTO))
        report_tmp = stack.enter_context(atomic_path(report.report_path, INTO))
        rejected_out.to_csv(rejected_tmp, sep=";", index=False, encoding="utf-8-sig")
        report_tmp.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        trade.write_parquet(table, report.output, report.info, presorted=presorted, checked=True, option=INTO)


def import_files(paths: Sequence[Path], into: Path, *, mapping: Path | None = None,
                 progress: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import DGDDI downloads or tidy tables into the canonical trade table of a data folder.

    The DGDDI regional open-data files (headerless `REGIONAL_CPF4PAYSE/I.txt`, `Region_<YYYY>_Export.txt`…,
    alone, in a folder or in their ZIP with the annexes) are recognised by their shape and streamed in
    blocks (see dgddi.py and regional.py). Other inputs are tidy tables: each path (CSV/TXT, XLSX, XLS with
    xlrd, Parquet, a ZIP of them, or a folder) is read whole, its columns recognised by their aliases (or the mapping file), converts
    thousands of euros to euros, checks every row, and writes atomically into `into`:
    commerce_exterieur.parquet, rapport_import.json and lignes_rejetees.csv (every rejected row with
    its motif). Quarters or months of one year are summed into the year.

    Args:
        paths: files, ZIP archives or folders to import together.
        into: the data folder to write (created if needed); an earlier import there is replaced.
        mapping: a TOML file naming the columns, unit, constant values and format (docs/donnees-reelles.md).
        progress: called with (bytes read, total bytes) while regional files are read.

    Returns:
        The import report (see ImportReport.summary_lines for the French text).

    Raises:
        InputDataError: no path, an unreadable file, a required column missing, or no valid row at all.
        OutputError: the folder cannot be written.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputDataError("aucun fichier à importer ; donnez un ou plusieurs fichiers, archives ZIP ou dossiers")
    into = Path(into)
    check_writable_dir(into, INTO)  # an unusable folder fails before any reading, and nothing is created
    found = dgddi.find(paths)
    if found.sources or found.national:
        if found.others:
            raise InputDataError(
                f"{', '.join(p.name for p in found.others)} : mêlé(s) à des fichiers régionaux DGDDI ; importez les "
                "fichiers régionaux seuls (ou leur ZIP), puis les autres tables dans un autre dossier --into")
        return import_regional(found, into, progress=progress, source_names=[p.name for p in paths],
                               created=_created(paths))
    rules = col.load_mapping(mapping)
    known_deps = set(reference.departements()["code_departement"])
    tables, not_tables = read_inputs(paths, rules)

    file_reports: list[FileReport] = [FileReport(name, STATUS_SKIPPED, reason=why) for name, why in not_tables]
    checked: list[pd.DataFrame] = []
    demonstration_names: list[str] = []
    for table in tables:
        try:
            plan = _plan(table, rules, known_deps)
        except Skip as skip:
            file_reports.append(FileReport(table.name, STATUS_SKIPPED, rows_read=len(table.lines),
                                           reason=str(skip), notes=tuple(table.notes)))
            continue
        rows = _check(_raw_frame(table, plan), plan, known_deps, rules.decimal)
        if table.malformed:
            bad = pd.DataFrame({"fichier": table.name, "ligne": [line for line, _ in table.malformed],
                                "motif": MOTIF_MALFORMED, "detail": [why for _, why in table.malformed]})
            rows = pd.concat([rows, bad], ignore_index=True)
        checked.append(rows)
        if table.demonstration:
            demonstration_names.append(table.name)
        file_reports.append(FileReport(table.name, STATUS_IMPORTED, rows_read=len(table.lines) + len(table.malformed),
                                       columns={k: v for k, v in plan.described.items() if k != "unite"},
                                       unit=plan.described.get("unite", ""), notes=tuple(table.notes)))
    if not checked:
        raise InputDataError("aucun tableau pays × produits trouvé dans " + ", ".join(p.name for p in paths)
                             + " ; vérifiez qu'il s'agit bien des fichiers DGDDI croisés ou d'une table de données")

    rows = pd.concat(checked, ignore_index=True)
    _mark_duplicates(rows)
    kept = rows[rows["motif"] == ""]
    rejected = rows[rows["motif"] != ""]

    per_file = rejected.groupby("fichier").size().to_dict()
    file_reports = [FileReport(f.name, f.status, f.rows_read, int(per_file.get(f.name, 0)), f.columns, f.unit,
                               f.reason, f.notes) for f in file_reports]
    by_reason = rejected["motif"].value_counts()
    rejected_by_reason = {str(k): int(v) for k, v in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0]))}
    if kept.empty:
        reasons = ", ".join(f"{k} : {v}" for k, v in rejected_by_reason.items())
        raise InputDataError(f"aucune ligne valide sur {len(rows)} lues ({reasons}) ; corrigez les fichiers ou le "
                             f"--mapping ({_MAPPING_HINT})")

    # Quarters are kept (months are grouped by quarter); rows without a sub-period cover the year (0).
    kept = kept.assign(trimestre_n=kept["sous_periode"].map(col.quarter_of))
    canonical = (kept.groupby(["annee_n", "trimestre_n", "flux_n", "dep_n", "produit_n", "pays_n"], sort=True)[
        "valeur_eur"].sum().round(2).reset_index())
    canonical.columns = ["annee", "trimestre", "flux", "code_departement", "code_produit", "code_pays", "valeur_eur"]
    canonical["annee"] = canonical["annee"].astype("int64")
    table = trade.validate(canonical, source="import")

    totals_frame = canonical.groupby(["annee", "flux", "code_departement"], sort=True)["valeur_eur"].sum().round(2)
    totals = tuple({"annee": int(y), "flux": str(f), "code_departement": str(d), "valeur_eur": float(v)}
                   for (y, f, d), v in totals_frame.items())
    countries = reference.countries().set_index("code_pays")
    special_codes = set(countries.index[countries["special"]])
    specials = canonical[canonical["code_pays"].isin(special_codes)].groupby("code_pays")["valeur_eur"].sum()
    special_partners = tuple({"code_pays": str(code), "pays": str(countries.at[code, "pays"]),
                              "valeur_eur": round(float(value), 2)} for code, value in specials.items())

    output = into / trade.TRADE_FILE_NAME
    # One simulated input is enough to make every figure of the result unfit to be shown as real.
    demonstration = bool(demonstration_names)
    info = trade.DataSource(demonstration=demonstration, source=_source_text([p.name for p in paths], demonstration),
                          path=str(output), files=tuple(p.name for p in paths), created=_created(paths))
    warnings = _period_warnings(kept)
    aggregated = rejected.loc[rejected["motif"] == MOTIF_PRODUCT_AGGREGATED, "produit_n"]
    if not aggregated.empty:
        codes = ", ".join(f"« {code} »" for code in sorted(aggregated.unique()))
        warnings.append(f"{_rows(len(aggregated))} rejetée{'s' if len(aggregated) > 1 else ''} : "
                        f"{MOTIF_PRODUCT_AGGREGATED} ({codes}) ; {PRODUCT_AGGREGATED_FIX}")
    if demonstration:
        warnings.insert(0, _demonstration_warning(demonstration_names))
    report = ImportReport(
        output=output, report_path=into / REPORT_FILE_NAME, rejected_path=into / REJECTED_FILE_NAME,
        files=tuple(file_reports), rows_read=len(rows), rows_kept=len(kept), rows_rejected=len(rejected),
        rejected_by_reason=rejected_by_reason, rows_written=len(table), totals=totals,
        special_partners=special_partners, warnings=tuple(warnings), info=info)

    _write_outputs(report, rejected, table)
    return report
