"""The `kg` command: each command parses its flags, calls one library function and prints.

Heavy imports (spaCy, pyvis) happen inside the commands that need them, so `kg query` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from kg.errors import KGError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  help="Build knowledge graphs of geopolitical events from news articles.")
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
console = Console(highlight=False, soft_wrap=True)

PUBLISHED_HELP = "Publication date (YYYY-MM-DD) for inputs that carry none."
WORKERS_HELP = "Worker processes (default 1; 0 = one per core)."


class Problems:
    """Collects input problems: one line each on stderr, and whether any happened."""

    def __init__(self, strict: bool = False):
        self.count = 0
        self.strict = strict

    def __call__(self, err: KGError) -> None:
        self.count += 1
        err_console.print(f"kg: {err}", markup=False)
        if self.strict:
            raise typer.Exit(1)


def _workers(n: int) -> int:
    from kg.parallel import default_workers

    return default_workers() if n <= 0 else n


def _sentence_documents(paths: list[str], problems: Problems):
    """--sentences: every input line is one sentence, numbered from 0 across the inputs."""
    from kg.documents import decode
    from kg.types import Document

    index = 0
    for path in paths:
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            text = decode(raw, path)
        except KGError as err:
            problems(err)
            continue
        except OSError as err:
            problems(KGError(f"{path}: cannot read: {err.strerror or err}"))
            continue
        for line in text.splitlines():
            if line.strip():
                yield Document(id=f"{Path(path).stem if path != '-' else 'stdin'}-{index}", text=line,
                               meta={"line": index})
            index += 1


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, directories or - for stdin."),
    sentences: bool = typer.Option(False, "--sentences", help="Every input line is one sentence."),
    published: Optional[str] = typer.Option(None, help=PUBLISHED_HELP),
    workers: int = typer.Option(1, help=WORKERS_HELP),
    model: Optional[str] = typer.Option(None, help="spaCy model name or path."),
    strict: bool = typer.Option(False, help="Stop at the first input problem."),
    events: bool = typer.Option(False, "--events",
                                help="Only coded events (CAMEO), one line per event."),
):
    """Extract facts as JSON Lines on stdout, one line per fact (--events: per coded event)."""
    from kg.documents import parse_date
    from kg.parallel import extract_documents
    from kg.pipeline import as_documents
    from kg.records import to_records

    problems = Problems(strict)
    day = parse_date(published, "--published")
    if sentences:
        docs = (d if d.published else _dated(d, day) for d in _sentence_documents(paths, problems))
    else:
        docs = as_documents(paths, published=day, on_error=problems)
    out = sys.stdout
    n_workers = _workers(workers)
    extractor = None
    if events and n_workers <= 1:
        from kg.extract.extractor import Extractor

        extractor = Extractor(model, events_only=True)
    for extraction in extract_documents(docs, workers=n_workers, model=model, extractor=extractor):
        if events and extractor is None:
            from kg.extract.extractor import only_events

            extraction = only_events(extraction)
        line = extraction.document.meta.get("line") if sentences else None
        for record in to_records(extraction, sentence_index=line):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    if problems.count:
        raise typer.Exit(1)


def _dated(document, day):
    from dataclasses import replace

    return replace(document, published=day) if day else document


@app.command()
def build(
    paths: list[str] = typer.Argument(..., help="Files, directories or - for stdin."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory (graph.ttl, graph.trig, graph.html, store/)."),
    store: Optional[str] = typer.Option(None, help="Add to this store (directory or SPARQL endpoint URL)."),
    published: Optional[str] = typer.Option(None, help=PUBLISHED_HELP),
    workers: int = typer.Option(1, help=WORKERS_HELP),
    dask: Optional[str] = typer.Option(None, help="Dask scheduler address: extract on a cluster."),
    model: Optional[str] = typer.Option(None, help="spaCy model name or path."),
    html: bool = typer.Option(True, help="Write graph.html."),
    strict: bool = typer.Option(False, help="Stop at the first input problem."),
):
    """Run the whole pipeline into a persistent store and write the graph files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.pipeline import build as run_build

    if out is None and store is None:
        raise KGError("give --out DIR (files and store) or --store STORE (add to a store)")
    problems = Problems(strict)
    columns = [TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("build", total=None, rate="0.0")

        def tick(extraction):
            bar.advance(task)
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, rate=f"{bar.tasks[0].completed / elapsed:.1f}")

        summary = run_build(paths, out, store=store, published=published, workers=_workers(workers),
                            model=model, dask=dask, on_error=problems, progress=tick, html=html)
    console.print(
        f"documents {summary.documents}  sentences {summary.sentences}  entities {summary.entities}  "
        f"facts {summary.facts}  failed {summary.failed}  time {summary.seconds:.1f}s"
    )
    for kind, path in summary.outputs.items():
        console.print(f"  {kind:6} {path}", markup=False)
    if problems.count:
        raise typer.Exit(1)


@app.command()
def query(
    target: str = typer.Argument(..., help="Store directory, RDF file (.ttl/.trig/...) or endpoint URL."),
    sparql: Optional[str] = typer.Argument(None, help="The SPARQL query text."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from a .rq file."),
    named: Optional[str] = typer.Option(None, "--named", "-n", help="A named query from kg/queries (see --list)."),
    param: list[str] = typer.Option([], "--param", "-p", help="NAME=VALUE for a named query's $NAME."),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv or json."),
    list_: bool = typer.Option(False, "--list", help="List the named queries and exit."),
):
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) against a store or an RDF file."""
    from kg.query import list_named_queries, named_query, run_query

    if list_:
        for name, description in list_named_queries():
            console.print(f"{name:22} {description}", markup=False)
        return
    sources = [s for s in (sparql, file, named) if s]
    if len(sources) != 1:
        raise KGError("give exactly one of: a query string, --file or --named")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as err:
            raise KGError(f"{file}: cannot read: {err.strerror or err}") from None
    elif named is not None:
        params = dict(p.split("=", 1) for p in param if "=" in p)
        bad = [p for p in param if "=" not in p]
        if bad:
            raise KGError(f"--param must be NAME=VALUE, got {bad[0]!r}")
        text = named_query(named, params)
    else:
        text = sparql
    if fmt not in {"table", "csv", "tsv", "json"}:
        raise KGError(f"unknown --format {fmt!r} (table, csv, tsv, json)")
    result = run_query(target, text, fmt)
    sys.stdout.write(result if result.endswith("\n") else result + "\n")


def main() -> None:
    """Entry point: KGError -> one line on stderr and its exit code; no tracebacks for users."""
    try:
        code = app(standalone_mode=False)
    except KGError as err:
        err_console.print(f"kg: error: {err}", markup=False)
        sys.exit(err.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("kg: interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # click usage errors and anything unexpected: one line, no traceback
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        err_console.print(f"kg: internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)
