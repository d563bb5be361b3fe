"""Tidy tables (CSV/TXT, XLSX, XLS, Parquet, ZIPs or folders of them) into the canonical trade table:
column plan, row checks, duplicates, report and outputs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from fichex.data import reference, trade
from fichex.data.importing import columns as col
from fichex.data.importing import common
from fichex.data.importing.common import (
    INTO,
    MOTIF_CONFLICT,
    MOTIF_COUNTRY,
    MOTIF_DEPARTEMENT,
    MOTIF_DUPLICATE,
    MOTIF_FLOW,
    MOTIF_MALFORMED,
    MOTIF_PRODUCT,
    MOTIF_PRODUCT_AGGREGATED,
    MOTIF_VALUE_ABSURD,
    MOTIF_VALUE_MISSING,
    MOTIF_VALUE_NEGATIVE,
    MOTIF_VALUE_TEXT,
    MOTIF_YEAR,
    MOTIF_YEAR_MISMATCH,
    REJECTED_COLUMNS,
)
from fichex.data.importing.readers import read_inputs
from fichex.data.importing.tidy_plan import MAPPING_HINT, Plan, Skip, plan_table, raw_frame
from fichex.data.importing.report import REJECTED_FILE_NAME, REPORT_FILE_NAME, FileReport, ImportReport
from fichex.errors import InputDataError
from fichex.wording.console import IMPORT_STATUS_IMPORTED as STATUS_IMPORTED
from fichex.wording.console import IMPORT_STATUS_SKIPPED as STATUS_SKIPPED
from fichex.wording.numbers import group_thousands

# Rows sharing this key are duplicates; quarters or months of one year are summed afterwards.
DUPLICATE_KEY = ["annee_n", "sous_periode", "flux_n", "dep_n", "produit_n", "pays_n"]
PRODUCT_AGGREGATED_FIX = "fournissez des codes CPF à 4 chiffres"
NO_VALID_LINE_FIX = f"corrigez les fichiers ou le --mapping ({MAPPING_HINT})"


def _cell_text_lookup(values: pd.Series, function) -> pd.Series:
    """Apply `function` to the text of each distinct cell."""
    return common.lookup(values, lambda value: function(col.cell_text(value)))


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


class _Rejections:
    """The motif (first failing check) and detail of each row being checked."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows
        self.motif = pd.Series("", index=rows.index, dtype=object)
        self.detail = pd.Series("", index=rows.index, dtype=object)

    def reject(self, mask: pd.Series, reason: str, role: str | None = None, second: str | None = None) -> None:
        """Set the motif of the rows in `mask` not rejected yet; the detail quotes the cells of `role`."""
        mask = mask.fillna(False).astype(bool) & (self.motif == "")
        if not mask.any():
            return
        self.motif[mask] = reason
        if role is not None:
            text = "« " + self.rows.loc[mask, role].map(col.cell_text) + " »"
            if second is not None:
                text = text + " / « " + self.rows.loc[mask, second].map(col.cell_text) + " »"
            self.detail[mask] = text


def _check(raw: pd.DataFrame, plan: Plan, known_deps: set[str], decimal: str | None) -> pd.DataFrame:
    """Parse every role and set « motif » (first failing check) and « detail » on the rows that fail."""
    out = raw.copy()
    rejections = _Rejections(out)
    _check_year_and_period(out, plan, rejections)
    out["flux_n"] = _cell_text_lookup(out["flux"], col.flow_code)
    rejections.reject(out["flux_n"].isna(), MOTIF_FLOW, "flux")
    out["dep_n"] = _cell_text_lookup(out["code_departement"], _departement_resolver(known_deps))
    rejections.reject(out["dep_n"].isna(), MOTIF_DEPARTEMENT, "code_departement")
    _check_product(out, rejections)
    out["pays_n"] = _cell_text_lookup(out["code_pays"], _country_resolver())
    rejections.reject(out["pays_n"].isna(), MOTIF_COUNTRY, "code_pays")
    _check_value(out, plan, decimal, rejections)
    out["motif"] = rejections.motif
    out["detail"] = rejections.detail
    return out


