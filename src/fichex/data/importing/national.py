"""DGDDI's national file (`NATIONAL_NC8PAYSE/I.txt`): France's totals by flow, year and month, a reference
for the sum of the regional files, not a source of fiches."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from fichex.data.importing import dgddi, dgddi_lines
from fichex.data.importing.common import MOTIF_UNREADABLE, REJECTED_COLUMNS
from fichex.errors import InputDataError

# The national file (part II of the description): Flux;Mois;Année;CPF6;A129;NC8;Pays;Valeur;Masse;USUP.
_NATIONAL_LINE = re.compile(rb"^[EI];(0[1-9]|1[0-2]);\d{4};\d{6};[A-Z]\d\d[A-Z];\d{8};[^;]*;-?\d+;[^;]*;[^;]*\r?$")
NATIONAL_FIELDS = ("flux", "mois", "annee", "code_cpf6", "code_a129", "code_nc8", "code_pays", "valeur", "masse",
                   "usup")


def looks_national(head: bytes) -> bool:
    """True when the file starts in the layout of DGDDI's national file (monthly, CPF6, NC8)."""
    lines = [line for line in head.removeprefix(dgddi.BOM).split(b"\n")[:dgddi.SNIFF_LINES] if line.strip()]
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines.pop()
    return bool(lines) and sum(bool(_NATIONAL_LINE.match(line)) for line in lines) * 2 > len(lines)


def national_totals(source: dgddi.Source, progress: Callable[[int], None] | None = None,
                    block_bytes: int = dgddi.BLOCK_BYTES) -> pd.DataFrame:
    """France's totals by flow, year and month from a national file: flux, annee, mois, euros, lignes.

    Only the totals are kept (the national file is a reference for the regional sum, not a source of
    fiches). Lines that are not in the national layout are counted in `lignes_ignorees` of the result's
    attrs; a line that cannot be read (a byte that is not UTF-8, a line of thousands of bytes) is left out
    of the totals and listed with its number in `rejetees` (a frame of the rejected-lines columns), as the
    regional files' are.
    """
    sums: dict[tuple[str, int, int], list] = {}
    ignored = 0
    done = 0
    first_line = 1
    rejected: list[dict] = []
    with source.opener() as stream:
        for data in dgddi.blocks(stream, block_bytes):
            table, bad, unreadable = _parse_national_block(data, source.name)
            ignored += bad - len(unreadable)
            rejected += [{"fichier": source.name, "ligne": first_line + index, "motif": MOTIF_UNREADABLE,
                          "detail": detail} for index, detail in sorted(unreadable.items())]
            ignored += _add_block_sums(table, sums)
            first_line += data.count(b"\n")
            done += len(data)
            if progress:
                progress(done)
    result = pd.DataFrame([(f, y, m, v, n) for (f, y, m), (v, n) in sorted(sums.items())],
                          columns=["flux", "annee", "mois", "euros", "lignes"])
    result.attrs["lignes_ignorees"] = ignored
    result.attrs["rejetees"] = pd.DataFrame(rejected).reindex(columns=REJECTED_COLUMNS)
    return result


