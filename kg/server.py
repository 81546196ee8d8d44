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

import csv
import io
import json
import logging
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from kg.errors import KGError, StoreError
from kg.store import STANDARD_PREFIXES, close_store, load_file, open_store, to_pyoxigraph

log = logging.getLogger("kg.server")

RESULT_TYPES = {  # media type -> serialiser name, for SELECT and ASK
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # media type -> RDF syntax, for CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# the page scripts and styles are inline; nothing may be fetched from anywhere but this server
PAGE_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'"
)
_SPARQL_NS = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class HTTPProblem(Exception):
    """An answer other than 200: status code and a one-line plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Result:
    """A query result held in memory: ``kind`` is select, ask or graph; rows are capped."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple = ()
    boolean: bool = False
    truncated: bool = False


# --- content negotiation and result formats ---------------------------------------------------


def accepted(header: str | None) -> list[str]:
    """Media types of an ``Accept`` header, best first (header order among equal q values)."""
    ranked = []
    for index, part in enumerate((header or "*/*").split(",")):
        kind, *params = (field.strip() for field in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind and quality > 0:
            ranked.append((-quality, index, kind.lower()))
    return [kind for _, _, kind in sorted(ranked)]


def negotiate(header: str | None, offered: dict[str, Any], default: str) -> str | None:
    """The offered media type the client likes best; None when it accepts none of them."""
    for kind in accepted(header):
        if kind in offered:
            return kind
        if kind == "*/*":
            return default
        if kind.endswith("/*"):
            match = next((o for o in offered if o.startswith(kind[:-1])), None)
            if match:
                return match
    return None


def _json_term(term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        inner = "".join(f"<{p}>{_xml_term(getattr(term, p))}</{p}>" for p in ("subject", "predicate", "object"))
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value == _XSD_STRING:
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def write_results(result: Result, fmt: str) -> bytes:
    """A SELECT or ASK result in a W3C results format: ``json``, ``xml``, ``csv`` or ``tsv``."""
    names = result.variables
    if fmt == "json":
        if result.kind == "ask":
            return json.dumps({"head": {}, "boolean": result.boolean}).encode()
        bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in result.rows]
        body = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(n)}/>" for n in names)
        if result.kind == "ask":
            body = f"<boolean>{str(result.boolean).lower()}</boolean>"
        else:
            rows = (
                "<result>"
                + "".join(f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>" for n, t in zip(names, row) if t is not None)
                + "</result>"
                for row in result.rows
            )
            body = "<results>" + "".join(rows) + "</results>"
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{_SPARQL_NS}"><head>{head}</head>{body}</sparql>\n'.encode()
    if result.kind == "ask":
        return str(result.boolean).lower().encode() + b"\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(t) for t in row] for row in result.rows)
        return out.getvalue().encode()
    # TSV terms are written in their N-Triples form, which escapes tabs and newlines
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return ("\n".join(lines) + "\n").encode()


# --- the store and its queries ----------------------------------------------------------------


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


def _graph_names(values: list[str]) -> list[ox.NamedNode]:
    try:
        return [ox.NamedNode(v) for v in values]
    except ValueError as exc:
        raise HTTPProblem(400, f"bad graph IRI: {exc}") from None


def evaluate(store: ox.Store, query: str, max_rows: int, default_graphs=(), named_graphs=()) -> Result:
    """Run a query over the union graph (or the given graphs); keep at most ``max_rows`` rows."""
    options: dict[str, Any] = {"prefixes": STANDARD_PREFIXES}
    if default_graphs:
        options["default_graph"] = _graph_names(list(default_graphs))
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = _graph_names(list(named_graphs))
    try:
        answer = store.query(query, **options)
        if isinstance(answer, ox.QueryBoolean):
            return Result("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(v.value for v in answer.variables)
            rows = [tuple(s[i] for i in range(len(names))) for s in islice(answer, max_rows + 1)]
            return Result("select", names, tuple(rows[:max_rows]), truncated=len(rows) > max_rows)
        triples = list(islice(answer, max_rows + 1))
        return Result("graph", rows=tuple(triples[:max_rows]), truncated=len(triples) > max_rows)
    except SyntaxError as exc:
        raise HTTPProblem(400, _one_line(exc)) from None
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise HTTPProblem(400, f"query failed: {_one_line(exc)}") from None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


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

    def changed(self) -> None:
        with self._lock:
            self._network = None

    def index_page(self) -> bytes:
        if self._index is None:
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

    def version_string(self) -> str:
        return "kg"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's name)
        log.info("%s %s", self.address_string(), format % args)

    def do_OPTIONS(self) -> None:
        self._send(204, b"", None, {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                                    "Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path == "/sparql":
                self._sparql(method, params)
            elif url.path not in ("/", "/explorer", "/health"):
                raise HTTPProblem(404, "not found")
            elif method != "GET":
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
        server = self.server
        graphs = form.get("default-graph-uri", []), form.get("named-graph-uri", [])
        result = server.run_limited(lambda: evaluate(server.store, queries[0], server.max_rows, *graphs))
        headers = {"Vary": "Accept", "Cache-Control": "no-store"}
        if result.truncated:
            headers["X-KG-Truncated"] = "true"
        accept = self.headers.get("Accept")
        offered: dict[str, Any] = GRAPH_TYPES if result.kind == "graph" else RESULT_TYPES
        default = "text/turtle" if result.kind == "graph" else "application/sparql-results+json"
        kind = negotiate(accept, offered, default)
        if kind is None:
            raise HTTPProblem(406, f"cannot answer {accept}; available: {', '.join(offered)}")
        if result.kind == "graph":
            fmt = GRAPH_TYPES[kind]
            prefixes = STANDARD_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
            body = ox.serialize(sorted(result.rows, key=str), format=fmt, prefixes=prefixes)
        else:
            body = write_results(result, RESULT_TYPES[kind])
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        self._send(200, body, kind + charset, headers)

    def _update(self, method: str, text: str) -> None:
        server = self.server
        if not server.allow_update:
            raise HTTPProblem(403, "updates are not allowed on this endpoint")
        if method != "POST":
            raise HTTPProblem(405, "send updates with POST")

        def work():
            try:
                server.store.update(text, prefixes=STANDARD_PREFIXES)
            except SyntaxError as exc:
                raise HTTPProblem(400, _one_line(exc)) from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise HTTPProblem(400, f"update failed: {_one_line(exc)}") from None
            finally:
                server.changed()

        server.run_limited(work)
        self._send(204, b"", None)

    def _explorer(self, params: dict[str, list[str]]) -> None:
        from kg.export.html import to_html

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
            page = self.server.run_limited(lambda: to_html(self.server.network(), **options))
        except KGError as exc:
            raise HTTPProblem(404 if focus and str(exc).startswith("no entity") else 400, _one_line(exc)) from None
        self._send(200, page.encode(), "text/html; charset=utf-8", page=True)


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



# --- the query page ---------------------------------------------------------------------------

_PAGE_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{display:flex;gap:1.5em;align-items:center;flex-wrap:wrap;padding:.5em 1em;background:#f4f4f4;border-bottom:1px solid #ddd}
h1{font-size:1.2em;margin:0}h2{font-size:1em;margin:.2em 0}
main{display:flex;gap:1em;padding:1em}aside{flex:0 0 22em}section{flex:1;min-width:0}
#kg-named{list-style:none;padding:0;margin:0}#kg-named li{margin:.3em 0}
#kg-named button{font-weight:600;margin-right:.4em}#kg-named span{color:#555;font-size:.9em}
textarea{width:100%;height:16em;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
table{border-collapse:collapse;margin-top:.8em;font-size:13px}th,td{border:1px solid #ddd;padding:.2em .4em;text-align:left;vertical-align:top}
th{background:#f4f4f4}pre{white-space:pre-wrap;background:#fafafa;padding:.5em}output{margin-left:1em;color:#555}
"""

_PAGE_SCRIPT = """
(() => {
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const editor = $("kg-query"), status = $("kg-status"), results = $("kg-results");
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  const short = (v) => {
    for (const [p, ns] of data.prefixes) if (v.startsWith(ns) && v.length > ns.length) return p + ":" + v.slice(ns.length);
    return v;
  };
  for (const q of data.queries) {
    const item = el("li"), button = el("button", q.name);
    button.type = "button";
    button.dataset.query = q.name;
    button.addEventListener("click", () => {
      editor.value = q.text;
      status.textContent = "Loaded " + q.name + (q.params.length ? "; fill in the empty \\"\\" for " + q.params.join(", ") : "");
    });
    item.append(button, el("span", q.description));
    $("kg-named").append(item);
  }
  async function run() {
    status.textContent = "Running\\u2026";
    results.replaceChildren();
    const started = performance.now();
    let response, text;
    try {
      response = await fetch("sparql", {method: "POST", body: new URLSearchParams({query: editor.value}),
        headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json, text/turtle;q=0.9"}});
      text = await response.text();
    } catch (error) { status.textContent = "Network error: " + error; return; }
    if (!response.ok) { status.textContent = "Error " + response.status + ": " + text; return; }
    const took = " in " + ((performance.now() - started) / 1000).toFixed(2) + " s";
    const cut = response.headers.get("X-KG-Truncated") === "true" ? " (truncated)" : "";
    if (!(response.headers.get("Content-Type") || "").includes("json")) {
      results.append(el("pre", text)); status.textContent = "Graph" + took + cut; return;
    }
    const body = JSON.parse(text);
    if ("boolean" in body) { results.append(el("p", String(body.boolean))); status.textContent = "Answer" + took; return; }
    const table = el("table"), head = el("tr"), rows = el("tbody");
    for (const name of body.head.vars) head.append(el("th", name));
    for (const binding of body.results.bindings) {
      const row = el("tr");
      for (const name of body.head.vars) {
        const term = binding[name], cell = el("td", term ? (term.type === "uri" ? short(term.value) : term.value) : "");
        if (term && term.type === "uri") cell.title = term.value;
        row.append(cell);
      }
      rows.append(row);
    }
    table.append(el("thead"), rows);
    table.firstChild.append(head);
    results.append(table);
    const n = body.results.bindings.length;
    status.textContent = n + (n === 1 ? " row" : " rows") + took + cut;
  }
  $("kg-run").addEventListener("click", run);
  editor.addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); } });
})();
"""


def index_page() -> str:
    """The query page: editor, named queries (``$params`` left as ``""`` to fill in), explorer links."""
    from kg.export.html import script_json
    from kg.query import list_named_queries, named_query, named_query_params

    queries = []
    for name, description in list_named_queries():
        params = named_query_params(name)
        queries.append({"name": name, "description": description, "params": sorted(params),
                        "text": named_query(name, {p: "" for p in params})})
    data = {"queries": queries, "prefixes": sorted(STANDARD_PREFIXES.items(), key=lambda p: -len(p[1]))}
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>kg SPARQL endpoint</title><style>{_PAGE_STYLE}</style></head><body>"
        "<header><h1>kg SPARQL endpoint</h1><span>queries go to <code>/sparql</code></span>"
        '<a href="explorer">Explore the whole graph</a>'
        '<form action="explorer" method="get"><input name="focus" placeholder="Entity" required '
        'aria-label="Entity"> <label>hops <input name="hops" type="number" min="1" max="5" value="1">'
        "</label> <button>Explore</button></form></header>"
        "<main><aside><h2>Named queries</h2><ul id=\"kg-named\"></ul></aside><section>"
        '<textarea id="kg-query" spellcheck="false" aria-label="SPARQL query">'
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 25</textarea>"
        '<div><button id="kg-run" type="button">Run</button><output id="kg-status"></output></div>'
        '<div id="kg-results"></div></section></main>'
        f'<script type="application/json" id="kg-data">{script_json(data)}</script>'
        f"<script>{_PAGE_SCRIPT}</script></body></html>\n"
    )
