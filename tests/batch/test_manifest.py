"""The build manifest: reading, writing, recording files with their provenance, and up-to-date checks."""

from __future__ import annotations

import pytest

from fichex.batch import manifest
from fichex.batch.results import FileInfo, TargetResult
from fichex.batch.targets import output_path
from fichex.data.reference import Departement

CREUSE = Departement("23", "Creuse", "75", "Nouvelle-Aquitaine")
FINGERPRINT = "a" * 64


def built_files(out_dir, formats=("xlsx", "pptx")) -> TargetResult:
    """Creuse's files written on disk, as a built target."""
    files = []
    for fmt in formats:
        path = output_path(out_dir, 2024, CREUSE.code, CREUSE.nom, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"contenu {fmt}".encode())
        files.append(FileInfo.of(path))
    return TargetResult(CREUSE.code, CREUSE.nom, "built", files)


@pytest.fixture
def recorded(tmp_path):
    """An output folder holding Creuse's files and a manifest recording them."""
    result = built_files(tmp_path)
    entries = {"fichiers": {}}
    manifest.record(entries, result, {"empreinte_entrees": FINGERPRINT, "annee": 2024}, tmp_path)
    return tmp_path, entries, result


def test_read_a_missing_manifest(tmp_path):
    assert manifest.read(tmp_path) == {"fichiers": {}}
    assert manifest.read(tmp_path / "absent") == {"fichiers": {}}


@pytest.mark.parametrize("content", [b"{not json", b"", b"\xff\xfe\x00"], ids=["truncated", "empty", "not_utf8"])
def test_read_a_corrupt_manifest(tmp_path, content):
    (tmp_path / manifest.MANIFEST_NAME).write_bytes(content)
    assert manifest.read(tmp_path) == {"fichiers": {}}


def test_write_then_read(tmp_path):
    entries = {"fichiers": {"out/2024/23-creuse/a.xlsx": {"sha256": "0" * 64, "size": 3, "commande": "fichex build « 23 »"}}}
    manifest.write(tmp_path, entries)
    assert [p.name for p in tmp_path.iterdir()] == [manifest.MANIFEST_NAME]
    assert manifest.read(tmp_path) == entries
    assert "« 23 »" in (tmp_path / manifest.MANIFEST_NAME).read_text(encoding="utf-8")


def test_record_adds_one_entry_per_file_with_provenance(recorded):
    out_dir, entries, result = recorded
    assert sorted(entries["fichiers"]) == ["2024/23-creuse/commerce-exterieur-23-creuse-2024.pptx",
                                           "2024/23-creuse/commerce-exterieur-23-creuse-2024.xlsx"]
    for info in result.files:
        assert entries["fichiers"][manifest.key_of(out_dir, info.path)] == {"sha256": info.sha256, "size": info.size, "departement": "23",
                                                      "niveau": "departement", "nom": "Creuse",
                                                  "empreinte_entrees": FINGERPRINT, "annee": 2024}


def test_up_to_date_files(recorded):
    out_dir, entries, result = recorded
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pptx"), out_dir, entries, FINGERPRINT) == result.files
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx",), out_dir, entries, FINGERPRINT) == result.files[:1]


def test_up_to_date_after_a_round_trip_through_the_file(recorded):
    out_dir, entries, result = recorded
    manifest.write(out_dir, entries)
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pptx"), out_dir, manifest.read(out_dir), FINGERPRINT) \
        == result.files


def test_not_up_to_date_when_the_fingerprint_differs(recorded):
    out_dir, entries, _ = recorded
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pptx"), out_dir, entries, "b" * 64) is None


@pytest.mark.parametrize("change", ["same_size", "other_size", "deleted"])
def test_not_up_to_date_when_a_file_changed_on_disk(recorded, change):
    out_dir, entries, result = recorded
    path = output_path(out_dir, 2024, "23", "Creuse", "pptx")
    if change == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"CONTENU PPTX" if change == "same_size" else b"autre contenu, plus long")
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pptx"), out_dir, entries, FINGERPRINT) is None
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx",), out_dir, entries, FINGERPRINT) == result.files[:1]


def test_not_up_to_date_for_a_format_never_built(recorded):
    out_dir, entries, _ = recorded
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pdf"), out_dir, entries, FINGERPRINT) is None
    assert manifest.up_to_date(CREUSE, 2023, ("xlsx",), out_dir, entries, FINGERPRINT) is None


@pytest.fixture
def inputs(tmp_path):
    data = tmp_path / "commerce.parquet"
    data.write_bytes(b"donnees")
    template_a, template_b = tmp_path / "a.pptx", tmp_path / "b.pptx"
    template_a.write_bytes(b"modele a")
    template_b.write_bytes(b"modele b")
    return data, template_a, template_b


