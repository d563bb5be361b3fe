"""The words of « Spécialisation et compétitivité » (wording/specialisation.py): the first ranks said for the
level (« 1er département », « 1re région », Monaco's « territoire »), the index and €/kg as numbers.py writes
them, the commentary sentence, the years and the break."""

from __future__ import annotations

from fichex.aggregation.model import ProductSpecialisation, ShiftShare
from fichex.wording import commentary as commentary_text, specialisation as spec_text
from fichex.wording.places import departement_place, france_place, region_place


def product(code: str, libelle: str, rank: int | None = 1) -> ProductSpecialisation:
    return ProductSpecialisation(code, libelle, 10e6, 1e6, 10.0, 2.0, None, 0.5, rank, 12)


CREUSE = departement_place("23", "Creuse", 3)
MONACO = departement_place("99", "Monaco", None)
AQUITAINE = region_place("75", "Nouvelle-Aquitaine")


def test_first_ranks_are_said_for_the_level():
    firsts = (product("1106", "Malt"),)
    assert spec_text.first_rank_line(CREUSE, firsts) == "1er département exportateur de «\u00a0Malt\u00a0»."
    assert spec_text.first_rank_line(AQUITAINE, firsts).startswith("1re région exportatrice de")
    assert spec_text.first_rank_line(MONACO, firsts).startswith("1er territoire exportateur de")
    assert spec_text.first_rank_line(CREUSE, ()) == ""


def test_many_first_ranks_are_counted_on_the_slide_and_not_in_the_commentary():
    firsts = tuple(product(f"{i:04d}", f"Produit {i}") for i in range(5))
    line = spec_text.first_rank_line(CREUSE, firsts)
    assert line.endswith("et 2 autres produits.") and line.count("«") == spec_text.FIRST_RANKS_SHOWN
    sentence = spec_text.commentary_sentence("la Creuse", False, CREUSE, firsts)
    assert sentence.startswith("La Creuse est le 1er département exportateur de") and "entre autres." in sentence
    plural = spec_text.commentary_sentence("les Bouches-du-Rhône", True, departement_place("13", "Bouches-du-Rhône", 4),
                                           firsts[:1])
    assert plural.startswith("Les Bouches-du-Rhône sont le 1er département")
    region = spec_text.commentary_sentence("la région Nouvelle-Aquitaine", False, AQUITAINE, firsts[:1])
    assert region.startswith("La région Nouvelle-Aquitaine est la 1re région exportatrice")


def test_index_and_unit_values_as_numbers_writes_them():
    assert spec_text.format_rca(1.054) == "1.05" and spec_text.format_rca(149.12) == "149.1"
    assert spec_text.format_rca(1234.5) == "1\u202f234.5"
    assert spec_text.eur_per_kg(2.009) == "2.01\u00a0€/kg"


def test_long_labels_are_cut_on_charts():
    label = "Équipements électriques et électroniques automobiles"
    assert spec_text.short_label(label).endswith("…") and len(spec_text.short_label(label)) <= spec_text.LABEL_MAX_CHARS
    assert spec_text.short_label("Malt") == "Malt"


def test_intro_agrees_with_the_subject():
    assert "la Creuse est le plus spécialisée" in spec_text.slide_intro(CREUSE)
    plural = departement_place("13", "Bouches-du-Rhône", 4)
    assert "les Bouches-du-Rhône sont le plus spécialisés" in spec_text.slide_intro(plural)
    assert "leurs exportations" in spec_text.slide_intro(plural)
    assert "Paris est le plus spécialisé " in spec_text.slide_intro(departement_place("75", "Paris", 0))


def test_years_compared_and_the_break():
    inside = ShiftShare(2021, 2022, (), 1.0, 2.0, 0.5, 0.25, 0.25, True)
    assert spec_text.years_compared(inside) == "2021 et 2022" and "EMEBI" in spec_text.break_note(inside)
    partial = ShiftShare(2024, 2025, (1,), 1.0, 2.0, 0.5, 0.25, 0.25, False)
    assert spec_text.years_compared(partial) == "2024 (1er trimestre) et 2025 (1er trimestre)"
    assert spec_text.break_note(partial) == ""
    steps = spec_text.waterfall_categories(partial)
    assert len(steps) == 5 and steps[2].startswith("Effet de structure")


def test_notes_use_the_place(fiche_r75):
    clearance = spec_text.notes_clearance(AQUITAINE)
    assert "dans la région" in clearance and "département" not in clearance
    assert "Principauté" in spec_text.notes_clearance(MONACO)
    assert france_place().subject == "la France"


def test_commentary_sentence_at_each_level(fiche_23, fiche_r75, fiche_france):
    said = " ".join(commentary_text.commentary(fiche_23))
    assert "La Creuse est le 1er département exportateur de" in said
    assert "1re région exportatrice" in " ".join(commentary_text.commentary(fiche_r75))
    assert commentary_text.commentary_specialisation(fiche_france) is None
    assert not any("exportat" in s and "1er" in s for s in commentary_text.commentary(fiche_france))
