import pytest

from fichex.data import reference
from fichex.errors import UnknownCodeError


def test_departements_cover_metropole_corsica_and_drom():
    codes = set(reference.departements()["code_departement"])
    assert len(codes) == 101
    assert {"01", "2A", "2B", "971", "972", "973", "974", "976"} <= codes
    assert "20" not in codes and "975" not in codes


@pytest.mark.parametrize("typed, expected", [("1", "01"), ("2a", "2A"), (" 87 ", "87"), ("974", "974")])
def test_departement_codes_are_normalised(typed, expected):
    assert reference.departement(typed).code == expected


def test_unknown_departement_names_the_code_and_valid_ones():
    with pytest.raises(UnknownCodeError, match="« 99 ».*codes valides"):
        reference.departement("99")


def test_creuse_is_in_nouvelle_aquitaine_with_its_territoire():
    dep = reference.departement("23")
    assert (dep.nom, dep.code_region, dep.region) == ("Creuse", "75", "Nouvelle-Aquitaine")
    assert reference.territoires_of("23") == ["Creuse Industrie"]
    assert reference.territoires_of("87") == ["Limoges et Haute-Vienne"]
    assert reference.territoires_of("40") == []


@pytest.mark.parametrize("code, name", [("DE", "Allemagne"), ("US", "États-Unis"), ("GB", "Royaume-Uni"),
                                        ("KR", "Corée du Sud"), ("CN", "Chine"), ("QU", "Pays et territoires non déterminés")])
def test_usual_country_names(code, name):
    table = reference.countries().set_index("code_pays")
    assert table.at[code, "pays"] == name


def test_every_country_has_a_zone_and_eu27_has_27_members():
    table = reference.countries()
    assert table["zone"].ne("").all()
    assert table["ue27"].sum() == 27


def test_a129_activities_have_their_groupings():
    table = reference.activities().set_index("code_a129")
    assert len(table) == 129
    assert table.at["C10E", "code_a38"] == "CA"
    assert table.at["C30C", "libelle"] == "Construction aéronautique et spatiale"
    assert table.at["C30C", "code_a10"] == "BE"


@pytest.mark.parametrize("code, a129", [("C10E", "C10E"), ("10.51", "C10E"), ("1051", "C10E"), ("10.51.11", "C10E"),
                                        ("30.30", "C30C"), ("99.99", None), ("ZZZ", None),
                                        ("10.5", "C10E"), ("11", "C11Z"), ("10", None), ("2", None)])
def test_product_codes_of_any_depth_map_to_a129(code, a129):
    assert reference.product_to_a129(code) == a129


def test_departements_of_region():
    assert reference.departements_of_region("75") == ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"]
    with pytest.raises(UnknownCodeError):
        reference.departements_of_region("99")
