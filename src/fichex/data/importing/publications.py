"""Overlapping DGDDI publications: which regional file belongs to which publication, and their order.

The DGDDI publishes full years (« Bases complètes ») and a « dernière publication » of the last five quarters
ended, which revises quarters an earlier file already held; its files keep the same names
(`REGIONAL_CPF4PAYSE/I.txt`) and carry no publication date. A publication is one input of the import (a
file, a ZIP or a folder), or one sub-folder of a ZIP or folder. Where two publications hold a line of the same
key, the later one's line is kept and the earlier one's rejected, line by line (regional.py does it in DuckDB).

The order: a publication comes out after the last quarter it covers has ended, so the one whose latest
quarter is later is the later one; between two that end on the same quarter, the one given later on the
command line. Pure functions: no file is read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Publication:
    """One publication: its name in the report, its files (indexes into the import's sources), the latest
    quarter it covers (year, quarter) and its rank (0 the earliest)."""

    label: str
    sources: tuple[int, ...]
    latest: tuple[int, int]
    rank: int


def label(name: str) -> str:
    """The publication of a source named as dgddi_files names it: its folder (« annuel.zip »,
    « donnees/2023 », « maj.zip:2024 »), or the file itself when it was given alone."""
    cut = max(name.rfind("/"), name.rfind("\\"), name.rfind(":"))
    return name[:cut] if cut > 0 else name


def group(names: Sequence[str], inputs: Sequence[int]) -> list[tuple[str, tuple[int, ...]]]:
    """The sources grouped into publications, (label, source indexes), in order of first appearance.

    Args:
        names: each source's name; inputs: the index of the input (command-line path) that held it.
    """
    groups: dict[tuple[int, str], list[int]] = {}
    for index, (name, number) in enumerate(zip(names, inputs, strict=True)):
        groups.setdefault((number, label(name)), []).append(index)
    return [(name, tuple(sources)) for (_, name), sources in groups.items()]


def order(groups: Sequence[tuple[str, tuple[int, ...]]],
          periods: Iterable[tuple[int, int, int]]) -> list[Publication]:
    """The publications ranked from the earliest to the latest.

    Args:
        groups: (label, source indexes) as `group` gives them, in command-line order.
        periods: (source, year, quarter) for every quarter a source holds kept lines of.
    """
    latest: dict[int, tuple[int, int]] = {}
    for source, year, quarter in periods:
        latest[source] = max(latest.get(source, (0, 0)), (int(year), int(quarter)))
    ends = [max((latest.get(s, (0, 0)) for s in sources), default=(0, 0)) for _, sources in groups]
    ranked = sorted(range(len(groups)), key=lambda i: (ends[i], i))
    return sorted((Publication(groups[i][0], groups[i][1], ends[i], rank) for rank, i in enumerate(ranked)),
                  key=lambda p: p.rank)


def overlap(publications: Sequence[Publication], periods: Iterable[tuple[int, int, int]]) -> bool:
    """True when two publications hold a quarter in common (only then can a key be in both)."""
    owner = {s: p.rank for p in publications for s in p.sources}
    seen: dict[tuple[int, int], int] = {}
    for source, year, quarter in periods:
        rank = owner[source]
        if seen.setdefault((int(year), int(quarter)), rank) != rank:
            return True
    return False
