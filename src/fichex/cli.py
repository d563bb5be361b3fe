"""Command line interface: parses arguments, calls the library, prints results. Nothing else."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from fichex.defaults import DEFAULT_FORMATS, DEFAULT_OUT_DIR, DEFAULT_TOP, DEFAULT_YEAR

app = typer.Typer(
    name="fichex",
    help="Fiches commerce extérieur par département (statistiques douanières DGDDI) : classeurs Excel et "
    "présentations PowerPoint prêts à présenter.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
template_app = typer.Typer(help="Modèles PowerPoint de marque.", short_help="Vérifie un modèle PowerPoint de marque.",
                           no_args_is_help=True)
data_app = typer.Typer(help="Données : importer des fichiers DGDDI, décrire un dossier, télécharger.",
                       short_help="Importe, décrit ou télécharge des données.",
                       no_args_is_help=True)
app.add_typer(template_app, name="template")
app.add_typer(data_app, name="data")

_DEBUG = {"on": False}

DataOption = Annotated[Optional[Path], typer.Option(
    "--data", help="Dossier ou fichier Parquet de données importées (défaut : $FICHEX_DATA, sinon les données "
    "de démonstration intégrées).")]
YearOption = Annotated[Optional[int], typer.Option(
    "--year", help="Année des données (défaut : la dernière année complète des données).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON pour les agents.")]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(code)


def _run(action):
    """Run a library call, turning fichex errors into one French line on stderr and exit code 1."""
    from fichex.errors import FichexError

    try:
        return action()
    except FichexError as exc:
        if _DEBUG["on"]:
            raise
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrompu ; aucun fichier partiel n'a été laissé", 130)
    except SystemExit as exc:  # `kill` (SIGTERM), made SystemExit(143) by atomic.stop_once_on_signals
        import signal

        if exc.code != 128 + signal.SIGTERM:
            raise
        _fail("interrompu (signal SIGTERM) ; aucun fichier partiel n'a été laissé", exc.code)


def _run_stoppable(action):
    """`_run`, where a `kill` (SIGTERM, turned into SystemExit by stop_once_on_signals) also ends with one
    line, exit code 143, as Ctrl-C does with 130."""
    import signal

    from fichex.wording import console as console_text

    try:
        return _run(action)
    except SystemExit as exc:
        if exc.code != 128 + signal.SIGTERM:
            raise
        _fail(console_text.IMPORT_TERMINATED, exc.code)


def _print_json(payload) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _version(value: bool) -> None:
    if value:
        from fichex.version import __version__

        typer.echo(f"fichex {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    debug: Annotated[bool, typer.Option("--debug", help="Affiche la trace complète des erreurs.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Affiche la version et quitte.")] = False,
) -> None:
    """Fiches commerce extérieur par département."""
    _DEBUG["on"] = debug


@app.command(short_help="Chiffres clés d'un département (totaux, parts, pays).")
def figures(
    code: Annotated[Optional[str], typer.Argument(help="Code du département : 23, 87, 2A, 974… (de la région avec --level region)")] = None,
    year: YearOption = None,
    json_output: JsonOption = False,
    data: DataOption = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Nombre de pays partenaires listés.")] = DEFAULT_TOP,
    level: Annotated[str, typer.Option("--level", help="departement, region ou france.")] = "departement",
    territoire: Annotated[Optional[str], typer.Option("--territoire", help="Un Territoire d'industrie : les chiffres de chacun de ses départements.")] = None,
) -> None:
    """Chiffres clés d'un département, d'une région, de la France ou des départements d'un Territoire
    d'industrie : totaux, parts, principaux pays."""
    from fichex import api

    if territoire is not None:
        result = _run(lambda: api.territoire_figures(territoire, year, data=data, top=top))
        if json_output:
            _print_json(result)
            return
        from fichex import console

        for figures in result["departements"]:
            console.print_figures(figures)
        return
    if code is None and level != "france":
        _fail("argument manquant : code ; voir « fichex figures --help »", 2)
    result = _run(lambda: api.key_figures(code or "FR", year, data=data, top=top, level=level))
    if json_output:
        _print_json(result)
        return
    from fichex import console

    console.print_figures(result)


@app.command("list", short_help="Liste départements, régions ou Territoires d'industrie.")
def list_command(
    kind: Annotated[str, typer.Argument(help="departements, regions ou territoires")],
    json_output: JsonOption = False,
) -> None:
    """Liste les départements, les régions ou les Territoires d'industrie."""
    from fichex import api

    rows = _run(lambda: api.listing(kind))
    if json_output:
        _print_json(rows)
        return
    from fichex import console

    console.print_listing(kind, rows)


