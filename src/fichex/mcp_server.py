"""`fichex mcp`: the library as a Model Context Protocol server over stdio (the official `mcp` SDK, an optional
extra imported only here).

Every tool calls a `fichex.api` function and returns its JSON as structured content, validated by clients
against the tool's output schema (`json_schema.py`). The read-only tools carry the read-only hint; `construire`
writes only inside the server's output folder; a fichex error is a tool error whose text is the CLI's one
French line. Library calls are serialised (the SDK runs tools on worker threads; one DuckDB connection).
"""

# No `from __future__ import annotations`: the SDK reads the tools' annotations (their input schemas, the
# Context parameter) as objects, and the SDK's types are imported inside the functions (mcp is optional).
import json
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from fichex import api
from fichex.errors import FichexError, OutputError
from fichex.json_contract import SCHEMA_VERSION
from fichex.json_schema import schema
from fichex.wording import mcp as mcp_text

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf", "html": "text/html", "png": "image/png"}
READ_ONLY_TOOLS = ("chiffres_cles", "lister", "comparer", "exposition", "evolution", "territoire_industrie",
                   "infos_donnees", "interroger", "verifier_modele")
OUTPUT_SCHEMAS = {"chiffres_cles": "figures", "lister": "mcp-lister", "comparer": "mcp-comparer",
                  "exposition": "mcp-exposition", "evolution": "mcp-evolution",
                  "territoire_industrie": "figures-territoire", "infos_donnees": "mcp-infos-donnees",
                  "interroger": "mcp-interroger", "construire": "mcp-construire",
                  "verifier_modele": "mcp-verifier-modele"}


class Library:
    """What the tools share: the data (loaded once, on first use), the output folder, one lock."""

    def __init__(self, out_dir: Path, data: Path | None = None) -> None:
        self.out_dir = Path(out_dir).resolve()
        self.data_path = data
        self.lock = threading.Lock()
        self._trade = None

    @property
    def trade(self):
        if self._trade is None:
            self._trade = api.load(self.data_path)
        return self._trade

    def call(self, action: Callable[[], dict]) -> dict:
        with self.lock:
            return action()

    def target_folder(self, folder: str) -> Path:
        """`folder` inside the output folder, or an error: no absolute path, no « .. », no link out of it.

        Raises:
            OutputError: the folder would be outside the output folder.
        """
        parts = PurePosixPath(folder.replace("\\", "/")) if folder else PurePosixPath(".")
        if parts.is_absolute() or ".." in parts.parts or Path(folder).is_absolute() or (folder[1:2] == ":"):
            raise OutputError(mcp_text.path_outside(folder))
        target = (self.out_dir / parts).resolve()
        if target != self.out_dir and self.out_dir not in target.parents:
            raise OutputError(mcp_text.path_outside(folder))
        return target


def fiche_part(figures: dict) -> dict:
    """What every fiche-level tool output starts with (the territory, year, period and provenance)."""
    return {"schema_version": SCHEMA_VERSION, "territoire": figures["territoire"], "annee": figures["annee"],
            "periode": figures["periode"], "donnees_demonstration": figures["donnees_demonstration"],
            "source_donnees": figures["source_donnees"]}


def create_server(out_dir: Path | str, data: Path | str | None = None):
    """The MCP server: its tools, resources and instructions, not yet running.

    Raises:
        DependencyError: the `mcp` package is not installed (`pip install 'fichex[mcp]'`).
    """
    try:
        from mcp.server.mcpserver import MCPServer
        from mcp.server.mcpserver.exceptions import ResourceError
    except ImportError as exc:
        from fichex.errors import DependencyError

        raise DependencyError(mcp_text.MCP_MISSING) from exc
    from fichex.version import __version__

    library = Library(Path(out_dir), Path(data) if data else None)
    server = MCPServer("fichex", version=__version__, instructions=mcp_text.SERVER_INSTRUCTIONS,
                       tools=tools(library), log_level="WARNING")

    @server.resource("fichex://methode", name="methode", title=mcp_text.RESOURCE_METHOD_TITLE, mime_type="text/plain")
    def method() -> str:
        return mcp_text.method_text()

    @server.resource("fichex://fiche/{niveau}/{code}/{annee}", name="fiche", mime_type="application/json",
                     description="Le JSON de « fichex figures CODE --level NIVEAU --year ANNEE --json ».")
    def fiche(niveau: str, code: str, annee: str) -> str:
        try:
            figures = library.call(lambda: api.key_figures(code, int(annee), data=library.trade, level=niveau))
        except (FichexError, ValueError) as exc:
            raise ResourceError(str(exc)) from exc
        return json.dumps(figures, ensure_ascii=False)

    for kind in api.LISTABLE:
        server.resource(f"fichex://listes/{kind}", name=f"liste-{kind}", mime_type="application/json")(
            listing_text(kind))
    return server


