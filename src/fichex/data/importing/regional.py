"""Import of the DGDDI regional files (dgddi.py reads them): duplicates, reconciliation, report, outputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from fichex import texts
from fichex.data import reference, trade
from fichex.data.importing import dgddi
from fichex.data.importing.report import REJECTED_FILE_NAME, REPORT_FILE_NAME, FileReport, ImportReport
from fichex.errors import InputDataError

CODE_COLUMNS = ("flux", "code_departement", "code_produit", "code_a129", "code_pays")
RECONCILIATION_KEY = ["flux", "annee", "code_departement"]
Progress = Callable[[int, int | None], None]


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate checked blocks, unioning the categories of the code columns (cheap on millions of rows)."""
    from pandas.api.types import union_categoricals

    frames = [f for f in frames if len(f)] or frames[:1]
    out = {}
    for column in frames[0].columns:
        if column in CODE_COLUMNS:
            out[column] = pd.Series(union_categoricals([f[column] for f in frames], ignore_order=True))
        else:
            out[column] = pd.Series(np.concatenate([f[column].to_numpy() for f in frames]))
    return pd.DataFrame(out)


def _tidy(values: pd.Series) -> pd.Series:
    """A code column with only the categories it uses, in lexical order (cheap: the codes are remapped)."""
    categorical = values.array
    used = np.bincount(categorical.codes[categorical.codes >= 0], minlength=len(categorical.categories)) > 0
    kept = [str(c) for c, u in zip(categorical.categories, used) if u]
    ordered = sorted(kept)
    position = {c: i for i, c in enumerate(ordered)}
    remap = np.full(len(categorical.categories) + 1, -1, dtype=np.int64)
    remap[:-1] = [position.get(str(c), -1) for c in categorical.categories]
    return pd.Series(pd.Categorical.from_codes(remap[categorical.codes], categories=ordered), index=values.index)


def _sort_key(kept: pd.DataFrame) -> np.ndarray:
    """One int64 per row that sorts like trade.STORAGE_ORDER (code columns must have lexical categories);
    two rows share it when they share the key trade.KEY_COLUMNS (the same columns in another order)."""
    key = np.zeros(len(kept), dtype=np.int64)
    for column in trade.STORAGE_ORDER:
        values = kept[column]
        codes = values.cat.codes.to_numpy() if isinstance(values.dtype, pd.CategoricalDtype) else values.to_numpy()
        low = int(codes.min()) if len(codes) else 0
        width = int(codes.max()) - low + 1 if len(codes) else 1
        key = key * width + (codes - low)
    return key


def _shared_keys(key: np.ndarray, order: np.ndarray) -> pd.Series:
    """Rows whose key another row shares, given the order that sorts the keys."""
    ordered = key[order]
    same = np.zeros(len(key), dtype=bool)
    if len(key) > 1:
        equal = ordered[1:] == ordered[:-1]
        same[order[1:][equal]] = True
        same[order[:-1][equal]] = True
    return pd.Series(same)


def _duplicates(kept: pd.DataFrame, dup: pd.Series, names: list[str]) -> tuple[pd.Series, pd.DataFrame]:
    """Rows to drop as duplicates (mask) and their rejected-file rows: an exact copy keeps its first line,
    copies that disagree are all rejected (nothing says which is right)."""
    from fichex.data.importing.pipeline import MOTIF_CONFLICT, MOTIF_DUPLICATE

    drop = pd.Series(False, index=kept.index)
    if not dup.any():
        return drop, pd.DataFrame()
    rows = kept[dup]
    groups = rows.groupby(trade.KEY_COLUMNS, observed=True, sort=False)
    distinct = groups["valeur_eur"].transform("nunique") + groups["masse_kg"].transform("nunique") - 1
    first = groups["ligne"].transform("first")
    first_source = groups["source"].transform("first")
    conflict = distinct > 1
    copy = ~conflict & ((rows["ligne"] != first) | (rows["source"] != first_source))
    drop[rows.index[conflict | copy]] = True
    shown = rows[conflict | copy]
    motif = np.where(conflict[conflict | copy], MOTIF_CONFLICT, MOTIF_DUPLICATE)
    detail = np.where(conflict[conflict | copy], "valeur " + shown["valeur_eur"].map(lambda v: f"{v:.0f}"),
                      "copie de " + first_source[conflict | copy].map(lambda i: names[i]) + ":"
                      + first[conflict | copy].astype(str))
    rejected = pd.DataFrame({
        "fichier": shown["source"].map(lambda i: names[i]).to_numpy(), "ligne": shown["ligne"].to_numpy(),
        "annee": shown["annee"].astype(str).to_numpy(), "periode": shown["trimestre"].astype(str).to_numpy(),
        "flux": shown["flux"].astype(str).to_numpy(), "code_departement": shown["code_departement"].astype(str).to_numpy(),
        "code_produit": shown["code_produit"].astype(str).to_numpy(), "code_pays": shown["code_pays"].astype(str).to_numpy(),
        "valeur": shown["valeur_eur"].map(lambda v: f"{v:.0f}").to_numpy(), "motif": motif, "detail": detail})
    return drop, rejected


