"""The SPARQL endpoint under abuse: 1,000 mixed requests from a few clients over loopback.

Valid queries in every format, malformed ones, updates, oversized bodies, path traversal on
every route, absurd request lines and headers, SERVICE calls, slow queries and stray methods:
the server stays up, every response has the status its class calls for, no body carries a
traceback or a path of this machine, and a last valid query still answers correctly.
"""

from __future__ import annotations

import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from kg.rdf import add_extraction
from kg.store import close_store, open_store
from tests.unit.test_rdf import make_extraction, sample_extraction
from tests.unit.test_server import LABELS, expected_labels, running

pytestmark = pytest.mark.server

REQUESTS = 1000
CLIENTS = 4
TIMEOUT = 1.5  # the server's query deadline
MAX_BODY = 10_000
ROOT = Path(__file__).resolve().parents[2]
# about 2.5 s of work on the sample store, alone: past the deadline whatever the load
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
        "FILTER(STRLEN(STR(?c)) > STRLEN(STR(?i))) }")
N_EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Event }"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Case:
    """One request as raw bytes, the status it must get, and an optional check of the body."""

    kind: str
    raw: bytes
    status: int
    check: Callable[[dict, bytes], None] | None = None


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes


def request(method: str, path: str, headers: dict | None = None, body: bytes | None = None,
            send_length: bool = True) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body is not None and send_length and not any(k.lower() == "content-length" for k in headers or {}):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def get(path: str, query: str | None = None, accept: str | None = None, method: str = "GET") -> bytes:
    if query is not None:
        path += ("&" if "?" in path else "?") + urllib.parse.urlencode({"query": query})
    return request(method, path, {"Accept": accept} if accept else {})


def post_form(fields: dict, accept: str | None = None) -> bytes:
    headers = {"Content-Type": FORM}
    if accept:
        headers["Accept"] = accept
    return request("POST", "/sparql", headers, urllib.parse.urlencode(fields).encode())