def listing_text(kind: str) -> Callable[[], str]:
    """The reader of one reference list's resource (a function without parameters, as the SDK wants)."""
    def read() -> str:
        return json.dumps(api.listing(kind), ensure_ascii=False)
    return read


def serve(out_dir: Path | str, data: Path | str | None = None) -> None:
    """Run the server on stdin and stdout until the client closes them (`fichex mcp`)."""
    create_server(out_dir, data).run("stdio")


def tools(library: Library) -> list:
    """The tools, each with its description, output schema and hints."""
    from mcp.server.mcpserver.tools import Tool
    from mcp_types import ToolAnnotations

    functions = tool_functions(library)
    registered = []
    for name, function in functions.items():
        read_only = name in READ_ONLY_TOOLS
        tool = Tool.from_function(
            function, name=name, description=mcp_text.TOOL_DESCRIPTIONS[name],
            annotations=ToolAnnotations(read_only_hint=read_only, destructive_hint=False, idempotent_hint=True,
                                        open_world_hint=False))
        # The contract's own schema, not one derived from a return annotation (the tools return a
        # CallToolResult so that an error is the CLI's French line rather than the SDK's English prefix).
        tool.fn_metadata.output_schema = schema(OUTPUT_SCHEMAS[name])
        registered.append(tool)
    return registered


def answer(action: Callable[[], dict]):
    """A tool's result: the JSON as structured content (and as text for clients that read only text), or a
    fichex error as a tool error with its one French line."""
    from mcp_types import CallToolResult, TextContent

    try:
        payload = action()
    except FichexError as exc:
        return CallToolResult(is_error=True, content=[TextContent(type="text", text=str(exc))])
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(payload, ensure_ascii=False))],
                          structured_content=payload)


