"""A SPARQL 1.1 Protocol endpoint over a local store, with a query page and the explorer.

Standard library HTTP (``ThreadingHTTPServer``, one thread per connection) in front of query
worker processes (:mod:`kg.workers`): the default graph is the union of the named graphs and the
kg prefixes are predeclared, as in :func:`kg.query.sparql`. Read-only unless asked. Every query,
update and explorer page runs in a worker that is killed at its deadline, so a heavy query stops
using the machine when its client is told it timed out; a query that crashes the engine costs
only its worker. Answers are capped in rows and bytes and reach the client from a spool file,
never whole in the server's memory. Slow clients are dropped after ``read_timeout`` seconds and
open connections are bounded; no response carries a stack trace or a file from disk.

The store is held against writers while it is served: ``kg build --store`` into it is refused.
A store given as an object, an RDF file or ``"memory"`` is served from a copy in a temporary
directory (updates change the copy).

Routes: ``/sparql`` (GET ``?query=``, POST ``application/sparql-query``, POST form ``query=``
or ``update=``, POST ``application/sparql-update``), ``/`` (query page), ``/explorer``
(``?focus=NAME&hops=N``) and ``/health``.
"""

from __future__ import annotations

import gc
import ipaddress
import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import QueryError, StoreError
from kg.sparql_results import check_nesting
from kg.store import (
    STANDARD_PREFIXES, Endpoint, hold_store, open_target, release_store, store_directory, to_pyoxigraph,
)
from kg.worker import Settings
from kg.workers import Busy, Stopped, WorkerPool

log = logging.getLogger("kg.server")

# the page scripts and styles are inline; nothing may be fetched from anywhere but this server
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
)
PAGE_CACHE = 16  # explorer pages kept (about 1 MB each)
_CROSS_SITE = "updates from another site are refused (send them from this server's own pages or without a browser)"
#: a header no web page of another site may send here (CORS lets it through only from our own origin)
UPDATE_HEADER = "X-KG-Update"
_SIMPLE_UPDATE = (f"send updates as application/sparql-update, or add the header {UPDATE_HEADER}: 1 to a form post "
                  "(a plain form could be posted by any web page)")
_FOREIGN_HOST = "updates must name this server by its address or localhost in Host"


