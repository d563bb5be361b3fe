"""The command line: exit codes, JSON for agents and the exact « Erreur : » line of each error kind."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from fichex.data import trade
from fichex.cli import app

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, list(args), env=env)


def test_figures_json_has_the_published_figures_of_creuse():
    result = run("figures", "23", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["departement"] == {"code": "23", "nom": "Creuse"}
    assert data["region"] == {"code": "75", "nom": "Nouvelle-Aquitaine"}
    assert data["annee"] == 2024
    assert round(data["exportations"]["total_eur"] / 1e6, 1) == 675.8
    assert round(data["exportations"]["part_region_pct"], 1) == 2.5
    assert round(data["exportations"]["part_france_pct"], 2) == 0.12
    assert round(data["importations"]["total_eur"] / 1e6, 1) == 207.0
    assert round(data["importations"]["part_region_pct"], 1) == 0.7
    assert round(data["importations"]["part_france_pct"], 2) == 0.03
    assert data["solde_eur"] == pytest.approx(data["exportations"]["total_eur"] - data["importations"]["total_eur"])
    assert data["territoires_industrie"] == ["Creuse Industrie"]
    assert len(data["top_pays_export"]) == 10 and len(data["top_pays_import"]) == 10
    assert data["donnees_demonstration"] is True


def test_figures_table_for_haute_vienne():
    result = run("figures", "87")
    assert result.exit_code == 0
    for text in ("1\u202f109.1", "755.9", "4.2%", "0.19%", "2.7%", "0.11%", "Limoges et Haute-Vienne",
                 "Données de démonstration"):
        assert text in result.stdout
    assert "L'essentiel" in result.stdout and "la Haute-Vienne" in " ".join(result.stdout.split())


def test_figures_corsica():
    # The DGDDI files (and so the demonstration data) never separate 2A and 2B: « Corse », code 20.
    result = run("figures", "2A", "--json")
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["departement"] == {"code": "20", "nom": "Corse"}
    assert figures["notes"] == ["2A : les données douanières ne séparent pas la Corse-du-Sud (2A) et la Haute-Corse "
                                "(2B) ; fiche «\u00a0Corse\u00a0» (code 20) pour les deux départements"]
    assert json.loads(run("figures", "20", "--json").stdout)["exportations"] == figures["exportations"]


def test_unknown_departement():
    result = run("figures", "98")
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : département inconnu : « 98 » ; codes valides")
    assert result.stderr.count("\n") == 1


def test_unknown_year():
    result = run("figures", "23", "--year", "2019")
    assert result.exit_code == 1
    assert result.stderr == ("Erreur : aucune donnée pour l'année 2019 ; années disponibles : 2022, 2023, 2024, 2025 "
                             "(option --year)\n")


def write_bad_parquet(tmp_path, frame):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "commerce_exterieur.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    return path


def good_rows():
    return pd.DataFrame({"annee": [2024, 2024], "flux": ["E", "I"], "code_departement": ["23", "23"],
                         "code_produit": ["C10E", "C10E"], "code_pays": ["DE", "DE"], "valeur_eur": [5.0, 3.0]})


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop(columns="valeur_eur"), "Erreur : commerce_exterieur.parquet : colonne manquante valeur_eur ;"),
    (lambda f: f.assign(valeur_eur=[5.0, -3.0]), "Erreur : commerce_exterieur.parquet : 1 ligne avec une valeur négative"),
    (lambda f: f.assign(flux=["E", "E"]), "Erreur : commerce_exterieur.parquet : 2 lignes en double"),
])
def test_bad_data_files(tmp_path, change, message):
    write_bad_parquet(tmp_path, change(good_rows()))
    result = run("figures", "23", "--data", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_data_from_environment_variable(tmp_path):
    frame = trade.validate(good_rows())
    trade.write_parquet(frame, tmp_path / "commerce_exterieur.parquet", trade.DataSource(False, "essai", ""))
    result = run("figures", "23", "--json", env={"FICHEX_DATA": str(tmp_path)})
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["exportations"]["total_eur"] == 5.0 and data["donnees_demonstration"] is False


@pytest.mark.parametrize("kind, expected", [("departements", 103), ("regions", 18), ("territoires", 183)])
def test_list_json(kind, expected):
    result = run("list", kind, "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == expected


def test_list_unknown_kind():
    result = run("list", "communes")
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : liste inconnue : « communes »")


def test_help_does_not_import_pandas_or_office_libraries():
    code = ("import sys; from typer.testing import CliRunner; from fichex.cli import app; "
            "CliRunner().invoke(app, ['--help']); "
            "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow', 'xlsxwriter', 'pptx', 'openpyxl') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_usage_error_exits_2():
    assert run("figures").exit_code == 2


def test_prerendered_help_is_current():
    """`fichex --help` is served from _help.txt (fast path); regenerate with scripts/render_help.py."""
    import importlib.util
    from pathlib import Path

    from fichex.fast_help import HELP_FILE

    script = Path(__file__).resolve().parent.parent / "scripts" / "render_help.py"
    spec = importlib.util.spec_from_file_location("render_help", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert Path(HELP_FILE).read_text(encoding="utf-8") == module.render()


def test_console_help_fast_path_prints_the_help():
    output = subprocess.run([sys.executable, "-c", "import sys; sys.argv=['fichex','--help']; "
                             "from fichex.fast_help import main; main(); print('typer' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout
    assert output.startswith("Usage: fichex") and output.rstrip().endswith("False")


def test_partial_data_flags_national_shares(tmp_path):
    frame = pd.DataFrame({"annee": [2024, 2024, 2024], "flux": ["E", "E", "I"],
                          "code_departement": ["23", "87", "23"], "code_produit": ["C10E"] * 3,
                          "code_pays": ["DE", "DE", "IT"], "valeur_eur": [1.0, 3.0, 2.0]})
    trade.write_parquet(trade.validate(frame), tmp_path / "commerce_exterieur.parquet",
                        trade.DataSource(False, "extrait", ""))
    result = run("figures", "23", "--data", str(tmp_path), "--json")
    data = json.loads(result.stdout)
    assert data["couverture"] == {"departements_presents": 2, "departements_attendus": 101,
                                  "region_complete": False, "france_complete": False}
    assert data["exportations"]["part_france_pct"] == 25.0
    table = run("figures", "23", "--data", str(tmp_path))
    assert "Données partielles : 2 départements sur 101" in table.stdout


@pytest.mark.parametrize("args, expected", [
    (["build", "--jobs", "0", "23"], "Erreur : valeur invalide pour --jobs : elle doit valoir au moins 1 ; voir « fichex build --help »"),
    (["figures"], "Erreur : argument manquant : code ; voir « fichex figures --help »"),
    (["build", "--formt", "xlsx", "23"], "Erreur : option inconnue : --formt (options proches : --force, --formats) ; voir « fichex build --help »"),
    (["nocommande"], "Erreur : commande inconnue : nocommande ; voir « fichex --help »"),
    (["figures", "23", "--year", "abc"], "Erreur : valeur invalide pour --year : ce n'est pas un nombre entier ; voir « fichex figures --help »"),
    (["figures", "23", "--top", "99"], "Erreur : valeur invalide pour --top : elle doit valoir au plus 50 ; voir « fichex figures --help »"),
    (["build", "23", "--jobs"], "Erreur : l'option --jobs attend une valeur"),
    (["list", "departements", "en-trop"], "Erreur : argument en trop : en-trop ; voir « fichex list --help »"),
])
def test_usage_errors_are_one_french_line(args, expected):
    completed = subprocess.run([sys.executable, "-m", "fichex", *args], capture_output=True, text=True, check=False)
    assert completed.returncode == 2
    assert completed.stderr == expected + "\n" and completed.stdout == ""
