"""Importing real trade data: DGDDI regional downloads or tidy tables into the canonical trade table."""

from fichex.data.importing.pipeline import import_files
from fichex.data.importing.report import FileReport, ImportReport

__all__ = ["FileReport", "ImportReport", "import_files"]