class HTTPProblem(Exception):
    """An answer other than 200: status code, a one-line plain-text message and extra headers."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _copy_to(directory: Path, source: ox.Store) -> None:
    target = ox.Store(str(directory))
    target.extend(source)
    target.flush()
    del target
    gc.collect()  # closed, background work ended, before any worker opens the copy


def _prepare(spec: Any) -> tuple[Path, Path | None]:
    """(the store directory to serve, a temporary directory to remove afterwards or None)."""
    if isinstance(spec, (ox.Store, Graph)):
        local = spec if isinstance(spec, ox.Store) else to_pyoxigraph(spec)
        if local is None:
            raise StoreError("the server needs a local Oxigraph store, not a remote or plain rdflib one")
    else:
        local = open_target(spec, read_only=True, create=False)  # one clear line when it is none of them
        if isinstance(local, Endpoint):
            raise StoreError(f"{spec}: serve a local store directory or RDF file, not a remote endpoint")
        directory = store_directory(Path(str(spec)))
        if str(spec) != "memory" and directory.is_dir():
            del local
            gc.collect()  # the read-only handle goes before the workers open the store
            return directory, None
    scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        _copy_to(scratch / "store", local)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return scratch / "store", scratch


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its store, limits, query workers and the cached explorer pages."""

    daemon_threads = True
    request_queue_size = 128  # browsers open several connections at once
    block_on_close = False  # a browser's idle keep-alive connection must not hold up close()

    def __init__(self, address, path: Path, scratch: Path | None, *, allow_update: bool, timeout: float,
                 max_rows: int, max_body: int, max_bytes: int, workers: int, max_connections: int,
                 read_timeout: float):
        self.path, self.scratch = path, scratch
        self.allow_update, self.timeout, self.max_rows, self.max_body = allow_update, timeout, max_rows, max_body
        self.max_connections, self.read_timeout = max_connections, read_timeout
        self._lock = threading.Lock()
        self._index: bytes | None = None
        # a page costs a quarter second of a worker: the same one is made once
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._open_connections = 0
        self._reading: dict[socket.socket, float] = {}
        self._store_lock: int | None = hold_store(path)
        self.pool = None
        try:
            self.pool = WorkerPool(Settings(str(path), dict(STANDARD_PREFIXES), max_rows, max_bytes), workers,
                                   timeout, on_update=self._writing)
            super().__init__(address, _Handler)
        except BaseException:
            self._release()
            raise
        threading.Thread(target=self._drop_slow_clients, name="kg-reaper", daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    # --- connections ------------------------------------------------------------------------

    def process_request(self, request, client_address) -> None:
        with self._lock:
            full = self._open_connections >= self.max_connections
            if not full:
                self._open_connections += 1
                self._reading[request] = time.monotonic() + self.read_timeout
        if full:  # told at once and dropped; the thread per connection is never started
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n"
                                b"Content-Length: 39\r\n\r\nserver busy: too many open connections\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._open_connections -= 1
                self._reading.pop(request, None)

    def request_read(self, connection) -> None:
        """The whole request has arrived: the read deadline no longer applies."""
        with self._lock:
            self._reading.pop(connection, None)

    def _drop_slow_clients(self) -> None:
        while self.pool is not None:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                late = [sock for sock, deadline in self._reading.items() if deadline < now]
                for sock in late:
                    del self._reading[sock]
            for sock in late:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    # --- the store --------------------------------------------------------------------------

    def _writing(self, starting: bool) -> None:
        """An update opens the store for writing in a worker: our hold on it pauses meanwhile."""
        if starting:
            if self._store_lock is not None:
                release_store(self._store_lock)
                self._store_lock = None
            return
        self.changed()
        try:
            self._store_lock = hold_store(self.path)
        except StoreError as exc:
            log.warning("kg: %s", exc)

    def explorer_page(self, options: dict[str, Any], read) -> bytes:
        """The explorer page for these options, from a small cache emptied by every update."""
        key = (self.pool.generation, tuple(sorted(options.items())))
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        page = read()
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > PAGE_CACHE:
                self._pages.popitem(last=False)
        return page

    def changed(self) -> None:
        with self._lock:
            self._pages.clear()

    def index_page(self) -> bytes:
        if self._index is None:
            from kg.export.endpoint import index_page

            self._index = index_page().encode()
        return self._index

    def _release(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.close()
        if self._store_lock is not None:
            release_store(self._store_lock)
            self._store_lock = None
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def server_close(self) -> None:
        super().server_close()
        self._release()


class _Handler(BaseHTTPRequestHandler):
    """One request: route it, answer with a status, never with a traceback."""

    server: SparqlServer
    timeout = 10  # seconds one read may wait; the whole request must come within server.read_timeout

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
        if method != "POST":
            self.server.request_read(self.connection)
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
            try:
                self._send(problem.status, f"{problem}\n".encode(), "text/plain; charset=utf-8", problem.headers)
            except OSError:
                pass  # the client went away
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away
        except Exception:
            log.exception("internal error answering %s", self.path)
            self._send(500, b"internal server error\n", "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, kind: str | None, headers: dict | None = None,
              page: bool = False, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-KG-Truncated, Retry-After")
        self.send_header("X-Content-Type-Options", "nosniff")
        if page:
            self.send_header("Content-Security-Policy", PAGE_POLICY)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
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
        data = self.rfile.read(size)
        self.server.request_read(self.connection)
        try:
            return data.decode("utf-8")
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
            self._update(method, kind if method == "POST" else "", updates[0])
            return
        try:
            check_nesting(queries[0])
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from None
        graphs = (tuple(form.get("default-graph-uri", [])), tuple(form.get("named-graph-uri", [])))
        job = self.server.pool.job("query", queries[0], self.headers.get("Accept"), graphs)
        self._answer(job, {"Vary": "Accept", "Cache-Control": "no-store"})

    def _answer(self, job, headers: dict, page: bool = False) -> bytes | None:
        """Relay a worker's answer to the client as it comes; with ``page``, return it instead.

        The last piece is written after the worker is given back, so a client that sends its
        next request as soon as it has read this answer finds the slot free.
        """
        sent, last = False, b""
        try:
            with job as replies:
                first = next(replies)
                if first[0] == "error":
                    raise HTTPProblem(first[1], first[2])
                _, status, kind, truncated, length = first
                if page:
                    return b"".join(reply[1] for reply in replies if reply[0] == "data")
                if truncated:
                    headers["X-KG-Truncated"] = "true"
                charset = "; charset=utf-8" if kind and kind.startswith("text/") else ""
                for reply in replies:
                    if reply[0] != "data":
                        continue
                    if not sent:
                        self._send(status, b"", kind and kind + charset, headers, length=length)
                        sent = True
                    if last and self.command != "HEAD":
                        self.wfile.write(last)
                    last = reply[1]
        except Busy as busy:
            raise HTTPProblem(503, str(busy), {"Retry-After": str(busy.retry_after)}) from None
        except Stopped as stopped:
            if sent:  # the status went out already: a short body tells the client it was cut
                self.close_connection = True
                return None
            raise HTTPProblem(stopped.status, str(stopped)) from None
        if not sent:
            self._send(status, b"", kind and kind + charset, headers, length=length)
        if last and self.command != "HEAD":
            self.wfile.write(last)
        return None

    def _update(self, method: str, kind: str, text: str) -> None:
        server = self.server
        if not server.allow_update:
            raise HTTPProblem(403, "updates are not allowed on this endpoint")
        if method != "POST":
            raise HTTPProblem(405, "send updates with POST")
        if self._cross_site():
            raise HTTPProblem(403, _CROSS_SITE)
        if kind != "application/sparql-update" and self.headers.get(UPDATE_HEADER) is None:
            raise HTTPProblem(403, _SIMPLE_UPDATE)
        if not self._own_host_name():
            raise HTTPProblem(403, _FOREIGN_HOST)
        try:
            check_nesting(text)
        except QueryError as exc:
            raise HTTPProblem(400, str(exc)) from None
        self._answer(server.pool.update(text), {})

    def _own_host_name(self) -> bool:
        """Whether ``Host`` names this server by an address or ``localhost``, or by the name it
        was started with: a web page whose own name was pointed at this machine (DNS rebinding)
        reaches the endpoint as "its own origin", but under its own host name."""
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        name = name.strip("[]")
        if name in ("localhost", str(self.server.server_address[0]).lower()):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def _cross_site(self) -> bool:
        """Whether a browser sent this request from a page of another site (a cross-site form post).

        Browsers name the page's origin in ``Origin`` on every POST and say where a request
        comes from in ``Sec-Fetch-Site``; tools such as curl or SPARQLWrapper send neither.
        """
        site = (self.headers.get("Sec-Fetch-Site") or "").lower()
        if site and site not in ("same-origin", "none"):
            return True
        origin = self.headers.get("Origin")
        if origin is None:
            return False
        host = (self.headers.get("Host") or "").lower()
        return origin.lower() not in (f"http://{host}", f"https://{host}")

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
        page = self.server.explorer_page(options, lambda: self._answer(self.server.pool.job("explorer", options),
                                                                       {}, page=True))
        self._send(200, page, "text/html; charset=utf-8", page=True)


def make_server(store: Any, host: str = "127.0.0.1", port: int = 8000, *, allow_update: bool = False,
                timeout: float = 30.0, max_rows: int = 10000, max_body: int = 1_000_000,
                max_bytes: int = 64_000_000, workers: int | None = None, max_connections: int = 256,
                read_timeout: float = 10.0) -> SparqlServer:
    """A ready, not yet running server; call ``serve_forever()`` (in a thread if you like).

    Args:
        store: a store directory, an RDF file, ``"memory"``, or an open local store (rdflib
            Dataset from :func:`kg.store.open_store`, or a pyoxigraph Store); all but a
            directory are served from a temporary copy.
        port: 0 picks a free port (see ``server.url``).
        allow_update: accept SPARQL updates (refused with 403 otherwise).
        timeout: seconds a query may run; then its worker is killed and the answer is 503.
        max_rows: rows (or triples) kept; more are cut and flagged ``X-KG-Truncated: true``.
        max_body: largest request body in bytes (413 above).
        max_bytes: largest answer in bytes (cut at a row and flagged likewise).
        workers: query worker processes (slots); default twice the cores, at least 4.
        max_connections: open connections at once; more are answered 503 and closed.
        read_timeout: seconds a client may take to send its whole request.

    Example:
        >>> server = make_server("memory", port=0)
        >>> server.server_close()
    """
    path, scratch = _prepare(store)
    size = workers if workers else max(4, 2 * (os.cpu_count() or 1))
    try:
        return SparqlServer((host, port), path, scratch, allow_update=allow_update, timeout=timeout,
                            max_rows=max_rows, max_body=max_body, max_bytes=max_bytes, workers=max(2, size),
                            max_connections=max_connections, read_timeout=read_timeout)
    except OSError as exc:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    except BaseException:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise


def serve(store_spec: Any, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve a store over HTTP until interrupted (arguments as :func:`make_server`).

    Example:
        >>> serve("out/store", port=8000)  # doctest: +SKIP
    """
    server = make_server(store_spec, host, port, **options)
    if not log.handlers and not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(message)s")
    log.info("kg: serving %s (SPARQL at %ssparql, %s; %d query workers)", server.url, server.url,
             "updates allowed" if server.allow_update else "read-only", server.pool.size)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # a stop by a service manager cleans up as Ctrl+C does
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
