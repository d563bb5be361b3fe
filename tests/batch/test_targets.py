import pytest

from fichex.batch import targets as naming


@pytest.mark.parametrize("name, slug", [("Creuse", "creuse"), ("Haute-Vienne", "haute-vienne"),
                                        ("Bouches-du-Rhône", "bouches-du-rhone"), ("La Réunion", "la-reunion"),
                                        ("Côtes-d'Armor", "cotes-d-armor"), ("Corse-du-Sud", "corse-du-sud")])
def test_slugs_are_ascii_lower_case(name, slug):
    assert naming.slugify(name) == slug


def test_output_path(tmp_path):
    path = naming.output_path(tmp_path, 2024, "2A", "Corse-du-Sud", "xlsx")
    assert path == tmp_path / "2024" / "2a-corse-du-sud" / "commerce-exterieur-2a-corse-du-sud-2024.xlsx"
