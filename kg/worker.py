"""One query worker process: it answers the endpoint's jobs over a read-only store.

A job is a query, an update or an explorer page; the answer goes back over a pipe as a head
(status, media type, whether it was cut, its length), pieces of bytes and an end, or as one
error. Answers are written to a spool file first (memory holds at most SPOOL bytes of one),
capped in rows and bytes; the parse and evaluation run on a deep stack (see
:func:`kg.sparql_results.deep_call`). The pool that starts, times and kills workers is
:mod:`kg.workers`.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, QueryError
from kg.sparql_results import (
    check_nesting, deep_call, fetches_url, one_line, query_options, uses_service, write_graph, write_results,
)
from kg.syntaxes import GRAPHS_OFFERED, RESULTS_OFFERED, media_type, negotiate

# Oxigraph would fetch the SERVICE or LOAD URL itself, with no deadline: any client could make
# the server call hosts on its network
NO_SERVICE = "SERVICE is not allowed on this endpoint"
NO_FETCH = "SERVICE and LOAD are not allowed on this endpoint: it fetches no URL"
CHUNK = 256 * 1024  # bytes per message from a worker
SPOOL = 1024 * 1024  # an answer larger than this waits on disk, not in memory


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to know: the store and the limits of an answer."""

    path: str
    prefixes: dict[str, str]
    max_rows: int
    max_bytes: int


@dataclass
class _State:
    settings: Settings
    store: ox.Store | None = None
    generation: int = -1
    network: Any = None


def _open(state: _State, generation: int) -> ox.Store:
    if state.store is None or state.generation != generation:
        state.store, state.network = None, None
        gc.collect()  # RocksDB lets go of the files only when the last reference is gone
        state.store = ox.Store.read_only(state.settings.path)
        state.generation = generation
    return state.store


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def worker_main(conn, settings: Settings) -> None:
    """A worker's life: answer jobs from ``conn`` until it closes (or the process is killed)."""
    state = _State(settings)
    try:
        _open(state, 0)
        conn.send(("ready", os.getpid()))
    except OSError as exc:
        conn.send(("error", 500, f"cannot open the store: {one_line(exc)}", 0))
        return
    handlers = {"query": _query, "update": _update, "explorer": _explorer}
    while True:
        try:
            kind, generation, *args = conn.recv()
        except (EOFError, OSError):
            return  # the server is gone
        try:
            deep_call(lambda: handlers[kind](state, conn, generation, *args))
        except _Refused as refused:
            conn.send(("error", refused.status, str(refused), _rss()))
        except QueryError as exc:
            conn.send(("error", 400, str(exc), _rss()))
        except SyntaxError as exc:
            conn.send(("error", 400, one_line(exc), _rss()))
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            conn.send(("error", 400, f"query failed: {one_line(exc)}", _rss()))
        except (KeyboardInterrupt, SystemExit):
            return
        except BaseException as exc:  # an engine panic arrives as a BaseException
            print(f"kg worker: {type(exc).__name__}: {one_line(exc)}", file=sys.stderr)
            conn.send(("error", 500, f"query failed: the query engine failed: {one_line(exc)}", _rss()))


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _query(state: _State, conn, generation: int, text: str, accept: str | None, graphs: tuple) -> None:
    check_nesting(text)
    if uses_service(text):
        raise _Refused(403, NO_SERVICE)
    settings = state.settings
    answer = _open(state, generation).query(text, **query_options(settings.prefixes, *graphs))
    try:
        _write_answer(conn, answer, accept, settings)
    finally:
        del answer  # on this thread: pyoxigraph's results cannot be dropped on another


def _write_answer(conn, answer, accept: str | None, settings: Settings) -> None:
    graph = not isinstance(answer, (ox.QueryBoolean, ox.QuerySolutions))
    offered = GRAPHS_OFFERED if graph else RESULTS_OFFERED
    fmt = negotiate(accept, offered)
    if fmt is None:
        raise _Refused(406, f"cannot answer {accept}; available: {', '.join(map(media_type, offered))}")
    with tempfile.SpooledTemporaryFile(SPOOL) as out:
        if graph:
            truncated = _write_triples(answer, fmt, settings, out)
        else:
            truncated = write_results(answer, fmt, out, max_rows=settings.max_rows, max_bytes=settings.max_bytes)
        _send_file(conn, 200, media_type(fmt), truncated, out)


def _write_triples(answer, fmt: ox.RdfFormat, settings: Settings, out) -> bool:
    triples, size, cut = [], 0, False
    for triple in islice(answer, settings.max_rows + 1):
        size += len(str(triple)) + 4
        if len(triples) == settings.max_rows or size > settings.max_bytes:
            cut = True
            break
        triples.append(triple)
    write_graph(triples, fmt, settings.prefixes, out)
    return cut


def _send_file(conn, status: int, kind: str | None, truncated: bool, out) -> None:
    length = out.tell()
    out.seek(0)
    conn.send(("head", status, kind, truncated, length))
    while chunk := out.read(CHUNK):
        conn.send(("data", chunk))
    conn.send(("end", _rss()))


def _update(state: _State, conn, generation: int, text: str) -> None:
    check_nesting(text)
    if fetches_url(text):
        raise _Refused(403, NO_FETCH)
    state.store, state.network = None, None
    gc.collect()
    # one transaction: a worker killed at its deadline leaves the store as it was
    store = ox.Store(state.settings.path)
    try:
        store.update(text, prefixes=state.settings.prefixes)
        store.flush()
    finally:
        del store
        gc.collect()
    conn.send(("head", 204, None, False, 0))
    conn.send(("end", _rss()))


def _explorer(state: _State, conn, generation: int, options: dict) -> None:
    from oxrdflib import OxigraphStore
    from rdflib import Dataset

    from kg.export.html import to_html
    from kg.graph import to_networkx

    store = _open(state, generation)
    if state.network is None:
        state.network = to_networkx(Dataset(store=OxigraphStore(store=store), default_union=True))
    try:
        page = to_html(state.network, **options).encode()
    except KGError as exc:
        focus = options.get("focus")
        raise _Refused(404 if focus and str(exc).startswith("no entity") else 400, one_line(exc)) from None
    with tempfile.SpooledTemporaryFile(SPOOL) as out:
        out.write(page)
        _send_file(conn, 200, "text/html", False, out)
