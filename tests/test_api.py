"""The front door, `import fichex`: every CLI command as a Python call, with the CLI's option names."""

from __future__ import annotations

import inspect
import json
import shlex
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import typer
from pptx import Presentation
from typer.testing import CliRunner

import fichex
from fichex import api
from fichex.wording import workbook as workbook_text
from fichex.aggregation.model import Fiche
from fichex.batch.manifest import MANIFEST_NAME, key_of
from fichex.batch.results import BuildResult
from fichex.cli import app
from fichex.data import trade
from fichex.data.trade import TradeData
from fichex.errors import UnknownCodeError
from fichex.resources import default_template_path

FRONT_DOOR = {"load", "fiche", "write_workbook", "write_deck", "build", "key_figures", "figures_json",
              "listing", "check_template", "import_data", "data_info", "download_data", "territoire_fiches",
              "write_territoire"}
SHEETS = ["Synthèse", "Pays", "Activités", "Flux export", "Flux import", "Comparaison", "Exposition", "Spécialisation",
          "Évolution", "Tableau croisé", "Données", "Méthode"]


@pytest.fixture
def no_data_loading(monkeypatch):
    """Make any read of a data file fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the data was loaded")

    monkeypatch.setattr(trade, "load", refuse)


def method_command(xlsx: Path) -> str:
    """The command shown on the Méthode sheet (column B of the row labelled « Commande »)."""
    ws = openpyxl.load_workbook(xlsx)["Méthode"]
    rows = [row for row in ws.iter_rows(max_col=2, values_only=True)
            if row[0] == workbook_text.XLSX_METHOD_LABELS["command"]]
    assert len(rows) == 1, rows
    return rows[0][1]


def built_workbook(out_dir: Path) -> Path:
    (path,) = out_dir.glob("2024/23-creuse/*.xlsx")
    return path


def test_load_returns_the_demonstration_table(monkeypatch):
    monkeypatch.delenv("FICHEX_DATA", raising=False)
    data = fichex.load()
    assert isinstance(data, TradeData)
    assert data.info.demonstration is True
    assert 2024 in data.years
    assert {"annee", "flux", "code_departement", "valeur_eur"} <= set(data.table.columns)


def test_fiche_reuses_a_loaded_table(demo_trade, fiche_23, no_data_loading):
    creuse = fichex.fiche("23", 2024, data=demo_trade)
    haute_vienne = fichex.fiche("87", 2024, data=demo_trade)
    assert isinstance(creuse, Fiche)
    assert creuse == fiche_23
    assert (creuse.territory.nom, haute_vienne.territory.nom) == ("Creuse", "Haute-Vienne")
    # One FicheBuilder for the same table: the région and France summaries are computed once.
    assert creuse.region_summary is haute_vienne.region_summary
    assert creuse.france_summary is haute_vienne.france_summary


def test_fiche_refuses_an_unknown_code_before_loading_data(no_data_loading):
    with pytest.raises(UnknownCodeError, match="« 98 »"):
        fichex.fiche("98", 2024, data="no-such-folder")


def test_write_workbook_and_deck(fiche_23, tmp_path):
    workbook, deck = tmp_path / "creuse.xlsx", tmp_path / "creuse.pptx"
    fichex.write_workbook(fiche_23, workbook, command="fichex build 23")
    fichex.write_deck(fiche_23, deck)
    assert openpyxl.load_workbook(workbook).sheetnames == SHEETS
    assert method_command(workbook) == "fichex build 23"
    assert len(Presentation(str(deck)).slides) == 16  # with « Spécialisation et compétitivité »
    assert sorted(p.name for p in tmp_path.iterdir()) == ["creuse.pptx", "creuse.xlsx"]


def test_build_from_the_library_writes_the_equivalent_command(tmp_path):
    out_dir = tmp_path / "sortie"
    result = fichex.build(["23"], out_dir=out_dir, formats="xlsx", jobs=1)
    assert isinstance(result, BuildResult)
    assert result.out_dir == out_dir and result.year == 2024
    assert [(t.code, t.nom, t.status) for t in result.results] == [("23", "Creuse", "built")]
    (info,) = result.results[0].files
    assert info.path == str(built_workbook(out_dir)) and info.size == built_workbook(out_dir).stat().st_size
    expected = shlex.join(["fichex", "build", "23", "--formats", "xlsx", "--out-dir", str(out_dir)])
    # The Méthode carries no machine path; the manifest, beside the documents, the whole command.
    assert method_command(built_workbook(out_dir)) == "fichex build 23 --formats xlsx"
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["fichiers"][key_of(out_dir, info.path)]["commande"] == expected


def test_build_from_the_command_line_writes_the_command_run(tmp_path):
    out_dir = tmp_path / "sortie"
    completed = subprocess.run([sys.executable, "-m", "fichex", "build", "23", "--formats", "xlsx", "--out-dir",
                                str(out_dir), "--quiet"], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    workbook = built_workbook(out_dir)
    assert completed.stdout.splitlines() == [str(workbook)]
    expected = shlex.join(["fichex", "build", "23", "--formats", "xlsx", "--out-dir", str(out_dir), "--quiet"])
    assert method_command(workbook) == "fichex build 23 --formats xlsx --quiet"
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["fichiers"][key_of(out_dir, workbook)]["commande"] == expected


def test_key_figures_equal_the_cli_json():
    result = CliRunner().invoke(app, ["figures", "87", "--json"])
    assert result.exit_code == 0, result.output
    figures = fichex.key_figures("87")
    assert figures["departement"] == {"code": "87", "nom": "Haute-Vienne"}
    assert json.loads(result.stdout) == figures


def test_figures_json_of_a_fiche_equals_key_figures(fiche_23):
    assert fichex.figures_json(fiche_23) == fichex.key_figures("23")


def test_listing():
    regions = fichex.listing("regions")
    assert len(regions) == 18
    assert {"code_region": "75", "region": "Nouvelle-Aquitaine", "nb_departements": 12} in regions
    assert sum(r["nb_departements"] for r in regions) == len(fichex.listing("departements"))
    with pytest.raises(UnknownCodeError, match="liste inconnue"):
        fichex.listing("communes")


def test_check_template_of_the_bundled_template():
    assert fichex.check_template(default_template_path()) == []


def test_data_info_says_demonstration(monkeypatch):
    monkeypatch.delenv("FICHEX_DATA", raising=False)
    info = fichex.data_info()
    assert info["donnees_demonstration"] is True
    assert 2024 in info["annees"]


def test_dir_lists_the_front_door():
    assert FRONT_DOOR <= set(dir(fichex))
    assert set(fichex.__all__) == FRONT_DOOR | {"__version__"}
    for name in FRONT_DOOR:
        assert getattr(fichex, name) is getattr(api, name)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="no_such_function"):
        fichex.no_such_function  # noqa: B018


def test_import_fichex_does_not_import_pandas():
    completed = subprocess.run([sys.executable, "-c", "import fichex, sys; print('pandas' in sys.modules)"],
                               capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


def test_build_keywords_are_the_cli_options():
    command = typer.main.get_command(app).commands["build"]
    options = {param.name: param.opts for param in command.params}
    keywords = set(inspect.signature(api.build).parameters) - {"command", "on_result", "codes"}
    cli_only = {"quiet", "json_output"}
    assert options["codes"] == ["codes"]  # the positional argument
    assert keywords == set(options) - cli_only - {"codes"}
    renamed = {"all_departements": ["--all"]}
    for name in keywords:
        assert options[name] == renamed.get(name, ["--" + name.replace("_", "-")]), name
