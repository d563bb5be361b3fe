"""Public entry point of the import of real customs data (the work is done in fichex.importing)."""

from fichex.importing import FileReport, ImportReport, import_files

__all__ = ["FileReport", "ImportReport", "import_files"]
