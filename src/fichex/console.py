"""Terminal display of results (rich tables, progress bars): the only module that imports rich."""

from __future__ import annotations

import sys
from pathlib import Path

from fichex.wording import (console as console_text, deck as deck_text, grammar as grammar_text,
                            index_page as index_text, levels as levels_text, model_text, numbers as numbers_text)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def print_figures(figures: dict) -> None:
    """Key figures of a département as a readable French table."""
    from rich.table import Table

    console = _console()
    for note in figures.get("notes", []):
        console.print(f"[yellow]ℹ {note}[/]")
    dep, region = figures["territoire"], figures["region"]
    level = figures.get("niveau", "departement")
    title = (console_text.figures_title(dep["nom"], dep["code"], region["nom"], figures.get("periode", figures["annee"]))
             if level == "departement" else
             f"{levels_text.level_title(level, dep['nom'])} — {figures.get('periode', figures['annee'])}")
    table = Table(title=title, title_justify="left")
    table.add_column(console_text.FIGURES_INDICATOR)
    table.add_column(grammar_text.FLOW_LABEL["E"], justify="right")
    table.add_column(grammar_text.FLOW_LABEL["I"], justify="right")
    exp, imp = figures["exportations"], figures["importations"]
    absent = absent_flows(figures)

    def cells(show) -> tuple[str, str]:
        # A flow the data does not hold: no total, share or rank is a figure (« 1 / 0 », « 0.0% »).
        return tuple(console_text.FLOW_ABSENT_CELL if flow in absent else show(values)
                     for flow, values in (("E", exp), ("I", imp)))

    table.add_row(console_text.FIGURES_TOTAL, *cells(lambda f: numbers_text.format_meur(f["total_eur"])))
    if level == "departement":
        table.add_row(console_text.figures_region_share(region["nom"]),
                      *cells(lambda f: numbers_text.format_pct(f["part_region_pct"], 1)))
    if level != "france":
        coverage = figures["couverture"]
        label = console_text.figures_france_share(coverage["france_complete"], coverage["departements_presents"],
                                                  coverage["departements_attendus"])
        table.add_row(label, *cells(lambda f: numbers_text.format_pct(f["part_france_pct"], 2)))
        table.add_row(console_text.FIGURES_RANK if level == "departement" else console_text.FIGURES_RANK_REGIONS,
                      *cells(lambda f: f"{f['rang_departements']} / {f['nb_departements']}"))
    console.print(table)
    for flow in absent:
        console.print(f"[bold yellow]⚠ {console_text.absent_flow_warning(flow, figures['annee'])}[/]")
    if not absent:
        console.print(model_text.balance_line(figures["solde_eur"]))
    console.print(console_text.figures_territoires(figures["territoires_industrie"]))

    partners = Table(title=console_text.FIGURES_PARTNERS_TITLE, title_justify="left")
    for column in console_text.FIGURES_PARTNERS_HEADERS:
        partners.add_column(column, justify="right" if column.startswith(("M€", "Rang")) else "left")
    exports, imports = figures["top_pays_export"], figures["top_pays_import"]
    for i in range(max(len(exports), len(imports))):
        e = exports[i] if i < len(exports) else None
        m = imports[i] if i < len(imports) else None
        partners.add_row(str(i + 1), e["pays"] if e else "", numbers_text.format_meur(e["exportations_eur"]) if e else "",
                         m["pays"] if m else "", numbers_text.format_meur(m["importations_eur"]) if m else "")
    console.print(partners)
    if figures.get("commentaire") and not absent:  # its sentences would weigh a flow that is not there
        console.print(f"[bold]{deck_text.DECK_SUMMARY_TITLE}[/]", highlight=False)
        for sentence in figures["commentaire"]:
            console.print(f"- {sentence}", highlight=False, markup=False)
    coverage = figures["couverture"]
    if not coverage["france_complete"]:
        console.print(f"[bold yellow]⚠ {console_text.partial_data_warning(coverage['departements_presents'], coverage['departements_attendus'])}[/]")
    if figures["donnees_demonstration"]:
        console.print(f"[bold yellow]⚠ {model_text.DEMO_WARNING}[/]")


