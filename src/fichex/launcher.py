"""Console entry point: answers `fichex --help` from a pre-rendered text, without importing Typer.

The text is rendered from the Typer app by scripts/render_help.py and a test checks it is current.
"""

import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("_help.txt")


def main() -> None:
    """Run the fichex command line."""
    if sys.argv[1:] == ["--help"] and HELP_FILE.exists():
        sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
        return
    from fichex.cli import main as cli_main

    cli_main()
