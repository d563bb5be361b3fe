"""The decks pass an accessibility check after PowerPoint's own (tests/accessibility.py): every deck of
`build --all --level tout` without error, and each rule catching the defect it is about in a broken copy."""

from __future__ import annotations

import re
import zipfile

from pptx import Presentation

from accessibility import check_deck, errors


def _broken(source, target, part: str, change) -> str:
    """A copy of the deck `source` at `target` whose `part` passes through change(xml text)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    return target


def _rules(path) -> set[tuple[int, str]]:
    return {(f.slide, f.rule) for f in errors(check_deck(path))}


def test_the_creuse_deck_has_no_error(deck_23_path):
    assert [str(f) for f in errors(check_deck(deck_23_path))] == []


def test_the_creuse_deck_has_no_warning_either(deck_23_path):
    """The treemap's labels were graded warnings while they went down to 8 pt: none is under 9 pt now."""
    assert [str(f) for f in check_deck(deck_23_path)] == []


def test_a_chart_without_alternative_text_is_an_error(deck_23_path, tmp_path):
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide7.xml",
                     lambda xml: re.sub(r'(<p:cNvPr id="6" name="Graphique[^"]*") descr="[^"]*"', r"\1", xml))
    assert (7, "alt-text") in _rules(broken)


def test_a_shape_marked_decorative_needs_no_alternative_text(deck_23_path, tmp_path):
    decorative = ('<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative '
                  'xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>')

    def mark(xml: str) -> str:
        return re.sub(r'(<p:cNvPr id="6" name="Graphique[^"]*") descr="[^"]*"/>', r"\1>" + decorative + "</p:cNvPr>",
                      xml)
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide7.xml", mark)
    assert (7, "alt-text") not in _rules(broken)


def test_an_address_as_link_text_is_an_error(deck_23_path, tmp_path):
    last = len(Presentation(str(deck_23_path)).slides)  # « Informations pratiques »
    broken = _broken(deck_23_path, tmp_path / "d.pptx", f"ppt/slides/slide{last}.xml",
                     lambda xml: xml.replace("<a:t>Retrouvez l'actualité de l'ANCT</a:t>", "<a:t>https://anct.gouv.fr/actualites</a:t>"))
    assert (last, "link-text") in _rules(broken)


def test_a_title_read_second_is_an_error(deck_23_path, tmp_path):
    def title_last(xml: str) -> str:
        title = re.search(r"<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Titre\".*?</p:sp>", xml).group()
        return xml.replace(title, "").replace("</p:spTree>", title + "</p:spTree>")
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide2.xml", title_last)
    assert (2, "reading-order") in _rules(broken)


def test_a_slide_without_title_and_a_repeated_title_are_errors(deck_23_path, tmp_path):
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide3.xml",
                     lambda xml: xml.replace("<a:t>Contexte et méthodologie</a:t>", "<a:t>Introduction</a:t>"))
    assert (3, "duplicate-title") in _rules(broken)
    broken = _broken(deck_23_path, tmp_path / "e.pptx", "ppt/slides/slide3.xml",
                     lambda xml: xml.replace("<a:t>Contexte et méthodologie</a:t>", "<a:t></a:t>"))
    assert (3, "slide-title") in _rules(broken)


def test_pale_text_and_small_text_are_errors(deck_23_path, tmp_path):
    # the sources panel's grey before this check (6B7280 on F3F4F6, 4.4:1), then a run at 8 pt
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide15.xml",
                     lambda xml: xml.replace('<a:srgbClr val="636B78"/>', '<a:srgbClr val="6B7280"/>'))
    assert (15, "contrast") in _rules(broken)
    broken = _broken(deck_23_path, tmp_path / "e.pptx", "ppt/slides/slide2.xml",
                     lambda xml: xml.replace('sz="1800"', 'sz="800"', 1))
    assert (2, "small-text") in _rules(broken)


def test_a_table_without_header_row_is_an_error(deck_23_path, tmp_path):
    table = ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="900" name="Tableau" descr="Un tableau"/>'
             '<p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="10" cy="10"/>'
             '</p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl>'
             '<a:tblPr/><a:tblGrid><a:gridCol w="10"/></a:tblGrid></a:tbl></a:graphicData></a:graphic></p:graphicFrame>')
    broken = _broken(deck_23_path, tmp_path / "d.pptx", "ppt/slides/slide2.xml",
                     lambda xml: xml.replace("</p:spTree>", table + "</p:spTree>"))
    assert (2, "table-header") in _rules(broken)
    fixed = _broken(deck_23_path, tmp_path / "e.pptx", "ppt/slides/slide2.xml",
                    lambda xml: xml.replace("</p:spTree>", table.replace("<a:tblPr/>", '<a:tblPr firstRow="1"/>')
                                            + "</p:spTree>"))
    assert (2, "table-header") not in _rules(fixed)


def test_every_deck_of_every_level_has_no_error(all_level_decks):
    assert len(all_level_decks) > 300  # 101 départements and Monaco, 18 régions, France, the TIs
    found = [f for path in all_level_decks for f in check_deck(path)]  # warnings included
    assert [str(f) for f in found[:20]] == []


def test_territoire_decks_have_distinct_slide_titles(all_level_decks):
    """A Territoire d'industrie's deck holds each département's pages: their titles name the département."""
    decks = [path for path in all_level_decks if path.parent.name.startswith("ti-")]
    assert decks
    found = [f for path in decks for f in errors(check_deck(path)) if f.rule == "duplicate-title"]
    assert [str(f) for f in found[:10]] == []