def _reconciliation(read: pd.DataFrame, kept: pd.DataFrame) -> tuple[dict, ...]:
    """Per flow × year × département: lines and euros read = kept + rejected, checked against the table."""
    table = read.groupby(RECONCILIATION_KEY, sort=True)[["lignes", "euros"]].sum()
    kept_sums = kept.groupby(["flux", "annee", "code_departement"], observed=True)["valeur_eur"].agg(["size", "sum"])
    kept_sums.index = pd.MultiIndex.from_tuples([(str(f), str(y), str(d)) for f, y, d in kept_sums.index],
                                                names=RECONCILIATION_KEY)
    table = table.join(kept_sums, how="outer").fillna(0)
    rows = []
    for (flow, year, dep), r in table.iterrows():
        lines, euros, kept_lines, kept_euros = int(r["lignes"]), float(r["euros"]), int(r["size"]), float(r["sum"])
        rows.append({"flux": flow, "annee": year, "code_departement": dep, "lignes_lues": lines,
                     "lignes_conservees": kept_lines, "lignes_rejetees": lines - kept_lines,
                     "euros_lus": euros, "euros_conserves": kept_euros, "euros_rejetes": euros - kept_euros})
    return tuple(rows)


def _partial_years(kept: pd.DataFrame) -> list[str]:
    quarters = kept.groupby("annee")["trimestre"].unique()
    return [texts.partial_year_warning(texts.period_label(int(year), tuple(int(q) for q in qs)))
            for year, qs in quarters.items() if len(set(qs)) < 4]


