import pytest

from fichex.data import reference
from fichex.errors import UnknownCodeError


def test_departements_cover_metropole_corsica_and_drom():
    table = reference.departements()
    codes = set(table["code_departement"])
    assert len(codes) == 103
    assert {"01", "2A", "2B", "971", "972", "973", "974", "976", "20", "99"} <= codes
    assert "975" not in codes
    # The COG's 101 départements, and the 101 territories of the DGDDI files (Corse as one, Monaco).
    assert len(table.query("cog")) == 101 and len(table.query("dgddi")) == 101
    assert set(table.query("dgddi and not cog")["code_departement"]) == {"20", "99"}
    assert dict(zip(table["code_departement"], table["code_dgddi"]))["974"] == "9D"


@pytest.mark.parametrize("dgddi, cog", [("9A", "971"), ("9b", "972"), ("9C", "973"), ("9D", "974"), ("9E", "976")])
def test_dgddi_dom_codes_name_the_cog_departements(dgddi, cog):
    assert reference.departement(dgddi).code == cog


def test_dgddi_region_codes_map_to_insee():
    regions = reference.region_of_dgddi()
    assert regions["09"] == "75" and regions["21"] == "93" and regions["22"] == "94" and regions["03"] == "11"
    assert "24" not in regions  # « DOM » groups five régions
    monaco = reference.departement("99")
    assert (monaco.nom, monaco.code_region) == ("Monaco", "93")


@pytest.mark.parametrize("typed, expected", [("1", "01"), ("2a", "2A"), (" 87 ", "87"), ("974", "974")])
def test_departement_codes_are_normalised(typed, expected):
    assert reference.departement(typed).code == expected


def test_unknown_departement_names_the_code_and_valid_ones():
    with pytest.raises(UnknownCodeError, match="« 98 ».*codes valides"):
        reference.departement("98")


def test_creuse_is_in_nouvelle_aquitaine_with_its_territoire():
    dep = reference.departement("23")
    assert (dep.nom, dep.code_region, dep.region) == ("Creuse", "75", "Nouvelle-Aquitaine")
    assert reference.territoires_of("23") == ["Creuse Industrie"]
    assert reference.territoires_of("87") == ["Limoges et Haute-Vienne"]
    assert reference.territoires_of("40") == []
    # Corse as DGDDI publishes it (20) has the Territoires d'industrie of Corse-du-Sud and Haute-Corse
    assert reference.territoires_of("20") == sorted({*reference.territoires_of("2A"), *reference.territoires_of("2B")})
    assert reference.territoires_of("20")


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