def test_inputs_fingerprint_follows_year_formats_options_and_data(inputs):
    data, template, _ = inputs
    base = manifest.inputs_fingerprint(str(data), template, 2024, ("xlsx", "pptx"), {"data": None})
    assert len(base) == 64
    assert manifest.inputs_fingerprint(str(data), template, 2024, ("xlsx", "pptx"), {"data": None}) == base
    others = {
        manifest.inputs_fingerprint(str(data), template, 2023, ("xlsx", "pptx"), {"data": None}),
        manifest.inputs_fingerprint(str(data), template, 2024, ("xlsx",), {"data": None}),
        manifest.inputs_fingerprint(str(data), template, 2024, ("xlsx", "pptx"), {"data": "donnees"}),
    }
    assert base not in others and len(others) == 3
    data.write_bytes(b"autres donnees")
    assert manifest.inputs_fingerprint(str(data), template, 2024, ("xlsx", "pptx"), {"data": None}) != base


def test_inputs_fingerprint_ignores_the_template_without_a_deck(inputs):
    data, template_a, template_b = inputs

    def fingerprint(template, formats):
        return manifest.inputs_fingerprint(str(data), template, 2024, formats, {})

    assert fingerprint(template_a, ("xlsx",)) == fingerprint(template_b, ("xlsx",)) == fingerprint(None, ("xlsx",))
    assert fingerprint(template_a, ("pptx",)) != fingerprint(template_b, ("pptx",))
    assert fingerprint(template_a, ("pdf",)) != fingerprint(template_b, ("pdf",))
    assert fingerprint(None, ("pptx",)) != fingerprint(template_a, ("pptx",))  # the bundled template counts


def test_inputs_fingerprint_follows_the_brand_beside_the_template(inputs):
    data, template, _ = inputs
    before = manifest.inputs_fingerprint(str(data), template, 2024, ("pptx",), {})
    (template.parent / "brand.toml").write_text('contact = "a@exemple.fr"\n', encoding="utf-8")
    with_brand = manifest.inputs_fingerprint(str(data), template, 2024, ("pptx",), {})
    (template.parent / "brand.toml").write_text('contact = "b@exemple.fr"\n', encoding="utf-8")
    edited = manifest.inputs_fingerprint(str(data), template, 2024, ("pptx",), {})
    assert len({before, with_brand, edited}) == 3  # a new or edited brand.toml rebuilds the decks


def test_code_fingerprint_is_stable():
    digest = manifest.code_fingerprint()
    assert digest == manifest.code_fingerprint()
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_code_fingerprint_follows_every_source_file(tmp_path):
    """A copy of the package has the package's fingerprint; editing, adding, moving or removing one source
    file, or editing a reference table, changes it (a fingerprint hashing no file would fail here)."""
    import shutil

    from fichex.resources import package_dir, reference_dir

    code, tables = tmp_path / "fichex", tmp_path / "data"
    shutil.copytree(package_dir(), code, ignore=shutil.ignore_patterns("__pycache__", "_data", "_templates"))
    shutil.copytree(reference_dir(), tables)
    seen = {manifest.code_fingerprint(code, tables)}
    assert seen == {manifest.code_fingerprint()}

    def changed() -> bool:
        digest = manifest.code_fingerprint(code, tables)
        fresh = digest not in seen
        seen.add(digest)
        return fresh

    source = code / "render" / "theme.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert changed()
    (code / "render" / "added.py").write_text("X = 1\n", encoding="utf-8")
    assert changed()
    (code / "render" / "added.py").rename(code / "aggregation" / "added.py")
    assert changed()
    (code / "aggregation" / "added.py").unlink()
    source.unlink()
    assert changed()
    table = sorted(tables.glob("*.csv"))[0]
    table.write_bytes(table.read_bytes() + b"\n")
    assert changed()
    assert manifest.code_fingerprint(tmp_path / "vide", tmp_path / "vide") not in seen


@pytest.mark.parametrize("content", ["{}", "[]", '{"fichiers": []}', "null"])
def test_a_manifest_of_the_wrong_shape_reads_as_empty(tmp_path, content):
    (tmp_path / manifest.MANIFEST_NAME).write_text(content, encoding="utf-8")
    assert manifest.read(tmp_path) == {"fichiers": {}}


def test_keys_do_not_depend_on_how_the_folder_is_spelled(tmp_path, monkeypatch):
    result = built_files(tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    relative, absolute = {"fichiers": {}}, {"fichiers": {}}
    manifest.record(relative, result, {"empreinte_entrees": FINGERPRINT}, manifest.Path("out"))
    manifest.record(absolute, result, {"empreinte_entrees": FINGERPRINT}, tmp_path / "out")
    assert relative == absolute
    assert manifest.up_to_date(CREUSE, 2024, ("xlsx", "pptx"), manifest.Path("out"), absolute, FINGERPRINT)


def test_update_merges_with_what_is_on_disk(tmp_path):
    first = built_files(tmp_path)
    manifest.update(tmp_path, first, {"empreinte_entrees": FINGERPRINT})
    other = TargetResult("87", "Haute-Vienne", "built", [])
    path = output_path(tmp_path, 2024, "87", "Haute-Vienne", "xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    other.files = [FileInfo.of(path)]
    manifest.update(tmp_path, other, {"empreinte_entrees": FINGERPRINT})
    assert len(manifest.read(tmp_path)["fichiers"]) == 3
