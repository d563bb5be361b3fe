"""`python -m fichex` runs the command line."""

from fichex.cli import main

main()
