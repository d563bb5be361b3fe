"""The JSON Schemas (json_schema.py, docs/schema/): valid draft 2020-12 documents, current on disk, and every
JSON output of every level validates against its own (département 23, Monaco 99, Guadeloupe 971, région 75,
France, a Territoire d'industrie, a build)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fichex.cli import app
from fichex.json_contract import SCHEMA_VERSION
from fichex.json_schema import SCHEMAS, schema

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent


def validator(name: str):
    return jsonschema.Draft202012Validator(schema(name))


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_schemas_are_valid_self_contained_and_current_on_disk():
    spec = importlib.util.spec_from_file_location("render_schemas", ROOT / "scripts" / "render_schemas.py")
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    texts = render.rendered()
    assert sorted(p.name for p in (ROOT / "docs" / "schema").glob("*.schema.json")) == sorted(texts)
    for name, text in texts.items():
        assert (ROOT / "docs" / "schema" / name).read_text(encoding="utf-8") == text, \
            f"{name} is stale: python scripts/render_schemas.py"
    for name in SCHEMAS:
        document = schema(name)
        jsonschema.Draft202012Validator.check_schema(document)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert "schema_version" in document["required"]


@pytest.mark.parametrize("args, level", [
    (("figures", "23"), "departement"), (("figures", "99"), "departement"), (("figures", "971"), "departement"),
    (("figures", "75", "--level", "region"), "region"), (("figures", "--level", "france"), "france")])
def test_figures_of_every_level_validate(args, level):
    figures = cli_json(*args)
    validator("figures").validate(figures)
    assert figures["schema_version"] == SCHEMA_VERSION
    assert figures["territoire"]["niveau"] == level
    # « departement » only where the fiche is a département's (issue 28)
    assert ("departement" in figures) is (level == "departement")


def test_a_region_carrying_a_departement_key_is_refused_by_the_schema():
    figures = cli_json("figures", "75", "--level", "region")
    errors = list(validator("figures").iter_errors({**figures, "departement": figures["territoire"]}))
    assert errors
    del figures["territoire"]
    assert list(validator("figures").iter_errors(figures))


def test_a_territoire_d_industrie_validates():
    figures = cli_json("figures", "--territoire", "Creuse Industrie")
    validator("figures-territoire").validate(figures)
    assert figures["territoire"] == {"niveau": "territoire", "code": "creuse-industrie", "nom": "Creuse Industrie"}
    for departement in figures["departements"]:
        validator("figures").validate(departement)


def test_build_json_validates(tmp_path):
    result = CliRunner().invoke(app, ["build", "23", "--territoire", "Creuse Industrie", "--formats", "xlsx",
                                      "--out-dir", str(tmp_path), "--jobs", "1", "--json"])
    assert result.exit_code == 0, result.output
    build = json.loads(result.stdout)
    validator("build").validate(build)
    assert build["schema_version"] == SCHEMA_VERSION
    assert [t["territoire"] for t in build["cibles"]] == [
        {"niveau": "departement", "code": "23", "nom": "Creuse"},
        {"niveau": "territoire", "code": "creuse-industrie", "nom": "Creuse Industrie"}]


def test_every_json_the_suite_makes_is_checked_as_it_is_made(builder):
    # conftest.json_outputs_follow_their_schema wraps the JSON makers for the whole session.
    from conftest import _validated
    from fichex import api, json_contract
    from fichex.batch.results import BuildResult

    assert all(hasattr(f, "__wrapped__") for f in (json_contract.figures_json, api.figures_json,
                                                    json_contract.territoire_json, BuildResult.to_json))
    fiche = builder.build("23", 2024)
    planted = _validated(lambda f: {**json_contract.figures_json(f), "annee": "2024"}, validator("figures"))
    with pytest.raises(jsonschema.ValidationError):
        planted(fiche)
