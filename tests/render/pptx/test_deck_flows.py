"""The slides of flows (render/pptx/flows.py): the activities' treemap, the Sankeys of the flows and of the
comparison with the région and France, their headlines equal to the aggregate."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.shapes.group import GroupShape

from conftest import all_text, slide_titled
from fichex.wording import deck as deck_text, levels as levels_text, model_text, notes as notes_text
from fichex.wording.places import place_of
from fichex.render import theme
from fichex.render.pptx import write_deck


def groups(slide):
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]


def test_treemap_present(deck_23):
    found = groups(slide_titled(deck_23, deck_text.DECK_ACTIVITIES_TITLE))
    assert [g.name for g in found] == [deck_text.DECK_TREEMAP_NAME]
    assert len(found[0].shapes) > 3


@pytest.mark.parametrize("title, flow, scopes", [
    (deck_text.DECK_FLOW_TITLES["E"], "E", ("local",)),
    (deck_text.DECK_COMPARISON_TITLES["E"], "E", ("region_summary", "france_summary")),
    (deck_text.DECK_FLOW_TITLES["I"], "I", ("local",)),
    (deck_text.DECK_COMPARISON_TITLES["I"], "I", ("region_summary", "france_summary"))])
def test_sankeys_ribbons(deck_23, fiche_23, title, flow, scopes):
    found = groups(slide_titled(deck_23, title))
    assert len(found) == len(scopes)
    for group, scope in zip(found, scopes):
        summary = getattr(fiche_23, scope)
        matrix = summary.export_flows if flow == "E" else summary.import_flows
        ribbons = [s for s in group.shapes if s.name.startswith("Flux ")]
        assert len(ribbons) == len(matrix.links())
        red = [s for s in ribbons if f'<a:srgbClr val="{theme.HIGHLIGHT}"' in s.element.xml]
        assert 0 < len(red) <= 5


def test_headlines_equal_aggregate(deck_23, fiche_23):
    for flow in ("E", "I"):
        text = all_text(slide_titled(deck_23, deck_text.DECK_FLOW_TITLES[flow]))
        for line in model_text.headline_lines(fiche_23, flow):
            assert line in text
    comparison = all_text(slide_titled(deck_23, deck_text.DECK_COMPARISON_TITLES["E"]))
    assert model_text.total_line("E", fiche_23.region_summary.exports_eur) in comparison
    assert model_text.total_line("E", fiche_23.france_summary.exports_eur) in comparison
    assert model_text.total_line("E", fiche_23.exports.region_total_eur) in comparison


def test_single_departement_region_shows_one_comparison_sankey(tmp_path, builder):
    fiche = builder.build("974", 2024)
    assert fiche.single_departement_region
    path = tmp_path / "974.pptx"
    write_deck(fiche, path)
    deck = Presentation(str(path))
    for flow in ("E", "I"):  # France alone: the région is the département, drawn on the slide before
        slide = slide_titled(deck, levels_text.DECK_COMPARISON_FRANCE_TITLES[flow])
        found = [s for s in slide.shapes if isinstance(s, GroupShape)]
        assert len(found) == 1
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        assert deck_text.single_departement_region_note(place_of(fiche), "La Réunion") in text


def _compartment_meur(shape) -> float:
    value = shape._element.nvSpPr.cNvPr.get("descr").rsplit(" : ", 1)[1]
    return float(value.replace("\u202f", "").replace("\u00a0", "").replace("M€", "").replace("\u2212", "-"))


@pytest.mark.parametrize("code", ["23", "87", "75", "13"])
def test_treemap_others_sentences_say_what_is_drawn(tmp_path, builder, code):
    """The « Autres » sentence beside the treemap and in the notes counts the compartments drawn (after the
    smallest are folded into « Autres »), and says « égal » to the flow chart's « autres » only where the
    two hold the same value."""
    fiche = builder.build(code, 2024)
    path = tmp_path / f"{code}.pptx"
    write_deck(fiche, path)
    slide = slide_titled(Presentation(str(path)), deck_text.DECK_ACTIVITIES_TITLE)
    (group,) = groups(slide)
    expected = []
    for flow, label in (("E", "Exportations –"), ("I", "Importations –")):
        mine = [s for s in group.shapes if s.name.startswith(label)]
        others = [s for s in mine if s.name.endswith("– Autres")]
        if not others:
            continue
        matrix = fiche.local.flows(flow)
        goods, totals = ((matrix.sources, matrix.source_totals) if flow == "E" else (matrix.targets, matrix.target_totals))
        chart_others = sum(v for node, v in zip(goods, totals) if node.is_others) / 1e6
        same = abs(chart_others - _compartment_meur(others[0])) < 0.05
        expected.append(notes_text.TreemapOthers(flow, len(mine) - 1, same, sum(not n.is_others for n in goods)))
    sentence = notes_text.treemap_others_note(expected)
    assert sentence and sentence in all_text(slide)
    assert sentence in slide.notes_slide.notes_text_frame.text
    for item in expected:
        assert f"des {item.activities} premières" in sentence


def test_flows_slides_say_what_the_numbered_flows_are(deck_23):
    """The five red flows carry their rank (1 to 5): the side panel says so, so colour is not the only sign."""
    for flow in ("E", "I"):
        slide = slide_titled(deck_23, deck_text.DECK_FLOW_TITLES[flow])
        assert deck_text.SANKEY_RANKS_KEY in all_text(slide)
        badges = [s for g in groups(slide) for s in g.shapes if s.name.startswith("Rang du flux ")]
        assert sorted(int(s.text_frame.text) for s in badges) == [1, 2, 3, 4, 5]
