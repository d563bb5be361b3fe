"""CLI wiring of the data and template commands: exit codes, one-line French errors, JSON."""

import json
from pathlib import Path

from typer.testing import CliRunner

from fichex.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"


def test_import_then_figures_and_build_from_imported_data(tmp_path):
    into = tmp_path / "donnees"
    result = runner.invoke(app, ["data", "import", str(FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"),
                                 "--into", str(into), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["lignes_lues"], report["lignes_conservees"], report["lignes_rejetees"]) == (4, 4, 0)
    assert report["donnees_demonstration"] is False
    figures = runner.invoke(app, ["figures", "01", "--data", str(into), "--json"])
    assert figures.exit_code == 0, figures.output
    data = json.loads(figures.stdout)
    assert data["donnees_demonstration"] is False
    assert data["exportations"]["total_eur"] == 1_234_567 + 500  # 1 234,567 k€ + 0,5 k€
    info = runner.invoke(app, ["data", "info", str(into)])
    assert info.exit_code == 0 and "Données : réelles" in info.stdout


def test_import_of_a_file_missing_a_column(tmp_path):
    result = runner.invoke(app, ["data", "import", str(FIXTURES / "trade_missing_column.csv"),
                                 "--into", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and result.stderr.count("\n") == 1
    assert "trade_missing_column.csv" in result.stderr and "pays" in result.stderr
    assert not (tmp_path / "d" / "commerce_exterieur.parquet").exists()


def test_data_info_on_the_demonstration_dataset():
    result = runner.invoke(app, ["data", "info"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Données : DÉMONSTRATION")


def test_download_without_address_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("FICHEX_DGDDI_URL", raising=False)
    result = runner.invoke(app, ["data", "download", "--year", "2024", "--dest", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and result.stderr.count("\n") == 1


def test_template_check(tmp_path):
    bundled = Path(__file__).resolve().parent.parent / "templates" / "fichex.pptx"
    ok = runner.invoke(app, ["template", "check", str(bundled)])
    assert ok.exit_code == 0 and ok.stdout == f"Modèle utilisable : {bundled}\n"
    from pptx import Presentation

    blank = tmp_path / "vide.pptx"
    Presentation().save(blank)
    bad = runner.invoke(app, ["template", "check", str(blank)])
    assert bad.exit_code == 1
    assert "Couverture" in bad.stderr
    assert bad.stderr.strip().splitlines()[-1].startswith("Erreur : modèle incomplet")


def test_build_with_a_template_missing_a_layout_fails_before_any_work(tmp_path):
    from pptx import Presentation

    blank = tmp_path / "vide.pptx"
    Presentation().save(blank)
    result = runner.invoke(app, ["build", "23", "--template", str(blank), "--out-dir", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and result.stderr.count("\n") == 1
    assert not list((tmp_path / "o").rglob("*.pptx"))


def test_template_check_of_a_missing_file(tmp_path):
    result = runner.invoke(app, ["template", "check", str(tmp_path / "absent.pptx")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ") and result.stderr.count("\n") == 1


def test_template_check_warning_only_exits_0(tmp_path):
    from pptx import Presentation

    from fichex.resources import default_template_path

    deck = Presentation(str(default_template_path()))
    deck.slide_width = deck.slide_height * 4 // 3
    four_thirds = tmp_path / "quatre-tiers.pptx"
    deck.save(four_thirds)
    result = runner.invoke(app, ["template", "check", str(four_thirds)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("- ") and "avertissement" in result.stdout


def test_into_a_file_names_the_into_option_and_creates_nothing(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    for into in (tmp_path / "f", tmp_path / "f" / "sous-dossier"):
        result = runner.invoke(app, ["data", "import", str(FIXTURES / "trade_latin1_semicolon_decimal_comma.csv"),
                                     "--into", str(into)])
        assert result.exit_code == 1
        assert result.stderr == (f"Erreur : un fichier porte déjà ce nom, ce n'est pas un dossier : {tmp_path / 'f'} "
                                 "; choisissez un autre --into\n")
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_a_device_is_not_a_missing_file(tmp_path):
    result = runner.invoke(app, ["data", "import", "/dev/zero", "--into", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : /dev/zero n'est pas un fichier ordinaire") and result.stderr.count("\n") == 1
    assert not (tmp_path / "d").exists()