def _check_year_and_period(out: pd.DataFrame, plan: Plan, rejections: _Rejections) -> None:
    """annee_n and sous_periode from the année and période cells; a year out of range or two that disagree fail."""
    kind = col.normalise_header(plan.columns.get("periode", ""))
    period = _cell_text_lookup(out["periode"], lambda t: col.parse_period(t, kind) if t else (None, None))
    year_cells = _cell_text_lookup(out["annee"], lambda t: col.parse_period(t) if t else None)
    year_from_col = year_cells.map(lambda p: p[0] if p else None)
    year_from_period = period.map(lambda p: p[0] if p else None)
    sub = period.map(lambda p: p[1] if p else None)
    sub = sub.where(period.notna(), out["periode"].map(col.cell_text).replace("", None))
    sub = sub.where(sub.notna(), year_cells.map(lambda p: p[1] if p else None))
    year = year_from_col.where(year_from_col.notna(), year_from_period)
    out["annee_n"] = pd.to_numeric(year, errors="coerce")
    out["sous_periode"] = sub.fillna("").astype(str)
    rejections.reject(out["annee_n"].isna() | (out["annee_n"] < 1990) | (out["annee_n"] > 2100), MOTIF_YEAR, "annee")
    both = year_from_col.notna() & year_from_period.notna()
    mismatch = both & (year_from_col.where(both, 0) != year_from_period.where(both, 0))
    rejections.reject(mismatch, MOTIF_YEAR_MISMATCH, "annee", "periode")


def _check_product(out: pd.DataFrame, rejections: _Rejections) -> None:
    """produit_n and a129_n; a code spread over several A129 positions, or unknown, fails."""
    out["produit_n"] = common.lookup(out["code_produit"], _product)
    a129 = {code: reference.product_to_a129(code) for code in out["produit_n"].unique()}
    out["a129_n"] = out["produit_n"].map(a129)
    spread = {code: _a129_positions_of_aggregate(code) for code, position in a129.items() if position is None}
    aggregated = out["produit_n"].map(lambda code: len(spread.get(code, ())) > 1)
    if aggregated.any():
        codes = out.loc[aggregated, "produit_n"]
        rejections.reject(aggregated, MOTIF_PRODUCT_AGGREGATED)
        rejections.detail[aggregated & (rejections.motif == MOTIF_PRODUCT_AGGREGATED)] = codes.map(
            lambda code: f"« {code} » ; {PRODUCT_AGGREGATED_FIX} (positions A129 possibles : "
                         f"{', '.join(spread[code])})")
    rejections.reject(out["a129_n"].isna(), MOTIF_PRODUCT, "code_produit")


def _check_value(out: pd.DataFrame, plan: Plan, decimal: str | None, rejections: _Rejections) -> None:
    """valeur_eur, in euros; a value missing, not a number, negative or absurd fails."""
    amounts = col.parse_amounts(out["valeur"], decimal)
    blank = out["valeur"].map(col.is_blank)
    rejections.reject(blank, MOTIF_VALUE_MISSING)
    rejections.reject(amounts.isna(), MOTIF_VALUE_TEXT, "valeur")
    rejections.reject(amounts < 0, MOTIF_VALUE_NEGATIVE, "valeur")
    # A unit written in the cell is honoured (« 12 k€ » in a column of euros is 12 000 €).
    factor = col.cell_units(out["valeur"]).map(col.UNITS).astype("float64").fillna(col.UNITS[plan.unit])
    euros = amounts * factor
    rejections.reject(amounts.notna() & ~(euros.abs() <= trade.VALUE_CEILING_EUR), MOTIF_VALUE_ABSURD, "valeur")
    out["valeur_eur"] = euros.where(euros.abs() <= trade.VALUE_CEILING_EUR).round(2)


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


def _write_outputs(report: ImportReport, rejected: pd.DataFrame, table: pd.DataFrame) -> None:
    """Write the rejected rows (their cells as a reader returned them: numbers, dates…, written as their
    text), the report and the canonical table; the three appear together."""
    rejected_out = rejected.reindex(columns=REJECTED_COLUMNS).copy()
    for column in REJECTED_COLUMNS:  # once per distinct cell: files repeat the same few values
        rejected_out[column] = common.harmless_cells(rejected_out[column], col.cell_text)

    def write_rejected(path: Path) -> None:
        rejected_out.to_csv(path, sep=";", index=False, encoding="utf-8-sig")

    common.write_outputs_together(report, write_rejected, lambda: trade.write_parquet(
        table, report.output, report.info, checked=True, option=INTO))


