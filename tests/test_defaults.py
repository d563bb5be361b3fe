"""Defaults are defined once: the CLI's option defaults and the library's keyword defaults are fichex.defaults."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import typer

from fichex import api, defaults
from fichex.cli import app


def cli_defaults(command: str) -> dict:
    return {p.name: p.default for p in typer.main.get_command(app).commands[command].params}


def test_build_defaults():
    options = cli_defaults("build")
    assert options["year"] is None  # the last complete year of the data
    assert options["formats"] == ",".join(defaults.DEFAULT_FORMATS)
    assert Path(options["out_dir"]) == Path(defaults.DEFAULT_OUT_DIR)
    library = inspect.signature(api.build).parameters
    assert library["year"].default is None
    assert tuple(library["formats"].default) == defaults.DEFAULT_FORMATS
    assert library["out_dir"].default == defaults.DEFAULT_OUT_DIR


@pytest.mark.parametrize("function", [api.fiche, api.key_figures])
def test_figures_defaults(function):
    options = cli_defaults("figures")
    assert options["year"] is None
    assert options["top"] == defaults.DEFAULT_TOP
    library = inspect.signature(function).parameters
    assert (library["year"].default, library["top"].default) == (options["year"], options["top"])


def test_default_formats_are_known_formats():
    assert set(defaults.DEFAULT_FORMATS) <= set(defaults.FORMATS)
    assert defaults.DEFAULT_HIGHLIGHTED <= defaults.DEFAULT_TOP
