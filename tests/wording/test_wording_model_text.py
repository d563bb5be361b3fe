"""wording/model_text.py: the model's lines under a flow chart, its titles and caveats."""

from fichex.wording import model_text


def test_headline_lines_of_creuse(fiche_23):
    assert model_text.headline_lines(fiche_23, "E") == [
        "Total des exportations : 675.8 millions d'euros",
        "soit 2.5% de la valeur exportée par la région Nouvelle-Aquitaine",
        "soit 0.12% de la valeur exportée au niveau national",
    ]
    assert model_text.headline_lines(fiche_23, "I") == [
        "Total des importations : 207 millions d'euros",
        "soit 0.7% de la valeur importée par la région Nouvelle-Aquitaine",
        "soit 0.03% de la valeur importée au niveau national",
    ]


def test_haute_vienne_uses_a_space_between_thousands(fiche_87):
    assert model_text.total_line("E", fiche_87.exports.total_eur) == "Total des exportations : 1\u202f109.1 millions d'euros"


def test_titles():
    assert model_text.cover_subtitle("Creuse") == "Territoires d'industrie – Creuse"
    assert model_text.flows_title("E", "Creuse", 2024) == "Flux à l'export par produit et par pays, Creuse (en valeur, 2024)"
    assert model_text.flows_title("I", "France entière", 2024, detailed=False) == "Flux à l'import, France entière (en valeur, 2024)"


def test_shares_of_partial_data_are_qualified(fiche_23):
    from dataclasses import replace

    share = replace(fiche_23.exports, region_complete=False, france_complete=False, departements_in_data=2,
                    departements_total=101)
    assert model_text.share_of_france_line("E", share).endswith("(données partielles : 2 départements sur 101)")
    assert "région incomplète" in model_text.share_of_region_line("E", share, "Nouvelle-Aquitaine")
    assert fiche_23.exports.france_complete and fiche_23.exports.region_complete


def test_method_caveats_are_phrased_from_the_kinds_the_aggregation_decided():
    from fichex.aggregation.model import CAVEAT_DROM, CAVEAT_EMEBI, CAVEAT_PARIS_ENERGY, CAVEAT_PARTIAL_YEAR

    assert model_text.caveat_texts((), "2024") == () and model_text.caveat_texts({CAVEAT_DROM}, "2024") == ()
    assert model_text.caveat_texts({CAVEAT_PARIS_ENERGY}, "2024") == (model_text.PARIS_ENERGY_CAVEAT,)
    (partial, emebi) = model_text.caveat_texts([CAVEAT_EMEBI, CAVEAT_PARTIAL_YEAR], "2025 (1er et 2e trimestres)")
    assert partial == ("Année partielle : les chiffres de 2025 ne couvrent que les 1er et 2e trimestres ; ils ne "
                       "se comparent pas à ceux d'une année entière.")
    assert emebi == model_text.EMEBI_BREAK_CAVEAT


def test_sources_line_says_the_period():
    assert "pour la période 2025 (1er trimestre)," in model_text.sources_line("2025 (1er trimestre)")
    assert "pour l'année 2024," in model_text.sources_line(2024)


def test_treemap_others_note_follows_what_is_drawn():
    from fichex.wording.notes import TreemapOthers, treemap_others_note
    both_same = treemap_others_note([TreemapOthers("E", 10, True, 10), TreemapOthers("I", 10, True, 10)])
    assert both_same == ("«\u00a0Autres\u00a0» regroupe les activités au-delà des 10 premières de chaque bloc, comme la "
                         "catégorie «\u00a0autres\u00a0» des graphiques de flux.")
    both_differ = treemap_others_note([TreemapOthers("E", 11, False, 10), TreemapOthers("I", 11, False, 10)])
    assert "au-delà des 11 premières de chaque bloc ;" in both_differ
    assert both_differ.endswith("regroupe les biens au-delà des 10 premiers.") and "comme" not in both_differ
    mixed = treemap_others_note([TreemapOthers("E", 11, False, 10), TreemapOthers("I", 10, True, 10)])
    assert "au-delà des 11 premières à l'export et des 10 premières à l'import ;" in mixed
    assert mixed.endswith("; à l'import, c'est la catégorie «\u00a0autres\u00a0» des graphiques de flux.")
    one = treemap_others_note([TreemapOthers("I", 1, False, 10)])
    assert one.startswith("«\u00a0Autres\u00a0» regroupe les activités au-delà de la première à l'import ;")
    assert treemap_others_note([]) == ""