def tool_functions(library: Library) -> dict[str, Callable]:
    """The tools' functions, their French parameters typed for the input schemas."""
    from mcp.server.mcpserver import Context
    from mcp_types import CallToolResult

    def figures(code: str, niveau: str, annee: int | None) -> dict:
        return api.key_figures(code or "FR", annee, data=library.trade, level=niveau)

    def chiffres_cles(code: str = "", niveau: str = "departement", annee: int | None = None,
                      top: int = 10) -> CallToolResult:
        return answer(lambda: library.call(
            lambda: api.key_figures(code or "FR", annee, data=library.trade, top=top, level=niveau)))

    def lister(quoi: str) -> CallToolResult:
        return answer(lambda: {"schema_version": SCHEMA_VERSION, "quoi": quoi, "elements": api.listing(quoi)})

    def comparer(codes: list[str], indicateur: str = "exportations_eur", annee: int | None = None,
                 niveau: str = "departement") -> CallToolResult:
        return answer(lambda: library.call(
            lambda: api.compare(codes, indicateur, annee, data=library.trade, level=niveau)))

    def exposition(code: str = "", niveau: str = "departement", annee: int | None = None) -> CallToolResult:
        def run() -> dict:
            result = figures(code, niveau, annee)
            return {**fiche_part(result), "exposition": result.get("exposition")}
        return answer(lambda: library.call(run))

    def evolution(code: str = "", niveau: str = "departement") -> CallToolResult:
        def run() -> dict:
            result = figures(code, niveau, None)
            return {**fiche_part(result), "evolution": result["evolution"]}
        return answer(lambda: library.call(run))

    def territoire_industrie(nom: str, annee: int | None = None) -> CallToolResult:
        return answer(lambda: library.call(lambda: api.territoire_figures(nom, annee, data=library.trade)))

    def infos_donnees() -> CallToolResult:
        return answer(lambda: library.call(
            lambda: {"schema_version": SCHEMA_VERSION, **api.data_info(library.data_path)}))

    def interroger(flux: list[str] | None = None, territoires: list[str] | None = None,
                   produits: list[str] | None = None, pays: list[str] | None = None,
                   annees: list[int] | None = None, grouper_par: list[str] | None = None,
                   limite: int = 50) -> CallToolResult:
        return answer(lambda: library.call(lambda: api.query_trade(
            grouper_par or (), flux=flux or (), territoires=territoires or (), produits=produits or (),
            pays=pays or (), annees=annees or (), limit=limite, data=library.trade)))

    def verifier_modele(chemin: str) -> CallToolResult:
        def run() -> dict:
            problems = api.check_template(chemin)
            return {"schema_version": SCHEMA_VERSION, "chemin": chemin,
                    "utilisable": not any(p.blocking for p in problems),
                    "problemes": [{"message": p.message, "bloquant": p.blocking} for p in problems]}
        return answer(lambda: library.call(run))

    async def construire(ctx: Context, codes: list[str] | None = None, niveau: str = "departement",
                         formats: str = "xlsx,pptx", territoire: list[str] | None = None, dossier: str = "",
                         annee: int | None = None) -> CallToolResult:
        import anyio.from_thread
        import anyio.to_thread

        def progress(result, done: int, total: int) -> None:
            from fichex.wording import console as console_text

            anyio.from_thread.run(ctx.report_progress, done, total,
                                  f"{result.nom} : {console_text.STATUS[result.status]}")

        def run() -> dict:
            if not codes and niveau != "france" and not territoire:
                from fichex.errors import UnknownCodeError

                raise UnknownCodeError(mcp_text.NOTHING_TO_BUILD)
            out_dir = library.target_folder(dossier)
            result = api.build(codes or [], level=niveau, territoire=territoire or (), formats=formats,
                               out_dir=out_dir, data=library.data_path, year=annee, jobs=1,
                               on_result=progress)
            return built_files(result, out_dir, library.out_dir)

        outcome = await anyio.to_thread.run_sync(lambda: answer(lambda: library.call(run)))
        return with_links(outcome)

    return {"chiffres_cles": chiffres_cles, "lister": lister, "comparer": comparer, "exposition": exposition,
            "evolution": evolution, "territoire_industrie": territoire_industrie, "infos_donnees": infos_donnees,
            "interroger": interroger, "construire": construire, "verifier_modele": verifier_modele}


def built_files(result, out_dir: Path, root: Path) -> dict:
    """`construire`'s output: the build's JSON, and each file written or up to date with its sha256 as the
    manifest records it."""
    from fichex.batch.manifest import key_of

    recorded = api.build_manifest(out_dir).get("fichiers", {})
    files = []
    for target in result.results:
        for info in target.files:
            path = Path(info.path).resolve()
            entry = recorded.get(key_of(out_dir, path), {})
            files.append({"chemin": path.relative_to(root).as_posix(), "uri": path.as_uri(),
                          "taille": int(entry.get("size", info.size)), "sha256": str(entry.get("sha256", ""))})
    build = result.to_json()
    return {"schema_version": SCHEMA_VERSION, "dossier": str(out_dir), "donnees_demonstration": result.demonstration,
            "echecs": build["echecs"], "cibles": build["cibles"], "fichiers": files}


def with_links(outcome):
    """A resource link per file built, beside the structured content."""
    from mcp_types import ResourceLink

    if outcome.is_error or not outcome.structured_content:
        return outcome
    for entry in outcome.structured_content["fichiers"]:
        suffix = PurePosixPath(entry["chemin"]).suffix.lstrip(".")
        outcome.content.append(ResourceLink(type="resource_link", uri=entry["uri"], name=entry["chemin"],
                                            mime_type=MIME.get(suffix), size=entry["taille"],
                                            description=f"sha256 {entry['sha256']}"))
    return outcome
