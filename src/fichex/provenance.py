"""Where a trade table comes from: `DataSource`, what every output states of its data.

A leaf that both the data layer (which describes a table with it) and the aggregation layer (whose `Fiche`
carries it) import, so that neither imports the other for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class DataSource:
    """What a trade table is and where it comes from, as every output states it (the data layer describes
    a table with it; the Fiche carries it)."""

    demonstration: bool
    source: str
    path: str
    files: tuple[str, ...] = ()
    created: str = ""  # ISO date of the data (not of the build)
    # France's totals from DGDDI's national file, when one was imported beside the regional files:
    # (year, flow, euros, months covered), to show the gap with the sum of the regional data.
    national: tuple[tuple[int, str, float, int], ...] = ()

    def to_json(self) -> dict:
        described = {"demonstration": self.demonstration, "source": self.source, "path": self.path,
                     "files": list(self.files), "created": self.created}
        if self.national:
            described["national"] = [list(total) for total in self.national]
        return described

    def national_total(self, year: int, flow: str) -> tuple[float, int] | None:
        """France's total for a year and flow in the national file (euros, months covered), if imported."""
        for total_year, total_flow, euros, months in self.national:
            if (total_year, total_flow) == (year, flow):
                return euros, months
        return None

    def document_date(self, year: int) -> dt.datetime:
        """The date written into documents: the data's, never the clock's, so rebuilding gives the same bytes;
        1 January after the data year when the data carries no date."""
        try:
            return dt.datetime.fromisoformat(self.created[:10])
        except ValueError:
            return dt.datetime(year + 1, 1, 1)
