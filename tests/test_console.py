"""Terminal display: key figures, listings, build progress and summary, data description, download progress."""

from __future__ import annotations

from pathlib import Path

import pytest

import fichex
from fichex import console
from fichex.wording import console as console_text, index_page as index_text, model_text, numbers as numbers_text
from fichex.batch.results import BuildResult, FileInfo, TargetResult


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    """A wide terminal without forced colours, so that rich prints plain, unwrapped lines."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "160")


def target(code: str, nom: str, status: str, files=(), reason: str = "") -> TargetResult:
    return TargetResult(code, nom, status, [FileInfo(f, 100, "0" * 64) for f in files], reason, 0.5)


@pytest.fixture
def mixed_build() -> BuildResult:
    """One built target with two files, one failed target."""
    return BuildResult(Path("out"), 2024, [
        target("23", "Creuse", "built", ["out/2024/23-creuse/a.xlsx", "out/2024/23-creuse/a.pptx"]),
        target("87", "Haute-Vienne", "failed", reason="modèle PowerPoint introuvable : x.pptx"),
    ], seconds=1.25)


def test_print_figures(capsys, fiche_23):
    console.print_figures(fichex.figures_json(fiche_23))
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "Creuse (23)" in lines[0]
    assert console_text.figures_title("Creuse", "23", "Nouvelle-Aquitaine", 2024) in out
    assert model_text.balance_line(fiche_23.balance_eur) in out
    assert numbers_text.format_meur(fiche_23.exports.total_eur) in out
    assert fiche_23.local.top_partners_export[0].nom in out
    assert model_text.DEMO_WARNING in out


def test_print_listing(capsys):
    console.print_listing("territoires", [{"territoire_industrie": "Creuse Industrie", "departements": ["23"]},
                                          {"territoire_industrie": "Grand Est Test", "departements": ["54", "57"]}])
    out = capsys.readouterr().out
    assert "territoire_industrie" in out and "departements" in out
    assert "Creuse Industrie" in out and "54, 57" in out


def test_print_listing_of_nothing_prints_nothing(capsys):
    console.print_listing("regions", [])
    assert capsys.readouterr().out == ""


def test_build_progress_prints_one_line_per_target_off_a_terminal(capsys, mixed_build):
    with console.BuildProgress(enabled=True) as progress:
        assert progress.interactive is False
        for n, result in enumerate(mixed_build.results, 1):
            progress.update(result, n, 2)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "[1/2] 23 Creuse : construit",
        "[2/2] 87 Haute-Vienne : ÉCHEC — modèle PowerPoint introuvable : x.pptx",
    ]


def test_build_progress_disabled_prints_nothing(capsys, mixed_build):
    with console.BuildProgress(enabled=False) as progress:
        progress.update(mixed_build.results[0], 1, 2)
    assert capsys.readouterr() == ("", "")


def test_quiet_build_summary_prints_only_paths_and_errors(capsys, mixed_build):
    console.print_build_summary(mixed_build, quiet=True)
    captured = capsys.readouterr()
    assert captured.out.splitlines() == ["out/2024/23-creuse/a.xlsx", "out/2024/23-creuse/a.pptx"]
    assert captured.err.splitlines() == ["Erreur : 87 Haute-Vienne : modèle PowerPoint introuvable : x.pptx"]


def test_build_summary_table_and_counts(capsys, mixed_build):
    console.print_build_summary(mixed_build)
    captured = capsys.readouterr()
    assert console_text.build_table_title(2024, "out") in captured.out
    assert console_text.build_summary_line(1, 0, 1, 1.25) in captured.out.splitlines()
    assert "out/2024/23-creuse/ (xlsx, pptx)" in captured.out
    assert captured.err.splitlines() == [console_text.target_error_line("87", "Haute-Vienne",
                                                                        "modèle PowerPoint introuvable : x.pptx")]


def test_print_data_info(capsys):
    info = {"donnees_demonstration": False, "source": "DGDDI", "chemin": "donnees/commerce.parquet",
            "fichiers": ["nat2024.zip"], "date_donnees": "2025-02-07", "annees": [2023, 2024],
            "nb_departements": 101, "nb_lignes": 1234,
            "totaux": [{"annee": 2024, "flux": "E", "valeur_eur": 1.5e9}],
            "import": {"lignes_lues": 1300, "lignes_conservees": 1234, "lignes_rejetees": 66,
                       "avertissements": ["66 lignes sans département"]}}
    console.print_data_info(info)
    out = capsys.readouterr().out
    assert out.splitlines() == console_text.data_info_lines(info)
    assert "Attention : 66 lignes sans département" in out


def test_download_progress_prints_each_ten_percent_once(capsys):
    with console.DownloadProgress() as progress:
        for done in (0, 50, 100, 150, 990, 1000):
            progress.update(done, 1000)
        progress.update(5000, None)  # size unknown: nothing to say
    assert capsys.readouterr().err.splitlines() == [
        "Téléchargement : 0%", "Téléchargement : 10%", "Téléchargement : 90%", "Téléchargement : 100%"]


def test_build_summary_says_where_the_index_is(capsys, mixed_build):
    from dataclasses import replace

    console.print_build_summary(replace(mixed_build, index=Path("out/index.html")))
    assert index_text.index_line(str(Path("out/index.html"))) in capsys.readouterr().out.splitlines()
    console.print_build_summary(mixed_build)
    assert "index.html" not in capsys.readouterr().out
