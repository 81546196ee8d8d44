"""A SPARQL 1.1 Protocol endpoint over a local store, with a query page and the explorer.

Standard library HTTP (``ThreadingHTTPServer``) over pyoxigraph: the default graph is the
union of the named graphs and the kg prefixes are predeclared, as in :func:`kg.query.sparql`.
Read-only unless asked; every query runs in a worker thread with a deadline, results are
capped, and no response ever carries a stack trace or a file from disk.

Routes: ``/sparql`` (GET ``?query=``, POST ``application/sparql-query``, POST form ``query=``
or ``update=``, POST ``application/sparql-update``), ``/`` (query page), ``/explorer``
(``?focus=NAME&hops=N``) and ``/health``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from kg.errors import KGError, QueryError, StoreError
from kg.sparql_results import GRAPH_TYPES, RESULT_TYPES, evaluate, fetches_url, negotiate, one_line, uses_service, write_answer
from kg.store import STANDARD_PREFIXES, close_store, load_file, open_store, to_pyoxigraph

log = logging.getLogger("kg.server")

# the page scripts and styles are inline; nothing may be fetched from anywhere but this server
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
)
# Oxigraph would fetch the SERVICE URL itself, with no deadline: any client could make the
# server call hosts on its network or hold a query slot for ever
_NO_SERVICE = "SERVICE is not allowed on this endpoint"
_NO_FETCH = "SERVICE and LOAD are not allowed on this endpoint: it fetches no URL"
PAGE_CACHE = 16  # explorer pages kept (about 1 MB each)


class HTTPProblem(Exception):
    """An answer other than 200: status code and a one-line plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _open(spec: Any, allow_update: bool) -> tuple[Dataset, ox.Store, bool]:
    """(rdflib view, pyoxigraph store, whether we opened it and must close it)."""
    if isinstance(spec, ox.Store):
        return Dataset(store=OxigraphStore(store=spec), default_union=True), spec, False
    if isinstance(spec, Graph):
        local = to_pyoxigraph(spec)
        if local is None:
            raise StoreError("the server needs a local Oxigraph store, not a remote or plain rdflib one")
        view = spec if isinstance(spec, Dataset) else Dataset(store=spec.store, default_union=True)
        return view, local, False
    text = str(spec)
    if text.startswith(("http://", "https://")):
        raise StoreError(f"{text}: serve a local store directory or RDF file, not a remote endpoint")
    if text != "memory" and Path(text).is_file():
        dataset = open_store("memory")
        load_file(dataset, Path(text))
    else:
        dataset = open_store(text, read_only=not allow_update, create=False)
    return dataset, to_pyoxigraph(dataset), True


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its store, limits, worker slots and the cached explorer graph."""

    daemon_threads = True
    request_queue_size = 64  # browsers open several connections at once
    block_on_close = False  # a browser's idle keep-alive connection must not hold up close()

    def __init__(self, address, dataset: Dataset, store: ox.Store, *, owned: bool, allow_update: bool,
                 timeout: float, max_rows: int, max_body: int):
        super().__init__(address, _Handler)
        self.dataset, self.store, self.owned = dataset, store, owned
        self.allow_update, self.timeout, self.max_rows, self.max_body = allow_update, timeout, max_rows, max_body
        # a query past its deadline cannot be cancelled inside Oxigraph: it keeps its slot until
        # it ends, so runaway queries are bounded by the number of slots, not by the clients
        self.slots = threading.BoundedSemaphore(max(2, 2 * (os.cpu_count() or 1)))
        self._lock = threading.Lock()
        self._network = None
        self._index: bytes | None = None
        # a page costs a quarter second of Python under the GIL: the same one is made once
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._generation = 0

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def run_limited(self, work):
        """``work()`` in a worker thread; HTTPProblem 503 when it misses the deadline."""
        if not self.slots.acquire(timeout=self.timeout):
            raise HTTPProblem(503, "server busy: too many queries running, try again later")
        box: dict[str, Any] = {}
        done = threading.Event()

        def run():
            try:
                box["value"] = work()
            except BaseException as exc:  # handed to the waiting request thread
                box["error"] = exc
            finally:
                self.slots.release()
                done.set()

        threading.Thread(target=run, name="kg-query", daemon=True).start()
        if not done.wait(self.timeout):
            raise HTTPProblem(503, f"query timed out after {self.timeout:g} s")
        if "error" in box:
            raise box["error"]
        return box["value"]

    def network(self):
        """The networkx view of the store, read once and kept until an update."""
        from kg.graph import to_networkx

        with self._lock:
            if self._network is None:
                self._network = to_networkx(self.dataset)
            return self._network

    def explorer_page(self, options: dict[str, Any]) -> bytes:
        """The explorer page for these options, from a small cache emptied by every update."""
        from kg.export.html import to_html

        key = tuple(sorted(options.items()))
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
            generation = self._generation
        page = to_html(self.network(), **options).encode()
        with self._lock:
            if generation == self._generation:  # no update came in while it was made
                self._pages[key] = page
                while len(self._pages) > PAGE_CACHE:
                    self._pages.popitem(last=False)
        return page

    def changed(self) -> None:
        with self._lock:
            self._network = None
            self._pages.clear()
            self._generation += 1

    def index_page(self) -> bytes:
        if self._index is None:
            from kg.export.endpoint import index_page

            self._index = index_page().encode()
        return self._index

    def server_close(self) -> None:
        super().server_close()
        if self.owned:
            close_store(self.dataset)
            self.owned = False


class _Handler(BaseHTTPRequestHandler):
    """One request: route it, answer with a status, never with a traceback."""

    server: SparqlServer
    timeout = 60  # seconds a client may take to send its request; slow senders are dropped

    # a broken request line gets an answer with a status line, not a bare HTTP/0.9 body
    default_request_version = "HTTP/1.0"

    def version_string(self) -> str:
        return "kg"

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (bad request line, huge headers, unknown method) as plain text."""
        self.close_connection = True
        text = " ".join((message or self.responses.get(code, ("error",))[0]).split())[:300]
        try:
            self._send(code, f"{text}\n".encode("utf-8", "replace"), "text/plain; charset=utf-8")
        except OSError:
            pass  # the client went away

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def do_OPTIONS(self) -> None:
        self._send(204, b"", None, {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                                    "Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _not_allowed(self) -> None:
        self.close_connection = True  # any body it sent is left unread
        self._send(405, f"{self.command} is not allowed; use GET or POST\n".encode(), "text/plain; charset=utf-8",
                   {"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path == "/sparql":
                self._sparql(method, params)
            elif url.path not in ("/", "/explorer", "/health"):
                raise HTTPProblem(404, "not found")
            elif method not in ("GET", "HEAD"):
                raise HTTPProblem(405, f"{url.path} answers GET only")
            elif url.path == "/":
                self._send(200, self.server.index_page(), "text/html; charset=utf-8", page=True)
            elif url.path == "/explorer":
                self._explorer(params)
            else:
                self._send(200, b"ok\n", "text/plain; charset=utf-8")
        except HTTPProblem as problem:
            self._send(problem.status, f"{problem}\n".encode(), "text/plain; charset=utf-8")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away
        except Exception:
            log.exception("internal error answering %s", self.path)
            self._send(500, b"internal server error\n", "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str | None, headers: dict | None = None,
              page: bool = False) -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated")
        self.send_header("X-Content-Type-Options", "nosniff")
        if page:
            self.send_header("Content-Security-Policy", PAGE_POLICY)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> str:
        length = self.headers.get("Content-Length")
        if length is None:
            raise HTTPProblem(411, "Content-Length required")
        try:
            size = int(length)
            if size < 0:
                raise ValueError(length)
        except ValueError:
            raise HTTPProblem(400, "bad Content-Length") from None
        limit = self.server.max_body
        if size > limit:
            # read a moderately large body away so the client sees the 413 instead of a reset
            if size <= 8 * limit:
                while size > 0:
                    size -= len(self.rfile.read(min(size, 65536)) or b"\0" * size)
            self.close_connection = True
            raise HTTPProblem(413, f"request body over {limit} bytes")
        try:
            return self.rfile.read(size).decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPProblem(400, "request body is not UTF-8") from None

    def _sparql(self, method: str, params: dict[str, list[str]]) -> None:
        form = {k: list(v) for k, v in params.items()}
        if method == "POST":
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            body = self._body()
            if kind == "application/sparql-query":
                form.setdefault("query", []).append(body)
            elif kind == "application/sparql-update":
                form.setdefault("update", []).append(body)
            elif kind == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body, keep_blank_values=True).items():
                    form.setdefault(key, []).extend(values)
            else:
                raise HTTPProblem(415, "send application/sparql-query, application/sparql-update or a form")
        queries, updates = form.get("query", []), form.get("update", [])
        if len(queries) + len(updates) != 1:
            raise HTTPProblem(400, "give exactly one query or update")
        if updates:
            self._update(method, updates[0])
            return
        if uses_service(queries[0]):
            raise HTTPProblem(403, _NO_SERVICE)
        server = self.server
        graphs = form.get("default-graph-uri", []), form.get("named-graph-uri", [])
        try:
            result = server.run_limited(lambda: evaluate(server.store, queries[0], server.max_rows, *graphs))
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from None
        headers = {"Vary": "Accept", "Cache-Control": "no-store"}
        if result.truncated:
            headers["X-KG-Truncated"] = "true"
        accept = self.headers.get("Accept")
        offered: dict[str, Any] = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
        default = "text/turtle" if result.kind == "graph" else "application/sparql-results+json"
        kind = negotiate(accept, offered, default)
        if kind is None:
            raise HTTPProblem(406, f"cannot answer {accept}; available: {', '.join(offered)}")
        body = write_answer(result, kind)
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        self._send(200, body, kind + charset, headers)

    def _update(self, method: str, text: str) -> None:
        server = self.server
        if not server.allow_update:
            raise HTTPProblem(403, "updates are not allowed on this endpoint")
        if method != "POST":
            raise HTTPProblem(405, "send updates with POST")
        if fetches_url(text):
            raise HTTPProblem(403, _NO_FETCH)

        def work():
            try:
                server.store.update(text, prefixes=STANDARD_PREFIXES)
            except SyntaxError as exc:
                raise HTTPProblem(400, one_line(exc)) from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise HTTPProblem(400, f"update failed: {one_line(exc)}") from None
            finally:
                server.changed()

        server.run_limited(work)
        self._send(204, b"", None)

    def _explorer(self, params: dict[str, list[str]]) -> None:
        def one(name: str) -> str | None:
            return (params.get(name) or [""])[-1].strip() or None

        try:
            hops = int(one("hops") or 2)
            max_nodes = int(one("max_nodes")) if one("max_nodes") else None
        except ValueError:
            raise HTTPProblem(400, "hops and max_nodes must be whole numbers") from None
        if not 0 <= hops <= 10:
            raise HTTPProblem(400, "hops must be between 0 and 10")
        focus = one("focus")
        options = {"focus": focus, "hops": hops, "since": one("since"), "until": one("until"),
                   "types": one("types"), "max_nodes": max_nodes, "title": f"kg: {focus}" if focus else "kg explorer"}
        try:
            page = self.server.run_limited(lambda: self.server.explorer_page(options))
        except KGError as exc:
            raise HTTPProblem(404 if focus and str(exc).startswith("no entity") else 400, one_line(exc)) from None
        self._send(200, page, "text/html; charset=utf-8", page=True)


def make_server(store: Any, host: str = "127.0.0.1", port: int = 8000, *, allow_update: bool = False,
                timeout: float = 30.0, max_rows: int = 10000, max_body: int = 1_000_000) -> SparqlServer:
    """A ready, not yet running server; call ``serve_forever()`` (in a thread if you like).

    Args:
        store: a store directory, an RDF file (loaded into memory), ``"memory"``, or an open
            local store (rdflib Dataset from :func:`kg.store.open_store`, or a pyoxigraph Store).
        port: 0 picks a free port (see ``server.url``).
        allow_update: accept SPARQL updates (refused with 403 otherwise).
        timeout: seconds a query may run before the answer is 503.
        max_rows: rows (or triples) kept; more are cut and flagged ``X-KG-Truncated: true``.
        max_body: largest request body in bytes (413 above).

    Example:
        >>> server = make_server("memory", port=0)
        >>> server.server_close()
    """
    dataset, local, owned = _open(store, allow_update)
    try:
        return SparqlServer((host, port), dataset, local, owned=owned, allow_update=allow_update,
                            timeout=timeout, max_rows=max_rows, max_body=max_body)
    except OSError as exc:
        if owned:
            close_store(dataset)
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def serve(store_spec: Any, host: str = "127.0.0.1", port: int = 8000, *, allow_update: bool = False,
          timeout: float = 30.0, max_rows: int = 10000, max_body: int = 1_000_000) -> None:
    """Serve a store over HTTP until interrupted (arguments as :func:`make_server`).

    Example:
        >>> serve("out/store", port=8000)  # doctest: +SKIP
    """
    server = make_server(store_spec, host, port, allow_update=allow_update, timeout=timeout,
                         max_rows=max_rows, max_body=max_body)
    if not log.handlers and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.info("kg: serving %s (SPARQL at %ssparql, %s)", server.url, server.url,
             "updates allowed" if allow_update else "read-only")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
