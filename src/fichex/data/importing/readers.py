"""Reading input files (CSV, Excel, Parquet, ZIP archives and folders of them) into raw tables of cells."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fichex.data.importing import archives, inputs
from fichex.errors import InputDataError
from fichex.data.importing.columns import Mapping, cell_text, is_blank, normalise_header
from fichex.data.trade import METADATA_KEY

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
TABLE_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES
_DELIMITERS = (";", ",", "\t", "|")
_SAMPLE_CHARS = 64 * 1024
_README_PREFIXES = ("lisezmoi", "lisez_moi", "readme", "lisez-moi")


@dataclass
class RawTable:
    """The cells of one table as read, before any interpretation.

    Attributes:
        name: how the report names it (« region_75.zip/dep_01_export.xls »).
        member: the bare file name, read for département and flow hints.
        origin: the input path it came from (a file, a ZIP or a folder).
        headers: column names, made unique.
        frame: the cells (object dtype), one column per header.
        lines: line (CSV) or row (Excel) number of each frame row in the source, for the report.
        malformed: (line, reason) of rows that could not even be split into cells.
        bundled: read from a ZIP or a folder, where label and non-crossed files are skipped.
        notes: remarks for the report (sheets ignored, encoding used…).
        demonstration: a fichex Parquet file whose description says its figures are simulated.
    """

    name: str
    member: str
    origin: Path
    headers: list[str]
    frame: pd.DataFrame
    lines: list[int]
    malformed: list[tuple[int, str]] = field(default_factory=list)
    bundled: bool = False
    notes: list[str] = field(default_factory=list)
    demonstration: bool = False


def _unique_headers(cells: list[object]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells, 1):
        text = cell_text(cell) or f"colonne_{index}"
        count = seen.get(text, 0) + 1
        seen[text] = count
        headers.append(text if count == 1 else f"{text}_{count}")
    return headers


def _table(name: str, member: str, origin: Path, rows: list[list[object]], lines: list[int],
           bundled: bool) -> RawTable:
    """Header = first row with two filled cells or more; blank rows are not data and are skipped."""
    start = next((i for i, row in enumerate(rows) if sum(not is_blank(c) for c in row) >= 2), None)
    if start is None:
        return RawTable(name, member, origin, [], pd.DataFrame(), [], bundled=bundled)
    headers = _unique_headers(list(rows[start]))
    width = len(headers)
    data, data_lines, malformed = [], [], []
    for row, line in zip(rows[start + 1:], lines[start + 1:]):
        if all(is_blank(c) for c in row):
            continue
        row = list(row)
        while len(row) > width and is_blank(row[-1]):
            row.pop()
        if len(row) > width:
            malformed.append((line, f"{len(row)} champs au lieu de {width}"))
            continue
        data.append(row + [None] * (width - len(row)))
        data_lines.append(line)
    frame = pd.DataFrame(data, columns=headers, dtype=object) if data else pd.DataFrame(columns=headers, dtype=object)
    return RawTable(name, member, origin, headers, frame, data_lines, malformed, bundled)


# --- CSV -----------------------------------------------------------------------------------------


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Text of a file and the encoding used: UTF-8 (with or without BOM), else cp1252, else Latin-1."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputDataError(f"{name} : impossible de lire le fichier en {encoding} ({exc.__class__.__name__}) ; "
                                 "corrigez [format] encoding dans le fichier --mapping") from None
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        try:
            return body.decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = body[:exc.start].count(b"\n") + 1
            raise InputDataError(
                f"{name} : le fichier commence par la marque UTF-8 (BOM) mais la ligne {line} n'est pas en UTF-8 "
                f"(octet {body[exc.start]:#04x}) ; réenregistrez-le en UTF-8, ou donnez son encodage avec "
                "[format] encoding = \"cp1252\" dans un fichier --mapping") from None
    for candidate in ("utf-8", "cp1252"):
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The field separator: csv.Sniffer's guess, checked against how evenly each candidate splits the sample."""
    sample = text[:_SAMPLE_CHARS]
    lines = sample.splitlines()
    if len(text) > _SAMPLE_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last sampled line may be cut
    lines = [line for line in lines if line.strip()][:50]
    if not lines:
        return ";"
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None

    def score(delimiter: str) -> tuple[float, int, int]:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        header = counts[0]
        if header < 2:
            return (0.0, 0, 0)
        even = sum(c == header for c in counts) / len(counts)
        return (even, header, int(delimiter == sniffed))

    best = max(_DELIMITERS, key=score)
    return best if score(best)[1] >= 2 else (sniffed or ";")


# A cell longer than this is not a trade figure nor a code: its line is rejected, the others are read.
CSV_FIELD_LIMIT = 1 << 20


