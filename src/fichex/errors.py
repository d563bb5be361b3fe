"""Error hierarchy of fichex: every message is one French line naming the problem and the fix."""


class FichexError(Exception):
    """Base class of every error fichex reports to its users."""


class InputDataError(FichexError):
    """A data file is missing, malformed or holds invalid rows."""


class UnknownCodeError(FichexError):
    """A département, région or other code given by the user does not exist."""


class TemplateError(FichexError):
    """A PowerPoint template is missing, unreadable or lacks a layout."""


class OutputError(FichexError):
    """An output file or folder cannot be written."""


class DependencyError(FichexError):
    """An external program fichex needs (e.g. LibreOffice) is not installed."""
