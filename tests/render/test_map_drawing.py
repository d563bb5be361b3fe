"""The « Position en France » map: its data file, the quantile classes, and the slide reopened with python-pptx."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from fichex.wording import deck as deck_text
from fichex.render import map_drawing, theme
from fichex.render.pptx import build_deck, map_slide, write_deck
from fichex.resources import reference_dir

from conftest import slide_titled


def _map_slide(prs):
    """The « Position en France » slide, found by its title wherever the deck puts it."""
    return slide_titled(prs, deck_text.DECK_MAP_TITLE)


def _map_group(prs):
    slide = _map_slide(prs)
    found = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP and s.name == deck_text.MAP_GROUP_NAME]
    assert len(found) == 1
    return slide, found[0]


def _reopen(prs):
    stream = io.BytesIO()
    prs.save(stream)
    stream.seek(0)
    return Presentation(stream)


@pytest.fixture(scope="module", params=["23", "13", "75", "971", "20"])
def deck(request, builder):
    fiche = builder.build(request.param, 2024)
    return fiche, _reopen(build_deck(fiche))


def test_the_map_file_is_small_and_has_every_departement():
    path = reference_dir() / map_drawing.MAP_FILE
    assert path.stat().st_size < 200 * 1024
    data = json.loads(path.read_text(encoding="utf-8"))
    codes = set(data["territories"])
    cog = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B", "971", "972", "973", "974", "976"}
    assert cog | {"20"} == codes
    for rings in data["territories"].values():
        for ring in rings:
            assert len(ring) % 2 == 0 and len(ring) >= 6
            assert all(isinstance(v, int) and 0 <= v for v in ring)
            assert max(ring[0::2]) <= data["width"] and max(ring[1::2]) <= data["height"]


def test_quantile_classes_cover_every_value():
    values = [0.0, 1.0, 1.0, 5.0, 7.0, 30.0, 31.0, 200.0, 1000.0, 5000.0, 5000.0]
    classes = map_drawing.quantile_classes(values)
    assert len(classes) == 5
    assert classes[0].low == min(values) and classes[-1].high == max(values)
    for v in values:
        k = map_drawing.class_of(v, classes)
        assert classes[k].low <= v <= classes[k].high
    assert [map_drawing.class_of(v, classes) for v in sorted(values)] == sorted(
        map_drawing.class_of(v, classes) for v in values)


def test_every_territory_is_drawn_once_and_the_target_outlined(deck):
    fiche, prs = deck
    slide, group = _map_group(prs)
    names = [s.name for s in group.shapes]
    drawn, skipped = map_drawing.drawn_territories(fiche.exports_by_territory)
    for t in drawn:
        assert names.count(deck_text.MAP_SHAPE_NAME.format(code=t.code, nom=t.nom)) == 1
    assert [t.code for t in skipped] in ([], ["99"])
    territory_shapes = [n for n in names if n.startswith("Département ")]
    assert len(territory_shapes) == len(drawn)
    target = fiche.territory
    target_name = deck_text.MAP_SHAPE_NAME.format(code=target.code, nom=target.nom)
    # Drawn last of the territories, then its thick dark outline on top.
    assert territory_shapes[-1] == target_name
    outline_name = deck_text.MAP_TARGET_OUTLINE_NAME.format(code=target.code, nom=target.nom)
    assert names.index(outline_name) == names.index(target_name) + 1
    shape = next(s for s in group.shapes if s.name == outline_name)
    assert shape._element.xpath("./p:spPr/a:noFill")
    ln = shape._element.xpath("./p:spPr/a:ln")[0]
    assert int(ln.get("w")) == map_drawing.TARGET_W
    assert ln.xpath("./a:solidFill/a:srgbClr/@val") == [map_drawing.TARGET_LINE]
    # Corse whole when the data says 20: one shape, no 2A or 2B.
    if target.code == "20":
        assert not any(n.startswith(("Département 2A", "Département 2B")) for n in names)
    # Under 300 shapes, all inside the chart frame and the slide.
    assert len(names) < 300
    width, height = prs.slide_width, prs.slide_height
    for s in group.shapes:
        assert 0 <= s.left and s.left + s.width <= width and 0 <= s.top and s.top + s.height <= height, s.name
    assert group.left + group.width <= width and group.top + group.height <= height


def test_territories_are_round_lined_freeforms_and_a_small_target_gets_a_ring(deck):
    """Each territory is one freeform (a path per ring) with round joins; Paris, too small to see at slide
    size, also gets a ring around it (a larger département does not)."""
    fiche, prs = deck
    _, group = _map_group(prs)
    target = fiche.territory
    rings = map_drawing.map_data()["territories"][target.code]
    shape = next(s for s in group.shapes if s.name == deck_text.MAP_SHAPE_NAME.format(code=target.code, nom=target.nom))
    assert shape.shape_type == MSO_SHAPE_TYPE.FREEFORM
    assert len(shape._element.xpath("./p:spPr/a:custGeom/a:pathLst/a:path")) == len(rings)
    ln = shape._element.xpath("./p:spPr/a:ln")[0]
    assert ln.get("cap") == "rnd" and ln.xpath("./a:round")
    markers = [s for s in group.shapes if s.name == deck_text.MAP_MARKER_NAME.format(code=target.code, nom=target.nom)]
    if target.code != "75":
        assert target.code != "23" or markers == []
        return
    (marker,) = markers
    assert marker._element.xpath("./p:spPr/a:prstGeom/@prst") == ["ellipse"]
    assert marker._element.xpath("./p:spPr/a:noFill")
    assert marker._element.xpath("./p:spPr/a:ln/@w") == [str(map_drawing.TARGET_W)]
    assert marker.width == marker.height > shape.width
    assert marker.left < shape.left and shape.left + shape.width < marker.left + marker.width


def test_the_side_panel_and_notes_give_rank_and_per_inhabitant(deck):
    fiche, prs = deck
    slide = _map_slide(prs)
    position = fiche.export_position()
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    rank = deck_text.map_rank_line(position.rank, position.n_territories)
    per_inhabitant = deck_text.map_per_inhabitant_line(position.per_inhabitant_eur)
    assert rank in text and per_inhabitant in text
    assert deck_text.map_chart_title("2024") in text
    notes = slide.notes_slide.notes_text_frame.text
    assert rank in notes and per_inhabitant in notes
    assert position.n_territories == len(fiche.exports_by_territory)


def test_legend_text_is_readable():
    for colour in (theme.TEXT,):
        assert theme.contrast_ratio(colour, theme.WHITE) >= theme.MIN_CONTRAST


def test_per_inhabitant_unavailable_without_population(builder):
    fiche = builder.build("99", 2024) if "99" in builder.trade.departements else None
    if fiche is None:
        pytest.skip("no Monaco in the demonstration data")
    position = fiche.export_position()
    assert position.per_inhabitant_eur is None
    assert deck_text.map_per_inhabitant_line(position.per_inhabitant_eur) == deck_text.MAP_NO_POPULATION
    slide = _map_slide(_reopen(build_deck(fiche)))
    text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert deck_text.map_target_line(fiche.territory.nom, drawn=False) in text
    # said once, by the target line; the missing figure plainly, once, not in bold
    assert deck_text.MAP_MONACO_NOTE not in text and text.count(deck_text.MAP_NO_POPULATION) == 1
    (run,) = [r for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs
              if r.text == deck_text.MAP_NO_POPULATION]
    assert not run.font.bold


def test_the_deck_stays_under_2_mb_and_the_map_under_200_kb(builder, tmp_path):
    path = tmp_path / "fiche_13.pptx"
    write_deck(builder.build("13", 2024), path)
    assert path.stat().st_size < 2 * 1024 * 1024
    prs = Presentation(path)
    position = prs.slides.index(_map_slide(prs))
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"ppt/slides/slide{position + 1}.xml")
        assert b"<a:custGeom>" in archive.read(info.filename)
        assert info.compress_size < 200 * 1024  # about 60 KB stored (500 KB of XML)


def test_insets_are_named_and_classes_in_whole_millions(deck):
    fiche, prs = deck
    text = "\n".join(s.text_frame.text for s in _map_slide(prs).shapes if s.has_text_frame)
    names = {t.code: t.nom for t in fiche.exports_by_territory}
    assert map_slide.insets_note(fiche) in text
    assert [names[c] for c in map_drawing.inset_codes()] == ["Guadeloupe", "Martinique", "La Réunion", "Mayotte", "Guyane"]
    labels = [c.label for c in map_drawing.quantile_classes([t.exports_eur for t in fiche.exports_by_territory])]
    assert len(labels) == 5 and all("." not in label for label in labels)
    assert deck_text.map_class_label(120.4e6, 380.6e6, False, False) == "120 à 381"
