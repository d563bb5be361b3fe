"""Importing real trade data: DGDDI regional downloads or tidy tables into the canonical trade table."""

from fichex.importing.pipeline import import_files
from fichex.importing.report import FileReport, ImportReport

__all__ = ["FileReport", "ImportReport", "import_files"]
