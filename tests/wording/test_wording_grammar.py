"""wording/grammar.py: periods and the years of the data."""

import pytest

from fichex.wording import grammar as grammar_text


@pytest.mark.parametrize("quarters, label", [
    ((1, 2, 3, 4), "2025"), ((0,), "2025"), ((), "2025"), ((1,), "2025 (1er trimestre)"),
    ((1, 2), "2025 (1er et 2e trimestres)"), ((1, 2, 3), "2025 (1er au 3e trimestre)"),
    ((2, 4), "2025 (2e et 4e trimestres)")])
def test_period_label_names_the_quarters_of_a_partial_year(quarters, label):
    assert grammar_text.period_label(2025, quarters) == label


def test_the_years_line_names_a_partial_year(fiche_23):
    assert grammar_text.years_line(fiche_23) == "2022, 2023, 2024, 2025 (1er trimestre)"


@pytest.mark.parametrize("nom, tncc, forms", [
    ("Creuse", 3, ("la Creuse", "de la Creuse", False)),
    ("Bouches-du-Rhône", 4, ("les Bouches-du-Rhône", "des Bouches-du-Rhône", True)),
    ("Paris", 0, ("Paris", "de Paris", False)),
    ("Ain", 5, ("l'Ain", "de l'Ain", False)),
    ("Essonne", None, ("Essonne", "d'Essonne", False))])
def test_a_territory_is_named_with_its_article(nom, tncc, forms):
    assert grammar_text.territory_forms(nom, tncc) == forms