def exchange(port: int, raw: bytes) -> Answer:
    """Send one request on a fresh connection and read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading an oversized request
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1."), data[:200]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Answer(int(lines[0].split()[1]), headers, body)


# --- checks of valid answers ------------------------------------------------------------------


def labels_json(headers, body):
    data = json.loads(body)
    assert [(b["s"]["value"], b["label"]["value"]) for b in data["results"]["bindings"]] == expected_labels()


def labels_xml(headers, body):
    assert body.startswith(b"<?xml") and body.count(b"<result>") == len(expected_labels())


def labels_csv(headers, body):
    lines = body.decode("utf-8").split("\r\n")
    assert lines[0] == "s,label" and len(lines) == len(expected_labels()) + 2


def labels_tsv(headers, body):
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?s\t?label" and len(lines) == len(expected_labels()) + 1


def events_json(headers, body):
    # report-1 holds two coded events and an open fact; report-2 one coded event
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"


def ask_true(headers, body):
    assert json.loads(body) == {"head": {}, "boolean": True}


def turtle_labels(headers, body):
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert sorted((str(s), str(o)) for s, _, o in graph) == sorted(set(expected_labels()))


def ntriples_labels(headers, body):
    assert body.count(b" .\n") == len(set(expected_labels()))


def empty_head(headers, body):
    assert body == b"" and int(headers["content-length"]) > 0


CONSTRUCT = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
HUGE_HEADER = "x" * 70_000


def case_table() -> dict[str, list[Case]]:
    """Every input class with its cases: (class -> cases)."""
    traversal_paths = [
        "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static/..%2f..%2fetc/passwd", "/static/../../etc/passwd", "/sparql/../../etc/passwd",
        "/explorer/..%2f..%2fetc%2fpasswd", "/health/../../../etc/passwd", "//etc/passwd",
        "/..\\..\\windows\\win.ini", "/%00", "/kg/server.py", "/export/explorer.js",
        "/pyproject.toml", "/.git/config", "/sparql%2f..%2f..%2fetc%2fpasswd", "/~root/.bashrc",
    ]
    return {
        "select, every format": [
            Case("select", get("/sparql", LABELS), 200, labels_json),
            Case("select", get("/sparql", LABELS, "application/sparql-results+json"), 200, labels_json),
            Case("select", get("/sparql", LABELS, "application/sparql-results+xml"), 200, labels_xml),
            Case("select", get("/sparql", LABELS, "text/csv"), 200, labels_csv),
            Case("select", get("/sparql", LABELS, "text/tab-separated-values"), 200, labels_tsv),
            Case("select", get("/sparql", LABELS, "text/*;q=0.9, */*;q=0.1"), 200, labels_csv),
            Case("select", get("/sparql", LABELS, "image/png;q=1, application/json;q=0.5"), 200, labels_json),
            Case("select", post_form({"query": LABELS}, "application/xml"), 200, labels_xml),
            Case("select", request("POST", "/sparql", {"Content-Type": "application/sparql-query; charset=utf-8"},
                                   LABELS.encode()), 200, labels_json),
            Case("select", get("/sparql", N_EVENTS), 200, events_json),
            Case("select", get("/sparql", LABELS, method="HEAD"), 200, empty_head),
        ],
        "ask and construct": [
            Case("ask", get("/sparql", 'ASK { ?x kg:cameoCode "130" }'), 200, ask_true),
            Case("ask", post_form({"query": 'ASK { ?x kg:cameoCode "130" }'}), 200, ask_true),
            Case("construct", get("/sparql", CONSTRUCT), 200, turtle_labels),
            Case("construct", get("/sparql", CONSTRUCT, "text/turtle"), 200, turtle_labels),
            Case("construct", get("/sparql", CONSTRUCT, "application/n-triples"), 200, ntriples_labels),
            Case("construct", get("/sparql", CONSTRUCT, "application/ld+json"), 200,
                 lambda h, b: json.loads(b)),
            Case("construct", get("/sparql", CONSTRUCT, "application/rdf+xml"), 200,
                 lambda h, b: Graph().parse(data=b.decode(), format="xml")),
        ],
        "unacceptable format": [
            Case("406", get("/sparql", LABELS, "image/png"), 406),
            Case("406", get("/sparql", CONSTRUCT, "text/csv"), 406),
            Case("406", get("/sparql", LABELS, "application/sparql-results+json;q=0"), 406),
        ],
        "malformed query": [
            Case("400", get("/sparql", q), 400) for q in [
                "SELECT ?x WHERE {", "SELEKT * WHERE { ?s ?p ?o }", "", "}}}}", "\x00\x01",
                "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT * FROM <file:///etc/passwd> WHERE {",
                "PREFIX : <\n> SELECT", "SELECT * WHERE { ?s ?p \"\"\" }", "SELECT (" * 200,
                "ASK { FILTER(<javascript:alert(1)>) ", "SELECT * WHERE { ?s nope:x ?o }", "🇺🇦" * 50,
                "SELECT * WHERE { BIND(<../../etc/passwd> AS ?x) ", "DESCRIBE",
            ]
        ] + [
            Case("400", request("GET", "/sparql?query=%ZZ%", {}), 400),
            Case("400", request("GET", "/sparql?query=a&query=b", {}), 400),
            Case("400", request("GET", "/sparql", {}), 400),
            Case("400", request("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"\xff\xfe\x00"), 400),
            Case("400", get("/sparql?default-graph-uri=not%20an%20iri", LABELS), 400),
            Case("415", request("POST", "/sparql", {"Content-Type": "text/plain"}, b"SELECT"), 415),
            Case("415", request("POST", "/sparql", {}, b"query=ASK{}"), 415),
        ],
        "update (read-only endpoint)": [
            Case("403", post_form({"update": 'INSERT DATA { <http://e/x> <http://e/p> "y" }'}), 403),
            Case("403", post_form({"update": "CLEAR ALL"}), 403),
            Case("403", post_form({"update": "LOAD <file:///etc/passwd>"}), 403),
            Case("403", request("POST", "/sparql", {"Content-Type": "application/sparql-update"},
                                b"DROP ALL"), 403),
            Case("403", request("GET", "/sparql?update=CLEAR%20ALL", {}), 403),
        ],
        "SERVICE (would fetch a URL)": [
            Case("403", get("/sparql", q), 403) for q in [
                "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                "SELECT * WHERE { service silent <file:///etc/passwd> { ?s ?p ?o } }",
                "SELECT * WHERE { ?s ?p ?o .SERVICE<http://169.254.169.254/>{?a ?b ?c} }",
                "SELECT * WHERE { # comment\n SERVICE ?endpoint { ?s ?p ?o } }",
            ]
        ],
        "oversized body": [
            Case("413", post_form({"query": LABELS + " #" + "x" * (2 * MAX_BODY)}), 413),
            Case("413", request("POST", "/sparql", {"Content-Type": FORM, "Content-Length": str(10**18)}), 413),
            Case("413", request("POST", "/sparql", {"Content-Type": "application/sparql-query",
                                                    "Content-Length": str(50 * MAX_BODY)}, b"SELECT"), 413),
            Case("411", request("POST", "/sparql", {"Content-Type": FORM}, None, send_length=False), 411),
            Case("400", request("POST", "/sparql", {"Content-Type": FORM, "Content-Length": "-5"}), 400),
            Case("400", request("POST", "/sparql", {"Content-Type": FORM, "Content-Length": "lots"}), 400),
        ],
        "path traversal": [Case("404", request("GET", p, {}), 404) for p in traversal_paths] + [
            Case("404", request("GET", "/explorer?focus=" + urllib.parse.quote(f), {}), 404)
            for f in ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "file:///etc/passwd",
                      "<script>alert(1)</script>", "\u202eevil"]
        ] + [
            Case("200", request("GET", "/?file=../../etc/passwd", {}), 200,
                 lambda h, b: b"kg SPARQL endpoint" in b or pytest.fail("not the query page")),
            Case("200", request("GET", "/health?../../etc/passwd", {}), 200),
            Case("400", request("GET", "/explorer?hops=../../1", {}), 400),
            Case("400", request("GET", "/explorer?hops=99999999999999999999", {}), 400),
            Case("400", request("GET", "/explorer?hops=-1", {}), 400),
            Case("400", request("GET", "/explorer?max_nodes=1e9", {}), 400),
            Case("400", request("GET", "/explorer?since=../../etc", {}), 400),
            Case("200", get("/sparql?default-graph-uri=file:///etc/passwd", N_EVENTS), 200,
                 lambda h, b: json.loads(b)["results"]["bindings"][0]["n"]["value"] == "0" or pytest.fail(b)),
        ],
        "explorer and pages": [
            Case("200", request("GET", "/explorer?focus=Anna%20Alpha&hops=1", {}), 200,
                 lambda h, b: b"Anna Alpha" in b or pytest.fail("no focus entity")),
            Case("200", request("GET", "/", {}), 200),
            Case("200", request("HEAD", "/", {}), 200, empty_head),
            Case("405", request("POST", "/health", {"Content-Type": FORM}, b"x=1"), 405),
        ],
        "absurd request lines and headers": [
            Case("414", request("GET", "/sparql?query=" + "A" * 70_000, {}), 414),
            Case("431", request("GET", "/health", {"X-Big": HUGE_HEADER}), 431),
            Case("431", request("GET", "/health", {f"X-H{i}": "1" for i in range(150)}), 431),
            Case("400", b"GARBAGE\r\n\r\n", 400),
            Case("400", b"GET /health HTTP/1.1 extra words\r\n\r\n", 400),
            Case("505", b"GET /health HTTP/2.0\r\n\r\n", 505),
            Case("400", b"GET /health HTTP/9.9.9\r\n\r\n", 400),
            Case("404", b"GET /\xff\xfe\x00 HTTP/1.1\r\nConnection: close\r\n\r\n", 404),
            Case("200", request("GET", "/health", {"Accept": ";;;q=abc,,,*/*;q=NaN", "Host": "\u00e9" * 10,
                                                   "X-Forwarded-For": "../../etc/passwd"}), 200),
            Case("406", get("/sparql", LABELS, "application/sparql-results+json;q=abc"), 406),
            Case("200", get("/sparql", LABELS, ",".join(["text/csv;q=0.1"] * 2000)), 200, labels_csv),
        ],
        "other methods": [
            Case("405", request("PUT", "/sparql", {"Content-Type": FORM}, b"query=ASK{}"), 405),
            Case("405", request("DELETE", "/", {}), 405),
            Case("405", request("PATCH", "/explorer", {}), 405),
            Case("501", request("TRACE", "/", {}), 501),
            Case("501", request("FROBNICATE", "/sparql", {}), 501),
            Case("204", request("OPTIONS", "/sparql", {"Origin": "http://elsewhere.example"}), 204),
        ],
        "slow query": [Case("503", get("/sparql", SLOW), 503)],
    }


def forbidden_strings(store_dir: Path) -> list[str]:
    """Text no answer may contain: a traceback, or a path of this machine."""
    paths = {str(store_dir), str(store_dir.parent), str(ROOT), sys.prefix, os.path.dirname(os.__file__),
             "site-packages", "root:x:0:0", "/usr/lib", "/usr/local"}
    return ["Traceback", 'File "', *sorted(paths)]


def plan(table: dict[str, list[Case]], total: int, seed: int = 13) -> list[tuple[str, Case]]:
    """``total`` requests: every case once, then random picks; slow queries spread far apart."""
    rnd = random.Random(seed)
    slow = [(name, case) for name, cases in table.items() for case in cases if case.kind == "503"]
    quick = [(name, case) for name, cases in table.items() for case in cases if case.kind != "503"]
    # valid queries weigh most, as on a real endpoint
    weights = [5 if case.status == 200 else 1 for _, case in quick]
    order = quick + rnd.choices(quick, weights=weights, k=total - len(quick) - 3)
    rnd.shuffle(order)
    # one slow query at a time: a timed-out query keeps its worker slot until it ends
    for position in (total // 8, total // 3, total // 2):
        order.insert(position, slow[0])
    return order


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("abuse") / "store"
    store = open_store(directory)
    add_extraction(store, sample_extraction("report-1"))
    add_extraction(store, make_extraction("report-2", [dict(subj="beta", obj="alpha", lemma="threaten", cameo="130")]))
    close_store(store)
    return directory


def test_thousand_hostile_requests(store_dir):
    table = case_table()
    order = plan(table, REQUESTS)
    forbidden = forbidden_strings(store_dir)
    statuses: Counter = Counter()
    per_class: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()

    with running(str(store_dir), timeout=TIMEOUT, max_body=MAX_BODY) as server:
        port = server.server_address[1]

        def one(item: tuple[str, Case]) -> None:
            name, case = item
            problem = None
            try:
                answer = exchange(port, case.raw)
                text = answer.body.decode("utf-8", "replace")
                leaked = [s for s in forbidden if s in text]
                if answer.status != case.status:
                    problem = f"status {answer.status}, wanted {case.status}: {text[:200]!r}"
                elif leaked:
                    problem = f"body leaks {leaked}: {text[:200]!r}"
                elif case.check is not None:
                    case.check(answer.headers, answer.body)
            except Exception as exc:  # a check that failed or a connection the server broke
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
            with lock:
                per_class[name] += 1
                statuses[answer.status if problem is None else "failed"] += 1
                if problem:
                    failures.append(f"[{name}] {case.raw[:90]!r}: {problem}")

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(one, order))
        elapsed = time.monotonic() - started
        # the server is still up and still right
        final = exchange(port, get("/sparql", LABELS))
        assert final.status == 200
        labels_json(final.headers, final.body)
        assert exchange(port, request("GET", "/health", {})).body == b"ok\n"

    print(f"\n{len(order)} requests from {CLIENTS} clients in {elapsed:.1f} s; "
          f"statuses {dict(sorted(statuses.items(), key=str))}")
    for name in table:
        print(f"  {name}: {per_class[name]} requests")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:20])
    assert len(order) == REQUESTS
