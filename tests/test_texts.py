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


@pytest.mark.parametrize("quarters, label", [
    ((1, 2, 3, 4), "2025"), ((0,), "2025"), ((), "2025"), ((1,), "2025 : 1er trimestre"),
    ((1, 2), "2025 : 1er et 2e trimestres"), ((1, 2, 3), "2025 : 1er au 3e trimestre"),
    ((2, 4), "2025 : 2e et 4e trimestres")])
def test_period_label_names_the_quarters_of_a_partial_year(quarters, label):
    assert texts.period_label(2025, quarters) == label


def test_fiche_caveats_depend_on_the_territory_the_period_and_the_years():
    assert texts.fiche_caveats("23", "2024", False, (2024,)) == ()
    assert texts.fiche_caveats("75", "2024", False, (2024,)) == (texts.PARIS_ENERGY_CAVEAT,)
    (partial, emebi) = texts.fiche_caveats("23", "2025 : 1er et 2e trimestres", True, (2024, 2025))
    assert partial == ("Année partielle : les chiffres de 2025 ne couvrent que les 1er et 2e trimestres ; ils ne "
                       "se comparent pas à ceux d'une année entière.")
    assert emebi == texts.EMEBI_BREAK_CAVEAT
    assert "pour la période 2025 : 1er trimestre," in texts.sources_line("2025 : 1er trimestre")
    assert "pour l'année 2024," in texts.sources_line(2024)


def test_the_years_line_names_a_partial_year(fiche_23):
    assert texts.years_line(fiche_23) == "2022, 2023, 2024, 2025 : 1er trimestre"