def _parse_national_block(data: bytes, file_name: str):
    """One block as an Arrow table of strings, the number of lines that are not rows, and the unreadable
    lines (index in the block → detail), each replaced by a stand-in that is not a row."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    def parse(text: bytes, bad: list):
        return pacsv.read_csv(
            pa.py_buffer(text),
            read_options=pacsv.ReadOptions(column_names=list(NATIONAL_FIELDS)),
            parse_options=pacsv.ParseOptions(delimiter=";", quote_char=False,
                                             invalid_row_handler=lambda row: bad.append(1) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={f: pa.string() for f in NATIONAL_FIELDS}))

    data = data.removeprefix(dgddi.BOM)
    bad: list[int] = []
    try:
        return parse(data, bad), len(bad), {}
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        cleaned, unreadable = dgddi_lines.without_unreadable_lines(data)
        bad = []
        try:
            table = parse(cleaned, bad) if unreadable else None
        except (pa.ArrowInvalid, UnicodeDecodeError):
            table = None
        if table is None:
            raise InputDataError(f"{file_name} : fichier national illisible ({exc}) ; téléchargez-le à "
                                 "nouveau") from None
        return table, len(bad), unreadable


def _add_block_sums(table, sums: dict) -> int:
    """Add the block's euros to `sums` by (flow, year, month); the number of its rows left out."""
    import pyarrow.compute as pc

    euros, ok = dgddi.integers(table.column("valeur").combine_chunks())
    flows = table.column("flux").to_numpy(zero_copy_only=False)
    years = table.column("annee").to_numpy(zero_copy_only=False)
    months = table.column("mois").to_numpy(zero_copy_only=False)
    valid = ok & np.isin(flows, ["E", "I"]) & pc.match_substring_regex(
        table.column("annee").combine_chunks(), r"^[0-9]{4}$").to_numpy(zero_copy_only=False)
    frame = pd.DataFrame({"flux": flows[valid], "annee": years[valid], "mois": months[valid], "euros": euros[valid]})
    for (flow, year, month), group in frame.groupby(["flux", "annee", "mois"]):
        entry = sums.setdefault((flow, int(year), int(month)), [0.0, 0])
        entry[0] += float(group["euros"].sum())
        entry[1] += len(group)
    return int((~valid).sum())


def national_reference(sources: list[dgddi.Source], regional: dict,
                       progress: Callable[[int, int | None], None] | None, done_before: int,
                       total: int | None) -> tuple[tuple, tuple[dict, ...], pd.DataFrame]:
    """France's totals from the national files (year, flow, euros, months), per year and flow the gap
    between the regional sum (`regional`: (year, flow) → euros) and the national total, and the national
    lines rejected as unreadable (the rejected-lines columns); `progress` receives the bytes read after the
    `done_before` of the regional files."""
    if not sources:
        return (), (), pd.DataFrame(columns=REJECTED_COLUMNS)
    frames = []
    for source in sources:
        def step(done: int, offset: int = done_before) -> None:
            if progress:
                progress(offset + done, total)

        frames.append(national_totals(source, step))
        done_before += source.size
    months = pd.concat(frames, ignore_index=True).groupby(["annee", "flux", "mois"], as_index=False)["euros"].sum()
    by_year = months.groupby(["annee", "flux"]).agg(euros=("euros", "sum"), mois=("mois", "nunique"))
    national, gaps = [], []
    for (year, flow), row in by_year.iterrows():
        national.append((int(year), str(flow), float(row["euros"]), int(row["mois"])))
        mine = float(regional.get((int(year), str(flow)), 0.0))
        gaps.append({"annee": int(year), "flux": str(flow), "mois": int(row["mois"]),
                     "national_eur": float(row["euros"]), "regional_eur": mine, "ecart_eur": mine - float(row["euros"])})
    rejected = pd.concat([frame.attrs["rejetees"] for frame in frames], ignore_index=True)
    return tuple(national), tuple(gaps), rejected


def register_rejected(con, rejected: pd.DataFrame) -> None:
    """The national lines rejected as the DuckDB table `national_rejected` (the rejected-lines columns),
    which regional.py writes to lignes_rejetees.csv with the regional files' (empty when none)."""
    columns = ", ".join(f"{c} {'BIGINT' if c == 'ligne' else 'VARCHAR'}" for c in REJECTED_COLUMNS)
    con.execute(f"CREATE TEMP TABLE national_rejected ({columns})")
    rows = rejected.reindex(columns=REJECTED_COLUMNS).to_dict("records")
    if rows:
        con.executemany(f"INSERT INTO national_rejected VALUES ({', '.join('?' * len(REJECTED_COLUMNS))})",
                        [[int(r["ligne"]) if c == "ligne" else ("" if pd.isna(r[c]) else str(r[c]))
                          for c in REJECTED_COLUMNS] for r in rows])