def _national_reference(found: dgddi.Found, table: pd.DataFrame, progress: Progress | None, done_before: int,
                        total: int | None) -> tuple[tuple, tuple[dict, ...]]:
    """France's totals from the national files (year, flow, euros, months) and, per year and flow, the
    gap between the regional sum and the national total."""
    if not found.national:
        return (), ()
    frames = []
    for source in found.national:
        def step(done: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        frames.append(dgddi.national_totals(source, step))
        done_before += source.size
    months = pd.concat(frames, ignore_index=True).groupby(["annee", "flux", "mois"], as_index=False)["euros"].sum()
    by_year = months.groupby(["annee", "flux"]).agg(euros=("euros", "sum"), mois=("mois", "nunique"))
    regional = table.groupby(["annee", "flux"], observed=True)["valeur_eur"].sum()
    national, gaps = [], []
    for (year, flow), row in by_year.iterrows():
        national.append((int(year), str(flow), float(row["euros"]), int(row["mois"])))
        mine = float(regional.get((year, flow), 0.0))
        gaps.append({"annee": int(year), "flux": str(flow), "mois": int(row["mois"]), "national_eur": float(row["euros"]),
                     "regional_eur": mine, "ecart_eur": mine - float(row["euros"])})
    return tuple(national), tuple(gaps)


def import_regional(found: dgddi.Found, into: Path, *, progress: Progress | None = None,
                    source_names: list[str] | None = None) -> tuple[ImportReport, pd.DataFrame, pd.DataFrame]:
    """Read and check the regional files of `found`; return the report, the canonical table and the
    rejected rows (the caller writes them).

    Raises:
        InputDataError: an unreadable file, or no usable line at all.
    """
    if not found.sources:
        raise InputDataError(texts.national_alone_error([s.name for s in found.national]))
    total = sum(source.size for source in [*found.sources, *found.national]) or None
    done_before = 0
    kept_blocks, rejected_blocks, read_blocks = [], [], []
    file_reports = []
    names = [source.name for source in found.sources]
    for index, source in enumerate(found.sources):
        lines = rejected = 0

        def step(done: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        for block in dgddi.read_source(source, step):
            block.kept["source"] = np.int16(index)
            kept_blocks.append(block.kept)
            rejected_blocks.append(block.rejected)
            read_blocks.append(block.read)
            lines += int(block.read["lignes"].sum())
            rejected += len(block.rejected)
        done_before += source.size
        file_reports.append(FileReport(source.name, texts.IMPORT_STATUS_IMPORTED, rows_read=lines,
                                       rows_rejected=rejected, columns={"format": texts.REGIONAL_FORMAT},
                                       unit=texts.REGIONAL_UNIT))
    kept = _concat(kept_blocks)
    for column in CODE_COLUMNS:
        kept[column] = _tidy(kept[column])
    key = _sort_key(kept)
    order = np.argsort(key, kind="stable")
    drop, duplicates = _duplicates(kept, _shared_keys(key, order), names)
    # Sorted once here, so that writing does not sort again.
    kept = kept.take(order[~drop.to_numpy()[order]]).reset_index(drop=True)
    if len(duplicates):
        for column in CODE_COLUMNS:
            kept[column] = _tidy(kept[column])
    rejected = pd.concat([*rejected_blocks, duplicates], ignore_index=True)
    rejected = rejected.sort_values(["fichier", "ligne"], kind="stable").reset_index(drop=True)
    if len(duplicates):
        per_file = duplicates.groupby("fichier").size()
        file_reports = [FileReport(f.name, f.status, f.rows_read, f.rows_rejected + int(per_file.get(f.name, 0)),
                                   f.columns, f.unit) for f in file_reports]
    read = pd.concat(read_blocks, ignore_index=True)
    rows_read = int(read["lignes"].sum())
    by_reason = rejected["motif"].value_counts()
    rejected_by_reason = {str(k): int(v) for k, v in sorted(by_reason.items(), key=lambda kv: (-kv[1], kv[0]))}
    if kept.empty:
        reasons = ", ".join(f"{k} : {v}" for k, v in rejected_by_reason.items())
        raise InputDataError(f"aucune ligne valide sur {rows_read} lues ({reasons}) ; vérifiez qu'il s'agit bien du "
                             "fichier régional DGDDI tel que téléchargé (voir docs/donnees-reelles.md)")

    table = kept[trade.CANONICAL_COLUMNS]
    annual = table.groupby(["annee", "flux", "code_departement"], observed=True, sort=True)["valeur_eur"].sum()
    totals = tuple({"annee": int(y), "flux": str(f), "code_departement": str(d), "valeur_eur": float(v)}
                   for (y, f, d), v in annual.items())
    countries = reference.countries().set_index("code_pays")
    special_codes = set(countries.index[countries["special"]])
    specials = table[table["code_pays"].isin(special_codes)].groupby("code_pays", observed=True)["valeur_eur"].sum()
    special_partners = tuple({"code_pays": str(code), "pays": str(countries.at[code, "pays"]),
                              "valeur_eur": round(float(value), 2)} for code, value in specials.items())

    national, gaps = _national_reference(found, table, progress, done_before, total)
    shown = source_names or names
    warnings = _partial_years(table)
    if len(rejected):
        warnings.append(texts.rejected_lines_warning(len(rejected), into / REJECTED_FILE_NAME))
    info = trade.DataSource(
        demonstration=found.demonstration,
        source=found.demonstration_text or texts.regional_source(shown, found.demonstration),
        path=str(into / trade.TRADE_FILE_NAME), files=tuple([*names, *(s.name for s in found.national)]),
        created="", national=national)
    if found.demonstration:
        warnings.insert(0, texts.regional_demonstration_warning(shown))
    file_reports += [FileReport(name, texts.IMPORT_STATUS_SKIPPED, reason=reason) for name, reason in found.skipped]
    file_reports += [FileReport(name, texts.IMPORT_STATUS_ANNEX, reason=f"sha256 {digest[:12]}")
                     for name, digest in found.annexes]
    report = ImportReport(
        output=into / trade.TRADE_FILE_NAME, report_path=into / REPORT_FILE_NAME,
        rejected_path=into / REJECTED_FILE_NAME, files=tuple(file_reports), rows_read=rows_read,
        rows_kept=len(table), rows_rejected=len(rejected), rejected_by_reason=rejected_by_reason,
        rows_written=len(table), totals=totals, special_partners=special_partners, warnings=tuple(warnings),
        info=info, reconciliation=_reconciliation(read, table), annexes=tuple(n for n, _ in found.annexes),
        national_gaps=gaps)
    return report, table, rejected
