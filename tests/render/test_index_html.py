"""The index page's HTML, from rows to text: escaping, relative links, headers, banner, no outside URL."""

from __future__ import annotations

import pytest
from conftest import IndexPage

from fichex.wording import index_page as index_text
from fichex.render.index_html import (IndexFigures, IndexLink, IndexRow, code_sort_key, render_index,
                                      row_sort_key, search_text)

FIGURES = IndexFigures(exports_eur=675_800_000.0, imports_eur=207_000_000.0, share_of_region_pct=2.5,
                       share_of_france_pct=0.12, rank=91, ranked=101)
FIGURE_COLUMNS = ("exports", "imports", "balance", "share_region", "share_france", "rank")
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> « Côte-d\'Or »'


def row(code="23", name="Creuse", region="Nouvelle-Aquitaine", figures=FIGURES, demonstration=True,
        thumbnail=None, kinds=("xlsx", "pptx")) -> IndexRow:
    folder = f"2024/{code.lower()}-x"
    links = tuple(IndexLink(kind, f"{folder}/commerce-exterieur-{code.lower()}-x-2024.{kind}", 139_000)
                  for kind in kinds)
    return IndexRow(code, name, region, 2024, links, figures, demonstration, thumbnail=thumbnail,
                    thumbnail_size=(267, 150) if thumbnail else None)


def test_a_hostile_name_is_escaped():
    text = render_index([row(name=HOSTILE, region=HOSTILE)])
    page = IndexPage(text)
    assert '<script>alert("x")' not in text and "<img src=x" not in text
    assert len(page.all("script")) == 1 and not page.all("script")[0]  # only the page's own, inline
    assert [img for img in page.all("img")] == []
    assert page.rows[0][1] == HOSTILE and page.rows[0][2] == HOSTILE  # shown as text, as it is
    assert all("onerror" not in attributes for _, attributes in page.elements)


def test_links_are_relative_and_name_the_fiche():
    page = IndexPage(render_index([row(kinds=("xlsx", "pptx", "pdf"), thumbnail="2024/23-x/apercu.png")]))
    hrefs = [a["href"] for a in page.all("a")]
    assert hrefs == ["2024/23-x/commerce-exterieur-23-x-2024.xlsx", "2024/23-x/commerce-exterieur-23-x-2024.pptx",
                     "2024/23-x/commerce-exterieur-23-x-2024.pdf", "2024/23-x/commerce-exterieur-23-x-2024.pdf"]
    assert "Excel, fiche Creuse 2024" in "".join(page.rows[0])
    (image,) = page.all("img")
    assert image["src"] == "2024/23-x/apercu.png"
    assert image["alt"] == index_text.index_thumbnail_alt("Creuse", 2024)
    assert (image["width"], image["height"]) == ("112", "63")


def test_nothing_is_fetched_from_outside():
    text = render_index([row(kinds=("xlsx", "pptx", "pdf"), thumbnail="2024/23-x/apercu.png")])
    page = IndexPage(text)
    for _, attributes in page.elements:
        for name in ("href", "src", "action"):
            assert ":" not in attributes.get(name, "") and not attributes.get(name, "").startswith("/")
    assert not page.all("link") and all("src" not in s for s in page.all("script"))
    assert "http" not in text and "@import" not in text and "url(" not in text


def test_figures_are_written_as_the_model_writes_them():
    page = IndexPage(render_index([row(figures=IndexFigures(1_109_100_000.0, 1_200_000_000.0, 4.21, 0.186, 1, 101,
                                                      region_complete=False))]))
    assert {key: page.records[0][key] for key in ("code", "name", "region", *FIGURE_COLUMNS)} == {
        "code": "23", "name": "Creuse", "region": "Nouvelle-Aquitaine", "exports": "1\u202f109.1", "imports": "1\u202f200",
        "balance": "\u221290.9", "share_region": "4.2% *", "share_france": "0.19%", "rank": "1er sur 101"}
    assert index_text.INDEX_PARTIAL_NOTE in page.texts
    sort_values = [td.get("data-sort") for td in page.all("td")][2:8]  # after the code and the région
    assert sort_values == ["1109100000.0", "1200000000.0", "-90900000.0", "4.21", "0.186", "1.0"]


