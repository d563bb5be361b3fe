"""The commentary (wording.commentary.commentary): every number it writes is in the key figures' JSON with the same
rounding, and its sentences follow the territory (article, DROM, Monaco, Corse, Paris) and the figures
(no US trade, a dominant product, a deficit, a partial year)."""

from __future__ import annotations

import json
import re

import pytest

from fichex import api
from fichex.wording import commentary as commentary_text, grammar as grammar_text

# A number as the texts write it: « 675.8 », « 26 809.1 », « 0.12 », « 2024 », « 91 » (of « 91e »); never
# the digits glued to a word before them (« UE27 »).
NUMBER = re.compile(r"(?<![A-Za-z\d.])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?|(?<![A-Za-z\d.])\d+(?:\.\d+)?")


def numbers_of(sentence: str) -> list[str]:
    return [m.replace(" ", "").replace("\u00a0", "").replace("\u202f", "") for m in NUMBER.findall(sentence)]


def json_numbers(value) -> list[float]:
    """Every number of a JSON document, at any depth."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in json_numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in json_numbers(v)]
    return []


def shown_in(number: str, candidates: list[float]) -> bool:
    """Whether a number of a sentence is some JSON number (or its value in millions, an amount in M€), in
    absolute value (a deficit or a fall is written without its sign), rounded to the sentence's decimals."""
    decimals = len(number.partition(".")[2])
    return any(f"{abs(value) / scale:.{decimals}f}" == number for value in candidates for scale in (1, 1_000_000))


@pytest.mark.parametrize("code", ["23", "13", "75", "971", "99", "20", "974"])
def test_every_number_of_the_commentary_is_in_the_json(builder, code):
    figures = json.loads(json.dumps(api.figures_json(builder.build(code, 2024))))  # as `figures --json` prints
    sentences = figures["commentaire"]
    assert 4 <= len(sentences) <= commentary_text.COMMENTARY_MAX
    candidates = json_numbers({k: v for k, v in figures.items() if k != "commentaire"})
    assert len([n for s in sentences for n in numbers_of(s)]) >= 8
    for sentence in sentences:
        for number in numbers_of(sentence):
            assert shown_in(number, candidates), f"{number} ({sentence})"


def test_the_number_check_catches_a_figure_the_json_lacks(fiche_23):
    candidates = json_numbers(api.figures_json(fiche_23))
    assert numbers_of("En 2024, 26 809.1 M€ ; 91e ; UE27 (0.12%).") == ["2024", "26809.1", "91", "0.12"]
    exports = f"{fiche_23.exports.total_eur / 1e6:.1f}"
    assert shown_in(exports, candidates)
    assert not shown_in(f"{fiche_23.exports.total_eur / 1e6 + 0.3:.1f}", candidates)


def test_key_figures_carry_the_commentary(fiche_23):
    figures = api.key_figures("23", 2024)
    assert figures["commentaire"] == commentary_text.commentary(fiche_23)
    assert figures["commentaire"][0].startswith("En 2024, la Creuse a exporté")


@pytest.mark.parametrize("name, tncc, forms", [
    ("Creuse", 3, ("la Creuse", "de la Creuse", False)),
    ("Nord", 2, ("le Nord", "du Nord", False)),
    ("Bouches-du-Rhône", 4, ("les Bouches-du-Rhône", "des Bouches-du-Rhône", True)),
    ("Ain", 5, ("l'Ain", "de l'Ain", False)),
    ("Paris", 0, ("Paris", "de Paris", False)),
    ("Eure-et-Loir", 1, ("Eure-et-Loir", "d'Eure-et-Loir", False)),
    ("Essonne", None, ("Essonne", "d'Essonne", False)),
])
def test_territory_forms_follow_insee_type_of_name(name, tncc, forms):
    assert grammar_text.territory_forms(name, tncc) == forms


def test_the_demonstration_fiches_name_their_territory_with_its_article(builder):
    assert plain(builder.build("13", 2024))[0].startswith("En 2024, les Bouches-du-Rhône ont exporté")
    assert plain(builder.build("75", 2024))[0].startswith("En 2024, Paris a exporté")
    assert "le Nord se classe" in plain(builder.build("59", 2024))[1]


@pytest.mark.parametrize("code, said", [
    ("971", "département d'outre-mer"), ("99", "union douanière"), ("20", "Corse-du-Sud"),
    ("75", "gaz naturel par gazoduc")])
def test_the_last_sentence_says_what_is_particular_to_the_territory(builder, code, said):
    assert said in plain(builder.build(code, 2024))[-1]


def test_an_ordinary_departement_ends_with_the_change_over_a_year(fiche_23):
    last = plain(fiche_23)[-1]
    growth = fiche_23.evolution.year(2024).exports_growth_pct
    assert last.startswith("Sur un an") and f"{abs(growth):.1f}%" in last


def plain(fiche) -> list[str]:
    """The commentary with its no-break spaces as plain ones."""
    return [s.replace("\u00a0", " ").replace("\u202f", " ") for s in commentary_text.commentary(fiche)]


