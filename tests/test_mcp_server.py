"""`fichex mcp` (mcp_server.py) started as a real process over stdio and driven by the SDK's own client: the
tools, their output schemas (the client validates every structured result against them) and hints, results
equal to the CLI's `--json`, the bounded query, the sandboxed build and the resources."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fichex.cli import app

anyio = pytest.importorskip("anyio")
pytest.importorskip("mcp")

from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402

SRC = str(Path(__file__).resolve().parent.parent / "src")


def server_params(out_dir: Path) -> StdioServerParameters:
    """`python -m fichex mcp --out-dir OUT`, with this checkout's code and the suite's aggregate cache (the
    SDK passes only a few variables of the environment on)."""
    env = {key: os.environ[key] for key in ("FICHEX_CACHE", "FICHEX_DATA") if key in os.environ}
    env["PYTHONPATH"] = os.pathsep.join([SRC, *filter(None, [os.environ.get("PYTHONPATH")])])
    return StdioServerParameters(command=sys.executable, args=["-m", "fichex", "mcp", "--out-dir", str(out_dir)],
                                 env=env)


def with_server(out_dir: Path, session):
    """Run `session(client)` against a fresh server and return what it returns."""
    async def main():
        async with Client(server_params(out_dir), read_timeout_seconds=300) as client:
            return await session(client)
    return anyio.run(main)


def cli_json(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cli_error(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 1
    return result.stderr.strip().removeprefix("Erreur : ")


def test_read_only_tools_and_results_equal_the_cli_json(tmp_path):
    async def session(client):
        tools = (await client.list_tools()).tools
        calls = {
            "23": await client.call_tool("chiffres_cles", {"code": "23"}),
            "r75": await client.call_tool("chiffres_cles", {"code": "75", "niveau": "region"}),
            "fr": await client.call_tool("chiffres_cles", {"niveau": "france"}),
            "ti": await client.call_tool("territoire_industrie", {"nom": "Creuse Industrie"}),
            "unknown": await client.call_tool("chiffres_cles", {"code": "96"}),
            "exposition": await client.call_tool("exposition", {"code": "87"}),
            "evolution": await client.call_tool("evolution", {"code": "75", "niveau": "region"}),
            "comparer": await client.call_tool("comparer", {"codes": ["23", "87", "19"]}),
            "lister": await client.call_tool("lister", {"quoi": "territoires"}),
            "infos": await client.call_tool("infos_donnees", {}),
        }
        return tools, calls

    tools, calls = with_server(tmp_path, session)
    by_name = {tool.name: tool for tool in tools}
    assert len(by_name) >= 8
    for name, tool in by_name.items():
        assert tool.output_schema and tool.output_schema["$schema"].endswith("2020-12/schema"), name
        assert tool.annotations.read_only_hint is (name != "construire"), name
        assert tool.description
    # Structured content equal to the CLI's JSON (the client has validated it against the output schema).
    assert calls["23"].structured_content == cli_json("figures", "23")
    assert calls["r75"].structured_content == cli_json("figures", "75", "--level", "region")
    assert calls["fr"].structured_content == cli_json("figures", "--level", "france")
    assert calls["ti"].structured_content == cli_json("figures", "--territoire", "Creuse Industrie")
    assert "departement" not in calls["r75"].structured_content  # a région's JSON names no département
    assert json.loads(calls["23"].content[0].text) == calls["23"].structured_content
    # A fichex error is a tool error whose text is the CLI's one French line.
    assert calls["unknown"].is_error and calls["unknown"].content[0].text == cli_error("figures", "96")
    assert calls["exposition"].structured_content["exposition"] == cli_json("figures", "87")["exposition"]
    assert calls["evolution"].structured_content["territoire"]["nom"] == "Nouvelle-Aquitaine"
    ranked = calls["comparer"].structured_content["territoires"]
    values = [row["valeur"] for row in ranked]
    assert values == sorted(values, reverse=True) and [row["rang"] for row in ranked] == [1, 2, 3]
    assert calls["lister"].structured_content["elements"][0]["territoire_industrie"]
    assert calls["infos"].structured_content["donnees_demonstration"] is True


def test_interroger_is_capped_refuses_unknown_fields_and_sums_as_duckdb(tmp_path, demo_trade):
    import duckdb

    async def session(client):
        return {
            "pays": await client.call_tool("interroger", {"grouper_par": ["code_pays"], "annees": [2024],
                                                          "flux": ["E"], "territoires": ["23"], "limite": 5}),
            "all": await client.call_tool("interroger", {"grouper_par": ["code_departement", "code_pays",
                                                                         "code_a129"], "limite": 200}),
            "paris": await client.call_tool("interroger", {"grouper_par": ["annee", "flux"],
                                                           "territoires": ["75"], "produits": ["D35Z"]}),
            "unknown": await client.call_tool("interroger", {"grouper_par": ["valeur_eur; DROP TABLE trade"]}),
            "too_many": await client.call_tool("interroger", {"limite": 201}),
            "territory": await client.call_tool("interroger", {"territoires": ["2A"]}),
        }

    calls = with_server(tmp_path, session)
    pays = calls["pays"].structured_content
    assert len(pays["lignes"]) == 5 and pays["tronque"] and pays["nb_groupes"] > 5
    everything = calls["all"].structured_content
    assert len(everything["lignes"]) == 200 and everything["nb_groupes"] > 200
    for name in ("unknown", "too_many", "territory"):
        text = calls[name].content[0].text
        assert calls[name].is_error and "\n" not in text and "Error" not in text, text
    assert calls["unknown"].content[0].text.startswith("grouper_par : champ inconnu « valeur_eur; DROP TABLE trade »")
    assert calls["too_many"].content[0].text.startswith("limite : 201 hors de 1 à 200")
    # The sums are DuckDB's own over the Parquet file.
    path = str(demo_trade.store.path).replace("'", "''")
    expected = duckdb.sql(f"""SELECT code_pays, SUM(valeur_eur) AS v, SUM(masse_kg) AS m, COUNT(*) AS n
                              FROM read_parquet('{path}') WHERE annee = 2024 AND flux = 'E'
                              AND code_departement = '23' GROUP BY code_pays ORDER BY v DESC, code_pays
                              LIMIT 5""").fetchall()
    assert [(r["code_pays"], r["valeur_eur"], r["masse_kg"], r["lignes"]) for r in pays["lignes"]] == [
        (code, pytest.approx(v), pytest.approx(m), n) for code, v, m, n in expected]
    # What the sum carries: demonstration, period, the caveats that apply (Paris's energy imports, years compared).
    paris = calls["paris"].structured_content
    assert paris["donnees_demonstration"] is True and paris["periode"]["annees"] == [2022, 2023, 2024, 2025]
    assert paris["periode"]["libelles"][-1] == "2025 (1er trimestre)"
    warnings = " ".join(paris["avertissements"])
    assert "lieu de dédouanement" in warnings and "Paris (75)" in warnings and "EMEBI" in warnings
    assert "Année partielle" in warnings


def test_construire_stays_in_its_folder_and_reports_the_manifest_sha256(tmp_path):
    out = tmp_path / "sortie"
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    out.mkdir()
    (out / "lien").symlink_to(outside, target_is_directory=True)
    progress = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    async def session(client):
        refused = {folder: await client.call_tool("construire", {"codes": ["23"], "dossier": folder})
                   for folder in ("..", "../ailleurs", "a/../../ailleurs", str(outside), "/tmp", "lien")}
        built = await client.call_tool("construire", {"codes": ["23", "87"], "formats": "xlsx",
                                                      "dossier": "lot/un"}, progress_callback=on_progress)
        return refused, built

    refused, built = with_server(out, session)
    for folder, result in refused.items():
        assert result.is_error and result.content[0].text.startswith(f"dossier : « {folder} » sort du dossier"), folder
    assert not any(outside.iterdir()) and not (tmp_path / "lot").exists()
    assert not built.is_error, built.content
    files = built.structured_content["fichiers"]
    manifest = json.loads((out / "lot" / "un" / "fichex-manifest.json").read_text(encoding="utf-8"))["fichiers"]
    assert len(files) == 2
    for entry in files:
        path = out / entry["chemin"]
        assert path.is_file() and entry["chemin"].startswith("lot/un/2024/")
        key = path.relative_to(out / "lot" / "un").as_posix()
        assert entry["sha256"] == manifest[key]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    links = [block for block in built.content if block.type == "resource_link"]
    assert [link.uri for link in links] == [entry["uri"] for entry in files]
    assert [link.uri for link in links] == [(out / entry["chemin"]).as_uri() for entry in files]
    assert [done for done, _, _ in progress] == [1, 2] and {total for _, total, _ in progress} == {2}


def test_resources_method_fiches_and_lists(tmp_path):
    async def session(client):
        listed = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
        method = (await client.read_resource("fichex://methode")).contents[0].text
        fiche = (await client.read_resource("fichex://fiche/departement/23/2024")).contents[0].text
        regions = (await client.read_resource("fichex://listes/regions")).contents[0].text
        return listed, templates, method, fiche, regions

    listed, templates, method, fiche, regions = with_server(tmp_path, session)
    assert {str(r.uri) for r in listed} >= {"fichex://methode", "fichex://listes/departements",
                                            "fichex://listes/regions", "fichex://listes/territoires"}
    assert [t.uri_template for t in templates] == ["fichex://fiche/{niveau}/{code}/{annee}"]
    assert "lieu de dédouanement" in method and "schema_version" in method
    assert json.loads(fiche) == cli_json("figures", "23", "--year", "2024")
    assert json.loads(regions)[0].keys() >= {"code_region", "region"}
