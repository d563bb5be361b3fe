"""The regional files checked block by block into a staging folder (regional.py then lets DuckDB dedupe and
sort what is staged): kept-N.parquet and rejected-N.parquet per block, and the lines and euros read.

Blocks are checked and staged CHECK_THREADS at a time: Arrow, numpy and the Parquet writer release the GIL
for most of the work (the checks touch each distinct value of a block once), so two blocks keep both cores
busy. An error is still the one of the earliest block, as when they were checked one after the other.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from fichex.data import trade
from fichex.data.importing import dgddi, dgddi_keys
from fichex.data.importing.common import REJECTED_COLUMNS
from fichex.data.importing.dgddi_files import Found
from fichex.data.importing.report import FileReport
from fichex.errors import FichexError
from fichex.wording import console as console_text

RECONCILIATION_KEY = ["flux", "annee", "code_departement"]
STAGE_COMPRESSION = "zstd"    # the staged blocks: smaller than snappy, for a small cost in time
STAGE_COMPRESSION_LEVEL = 1   # level 9 took twice the time (the import's largest cost) for 10 % less
# Integers that rise within a block (line numbers, keys) are delta-coded, a few bits each; the other columns
# dictionary-coded.
STAGE_ENCODINGS = {"ligne": "DELTA_BINARY_PACKED", "cle": "DELTA_BINARY_PACKED"}
CHECK_THREADS = 2  # blocks checked and staged at once


class Stage:
    """The checked blocks on disk: kept-N.parquet (canonical columns, `source`, `ligne`, `cle`) and
    rejected-N.parquet (the rejected-lines columns, as text)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.blocks = 0
        self.rejected_blocks = 0
        self.read: list[pd.DataFrame] = []
        self.sorted_parts: list[str] = []  # the queries of the kept lines, part after part (_partitions)
        self.exotic = False  # a kept CPF4 code of non-ASCII digits: `cle` alone does not tell keys apart
        self.lock = threading.Lock()  # blocks are checked and staged CHECK_THREADS at a time
        self.seen = dgddi_keys.SeenKeys()  # the keys that may be held by more than one line

    @property
    def key(self) -> str:
        """The columns telling two lines' keys apart: their `cle` (dgddi_keys), with the CPF4 code when one
        is exotic."""
        return "cle, code_produit" if self.exotic else "cle"

    @property
    def order(self) -> list[str]:
        """What the kept lines are sorted on: `cle`, in trade.STORAGE_ORDER; the columns when it cannot be."""
        return list(trade.STORAGE_ORDER) if self.exotic else ["cle"]

    def add(self, block: dgddi.Block, source: int) -> None:
        """Stage one checked block of the file numbered `source` (from any thread: the files' numbers and
        the totals are taken under a lock, the files written outside it)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        kept = block.kept
        with self.lock:
            kept_number, self.blocks = self.blocks, self.blocks + bool(len(kept))
            rejected_number, self.rejected_blocks = self.rejected_blocks, self.rejected_blocks + bool(len(block.rejected))
            self.exotic = self.exotic or block.exotic
            if len(kept):
                self.seen.note(kept["cle"].to_numpy())
            self.read.append(block.read)
            if len(self.read) >= 64:  # keep the read totals small: one line per flow × year × département
                self.read = [self.read_totals()]
        if len(kept):
            kept = kept.assign(source=np.int64(source))  # code columns stay categorical: Parquet dictionaries
            table = pa.Table.from_pandas(kept, preserve_index=False)
            pq.write_table(table, self.folder / f"kept-{kept_number:06d}.parquet", compression=STAGE_COMPRESSION,
                           compression_level=STAGE_COMPRESSION_LEVEL,
                           use_dictionary=[c for c in table.column_names if c not in STAGE_ENCODINGS],
                           column_encoding=STAGE_ENCODINGS)
        if len(block.rejected):
            rejected = block.rejected.reindex(columns=REJECTED_COLUMNS)
            # A block whose rejected lines are all malformed has no cells: its columns are missing, not text.
            frame = {c: rejected[c].astype(object).fillna("").astype(str) for c in REJECTED_COLUMNS if c != "ligne"}
            frame["ligne"] = rejected["ligne"].astype("int64")
            pq.write_table(pa.Table.from_pandas(pd.DataFrame(frame)[REJECTED_COLUMNS], preserve_index=False),
                           self.folder / f"rejected-{rejected_number:06d}.parquet")
        release_arrow_memory()

    def read_totals(self) -> pd.DataFrame:
        """Lines and euros read per flow × year × département, over the blocks staged so far."""
        frame = pd.concat(self.read, ignore_index=True)
        return frame.groupby(RECONCILIATION_KEY, as_index=False, sort=False)[["lignes", "euros"]].sum()


def release_arrow_memory() -> None:
    """Give the block's buffers back to the system: Arrow's allocator keeps freed memory for reuse, which
    would add up to a few hundred MB over a large file."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


def check_into_stage(found: Found, stage: Stage, progress: Callable[[int, int | None], None] | None,
                     total: int | None, block_bytes: int = dgddi.BLOCK_BYTES) -> list[FileReport]:
    """Check every regional file block by block into `stage`, CHECK_THREADS blocks at a time; one report
    per file."""
    done_before = 0
    file_reports = []
    pool = ThreadPoolExecutor(CHECK_THREADS, thread_name_prefix="fichex-import")
    try:
        for index, source in enumerate(found.sources):
            def step(done: int, offset: int = done_before) -> None:
                if progress:
                    progress(offset + done, total)

            lines, rejected = _check_source(pool, stage, source, index, step, block_bytes)
            done_before += source.size
            file_reports.append(FileReport(source.name, console_text.IMPORT_STATUS_IMPORTED, rows_read=lines,
                                           rows_rejected=rejected, columns={"format": console_text.REGIONAL_FORMAT},
                                           unit=console_text.REGIONAL_UNIT))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # the blocks being staged end before the folder goes
    return file_reports


def _check_source(pool: ThreadPoolExecutor, stage: Stage, source: dgddi.Source, index: int,
                  step: Callable[[int], None], block_bytes: int) -> tuple[int, int]:
    """Check and stage the blocks of one file, a few in flight at a time: (lines read, lines rejected). An
    error is the one of the earliest block, as when they were checked one after the other."""
    pending: deque[Future] = deque()
    counts = [0, 0]

    def settle(future: Future) -> None:
        lines, rejected = future.result()
        counts[0] += lines
        counts[1] += rejected

    try:
        for data, line in dgddi.numbered_blocks(source, step, block_bytes):
            pending.append(pool.submit(_check_and_stage, stage, data, line, source.name, index))
            while len(pending) > CHECK_THREADS:
                settle(pending.popleft())
    except FichexError:
        while pending:  # an earlier block's error comes first (a cut file is only seen at its end)
            settle(pending.popleft())
        raise
    while pending:
        settle(pending.popleft())
    return counts[0], counts[1]


def _check_and_stage(stage: Stage, data: bytes, line: int, name: str, index: int) -> tuple[int, int]:
    """Check one block and stage it: (lines read, lines rejected)."""
    block = dgddi.check_block(data, line, name)
    stage.add(block, index)
    return int(block.read["lignes"].sum()), len(block.rejected)