def import_tidy(paths: Sequence[Path], into: Path, *, mapping: Path | None = None) -> ImportReport:
    """Import tidy tables into the canonical trade table of the data folder `into` (see import_files).

    Raises:
        InputDataError: an unreadable file, a required column missing, no table, or no valid row at all.
        OutputError: the folder cannot be written.
    """
    rules = col.load_mapping(mapping)
    file_reports, rows, demonstration_names = _read_and_check(paths, rules)
    _mark_duplicates(rows)
    kept = rows[rows["motif"] == ""]
    rejected = rows[rows["motif"] != ""]
    per_file = rejected.groupby("fichier").size().to_dict()
    file_reports = [FileReport(f.name, f.status, f.rows_read, int(per_file.get(f.name, 0)), f.columns, f.unit,
                               f.reason, f.notes) for f in file_reports]
    by_reason = common.rejected_by_reason(rejected["motif"].value_counts().items())
    if kept.empty:
        raise common.no_valid_line_error(len(rows), by_reason, NO_VALID_LINE_FIX)
    canonical = _canonical(kept)
    table = trade.validate(canonical, source="import")
    output = into / trade.TRADE_FILE_NAME
    # One simulated input is enough to make every figure of the result unfit to be shown as real.
    demonstration = bool(demonstration_names)
    info = trade.DataSource(demonstration=demonstration, source=_source_text([p.name for p in paths], demonstration),
                            path=str(output), files=tuple(p.name for p in paths), created=common.data_date(paths))
    report = ImportReport(
        output=output, report_path=into / REPORT_FILE_NAME, rejected_path=into / REJECTED_FILE_NAME,
        files=tuple(file_reports), rows_read=len(rows), rows_kept=len(kept), rows_rejected=len(rejected),
        rejected_by_reason=by_reason, rows_written=len(table),
        totals=common.per_year_totals(canonical, "valeur_eur", decimals=2),
        special_partners=common.special_partners(canonical, "valeur_eur"),
        warnings=tuple(_warnings(kept, rejected, demonstration_names)), info=info)
    _write_outputs(report, rejected, table)
    return report


def _read_and_check(paths: Sequence[Path], rules: col.Mapping) -> tuple[list[FileReport], pd.DataFrame, list[str]]:
    """Read every input and check its rows: the file reports, every row with its motif (« » when kept) and
    the names of the demonstration inputs."""
    known_deps = set(reference.departements()["code_departement"])
    tables, not_tables = read_inputs(paths, rules)
    file_reports: list[FileReport] = [FileReport(name, STATUS_SKIPPED, reason=why) for name, why in not_tables]
    checked: list[pd.DataFrame] = []
    demonstration_names: list[str] = []
    for table in tables:
        try:
            plan = plan_table(table, rules, known_deps)
        except Skip as skip:
            file_reports.append(FileReport(table.name, STATUS_SKIPPED, rows_read=len(table.lines),
                                           reason=str(skip), notes=tuple(table.notes)))
            continue
        rows = _check(raw_frame(table, plan), plan, known_deps, rules.decimal)
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
    return file_reports, pd.concat(checked, ignore_index=True), demonstration_names


def _canonical(kept: pd.DataFrame) -> pd.DataFrame:
    """The rows kept as canonical columns: quarters kept (months grouped by quarter), rows without a
    sub-period covering the year (trimestre 0)."""
    kept = kept.assign(trimestre_n=kept["sous_periode"].map(col.quarter_of))
    canonical = (kept.groupby(["annee_n", "trimestre_n", "flux_n", "dep_n", "produit_n", "pays_n"], sort=True)[
        "valeur_eur"].sum().round(2).reset_index())
    canonical.columns = ["annee", "trimestre", "flux", "code_departement", "code_produit", "code_pays", "valeur_eur"]
    canonical["annee"] = canonical["annee"].astype("int64")
    return canonical


def _warnings(kept: pd.DataFrame, rejected: pd.DataFrame, demonstration_names: list[str]) -> list[str]:
    """Demonstration inputs, incomplete or mixed years, codes too aggregated for A129."""
    warnings = _period_warnings(kept)
    aggregated = rejected.loc[rejected["motif"] == MOTIF_PRODUCT_AGGREGATED, "produit_n"]
    if not aggregated.empty:
        codes = ", ".join(f"« {code} »" for code in sorted(aggregated.unique()))
        warnings.append(f"{_rows(len(aggregated))} rejetée{'s' if len(aggregated) > 1 else ''} : "
                        f"{MOTIF_PRODUCT_AGGREGATED} ({codes}) ; {PRODUCT_AGGREGATED_FIX}")
    if demonstration_names:
        warnings.insert(0, _demonstration_warning(demonstration_names))
    return warnings