def test_no_line_break_inside_an_amount_guillemets_or_before_a_colon(builder):
    first, _, product = commentary_text.commentary(builder.build("13", 2024))[:3]
    assert "26\u202f809.1\u00a0M€" in first and "\u00a0: leur balance" in first
    assert "«\u00a0Produits pétroliers raffinés\u00a0»" in product


# Creuse trades with no US partner and imports more than it exports; one product makes 80 % of its exports.
NO_US = {(2023, 0, "E", "23", "A01Z", "DE"): 50, (2024, 0, "E", "23", "A01Z", "DE"): 80,
         (2024, 0, "E", "23", "C29B", "IT"): 20, (2024, 0, "I", "23", "C21Z", "CN"): 300,
         (2023, 0, "I", "23", "C21Z", "CN"): 200,
         (2024, 0, "E", "87", "A01Z", "US"): 70, (2024, 0, "I", "87", "C21Z", "US"): 10}


def test_without_us_trade_the_commentary_says_so_and_still_matches_the_json(small_fiche):
    fiche = small_fiche(NO_US)
    sentences = plain(fiche)
    said = " ".join(sentences)
    assert "n'enregistrent aucune exportation de la Creuse vers les États-Unis" in said
    assert "Un seul poste fait plus de la moitié de ses exportations : « Produits agricoles » (80.0%)" in said
    assert "accuse un déficit de 0 M€" not in said  # 200 € of deficit round to zero: « équilibre »
    assert "à l'équilibre" in sentences[0]
    figures = json.loads(json.dumps(api.figures_json(fiche)))
    candidates = json_numbers({k: v for k, v in figures.items() if k != "commentaire"})
    assert all(shown_in(n, candidates) for s in figures["commentaire"] for n in numbers_of(s))
    assert sentences[-1].startswith("Sur un an, les exportations ont progressé de 100.0%")


def test_a_deficit_in_millions_and_a_partial_year(small_fiche):
    cells = {(2023, q, "E", "23", "A01Z", "DE"): 10e6 for q in (1, 2, 3, 4)}
    cells |= {(2023, q, "I", "23", "C21Z", "US"): 20e6 for q in (1, 2, 3, 4)}
    cells |= {(2024, 1, "E", "23", "A01Z", "DE"): 12e6, (2024, 1, "I", "23", "C21Z", "US"): 25e6,
              (2024, 1, "E", "23", "C29B", "US"): 3e6}
    fiche = small_fiche(cells)
    sentences = plain(fiche)
    assert fiche.partial
    assert sentences[0].startswith("Sur le 1er trimestre 2024 (année partielle), la Creuse a exporté pour 15 M€")
    assert "accuse un déficit de 10 M€" in sentences[0]
    assert sentences[-1].startswith("Par rapport au même trimestre de 2023, les exportations ont progressé de 50.0%")
    assert "20.0% des exportations de la Creuse partent vers les États-Unis" in " ".join(sentences)


def test_the_emebi_break_is_said_when_the_year_follows_it(small_fiche):
    cells = {(2021, 0, "E", "23", "A01Z", "DE"): 10e6, (2022, 0, "E", "23", "A01Z", "DE"): 11e6,
             (2021, 0, "I", "23", "C21Z", "DE"): 5e6, (2022, 0, "I", "23", "C21Z", "DE"): 5e6}
    last = plain(small_fiche(cells, year=2022))[-1]
    assert "rupture de série EMEBI" in last and "les importations sont restées stables" in last


def test_figures_json_on_the_command_line_has_the_commentary_and_its_numbers():
    from typer.testing import CliRunner

    from fichex.cli import app

    result = CliRunner().invoke(app, ["figures", "23", "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert {"exposition", "evolution", "commentaire"} <= set(figures)
    candidates = json_numbers({k: v for k, v in figures.items() if k != "commentaire"})
    assert all(shown_in(n, candidates) for s in figures["commentaire"] for n in numbers_of(s))


@pytest.mark.parametrize("level, code", [("region", "75"), ("region", "01"), ("region", "11"), ("france", "FR")])
def test_a_regions_and_frances_commentary_is_theirs_and_in_their_json(builder, level, code):
    fiche = builder.build_level(level, code, 2024)
    figures = json.loads(json.dumps(api.figures_json(fiche)))
    sentences = figures["commentaire"]
    assert 4 <= len(sentences) <= commentary_text.COMMENTARY_MAX
    candidates = json_numbers({k: v for k, v in figures.items() if k != "commentaire"})
    for sentence in sentences:
        for number in numbers_of(sentence):
            assert shown_in(number, candidates), f"{number} ({sentence})"
    text = " ".join(sentences)
    assert "départements" not in text and "Paris" not in text  # « 75 » here is Nouvelle-Aquitaine
    if level == "region":
        assert f"la région {fiche.territory.nom}" in text and "sur 18 régions" in text
    else:
        assert text.startswith("En 2024, la France") and "pour la France" not in text
