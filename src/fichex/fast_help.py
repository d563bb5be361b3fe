"""Console entry point: answers `fichex --help` from a pre-rendered text, without importing Typer.

The text is rendered from the Typer app by scripts/render_help.py and a test checks it is current.
Only `sys` and `os` are imported on that path: the answer must come faster than 3 × `python -c pass`.
"""

import os
import sys

HELP_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_help.txt")


def main() -> None:
    """Run the fichex command line."""
    if sys.argv[1:] == ["--help"] and os.path.exists(HELP_FILE):
        with open(HELP_FILE, encoding="utf-8") as handle:
            sys.stdout.write(handle.read())
        return
    from fichex.cli import main as cli_main

    cli_main()
