"""The `kg` command: each command parses its flags, calls one library function and prints.

Heavy imports (spaCy, pyvis) happen inside the commands that need them, so `kg query` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
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
WORKERS_HELP = "Worker processes (default 0 = one per core)."
MODEL_HELP = ("spaCy pipeline to parse with: a package name or a folder "
              "(default: $KG_MODEL, else en_core_web_sm or its PyPI re-upload).")
PATHS_HELP = "Files, directories or - for stdin (a missing path is an error, never text)."
TEXT_HELP = "The text of one document (repeatable): ids text-1, text-2..."
DEBUG_ENV = "KG_DEBUG"
_state = {"debug": False}


@app.callback()
def options(debug: bool = typer.Option(False, "--debug", help=f"On an unexpected error print the traceback "
                                                               f"(or set {DEBUG_ENV}=1).")):
    """Build knowledge graphs of geopolitical events from news articles."""
    _state["debug"] = _state["debug"] or debug


def say(text: str, console_: Console | None = None) -> None:
    """One line on stderr (or ``console_``); what no encoder accepts is shown as an escape."""
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
    (console_ or err_console).print(safe, markup=False)


class Problems:
    """Collects input problems: one line each on stderr, and whether any happened."""

    def __init__(self, strict: bool = False):
        self.count = 0
        self.strict = strict

    def __call__(self, err: KGError) -> None:
        self.count += 1
        say(f"kg: {err}")
        if self.strict:
            raise typer.Exit(1)


def _workers(n: int) -> int:
    from kg.parallel import resolve_workers

    return resolve_workers(n)


class Notes:
    """Prints the notes kg.documents left on a document (renamed id, replaced characters) and
    counts the replaced characters for the summary."""

    def __init__(self):
        self.replaced = 0

    def __call__(self, document) -> None:
        """``document``: a Document, or a Rendered one (both carry the document's meta)."""
        from kg.documents import NOTES, REPLACED

        self.replaced += document.meta.get(REPLACED, 0)
        for note in document.meta.get(NOTES, ()):
            say(f"kg: note: {note}")


def _inputs(paths: Optional[list[str]], texts: list[str], published):
    """--text documents first, then the paths (strings here are always paths)."""
    from kg.documents import text_documents

    if not paths and not texts:
        raise KGError("give at least one path (or - for stdin) or --text")
    return [*text_documents(texts, published=published), *(paths or [])]


@app.command()
def extract(
    paths: Optional[list[str]] = typer.Argument(None, help=PATHS_HELP),
    text: list[str] = typer.Option([], "--text", help=TEXT_HELP),
    sentences: bool = typer.Option(False, "--sentences", help="Every input line is one sentence."),
    published: Optional[str] = typer.Option(None, help=PUBLISHED_HELP),
    workers: int = typer.Option(0, help=WORKERS_HELP),
    model: Optional[str] = typer.Option(None, help=MODEL_HELP),
    strict: bool = typer.Option(False, help="Stop at the first input problem."),
    events: bool = typer.Option(False, "--events",
                                help="Only coded events (CAMEO), one line per event."),
    out_file: Optional[Path] = typer.Option(None, "--out", "-o",
                                            help="Write the JSON Lines to FILE (atomically) instead of stdout."),
):
    """Extract facts as JSON Lines on stdout, one line per fact (--events: per coded event)."""
    from kg.documents import parse_date
    from kg.parallel import extract_documents
    from kg.pipeline import as_documents
    from kg.records import to_records

    problems, notes = Problems(strict), Notes()
    day = parse_date(published, "--published")
    if sentences:
        from kg.documents import read_sentences

        if text:
            raise KGError("--sentences reads lines of files or stdin: give the sentences on stdin, not --text")
        docs = read_sentences(_inputs(paths, [], day), published=day, on_error=problems)
    else:
        docs = as_documents(_inputs(paths, text, day), published=day, on_error=problems)
    n_workers = _workers(workers)

    def lines():
        for extraction in extract_documents(docs, workers=n_workers, model=model, events_only=events,
                                             on_error=problems):
            notes(extraction.document)
            line = extraction.document.meta.get("line") if sentences else None
            for record in to_records(extraction, sentence_index=line):
                yield json.dumps(record, ensure_ascii=False) + "\n"

    if out_file is None:
        for text in lines():
            sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from kg.files import atomic_write

        # replaced only once every document is read: an interrupted run (kill, Ctrl-C, a
        # --strict stop) leaves the old file or none, never a partial one
        atomic_write(out_file, lambda fh: fh.writelines(t.encode("utf-8") for t in lines()))
    if problems.count:
        raise typer.Exit(1)


@app.command()
def build(
    paths: Optional[list[str]] = typer.Argument(None, help=PATHS_HELP),
    text: list[str] = typer.Option([], "--text", help=TEXT_HELP),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output directory (graph.ttl, graph.trig, graph.html, store/)."),
    store: Optional[str] = typer.Option(None, help="Add to this store (directory or SPARQL endpoint URL)."),
    published: Optional[str] = typer.Option(None, help=PUBLISHED_HELP),
    workers: int = typer.Option(0, help=WORKERS_HELP),
    dask: Optional[str] = typer.Option(None, help="Dask scheduler address (tcp://host:8786): extract on a cluster."),
    model: Optional[str] = typer.Option(None, help=MODEL_HELP),
    html: bool = typer.Option(True, help="Write graph.html."),
    strict: bool = typer.Option(False, help="Stop at the first input problem."),
):
    """Run the whole pipeline into a persistent store and write the graph files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.pipeline import build as run_build

    if out is None and store is None:
        raise KGError("give --out DIR (files and store) or --store STORE (add to a store)")
    inputs = _inputs(paths, text, published)
    problems, notes = Problems(strict), Notes()
    columns = [TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn()]
    with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task("build", total=None, rate="0.0")

        def tick(rendered):
            notes(rendered)
            bar.advance(task)
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, rate=f"{bar.tasks[0].completed / elapsed:.1f}")

        summary = run_build(inputs, out, store=store, published=published, workers=_workers(workers),
                            model=model, dask=dask, on_error=problems, progress=tick, html=html)
    console.print(
        f"documents {summary.documents}  sentences {summary.sentences}  entities {summary.entities}  "
        f"facts {summary.facts}  failed {summary.failed}  time {summary.seconds:.1f}s"
        + (f"  replaced characters {notes.replaced}" if notes.replaced else "")
    )
    for kind, path in summary.outputs.items():
        console.print(f"  {kind:6} {path}", markup=False)
    if problems.count:
        raise typer.Exit(1)


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="RDF files: .ttl, .nt, .nq, .trig, .jsonld."),
    store: str = typer.Option(..., help="Store directory (created when missing) or SPARQL endpoint URL."),
    graph: Optional[str] = typer.Option(None, help="Named graph IRI for the triples of .ttl/.nt files."),
    workers: int = typer.Option(0, help="Threads bulk-loading files over 64 MiB into a directory store "
                                        "(default 0 = one per core)."),
):
    """Bulk-load existing RDF files into a store."""
    import time

    from kg.store import import_files

    started = time.monotonic()
    added = import_files(store, files, graph=graph, workers=_workers(workers))
    seconds = time.monotonic() - started
    console.print(f"imported {added} triples from {len(files)} file(s) into {store} in {seconds:.1f}s "
                  f"({added / max(seconds, 1e-9):,.0f} triples/s)", markup=False)


@app.command()
def remove(
    doc_ids: list[str] = typer.Argument(..., help="Document ids (as in doc:ID) to take out."),
    store: str = typer.Option(..., help="Store directory or SPARQL endpoint URL."),
):
    """Take documents out of a store (their named graphs); events other documents report stay."""
    from kg.pipeline import remove as remove_docs

    removed = remove_docs(doc_ids, store)
    for doc_id, count in removed.items():
        console.print(f"removed {doc_id}: {count} triples", markup=False)
    missing = [doc_id for doc_id, count in removed.items() if not count]
    if missing:
        raise KGError(f"not in the store: {', '.join(missing)}")


@app.command()
def query(
    target: str = typer.Argument(..., help="Store directory, RDF file (.ttl/.trig/...) or endpoint URL."),
    sparql: Optional[str] = typer.Argument(None, help="The SPARQL query text."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from a .rq file."),
    named: Optional[str] = typer.Option(None, "--named", "-n", help="A named query from kg/queries (see --list)."),
    param: list[str] = typer.Option([], "--param", "-p", help="NAME=VALUE for a named query's $NAME."),
    fmt: str = typer.Option("table", "--format", help="table, json, xml, csv or tsv."),
    list_: bool = typer.Option(False, "--list", help="List the named queries and exit."),
    facts: bool = typer.Option(False, "--facts", help="With --named: every extracted fact, not only coded events."),
):
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT) against a store or an RDF file."""
    from kg.query import FORMATS, list_named_queries, named_query, run_query

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
        text = named_query(named, params, all_facts=facts)
    else:
        text = sparql
    if fmt not in FORMATS:
        raise KGError(f"unknown --format {fmt!r} ({', '.join(FORMATS)})")
    result = run_query(target, text, fmt)
    sys.stdout.write(result if result.endswith("\n") else result + "\n")


@app.command()
def serve(
    store: str = typer.Argument(..., help="Store directory or RDF file (.ttl/.trig/..., loaded into memory)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, help="Port to listen on (0 picks a free one)."),
    allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL updates (read-only otherwise)."),
    timeout: float = typer.Option(30.0, help="Seconds a query may run before the answer is 503."),
    max_rows: int = typer.Option(10000, "--max-rows", help="Rows kept per result (X-KG-Truncated: true beyond)."),
    max_body: int = typer.Option(1_000_000, "--max-body", help="Largest request body in bytes."),
    max_bytes: int = typer.Option(64_000_000, "--max-bytes", help="Largest answer in bytes (cut and flagged beyond)."),
    workers: int = typer.Option(0, "--workers", help="Query worker processes (slots); 0: twice the cores, at least 4."),
):
    """Serve a store: SPARQL 1.1 endpoint at /sparql, query page at /, explorer at /explorer."""
    from kg.server import serve as run_server

    if timeout <= 0 or max_rows <= 0 or max_body <= 0 or max_bytes <= 0 or workers < 0:
        raise KGError("--timeout, --max-rows, --max-body and --max-bytes must be positive, --workers not negative")
    if not 0 <= port <= 65535:
        raise KGError(f"--port must be between 0 and 65535, got {port}")
    console.print(f"kg: serving {store}; Ctrl+C stops", markup=False)  # serve() logs the address
    run_server(store, host, port, allow_update=allow_update, timeout=timeout, max_rows=max_rows, max_body=max_body,
               max_bytes=max_bytes, workers=workers or None)


@app.command()
def viz(
    store: str = typer.Argument(..., help="Store directory, build folder, RDF file or endpoint URL."),
    out: Path = typer.Option(Path("graph.html"), "--out", "-o", help="The HTML file to write."),
    focus: Optional[str] = typer.Option(None, help="Centre on this entity (label, id or IRI)."),
    hops: int = typer.Option(2, help="With --focus: how many events away to keep."),
    since: Optional[str] = typer.Option(None, help="Keep events from this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Keep events up to this date."),
    types: Optional[str] = typer.Option(None, help="Entity types to keep, comma-separated (Person,Country)."),
    max_nodes: Optional[int] = typer.Option(None, "--max-nodes", help="Keep only the best-connected entities."),
    title: str = typer.Option("kg", help="Page title."),
    view: str = typer.Option("graph", help="The view the page opens on: graph, timeline, map or matrix."),
    facts: bool = typer.Option(False, "--facts", help="Draw every fact between two entities, not only coded events."),
):
    """Write the offline HTML explorer of a store (or of one entity's neighbourhood)."""
    from kg.export.html import write_html

    if hops < 0:
        raise KGError(f"--hops must be 0 or more, got {hops}")
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else None
    summary = write_html(_open_for_reading(store), out, focus=focus, hops=hops, since=since,
                         until=until, types=wanted, max_nodes=max_nodes, title=title, view=view,
                         all_facts=facts)
    console.print(f"entities {summary['nodes']}  events {summary['edges']}  "
                  f"left out {summary['nodes_left_out']} entities, {summary['edges_left_out']} events", markup=False)
    console.print(f"  html   {out}", markup=False)


@app.command("export")
def export_(
    store: str = typer.Argument(..., help="Store directory, build folder, RDF file or endpoint URL."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help="ttl, trig, nt, nq, jsonld, graphml, csv (one row per event) or geojson (located events)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Output file (its extension picks the format when --format is not given); default stdout."),
    facts: bool = typer.Option(False, "--facts", help="graphml, csv: every extracted fact, not only coded events."),
):
    """Export a store as RDF (Turtle, TriG, N-Triples, N-Quads, JSON-LD), GraphML or an events CSV."""
    import shutil
    import tempfile

    from kg.export.tables import FORMATS, export

    if fmt is not None and fmt.lower() not in FORMATS:
        raise KGError(f"unknown --format {fmt!r} ({', '.join(FORMATS)})")
    if out is None and fmt is None:
        raise KGError("give --format (output to stdout) or --out FILE")
    graph = _open_for_reading(store)
    if out is not None:
        path = export(graph, out, fmt, all_facts=facts)
        err_console.print(f"  {(fmt or path.suffix.lstrip('.')):7} {path}", markup=False)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = export(graph, Path(tmp) / f"export.{fmt.lower()}", fmt, all_facts=facts)
        with open(path, "rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
    sys.stdout.flush()

def _open_for_reading(spec: str):
    """A store directory, `kg build` folder, RDF file (loaded into memory) or endpoint, read-only."""
    from kg.store import open_store

    return open_store(spec, read_only=True, create=False)


def main() -> None:
    """Entry point: KGError -> one line on stderr and its exit code; a traceback only with
    ``--debug`` or ``KG_DEBUG=1``."""
    _state["debug"] = os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")
    try:
        code = app(standalone_mode=False)
    except KGError as err:
        _traceback()
        say(f"kg: error: {err}")
        sys.exit(err.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("kg: interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # a file kg was asked to read or write: its name (cut short) and why
        name = str(exc.filename or "")
        name = name if len(name) <= 120 else name[:119] + "…"
        err_console.print(f"kg: error: {name + ': ' if name else ''}{exc.strerror or exc}", markup=False)
        sys.exit(74)
    except Exception as exc:  # click usage errors and anything unexpected: one line, no traceback
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        _traceback()
        hint = "" if _state["debug"] else f" (--debug or {DEBUG_ENV}=1 shows the traceback)"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        say(f"kg: internal error: {type(exc).__name__}: {first}{hint}")
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


def _traceback() -> None:
    if _state["debug"]:
        say(traceback.format_exc().rstrip())