def absent_flows(figures: dict) -> list[str]:
    """The flows (« E », « I ») the data does not hold at all for the fiche's year: France's total is nil."""
    return [flow for flow, key in (("E", "exportations"), ("I", "importations"))
            if not figures[key]["total_france_eur"]]


def print_listing(kind: str, rows: list[dict]) -> None:
    """A reference listing as a table."""
    from rich.table import Table

    table = Table()
    if not rows:
        return
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(", ".join(v) if isinstance(v, list) else str(v) for v in row.values()))
    _console().print(table)


def print_data_info(info: dict) -> None:
    """The description of a data folder (`fichex data info`), one line per fact."""
    for line in console_text.data_info_lines(info):
        print(line)


class BuildProgress:
    """A rich progress bar on a terminal, one plain line per target otherwise, nothing when disabled."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.interactive = enabled and sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __enter__(self) -> BuildProgress:
        if self.interactive:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=_console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(console_text.BUILD_PROGRESS_LABEL, total=None)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def update(self, result, done: int, total: int) -> None:
        if not self.enabled:
            return
        status = console_text.STATUS[result.status]
        status = status.upper() if result.status == "failed" else status
        if self._progress is not None:
            self._progress.update(self._task, total=total, completed=done,
                                  description=f"{result.code} {result.nom} : {status}")
        else:
            print(f"[{done}/{total}] {result.code} {result.nom} : {status}"
                  + (f" — {result.reason}" if result.status == "failed" else ""), file=sys.stderr, flush=True)


def print_build_summary(result, quiet: bool = False) -> None:
    """Final table of a build: per target its status and files; failures with their reason on stderr."""
    from rich.table import Table

    if quiet:
        for target in result.results:
            for info in target.files:
                if target.status == "built":
                    print(info.path)
        for target in result.failed:
            print(console_text.target_error_line(target.code, target.nom, target.reason), file=sys.stderr)
        return
    for note in result.notes:
        print(f"ℹ {note}", file=sys.stderr)
    table = Table(title=console_text.build_table_title(result.year, str(result.out_dir)), title_justify="left")
    for header in console_text.BUILD_TABLE_HEADERS:
        table.add_column(header, overflow="fold" if header == console_text.BUILD_TABLE_HEADERS[3] else "ellipsis",
                         justify="right" if header == console_text.BUILD_TABLE_HEADERS[4] else "left")
    for target in result.results:
        status = console_text.STATUS[target.status]
        status = f"[red]{status}[/]" if target.status == "failed" else status
        if target.status == "failed":
            files = target.reason
        else:
            folder = str(Path(target.files[0].path).parent) if target.files else ""
            files = f"{folder}/ ({', '.join(Path(f.path).suffix.lstrip('.') for f in target.files)})"
        table.add_row(target.code, target.nom, status, files, f"{target.seconds:.2f}")
    _console().print(table)
    counts = result.counts()
    _console().print(console_text.build_summary_line(counts["built"], counts["skipped"], counts["failed"], result.seconds))
    if result.index:
        _console().print(index_text.index_line(str(result.index)), highlight=False)
    for target in result.failed:
        print(console_text.target_error_line(target.code, target.nom, target.reason), file=sys.stderr)


class DownloadProgress:
    """Progress bar of bytes (a download, an import): plain percentage lines when not a terminal."""

    def __init__(self, label: str = console_text.PROGRESS_DOWNLOAD, enabled: bool = True, plain: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.plain = plain  # percentage lines when stderr is not a terminal
        self._progress = None
        self._task = None
        self._last = -1

    def __enter__(self) -> DownloadProgress:
        if self.enabled and sys.stderr.isatty():
            from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

            self._progress = Progress(*Progress.get_default_columns(), DownloadColumn(), TransferSpeedColumn(),
                                      console=_console(stderr=True), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task(self.label, total=None)
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def update(self, done: int, total: int | None) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done, total=total)
        elif total and self.enabled and self.plain:
            percent = int(100 * done / total) // 10 * 10
            if percent != self._last:
                self._last = percent
                print(f"{self.label} : {percent}%", file=sys.stderr, flush=True)
