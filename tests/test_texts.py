import pytest

from fichex import texts


@pytest.mark.parametrize("value, text", [(675.8e6, "675.8"), (1109.1e6, "1 109.1"), (207.0e6, "207"),
                                         (26635.6e6, "26 635.6"), (580354.5e6, "580 354.5"), (0, "0"),
                                         (-1234.5e6, "-1 234.5")])
def test_amounts_in_millions_as_the_model_writes_them(value, text):
    assert texts.format_meur(value) == text


def test_headline_lines_of_creuse(fiche_23):
    assert texts.headline_lines(fiche_23, "E") == [
        "Total des exportations : 675.8 millions d'euros",
        "soit 2.5% de la valeur exportée par la région Nouvelle-Aquitaine",
        "soit 0.12% de la valeur exportée au niveau national",
    ]
    assert texts.headline_lines(fiche_23, "I") == [
        "Total des importations : 207 millions d'euros",
        "soit 0.7% de la valeur importée par la région Nouvelle-Aquitaine",
        "soit 0.03% de la valeur importée au niveau national",
    ]


def test_haute_vienne_uses_a_space_between_thousands(fiche_87):
    assert texts.total_line("E", fiche_87.exports.total_eur) == "Total des exportations : 1 109.1 millions d'euros"


def test_titles():
    assert texts.cover_subtitle("Creuse") == "Territoires d'industrie – Creuse"
    assert texts.flows_title("E", "Creuse", 2024) == "Flux à l'export par produit et par pays, Creuse (en valeur, 2024)"
    assert texts.flows_title("I", "France entière", 2024, detailed=False) == "Flux à l'import, France entière (en valeur, 2024)"


def test_shares_of_partial_data_are_qualified(fiche_23):
    from dataclasses import replace

    share = replace(fiche_23.exports, region_complete=False, france_complete=False, departements_in_data=2,
                    departements_total=101)
    assert texts.share_of_france_line("E", share).endswith("(données partielles : 2 départements sur 101)")
    assert "région incomplète" in texts.share_of_region_line("E", share, "Nouvelle-Aquitaine")
    assert fiche_23.exports.france_complete and fiche_23.exports.region_complete