def test_a_positive_balance_carries_its_sign():
    record = IndexPage(render_index([row()])).records[0]
    assert [record[key] for key in ("exports", "imports", "balance")] == ["675.8", "207", "+468.8"]


def test_a_fiche_without_recorded_figures_shows_dashes_sorted_last():
    page = IndexPage(render_index([row(figures=None)]))
    assert [page.records[0][key] for key in FIGURE_COLUMNS] == [index_text.INDEX_MISSING] * 6
    assert [td.get("data-sort") for td in page.all("td")][2:8] == [""] * 6


def test_table_structure_for_screen_readers():
    page = IndexPage(render_index([row(), row("87", "Haute-Vienne")]))
    assert page.html_lang == "fr"
    assert index_text.INDEX_CAPTION in page.texts
    headers = [th for th in page.all("th") if th.get("scope") == "col"]
    assert len(headers) == 10  # no year column for one year, no thumbnail column without thumbnails
    assert page.columns == ["code", "name", "region", *FIGURE_COLUMNS, "documents"]
    sortable = [th for th in headers if "data-type" in th]
    assert len(sortable) == 9
    assert [th.get("aria-sort") for th in headers].count("ascending") == 1 and headers[0]["aria-sort"] == "ascending"
    assert len(page.all("button")) == 9 and all(b.get("type") == "button" for b in page.all("button"))
    assert [th.get("scope") for th in page.all("th")].count("row") == 2
    (label,) = page.all("label")
    assert label["for"] == "filtre" and {"id": "filtre"}.items() <= page.all("input")[0].items()
    assert page.all("input")[0]["type"] == "search"


def test_year_and_thumbnail_columns_only_when_they_say_something():
    page = IndexPage(render_index([row(), IndexRow("23", "Creuse", "Nouvelle-Aquitaine", 2023, (), FIGURES)]))
    assert page.columns == ["code", "name", "region", "year", *FIGURE_COLUMNS, "documents"]
    assert [record["year"] for record in page.records] == ["2024", "2023"]
    assert index_text.INDEX_FILTER_LABEL_YEARS in page.texts
    partial = IndexPage(render_index([IndexRow("23", "Creuse", "Nouvelle-Aquitaine", 2025, (), FIGURES,
                                          period="2025 (1er trimestre)")]))
    assert partial.records[0]["year"] == "2025 (1er trimestre)"
    with_pdf = IndexPage(render_index([row(kinds=("pdf",), thumbnail="2024/23-x/apercu.png"), row("87", "Haute-Vienne")]))
    assert with_pdf.columns[-2:] == ["documents", "thumbnail"]
    assert with_pdf.records[1]["thumbnail"] == ""


def test_the_demonstration_banner():
    demo = IndexPage(render_index([row(), row("87", "Haute-Vienne")]))
    assert index_text.INDEX_DEMO_TITLE in demo.texts
    assert any("toutes les fiches de ce dossier" in t for t in demo.texts)
    assert index_text.INDEX_DEMO_BADGE not in demo.texts  # all are: no badge per row

    real = IndexPage(render_index([row(demonstration=False)]))
    assert index_text.INDEX_DEMO_TITLE not in real.texts and not [p for p in real.all("p") if p.get("class") == "demo"]

    mixed = IndexPage(render_index([row(), row("87", "Haute-Vienne", demonstration=False)]))
    assert index_text.INDEX_DEMO_TITLE in mixed.texts
    assert index_text.INDEX_DEMO_BADGE in mixed.rows[0][1] and index_text.INDEX_DEMO_BADGE not in mixed.rows[1][1]


def test_an_empty_folder_says_so():
    page = IndexPage(render_index([]))
    assert index_text.INDEX_EMPTY in page.texts and not page.all("table") and not page.all("script")


