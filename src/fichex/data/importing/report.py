"""The import report: what was read, kept and rejected, and the totals to check against the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fichex.wording.console import import_summary_lines
from fichex.data.trade import DataSource

REPORT_FILE_NAME = "rapport_import.json"
REJECTED_FILE_NAME = "lignes_rejetees.csv"
# Above this many départements the summary gives totals per year × flow only (the JSON keeps them all).
SUMMARY_DEPARTEMENT_LIMIT = 20



@dataclass(frozen=True)
class FileReport:
    """How one table was read: where each column came from, its unit, its row counts."""

    name: str
    status: str
    rows_read: int = 0
    rows_rejected: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    unit: str = ""
    reason: str = ""
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict:
        """The file's entry of rapport_import.json (French keys)."""
        return {"fichier": self.name, "statut": self.status, "lignes_lues": self.rows_read,
                "lignes_rejetees": self.rows_rejected, "colonnes": dict(self.columns),
                "unite": self.unit, "motif": self.reason, "remarques": list(self.notes)}


@dataclass(frozen=True)
class ImportReport:
    """Outcome of `import_files`.

    Attributes:
        output: the canonical Parquet file written.
        report_path: the JSON copy of this report.
        rejected_path: the CSV of rejected rows (with a « motif » column).
        files: one entry per table read or skipped.
        rows_read: data rows read in all imported tables.
        rows_kept: rows that passed every check (before quarters or months are summed into years).
        rows_rejected: rows_read − rows_kept.
        rejected_by_reason: number of rejected rows per motif, most frequent first.
        rows_written: rows of the canonical table (one per year × flow × département × product × partner).
        totals: {annee, flux, code_departement, valeur_eur} of the canonical table, sorted.
        special_partners: DGDDI special partner codes met, with label and value in euros.
        warnings: things to check (incomplete years, mixed annual and quarterly rows).
        info: the description stored in the Parquet file.
    """

    output: Path
    report_path: Path
    rejected_path: Path
    files: tuple[FileReport, ...]
    rows_read: int
    rows_kept: int
    rows_rejected: int
    rejected_by_reason: dict[str, int]
    rows_written: int
    totals: tuple[dict, ...]
    special_partners: tuple[dict, ...]
    warnings: tuple[str, ...]
    info: DataSource
    # DGDDI regional files: per flow × year × département, lines and euros read = kept + rejected.
    reconciliation: tuple[dict, ...] = ()
    annexes: tuple[str, ...] = ()  # label annexes found beside the regional files
    # With a national file: per year and flow, the regional sum against France's national total.
    national_gaps: tuple[dict, ...] = ()

    def to_json(self) -> dict:
        """rapport_import.json (French keys)."""
        return {
            "sortie": str(self.output),
            "lignes_rejetees_fichier": str(self.rejected_path),
            "source": self.info.source,
            "donnees_demonstration": self.info.demonstration,
            "date_donnees": self.info.created,
            "fichiers": [f.to_json() for f in self.files],
            "lignes_lues": self.rows_read,
            "lignes_conservees": self.rows_kept,
            "lignes_rejetees": self.rows_rejected,
            "rejets_par_motif": dict(self.rejected_by_reason),
            "lignes_table_canonique": self.rows_written,
            "totaux": [dict(t) for t in self.totals],
            "codes_pays_speciaux": [dict(p) for p in self.special_partners],
            "avertissements": list(self.warnings),
            "rapprochement": [dict(r) for r in self.reconciliation],
            "annexes": list(self.annexes),
            "ecart_national": [dict(g) for g in self.national_gaps],
        }

    def totals_by_year_flow(self) -> dict[tuple[int, str], float]:
        """The totals summed over the départements: (year, flow) → euros."""
        result: dict[tuple[int, str], float] = {}
        for total in self.totals:
            key = (total["annee"], total["flux"])
            result[key] = result.get(key, 0.0) + total["valeur_eur"]
        return result

    def summary_lines(self, detail: bool | None = None) -> list[str]:
        """The report in French, one line per fact (wording.console.import_summary_lines).

        Args:
            detail: list totals per département; by default only when there are at most
                SUMMARY_DEPARTEMENT_LIMIT of them (rapport_import.json always has them all).
        """
        if detail is None:
            detail = len({t["code_departement"] for t in self.totals}) <= SUMMARY_DEPARTEMENT_LIMIT
        return import_summary_lines(self, detail)
