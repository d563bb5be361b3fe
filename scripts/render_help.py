"""Render `fichex --help` from the Typer app into src/fichex/_help.txt (see fichex.fast_help)."""

from pathlib import Path

from typer.testing import CliRunner

from fichex.cli import app
from fichex.fast_help import HELP_FILE


def render() -> str:
    result = CliRunner().invoke(app, ["--help"], prog_name="fichex", env={"COLUMNS": "100", "TERM": "dumb"})
    return result.stdout


if __name__ == "__main__":
    Path(HELP_FILE).write_text(render(), encoding="utf-8")
    print(f"-> {Path(HELP_FILE)}")