def _csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int], list[tuple[int, str]]]:
    """The rows of a CSV text with their line numbers, and the lines whose cells could not be read."""
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, lines, bad = [], [], []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows, lines, bad
        except csv.Error as exc:
            reason = (f"une cellule dépasse {CSV_FIELD_LIMIT:_} caractères".replace("_", " ")
                      if "field larger" in str(exc) else f"ligne illisible ({exc})")
            bad.append((reader.line_num, reason))
            continue
        rows.append(row)
        lines.append(reader.line_num)


def read_csv(data: bytes, name: str, member: str, origin: Path, bundled: bool, mapping: Mapping) -> RawTable:
    """A CSV or text table: its encoding and delimiter found (or given by the mapping), its rows read."""
    text, encoding = decode(data, name, mapping.encoding)
    delimiter = mapping.delimiter or sniff_delimiter(text)
    rows, lines, oversized = _csv_rows(text, delimiter)
    table = _table(name, member, origin, rows, lines, bundled)
    table.malformed.extend(oversized)
    table.malformed.sort()
    shown = {"\t": "tabulation"}.get(delimiter, f"« {delimiter} »")
    table.notes.append(f"encodage {encoding}, séparateur {shown}")
    return table


# --- Excel ---------------------------------------------------------------------------------------


def _sheets_xlsx(data: bytes, name: str) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        raise InputDataError(f"{name} : classeur Excel illisible ({type(exc).__name__}) ; "
                             "ouvrez-le et réenregistrez-le en .xlsx ou en .csv") from None
    try:
        return [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in workbook.worksheets]
    finally:
        workbook.close()


def _sheets_xls(data: bytes, name: str) -> list[tuple[str, list[list[object]]]]:
    try:
        import xlrd
    except ModuleNotFoundError:
        raise InputDataError(
            f"{name} : lire un fichier .xls (Excel 97-2003) demande le module xlrd ; installez-le "
            "(pip install xlrd) ou enregistrez le fichier en .xlsx ou en .csv"
        ) from None
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # xlrd.XLRDError and struct errors for damaged files
        raise InputDataError(f"{name} : classeur Excel 97-2003 illisible ({type(exc).__name__}) ; "
                             "ouvrez-le et réenregistrez-le en .xlsx ou en .csv") from None
    try:
        return [(sheet.name, [sheet.row_values(i) for i in range(sheet.nrows)]) for sheet in book.sheets()]
    finally:
        book.release_resources()


def read_excel(data: bytes, name: str, member: str, origin: Path, bundled: bool, mapping: Mapping) -> RawTable:
    """First sheet, followed by the sheets with the same headers (a .xls sheet stops at 65 536 rows)."""
    reader = _sheets_xls if member.lower().endswith(".xls") else _sheets_xlsx
    sheets = reader(data, name)
    if mapping.sheet is not None:
        chosen = [s for s in sheets if s[0] == mapping.sheet]
        if not chosen:
            titles = ", ".join(title for title, _ in sheets)
            raise InputDataError(f"{name} : feuille « {mapping.sheet} » absente (feuilles : {titles}) ; "
                                 "corrigez [format] sheet dans le fichier --mapping")
        sheets = chosen
    tables = [(title, _table(name, member, origin, rows, list(range(1, len(rows) + 1)), bundled))
              for title, rows in sheets]
    tables = [(title, t) for title, t in tables if t.headers]
    if not tables:
        return RawTable(name, member, origin, [], pd.DataFrame(), [], bundled=bundled)
    first_title, first = tables[0]
    key = [normalise_header(h) for h in first.headers]
    frames, lines, notes = [first.frame], list(first.lines), []
    malformed = list(first.malformed)
    for title, table in tables[1:]:
        if [normalise_header(h) for h in table.headers] == key:
            table.frame.columns = first.headers
            frames.append(table.frame)
            lines.extend(table.lines)
            malformed.extend(table.malformed)
            notes.append(f"feuille « {title} » ajoutée à la suite de « {first_title} »")
        else:
            notes.append(f"feuille « {title} » ignorée (en-têtes différents de « {first_title} »)")
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else first.frame
    return RawTable(name, member, origin, first.headers, frame, lines, malformed, bundled, notes)


# --- Parquet -------------------------------------------------------------------------------------


