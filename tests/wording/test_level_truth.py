"""Every sentence true of its territory (issue 28): every level's documents, built by the real command, scanned
text by text (slides, speaker notes, chart titles and labels, workbook cells, page headers) for the defects of a
département's sentence said of another territory and of a number written two ways (tests/level_truth.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from document_text import document_texts
from fichex import resources
from level_truth import RULES, defects

DEPARTEMENTS = {"23": "departement", "87": "departement", "13": "departement", "75": "departement",
                "99": "monaco", "20": "corse", "971": "drom"}
REGIONS = ("75", "11", "94", "01")
TERRITOIRES = ("Creuse Industrie", "Nord Franche-Comté")


def _fichex(*args: str, cwd: Path) -> None:
    command = [sys.executable, "-m", "fichex", *args, "--out-dir", "out", "--formats", "xlsx,pptx", "--force",
               "--quiet", "--jobs", "2"]
    subprocess.run(command, cwd=cwd, check=True, env=dict(os.environ), capture_output=True, timeout=600)


def _partial_data(folder: Path) -> Path:
    """The demonstration data of Nouvelle-Aquitaine's and Occitanie's départements only: a user who imported
    their régions' files."""
    import pandas as pd

    from fichex.data import reference, trade

    source = resources.demo_dataset_path()
    table = pd.read_parquet(source)
    places = reference.departements()
    codes = set(places.loc[places["code_region"].isin(["75", "76"]), "code_departement"])
    kept = table[table["code_departement"].astype(str).isin(codes)].reset_index(drop=True)
    data = folder / "partielles"
    data.mkdir()
    trade.write_parquet(kept, data / "commerce_exterieur.parquet", trade.load(source).info)
    return data


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, list[Path]]:
    """Kind of territory → its documents: every level, and each special territory."""
    folder = tmp_path_factory.mktemp("level-truth")
    _fichex("build", *DEPARTEMENTS, cwd=folder)
    _fichex("build", "--level", "region", *REGIONS, cwd=folder)
    _fichex("build", "--level", "france", cwd=folder)
    for name in TERRITOIRES:
        _fichex("build", "--territoire", name, cwd=folder)
    partial = folder / "partiel"
    partial.mkdir()
    _fichex("build", "23", "--data", str(_partial_data(folder)), cwd=partial)
    by_kind: dict[str, list[Path]] = {"partiel": sorted((partial / "out").rglob("*.*x"))}
    for path in sorted((folder / "out").rglob("*.*x")):
        stem = path.parent.name
        code = stem.split("-", 1)[0]
        kind = ("region" if code.startswith("r") and code[1:].isdigit() else "france" if code == "fr"
                else "ti" if code == "ti" else DEPARTEMENTS[code])
        by_kind.setdefault(kind, []).append(path)
    return by_kind


def test_every_level_was_built(documents):
    assert {kind: len(paths) for kind, paths in documents.items()} == {
        "departement": 8, "monaco": 2, "corse": 2, "drom": 2, "region": 8, "france": 2, "ti": 4, "partiel": 2}


def test_no_document_says_what_is_untrue_of_its_territory(documents):
    found = [f"{path.name} – {defect}" for kind, paths in documents.items() for path in paths
             for defect in defects(kind, document_texts(path))]
    assert found == []


def test_the_scan_reads_notes_charts_and_cells(documents):
    texts = document_texts(documents["region"][0])
    parts = {part.split("/")[1] for part, _ in texts}
    assert {"slides", "notesSlides", "charts"} <= parts
    workbook = document_texts(next(p for p in documents["france"] if p.suffix == ".xlsx"))
    assert any(part == "xl/sharedStrings.xml" for part, _ in workbook)


# A sentence that breaks each rule, planted in a real document's texts: the scan finds it.
PLANTED = {
    "phrase de département": ("region", "Les biens exportés depuis le département vers l'Espagne."),
    "« département » pour Monaco": ("monaco", "États-Unis : 8.0% des exportations, 49e département sur 101"),
    "« monodépartementale »": ("region", "Nouvelle-Aquitaine est une région monodépartementale."),
    "Corse « un seul département »": ("corse", "Région Corse : un seul département, dont les flux figurent"),
    "part de soi-même": ("france", "Part de la France"),
    "part régionale de la région elle-même": ("drom", "Exportations : la région et la France"),
    "« 1er sur 1 »": ("france", "1er sur 1 départements"),
    "comparaison à la région pour la France": ("france", "les flux comparés à la région et à la France."),
    "carte : le territoire pour le département": ("region", "plus la région exporte."),
    "« () »": ("france", "exportations 580 354.5 M€ (), importations"),
    "« ; . »": ("france", "Total des exportations : 580 354.5 millions d'euros ; ."),
    "ligne répétée « ; rang ; rang »": ("region", "10e région sur 18 pour les exportations ; 10e région sur 18 pour les exportations"),
    "chiffres séparés par une espace ordinaire": ("departement", "importations 1 595.5\u00a0M€"),
    "trait d'union pour moins": ("departement", "Solde : -4.5\u00a0M€"),
    "pourcentage détaché": ("departement", "(−5.3 %)"),
    "guillemet sans espace insécable": ("departement", "La catégorie « autres » comprend"),
    "millions avec « .0 »": ("departement", "importations 207.0\u00a0M€"),
    "période « 2025 : 1er trimestre : »": ("departement", "2025 : 1er trimestre : exportations"),
    "« France entière » sur données partielles": ("partiel", "Flux à l'export, France entière (en valeur, 2024)"),
    "part de la France non qualifiée sur données partielles": ("partiel", "Avec 0.90% des exportations françaises"),
}


def test_every_rule_has_a_planted_case():
    assert set(PLANTED) == {rule.name for rule in RULES}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_sentence_is_found(documents, name):
    kind, sentence = PLANTED[name]
    texts = document_texts(documents[kind][0])
    assert defects(kind, texts) == []
    found = defects(kind, [*texts, ("ppt/notesSlides/notesSlide99.xml", sentence)])
    assert any(f.startswith(name + " – ") for f in found), found


def test_caveats_are_decided_by_the_aggregation(builder):
    from fichex.aggregation.model import (CAVEAT_CORSICA, CAVEAT_DROM, CAVEAT_EMEBI, CAVEAT_MONACO,
                                          CAVEAT_PARIS_ENERGY, CAVEAT_PORTS, CAVEAT_SINGLE_REGION)

    kinds = {code: {c.kind for c in builder.build(code, 2024).caveats} for code in ("23", "13", "75", "99", "20", "971")}
    assert kinds["23"] == {CAVEAT_EMEBI}
    assert CAVEAT_PORTS in kinds["13"] and CAVEAT_PARIS_ENERGY in kinds["75"] and CAVEAT_MONACO in kinds["99"]
    assert {CAVEAT_CORSICA, CAVEAT_SINGLE_REGION} <= kinds["20"] and {CAVEAT_DROM, CAVEAT_SINGLE_REGION} <= kinds["971"]
    assert {c.kind for c in builder.build_region("75", 2024).caveats} <= {CAVEAT_PORTS, CAVEAT_EMEBI}