def test_rows_keep_the_order_given_and_search_text_is_folded():
    page = IndexPage(render_index([row("2A", "Corse-du-Sud", "Corse"), row("971", "Guadeloupe", "Guadeloupe")]))
    assert [cells[0] for cells in page.rows] == ["2A", "971"]
    assert [tr["data-search"] for tr in page.all("tr") if "data-search" in tr] == [
        "corse du sud 2a corse 2024", "guadeloupe 971 guadeloupe 2024"]
    assert search_text("Côte-d'Or", "Provence-Alpes-Côte d’Azur") == "cote d or provence alpes cote d azur"


@pytest.mark.parametrize("codes", [["01", "19", "2A", "2B", "21", "95", "971", "976"], ["19", "20", "21"]])
def test_codes_sort_in_the_cog_order(codes):
    assert sorted(codes, key=code_sort_key) == codes
    assert sorted(reversed(codes), key=code_sort_key) == codes


def test_france_has_no_rank_to_sort_and_goes_last():
    from dataclasses import replace

    france = row(code="FR", name="France entière", figures=replace(FIGURES, level="france", rank=1, ranked=1))
    text = render_index([france])
    # its share of the région, of France and its rank: no sort value, so the script puts them last both ways
    sort_values = {td.get("data-label"): td.get("data-sort") for td in IndexPage(text).all("td")}
    assert [sort_values[index_text.INDEX_COLUMNS[key]] for key in ("share_region", "share_france", "rank")] == [""] * 3
    assert "-1.0" not in sort_values.values()


def test_rows_sort_by_level_then_code():
    from dataclasses import replace

    region = row(code="R75", name="Région Nouvelle-Aquitaine", figures=replace(FIGURES, level="region", rank=10, ranked=18))
    france = row(code="FR", name="France entière", figures=replace(FIGURES, level="france"))
    rows = [row("TI", "Territoire d'industrie – Creuse Industrie", figures=None), france, region, row("971"), row("2A"), row("23")]
    assert [r.level for r in rows] == ["territoire", "france", "region", "departement", "departement", "departement"]
    assert [r.code for r in sorted(rows, key=row_sort_key)] == ["2A", "23", "971", "R75", "FR", "TI"]

    def code_sort_values(rows):
        return [td["data-sort"] for td in IndexPage(render_index(rows)).all("td") if "data-label" not in td
                and "data-sort" in td]

    # sorting the page by its code column gives the rows' own order
    assert sorted(code_sort_values(rows)) == code_sort_values(sorted(rows, key=row_sort_key))


def test_a_region_rank_sorts_after_the_departements_ranks():
    from dataclasses import replace

    region = row(code="R75", name="Région Nouvelle-Aquitaine", figures=replace(FIGURES, level="region", rank=10, ranked=18))
    page = IndexPage(render_index([row(), region]))
    ranks = [td for td in page.all("td") if td.get("data-label") == index_text.INDEX_COLUMNS["rank"]]
    assert [(td["data-sort"], td.get("data-group")) for td in ranks] == [("91.0", None), ("10.0", "1")]


def test_a_territoire_shows_its_regions_and_departements_and_is_found_by_them():
    ti = IndexRow("TI", "Territoire d'industrie – Nord Franche-Comté", "Bourgogne-Franche-Comté", 2024, (), None,
                  departements=(("25", "Doubs"), ("70", "Haute-Saône"), ("90", "Territoire de Belfort")))
    page = IndexPage(render_index([ti]))
    assert page.records[0]["region"] == "Bourgogne-Franche-Comté"
    assert index_text.index_territoire_departements(ti.departements) in page.texts
    assert page.records[0]["name"].endswith("Doubs (25), Haute-Saône (70), Territoire de Belfort (90)")
    (search,) = [tr["data-search"] for tr in page.all("tr") if "data-search" in tr]
    assert " 25 doubs " in f" {search} " and " 90 territoire de belfort" in search and "haute saone" in search


def test_every_cell_but_the_name_and_links_carries_its_header_for_the_cards():
    page = IndexPage(render_index([row(kinds=("pdf",), thumbnail="2024/23-x/apercu.png")]))
    labelled = [td["data-label"] for td in page.all("td") if "data-label" in td]
    assert labelled == [index_text.INDEX_COLUMNS[key] for key in ("region", *FIGURE_COLUMNS)]
