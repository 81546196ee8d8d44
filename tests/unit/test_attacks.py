"""Queries and files that used to crash kg or make it reach outside, one test per kind of attack.

Commands that could crash run in a subprocess, so a crash is a failed assertion on the exit
code. No test lets the server fetch a URL: SERVICE and LOAD point at a local listener that
records whether anyone connected.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import QueryError, StoreError
from kg.query import run_query
from tests.unit.test_server import fetch, running

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
DEEP = "SELECT * WHERE { FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ") }"
XSD = "http://www.w3.org/2001/XMLSchema#"
KG = "https://w3id.org/kg-events/ontology#"


def kg(*args, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m kg ARGS` in a subprocess, so a crash shows as its exit code."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def one_clear_line(result: subprocess.CompletedProcess, code: int | None = None) -> str:
    """The single stderr line of a failed command, checked to be no crash and no internal error."""
    assert result.returncode > 0, (result.returncode, result.stderr[-500:])
    if code is not None:
        assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr[-500:]
    assert "internal error" not in lines[0] and "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture()
def small_store(tmp_path) -> Path:
    directory = tmp_path / "store"
    store = ox.Store(str(directory))
    graph = ox.NamedNode("http://example.org/doc")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode(f"http://example.org/p{i % 3}"),
                         ox.Literal(f"v{i}") if i % 2 else ox.NamedNode(f"http://example.org/o{i % 5}"), graph)
                 for i in range(60))
    store.flush()
    del store
    return directory


@contextmanager
def listener():
    """A local port that records whether anything connected to it (and never answers)."""
    contacted = threading.Event()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    stop = threading.Event()

    def watch():
        held = []
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
                contacted.set()
            except (TimeoutError, OSError):
                continue
        for sock in held:
            sock.close()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/", contacted
    finally:
        stop.set()
        thread.join(2)
        server.close()


def get(server, query: str, accept: str | None = None):
    return fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}),
                 headers={"Accept": accept} if accept else {})


# --- 1. deep nesting --------------------------------------------------------------------------


def test_deeply_nested_query_is_refused_not_a_crash(small_store):
    line = one_clear_line(kg("query", small_store, DEEP), code=2)
    assert "nested too deeply" in line
    # deep but within the limit: answered, on a stack deep enough for it
    nested = "SELECT * WHERE { FILTER(" + "(" * 1500 + "1" + ")" * 1500 + ") }"
    assert kg("query", small_store, nested, "--format", "json").returncode == 0
    with running(str(small_store)) as server:
        status, _, body = get(server, DEEP)
        assert status == 400 and b"nested too deeply" in body
        assert get(server, "ASK { ?s ?p ?o }")[0] == 200


# --- 2. a query that ends the engine ------------------------------------------------------------


def test_a_query_that_kills_its_engine_does_not_kill_the_endpoint(small_store):
    """An engine abort (as Oxigraph's panic on some ORDER BY queries) ends only its worker."""
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with running(str(small_store), timeout=20) as server:
        answer = {}
        thread = threading.Thread(target=lambda: answer.update(zip(("status", "headers", "body"), get(server, heavy))))
        thread.start()
        time.sleep(1.0)
        busy = [w for w in server.pool._running]
        assert len(busy) == 1
        os.kill(busy[0].process.pid, signal.SIGABRT)  # what a Rust panic with abort does
        thread.join(10)
        assert answer["status"] == 500
        assert answer["body"].decode().startswith("query failed: the query engine stopped")
        assert answer["body"].count(b"\n") == 1
        # the query of the report: the server answers it or times it out, and stays up
        status, _, _ = get(server, "SELECT ?f ?c WHERE { ?d ?e ?f . ?a ?b ?c } ORDER BY ?f ?c LIMIT 1")
        assert status in (200, 503)
        assert get(server, "ASK { ?s ?p ?o }")[0] == 200


# --- 3. SERVICE and LOAD hidden from a text check -----------------------------------------------


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p kg:x\\' . SERVICE <{url}> {{ ?a ?b ?c }} FILTER(?o != 'z') }}",
    "SELECT * WHERE {{ ?s ?p :x\\#y . SERVICE <{url}> {{ ?a ?b ?c }} }}",
])
def test_service_hidden_from_a_text_check_is_refused(small_store, template):
    with listener() as (url, contacted), running(str(small_store)) as server:
        status, _, body = get(server, template.format(url=url))
        assert (status, body) == (403, b"SERVICE is not allowed on this endpoint\n")
        time.sleep(0.3)
        assert not contacted.is_set()