@app.command(short_help="Construit classeurs Excel, présentations et PDF.")
def build(
    codes: Annotated[Optional[list[str]], typer.Argument(help="Codes des départements : 23 87 2A 974 (des régions avec --level region : 75 84)")] = None,
    region: Annotated[Optional[str], typer.Option("--region", help="Tous les départements d'une région (code).")] = None,
    all_departements: Annotated[bool, typer.Option("--all", help="Toutes les fiches du niveau choisi (défaut : les départements).")] = False,
    level: Annotated[Optional[str], typer.Option("--level", help="Niveau des fiches : departement, region, france, territoire, plusieurs séparés par des virgules, ou tout.")] = None,
    territoire: Annotated[Optional[list[str]], typer.Option("--territoire", help="Un Territoire d'industrie (nom, début de nom sans ambiguïté ou identifiant ; voir « fichex list territoires ») ; répétable.")] = None,
    year: YearOption = None,
    formats: Annotated[str, typer.Option("--formats", help="Formats : xlsx,pptx,pdf.")] = ",".join(DEFAULT_FORMATS),
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Dossier de sortie.")] = Path(DEFAULT_OUT_DIR),
    data: DataOption = None,
    template: Annotated[Optional[Path], typer.Option("--template", help="Modèle PowerPoint (.pptx ou .potx).")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", min=1, help="Processus en parallèle (défaut : nombre de cœurs).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Reconstruit même les fichiers à jour.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="N'affiche que le résultat.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Construit le classeur Excel et la présentation PowerPoint de chaque fiche : départements, régions
    (--level region), France (--level france), Territoires d'industrie (--territoire NOM)."""
    from fichex import api, console
    from fichex.atomic import stop_once_on_signals

    # `kill` unwinds like Ctrl-C, so temporary files are removed and no partial document is left.
    stop_once_on_signals()
    progress = console.BuildProgress(enabled=not (quiet or json_output))
    with progress:
        result = _run(lambda: api.build(
            codes or [], region=region, all_departements=all_departements, year=year, formats=formats,
            out_dir=out_dir, data=data, template=template, jobs=jobs, force=force, command=_command_run(),
            on_result=progress.update, level=level, territoire=territoire or ()))
    if json_output:
        _print_json(result.to_json())
    else:
        console.print_build_summary(result, quiet=quiet)
    if result.failed:
        raise typer.Exit(1)


def _command_run() -> str | None:
    """The command line as run (`fichex …`), written on the Méthode sheet and in the manifest; None when
    fichex was not started as a command (the library then writes the equivalent command)."""
    if sys.argv and Path(sys.argv[0]).name in ("fichex", "__main__.py"):
        return shlex.join(["fichex", *sys.argv[1:]])
    return None


@app.command("mcp", short_help="Serveur MCP (stdio) pour les agents.")
def mcp_command(
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Dossier où l'outil construire écrit, et lui seul.")] = Path(DEFAULT_OUT_DIR),
    data: DataOption = None,
) -> None:
    """Serveur Model Context Protocol sur stdin et stdout : chiffres clés, comparaisons, requêtes bornées et
    constructions pour les agents (paquet optionnel : pip install 'fichex[mcp]')."""
    from fichex import mcp_server

    _run(lambda: mcp_server.serve(out_dir, data))


@template_app.command("check")
def template_check(path: Annotated[Path, typer.Argument(help="Modèle .pptx ou .potx à vérifier.")]) -> None:
    """Vérifie qu'un modèle PowerPoint a les dispositions et espaces réservés attendus."""
    from fichex import api

    problems = _run(lambda: api.check_template(path))
    for problem in problems:
        typer.echo(f"- {problem.message}", err=True)
    blocking = [p for p in problems if p.blocking]
    if blocking:
        _fail(f"modèle incomplet : {path} ({len(blocking)} manque(s)) ; ajoutez ce qui manque ou partez de "
              "templates/fichex.pptx")
    typer.echo(f"Modèle utilisable : {path}" + (f" ({len(problems)} avertissement(s))" if problems else ""))


@data_app.command("import")
def data_import(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers DGDDI (zip, xls, xlsx, csv) ou tables (csv, xlsx, parquet).")],
    into: Annotated[Path, typer.Option("--into", help="Dossier de données à créer ou remplacer.")] = Path("donnees"),
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Correspondance des colonnes (TOML).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Importe des fichiers de commerce extérieur dans un dossier de données au format canonique."""
    from fichex import api, console
    from fichex.atomic import stop_once_on_signals
    from fichex.wording import console as console_text

    # As for build: Ctrl-C and `kill` unwind, so the staging folder and temporary files are removed.
    stop_once_on_signals()
    # A bar on a terminal only: scripts and agents read the summary, and an error stays one line.
    with console.DownloadProgress(console_text.PROGRESS_IMPORT, enabled=not json_output, plain=False) as progress:
        report = _run_stoppable(lambda: api.import_data(paths, into, mapping=mapping, progress=progress.update))
    if json_output:
        _print_json(report.to_json())
    else:
        for line in report.summary_lines():
            typer.echo(line)


@data_app.command("info")
def data_info(
    folder: Annotated[Optional[Path], typer.Argument(help="Dossier de données (défaut : données utilisées par défaut).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Décrit un dossier de données : années, départements, totaux, démonstration ou non."""
    from fichex import api

    info = _run(lambda: api.data_info(folder))
    if json_output:
        _print_json(info)
    else:
        from fichex import console

        console.print_data_info(info)


@data_app.command("download")
def data_download(
    year: Annotated[int, typer.Option("--year", help="Année du fichier à télécharger.")] = DEFAULT_YEAR,
    dest: Annotated[Path, typer.Option("--dest", help="Dossier où enregistrer le fichier (ou fichier .zip).")] = Path("telechargements"),
    url: Annotated[Optional[str], typer.Option("--url", help="Adresse du fichier (défaut : $FICHEX_DGDDI_URL).")] = None,
    sha256: Annotated[Optional[str], typer.Option("--sha256", help="Empreinte attendue du fichier.")] = None,
) -> None:
    """Télécharge les fichiers DGDDI d'une année (reprise possible, empreinte vérifiée)."""
    from fichex import api, console

    with console.DownloadProgress() as progress:
        path = _run(lambda: api.download_data(year, dest, url=url, sha256=sha256, progress=progress.update))
    typer.echo(f"Téléchargé : {path}")


def main() -> None:
    """Console entry point: usage errors (a missing argument, an unknown option, a bad value) are one
    French line on stderr with exit code 2, like every other error."""
    # Typer vendors Click: its UsageError is the base of the BadParameter it exposes.
    usage_error = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError")
    try:
        code = app(standalone_mode=False, prog_name="fichex")
    except usage_error as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `fichex data` alone: the help is the answer
            typer.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
            sys.exit(2)
        where = f" ; voir « {exc.ctx.command_path} --help »" if exc.ctx else ""
        print(f"Erreur : {french_usage_error(exc.format_message())}{where}", file=sys.stderr)
        sys.exit(2)
    except typer.Abort:
        print("Erreur : interrompu", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


_USAGE_PATTERNS = (
    (r"Missing argument '(.+)'\.?", "argument manquant : {0}"),
    (r"Missing option '(.+)'\.?", "option obligatoire manquante : {0}"),
    (r"No such option: (\S+?)\.?\s+Did you mean (\S+?)\??", "option inconnue : {0} (vouliez-vous dire {1} ?)"),
    (r"No such option: (\S+?)\s+\(Possible options: (.+)\)", "option inconnue : {0} (options proches : {1})"),
    (r"No such option: (\S+?)\.?", "option inconnue : {0}"),
    (r"No such command '(.+)'\.?", "commande inconnue : {0}"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)", "argument en trop : {0}"),
    (r"Option '(.+)' requires an argument\.?", "l'option {0} attend une valeur"),
    (r"Invalid value for '(.+?)': (.+)", "valeur invalide pour {0} : {1}"),
)
_VALUE_PATTERNS = (
    (r"Input should be greater than or equal to (\S+)", "elle doit valoir au moins {0}"),
    (r"Input should be less than or equal to (\S+)", "elle doit valoir au plus {0}"),
    (r"(\S+) is not in the range (.+?)\.?", "{0} est hors de l'intervalle {1}"),
    (r"'(.*)' is not a valid integer( range)?\.?", "« {0} » n'est pas un nombre entier"),
    (r"Input should be a valid integer.*", "ce n'est pas un nombre entier"),
    (r"Input should be a valid number.*", "ce n'est pas un nombre"),
    (r"'(.*)' is not a valid float( range)?\.?", "« {0} » n'est pas un nombre"),
    (r"'(.*)' is not a valid boolean\.?", "« {0} » n'est ni vrai ni faux"),
    (r"(?:File|Path|Directory) '(.*)' does not exist\.?", "« {0} » n'existe pas"),
    (r"'(.*)' is not one of (.+?)\.?", "« {0} » n'est pas parmi {1}"),
)


def french_usage_error(message: str) -> str:
    """Click's usage message in French (the English text when it is not one of the known forms)."""
    import re

    text = message.strip()
    for pattern, french in _USAGE_PATTERNS:
        match = re.fullmatch(pattern, text, flags=re.DOTALL)
        if match:
            parts = list(match.groups())
            if french.startswith("valeur invalide"):
                parts[1] = _french_value(parts[1])
            return french.format(*parts)
    return text


def _french_value(detail: str) -> str:
    import re

    detail = detail.strip()
    for pattern, french in _VALUE_PATTERNS:
        match = re.fullmatch(pattern, detail, flags=re.DOTALL)
        if match:
            return french.format(*match.groups())
    return detail
