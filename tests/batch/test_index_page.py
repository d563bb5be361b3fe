"""The output folder's index.html: written by every build that writes a document, describing the whole
folder (earlier builds included), from figures recorded in the manifest, with links that resolve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import IndexPage

from fichex.wording import index_page as index_text, numbers as numbers_text
from fichex.batch import build, index_page, manifest
from fichex.batch.results import FileInfo, TargetResult
from fichex.batch.targets import output_path
from fichex.render.thumbnail import thumbnail_path


def read_page(out_dir: Path) -> IndexPage:
    return IndexPage((out_dir / index_page.INDEX_NAME).read_text(encoding="utf-8"))


def names(page: IndexPage) -> list[str]:
    return [cells[1] for cells in page.rows]


def test_a_build_writes_the_index_with_the_key_figures(tmp_path, fiche_23):
    result = build.build(["87", "23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    assert result.index == tmp_path / "index.html" and result.to_json()["index"] == str(tmp_path / "index.html")
    page = read_page(tmp_path)
    assert names(page) == ["Creuse", "Haute-Vienne"]  # code order, whatever the order asked
    creuse = page.records[0]
    assert list(creuse.values())[:9] == ["23", "Creuse", "Nouvelle-Aquitaine",
                                         numbers_text.format_meur(fiche_23.exports.total_eur),
                                         numbers_text.format_meur(fiche_23.imports.total_eur), "+468.8",
                                         numbers_text.format_pct(fiche_23.exports.share_of_region_pct, 1),
                                         numbers_text.format_pct(fiche_23.exports.share_of_france_pct, 2),
                                         index_text.index_rank(fiche_23.exports.rank, fiche_23.exports.n_departements)]
    assert (creuse["exports"], creuse["imports"]) == ("675.8", "207")  # the model's figures
    assert index_text.index_intro(2, [2024]) in page.texts
    assert index_text.INDEX_DEMO_TITLE in page.texts  # the demonstration dataset is the default
    recorded = manifest.read(tmp_path)["fiches"]["2024/23-creuse"]
    assert recorded["exportations_eur"] == fiche_23.exports.total_eur and recorded["donnees_demonstration"] is True


def test_links_are_relative_and_resolve(tmp_path):
    build.build(["23"], out_dir=tmp_path, formats="xlsx,pptx", jobs=1)
    hrefs = [a["href"] for a in read_page(tmp_path).all("a")]
    assert hrefs == ["2024/23-creuse/commerce-exterieur-23-creuse-2024.xlsx",
                     "2024/23-creuse/commerce-exterieur-23-creuse-2024.pptx"]
    assert all((tmp_path / href).is_file() for href in hrefs)


def test_a_second_build_into_the_folder_lists_both_builds(tmp_path):
    build.build(["87"], out_dir=tmp_path, formats="xlsx", jobs=1)
    assert names(read_page(tmp_path)) == ["Haute-Vienne"]
    build.build(["23"], out_dir=tmp_path, formats="pptx", jobs=1)
    page = read_page(tmp_path)
    assert names(page) == ["Creuse", "Haute-Vienne"]
    assert [a["href"].rsplit(".", 1)[1] for a in page.all("a")] == ["pptx", "xlsx"]


def test_fiches_whose_files_are_gone_are_left_out(tmp_path):
    build.build(["23", "87"], out_dir=tmp_path, formats="xlsx,pptx", jobs=1)
    output_path(tmp_path, 2024, "87", "Haute-Vienne", "xlsx").unlink()
    output_path(tmp_path, 2024, "87", "Haute-Vienne", "pptx").unlink()
    output_path(tmp_path, 2024, "23", "Creuse", "pptx").unlink()
    build.build(["2A"], out_dir=tmp_path, formats="xlsx", jobs=1)
    page = read_page(tmp_path)
    assert names(page) == ["Corse", "Creuse"]
    assert all((tmp_path / a["href"]).is_file() for a in page.all("a"))
    assert len(page.all("a")) == 2


def test_a_build_that_writes_nothing_leaves_the_index_alone(tmp_path):
    build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    page = tmp_path / "index.html"
    page.write_text("gardé", encoding="utf-8")
    again = build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    assert again.results[0].status == "skipped" and page.read_text(encoding="utf-8") == "gardé"
    page.unlink()  # but a folder without one gets it back
    build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    assert names(read_page(tmp_path)) == ["Creuse"]


def test_a_refused_build_writes_no_index(tmp_path):
    with pytest.raises(Exception):
        build.build(["23"], out_dir=tmp_path / "o", year=1990, formats="xlsx", jobs=1)
    assert not (tmp_path / "o").exists()


def test_a_parallel_build_records_every_fiche(tmp_path):
    build.build(["23", "87", "2A", "971"], out_dir=tmp_path, formats="xlsx", jobs=2)
    assert names(read_page(tmp_path)) == ["Corse", "Creuse", "Haute-Vienne", "Guadeloupe"]
    assert sorted(manifest.read(tmp_path)["fiches"]) == ["2024/20-corse", "2024/23-creuse", "2024/87-haute-vienne",
                                                         "2024/971-guadeloupe"]


def test_files_of_an_older_fichex_are_listed_without_figures(tmp_path):
    """A manifest written before the index existed has no « fiches » section: the files are still listed."""
    path = output_path(tmp_path, 2024, "19", "Corrèze", "xlsx")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"classeur")
    entries = {"fichiers": {}}
    manifest.record(entries, TargetResult("19", "Corrèze", "built", [FileInfo.of(path)]),
                    {"annee": 2024, "donnees_demonstration": True}, tmp_path)
    manifest.write(tmp_path, entries)
    index_page.write(tmp_path)
    page = read_page(tmp_path)
    assert list(page.records[0].values())[:4] == ["19", "Corrèze", "Nouvelle-Aquitaine", index_text.INDEX_MISSING]
    assert index_text.index_intro(1, [2024]) in page.texts
    assert [a["href"] for a in page.all("a")] == ["2024/19-correze/commerce-exterieur-19-correze-2024.xlsx"]


def test_entries_that_cannot_be_linked_are_left_out(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"x")
    entries = {"fichiers": {"/ailleurs/a.xlsx": {}, "../a.xlsx": {}, "notes.txt": {}, "2024/x/y.pptx": "pas un dict"},
               "fiches": ["pas un dict"]}
    assert index_page.collect(entries, tmp_path / "sous") == []
    (tmp_path / manifest.MANIFEST_NAME).write_text(json.dumps(entries), encoding="utf-8")
    index_page.write(tmp_path)
    assert index_text.INDEX_EMPTY in read_page(tmp_path).texts


def test_a_hand_edited_figure_record_falls_back_to_the_links(tmp_path):
    build.build(["23"], out_dir=tmp_path, formats="xlsx", jobs=1)
    entries = manifest.read(tmp_path)
    entries["fiches"]["2024/23-creuse"]["exportations_eur"] = "beaucoup"
    manifest.write(tmp_path, entries)
    index_page.write(tmp_path)
    assert list(read_page(tmp_path).records[0].values())[:4] == ["23", "Creuse", "Nouvelle-Aquitaine",
                                                                 index_text.INDEX_MISSING]


@pytest.mark.libreoffice
def test_a_pdf_gets_a_thumbnail_shown_in_the_index(tmp_path):
    import shutil

    if not shutil.which("pdftoppm"):
        pytest.skip("poppler (pdftoppm) n'est pas installé")
    build.build(["23"], out_dir=tmp_path, formats="pdf", jobs=1)
    pdf = output_path(tmp_path, 2024, "23", "Creuse", "pdf")
    png = thumbnail_path(pdf)
    assert png.read_bytes().startswith(b"\x89PNG")
    (image,) = read_page(tmp_path).all("img")
    assert image["src"] == png.relative_to(tmp_path).as_posix() and image["alt"]
    assert sorted(p.name for p in pdf.parent.iterdir()) == sorted([pdf.name, png.name])


def test_a_territoire_is_listed_after_the_departements_with_its_regions_and_departements(tmp_path):
    """Nord Franche-Comté spans Doubs, Haute-Saône and Territoire de Belfort, all three in one région."""
    build.build(["90"], out_dir=tmp_path, formats="xlsx", jobs=1)
    path = output_path(tmp_path, 2024, "ti", "Nord Franche-Comté", "xlsx")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"classeur")
    entries = manifest.read(tmp_path)
    manifest.record(entries, TargetResult("nord-franche-comte", "Nord Franche-Comté", "built", [FileInfo.of(path)],
                                          level="territoire"), {"annee": 2024, "donnees_demonstration": True}, tmp_path)
    manifest.write(tmp_path, entries)
    index_page.write(tmp_path)
    page = read_page(tmp_path)
    assert [cells[0] for cells in page.rows] == ["90", "TI"]
    ti = page.records[1]
    assert ti["region"] == "Bourgogne-Franche-Comté"
    assert ti["name"] == (index_text.index_territoire_name("Nord Franche-Comté") + index_text.index_territoire_departements(
        (("25", "Doubs"), ("70", "Haute-Saône"), ("90", "Territoire de Belfort"))))
    search = [tr["data-search"] for tr in page.all("tr") if "data-search" in tr][1]
    assert "25 doubs" in search and "70 haute saone" in search