def read_parquet(data: bytes, name: str, member: str, origin: Path, bundled: bool, mapping: Mapping) -> RawTable:
    """A Parquet table, flagged as demonstration when fichex's description says so."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(pa.BufferReader(data))
    except Exception as exc:  # pyarrow raises several unrelated types for a damaged file
        raise InputDataError(f"{name} : fichier Parquet illisible ({type(exc).__name__}) ; régénérez-le") from None
    demonstration = _is_demonstration(arrow.schema.metadata)
    frame = arrow.to_pandas().astype(object)
    frame = frame.where(frame.notna(), None)
    headers = _unique_headers(list(frame.columns))
    frame.columns = headers
    table = RawTable(name, member, origin, headers, frame.reset_index(drop=True),
                     list(range(1, len(frame) + 1)), bundled=bundled, demonstration=demonstration)
    if demonstration:
        table.notes.append("données de démonstration (chiffres simulés) d'après la description du fichier")
    return table


def _is_demonstration(metadata: dict[bytes, bytes] | None) -> bool:
    """Whether the fichex description of a Parquet file flags it as demonstration data.

    A description that cannot be read counts as not demonstration: only fichex writes it, and a
    file without one is an ordinary table.
    """
    raw = (metadata or {}).get(METADATA_KEY)
    if not raw:
        return False
    try:
        description = json.loads(raw)
    except ValueError:
        return False
    return isinstance(description, dict) and bool(description.get("demonstration", False))


# --- dispatch ------------------------------------------------------------------------------------


def _read_member(data: bytes, name: str, member: str, origin: Path, bundled: bool, mapping: Mapping) -> RawTable:
    suffix = Path(member).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(data, name, member, origin, bundled, mapping)
    if suffix in EXCEL_SUFFIXES:
        return read_excel(data, name, member, origin, bundled, mapping)
    return read_parquet(data, name, member, origin, bundled, mapping)


def _is_readme(member: str) -> bool:
    return Path(member).name.lower().startswith(_README_PREFIXES)


def read_inputs(paths, mapping: Mapping) -> tuple[list[RawTable], list[tuple[str, str]]]:
    """Every table in the given files, ZIP archives and folders, in a stable order.

    Returns:
        The tables, and (name, reason) of the members of archives and folders that are not tables.

    Raises:
        InputDataError: a path does not exist, has an unknown format or cannot be read.
    """
    tables: list[RawTable] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            members, outputs = inputs.folder_files(path)
            skipped.extend(inputs.skipped_outputs(path, outputs))
            for member in (m for m in members if not m.name.startswith(".")):
                shown = f"{path.name}/{member.relative_to(path).as_posix()}"
                if member.suffix.lower() == ".zip":
                    tables_in, skipped_in = _read_zip(member, shown, mapping)
                    tables.extend(tables_in)
                    skipped.extend(skipped_in)
                elif member.suffix.lower() not in TABLE_SUFFIXES or _is_readme(member.name):
                    skipped.append((shown, "pas un tableau de données"))
                else:
                    tables.append(_read_member(_read_whole(member, shown), shown, member.name, path, True, mapping))
            continue
        if not path.exists():
            raise InputDataError(f"fichier introuvable : {path} ; vérifiez le chemin donné à fichex data import")
        if not path.is_file():
            raise InputDataError(f"{path} n'est pas un fichier ordinaire (périphérique, tube…) ; donnez un fichier "
                                 "CSV, Excel, Parquet ou ZIP, ou un dossier qui en contient")
        suffix = path.suffix.lower()
        if suffix == ".zip":
            tables_in, skipped_in = _read_zip(path, path.name, mapping)
            tables.extend(tables_in)
            skipped.extend(skipped_in)
        elif suffix in TABLE_SUFFIXES:
            tables.append(_read_member(_read_whole(path, path.name), path.name, path.name, path, False, mapping))
        else:
            raise InputDataError(f"{path.name} : format non reconnu ; fichiers acceptés : .zip, .csv, .txt, "
                                 ".xlsx, .xls, .parquet (ou un dossier qui en contient)")
    return tables, skipped


def _read_whole(path: Path, shown: str) -> bytes:
    """The bytes of a tidy table, read whole: refused above archives.max_table_bytes() (the DGDDI regional
    files, streamed, have no such limit)."""
    size = path.stat().st_size
    limit = archives.max_table_bytes()
    if size > limit:
        raise InputDataError(
            f"{shown} : {size} octets, trop gros pour un tableau lu en entier (limite {limit}, fixée par la mémoire "
            f"libre) ; découpez-le (une année ou une région par fichier), importez les fichiers régionaux DGDDI tels "
            f"que publiés (lus par blocs, sans limite), ou relevez la limite avec la variable "
            f"{archives.MAX_BYTES_ENV_VAR}")
    return path.read_bytes()


def _read_zip(path: Path, shown: str, mapping: Mapping) -> tuple[list[RawTable], list[tuple[str, str]]]:
    tables, skipped = [], []
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputDataError(f"{shown} : archive ZIP illisible ({type(exc).__name__}) ; retéléchargez-la") from None
    with archive:
        archives.check(archive, shown)
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            member = info.filename
            name = f"{shown}/{member}"
            base = os.path.basename(member)
            if base.startswith(".") or member.startswith("__MACOSX/"):
                continue
            if Path(base).suffix.lower() not in TABLE_SUFFIXES or _is_readme(base):
                skipped.append((name, "pas un tableau de données"))
                continue
            tables.append(_read_member(archive.read(info), name, base, path, True, mapping))
    return tables, skipped


def input_mtime(paths) -> float:
    """Latest modification time of the input paths (files, archives, folder contents)."""
    times = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            times.extend(p.stat().st_mtime for p in path.rglob("*") if p.is_file())
        elif path.exists():
            times.append(path.stat().st_mtime)
    return max(times, default=0.0)
