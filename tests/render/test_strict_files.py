"""Workbooks and decks valid against the ECMA-376 schemas and package rules (openxml-audit, a pure-Python
port of the Open XML SDK validator): what strict readers (Keynote, Office's repair prompt) check."""

import openxml_audit
import pytest

from fichex.render.pptx import write_deck
from fichex.render.xlsx import write_workbook


def _errors(path) -> list[str]:
    return [str(error) for error in openxml_audit.OpenXmlValidator().validate(str(path)).errors]


@pytest.mark.parametrize("code", ["23", "976"])
def test_decks_are_valid_open_xml(builder, tmp_path, code):
    path = tmp_path / f"{code}.pptx"
    write_deck(builder.build(code, 2024), path)
    assert _errors(path) == []


def test_workbooks_are_valid_open_xml(fiche_23, tmp_path):
    path = tmp_path / "23.xlsx"
    write_workbook(fiche_23, path)
    assert _errors(path) == []


@pytest.mark.parametrize("code", ["87", "20", "971"])
def test_workbooks_with_their_pivot_tables_are_valid_open_xml(builder, tmp_path, code):
    path = tmp_path / f"{code}.xlsx"
    write_workbook(builder.build(code, 2024), path)
    assert _errors(path) == []


def test_region_workbook_is_valid_open_xml(level_documents):
    assert _errors(level_documents["r75.xlsx"]) == []


def test_france_workbook_is_valid_open_xml(fiche_france, tmp_path):
    # Its Données cut to a few thousand rows: the whole sheet (146 MB of XML) keeps the validator for more than
    # a quarter of an hour; every other part, the PivotTables' included, is as the build writes it.
    from dataclasses import replace

    path = tmp_path / "fr.xlsx"
    write_workbook(replace(fiche_france, detail=fiche_france.detail.head(3000)), path)
    assert _errors(path) == []