def test_load_hidden_behind_a_carriage_return_is_refused(small_store):
    with listener() as (url, contacted), running(str(small_store), allow_update=True) as server:
        for update in (f"#\rLOAD <{url}data.ttl>", f"CLEAR SILENT GRAPH <urn:g> ; #\rLOAD <{url}x> INTO GRAPH <urn:g>"):
            status, _, body = fetch(server.url + "sparql", data=update.encode(),
                                    headers={"Content-Type": "application/sparql-update"})
            assert status == 403 and b"LOAD" in body, update
        time.sleep(0.3)
        assert not contacted.is_set()


# --- 4. cross-site updates -------------------------------------------------------------------


def test_cross_site_updates_are_refused(small_store):
    drop = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with running(str(small_store), allow_update=True) as server:
        host = server.url.split("/")[2]
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec-Fetch-Site": "cross-site"}, {"Origin": f"http://{host}", "Sec-Fetch-Site": "same-site"}):
            status, _, body = fetch(server.url + "sparql", data=drop, headers={**form, **headers})
            assert status == 403 and b"another site" in body, headers
            status, _, _ = fetch(server.url + "sparql", data=b"DROP ALL",
                                 headers={"Content-Type": "application/sparql-update", **headers})
            assert status == 403, headers
        assert json.loads(get(server, "ASK { ?s ?p ?o }")[2])["boolean"] is True
        # the server's own page (same origin) and tools without browser headers may update
        same = {"Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"}
        insert = urllib.parse.urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode()
        assert fetch(server.url + "sparql", data=insert, headers={**form, **same, "X-KG-Update": "1"})[0] == 204
        assert json.loads(get(server, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is True


def test_updates_need_a_request_no_other_site_can_make(small_store):
    drop = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with running(str(small_store), allow_update=True) as server:
        port = server.url.split("/")[2].rsplit(":", 1)[1]
        # a plain form post, as any page can send, even without browser headers
        status, _, body = fetch(server.url + "sparql", data=drop, headers=form)
        assert status == 403 and b"X-KG-Update" in body
        # a page whose own name was pointed at this machine (DNS rebinding) is same-origin to itself
        for host in (f"attacker.example:{port}", "kg.attacker.example"):
            rebound = {"Host": host, "Origin": f"http://{host}", "X-KG-Update": "1"}
            status, _, body = fetch(server.url + "sparql", data=drop, headers={**form, **rebound})
            assert status == 403 and b"Host" in body, host
            status, _, _ = fetch(server.url + "sparql", data=b"DROP ALL",
                                 headers={"Content-Type": "application/sparql-update", "Host": host})
            assert status == 403, host
        assert json.loads(get(server, "ASK { ?s ?p ?o }")[2])["boolean"] is True
        # the address served, localhost, or an application/sparql-update body: allowed
        for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
            insert = f"INSERT DATA {{ <urn:{port}> <urn:b> <urn:c> }}".encode()
            status, _, _ = fetch(server.url + "sparql", data=insert,
                                 headers={"Content-Type": "application/sparql-update", "Host": host})
            assert status == 204, host


# --- 5. resource bombs ---------------------------------------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&e;&e;&e;&e;&e;&e;&e;&e;</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.slow
def test_rdf_xml_entity_bomb_is_refused_in_little_memory(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(BOMB)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = kg("import", bomb, "--store", tmp_path / "store")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert "declares XML entities" in one_clear_line(result)
    assert peak_mb < 200 or before / 1024 >= 200
    for command in (("query", bomb, "ASK {}"), ("viz", bomb, "--out", tmp_path / "x.html")):
        assert "declares XML entities" in one_clear_line(kg(*command))


def test_a_statement_over_the_parser_limit_is_one_clear_line(tmp_path):
    big = tmp_path / "big.nt"
    big.write_text('<http://e/s> <http://e/p> "' + "x" * (17 * 1024 * 1024) + '" .\n')
    for command in (("import", big, "--store", tmp_path / "store"), ("query", big, "ASK {}")):
        assert "too large to read" in one_clear_line(kg(*command))


# --- 6. ill-typed literals ---------------------------------------------------------------------


@pytest.fixture()
def ill_typed(tmp_path) -> Path:
    """A store whose one event has confidence "high"^^xsd:decimal and whose title holds U+0000."""
    trig = tmp_path / "bad.trig"
    trig.write_text(f"""@prefix kg: <{KG}> . @prefix xsd: <{XSD}> . @prefix ent: <https://w3id.org/kg-events/entity/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/doc> {{
  ent:a a kg:Person ; rdfs:label "Anna" . ent:b a kg:Country ; rdfs:label "Betastan" .
  ent:a <https://w3id.org/kg-events/relation/meet> ent:b .
  <http://example.org/e1> a kg:Event ; kg:actor ent:a ; kg:target ent:b ; kg:lemma "meet" ;
      kg:confidence "high"^^xsd:decimal ; kg:goldstein "strong"^^xsd:double ; kg:sentenceIndex "first"^^xsd:integer .
  <http://example.org/doc> a kg:Document ; kg:title "bad\\u0000title" .
}}
""")
    return trig


@pytest.mark.slow
def test_ill_typed_literals_do_not_break_the_views(tmp_path, ill_typed):
    result = kg("viz", ill_typed, "--out", tmp_path / "g.html")
    assert result.returncode == 0 and "events" in result.stdout, result.stderr[-500:]
    assert (tmp_path / "g.html").read_text().startswith("<!DOCTYPE html>")
    assert kg("export", ill_typed, "--out", tmp_path / "g.graphml").returncode == 0
    ET.parse(tmp_path / "g.graphml")
    with running(str(ill_typed)) as server:
        assert fetch(server.url + "explorer")[0] == 200
        status, _, body = get(server, "SELECT ?t ?c WHERE { ?d kg:title ?t . OPTIONAL { ?e kg:confidence ?c } }",
                              "application/sparql-results+xml")
        assert status == 200
        literals = [e.text for e in ET.fromstring(body).iter("{http://www.w3.org/2005/sparql-results#}literal")]
        assert "bad\ufffdtitle" in literals and "high" in literals
        status, _, body = get(server, "CONSTRUCT WHERE { ?d kg:title ?t }", "application/rdf+xml")
        assert status == 200 and ET.fromstring(body) is not None


# --- 7. stores and remotes --------------------------------------------------------------------


@pytest.mark.slow
def test_a_served_store_refuses_writers(small_store, tmp_path):
    data = tmp_path / "more.nt"
    data.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    with running(str(small_store)) as server:
        line = one_clear_line(kg("import", data, "--store", small_store), code=2)
        assert "in use by another process" in line
        assert get(server, "ASK { <http://e/a> ?p ?o }")[0] == 200
    assert kg("import", data, "--store", small_store).returncode == 0  # free again once the server stops


def test_query_against_a_silent_or_absent_endpoint(small_store):
    with listener() as (url, contacted):
        began = time.monotonic()
        with pytest.raises(StoreError, match=r"did not answer within 1 s"):
            run_query(url + "sparql", "ASK {}", timeout=1)
        assert time.monotonic() - began < 5 and contacted.is_set()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match="endpoint unreachable") as caught:
        run_query(f"http://127.0.0.1:{port}/sparql", "ASK {}")
    assert "query" not in str(caught.value).split(":", 3)[-1]
    with running(str(small_store)) as server:  # a refused query is the query's fault
        with pytest.raises(QueryError, match="refused the query"):
            run_query(server.url + "sparql", "SELECT ?x WHERE {")
        assert run_query(server.url + "sparql", "ASK { ?s ?p ?o }") == "true"


@pytest.mark.slow
def test_damaged_store_long_path_and_unwritable_out(small_store, tmp_path):
    for sst in small_store.glob("*.sst"):
        sst.write_bytes(b"\0" * 100)
    for manifest in small_store.glob("MANIFEST-*"):
        manifest.write_bytes(b"garbage")
    assert "store" in one_clear_line(kg("query", small_store, "ASK {}"))
    assert "store" in one_clear_line(kg("serve", small_store, "--port", "0"))
    long = "x" * 5000
    assert "name too long" in one_clear_line(kg("query", long, "ASK {}")).lower()
    data = tmp_path / "ok.nt"
    data.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    for command in (("viz", data, "--out", blocker / "g.html"), ("export", data, "--out", blocker / "g.ttl")):
        assert "a-file" in one_clear_line(kg(*command))


def test_kg_query_fetches_no_url_either(small_store):
    with listener() as (url, contacted):
        for query in (f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?a ?b ?c }} }}"):
            assert "SERVICE is not allowed" in one_clear_line(kg("query", small_store, query, timeout=30), code=2)
        time.sleep(0.3)
        assert not contacted.is_set()
