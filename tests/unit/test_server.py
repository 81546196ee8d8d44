"""The SPARQL endpoint over real HTTP: protocol, formats, limits, CORS and the pages."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pyoxigraph as ox
import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.export.html import remote_references
from kg.rdf import add_extraction
from kg.server import make_server
from kg.sparql_results import fetches_url, uses_service, write_results
from kg.syntaxes import GRAPHS_OFFERED, RESULTS_OFFERED, accepted, negotiate
from kg.store import open_store, to_pyoxigraph
from tests.unit.test_rdf import make_extraction, sample_extraction

pytestmark = pytest.mark.server

LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def sample_store():
    """Two documents, each in its own named graph."""
    store = open_store("memory")
    add_extraction(store, sample_extraction("report-1"))
    add_extraction(store, make_extraction("report-2", [dict(subj="beta", obj="alpha", lemma="threaten", cameo="130")]))
    return store


@contextmanager
def running(store=None, **options):
    """A server on a free loopback port, served from a thread; shut down on exit."""
    server = make_server(store if store is not None else sample_store(), port=0, **options)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def server():
    with running() as server:
        yield server


def fetch(url, *, data=None, headers=None, method=None):
    """(status, headers, body) of one request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def client(server, query, fmt, method=GET, request_method=URLENCODED):
    wrapper = SPARQLWrapper(server.url + "sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    wrapper.setRequestMethod(request_method)
    return wrapper.query()


def expected_labels():
    store = to_pyoxigraph(sample_store())
    rows = store.query(LABELS, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
                       use_default_graph_as_union=True)
    return [(s["s"].value, s["label"].value) for s in rows]


# --- SPARQL protocol with a real client -------------------------------------------------------


@pytest.mark.parametrize(
    "method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
)
def test_select_json_by_get_form_and_direct_post(server, method, request_method):
    result = client(server, LABELS, JSON, method, request_method).convert()
    rows = [(b["s"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]]
    assert result["head"]["vars"] == ["s", "label"]
    assert rows == expected_labels()
    assert ("https://w3id.org/kg-events/doc/report-2", "Report report-2") in rows


def test_default_graph_is_the_union_of_documents(server):
    query = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Fact }"
    result = client(server, query, JSON).convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "4"
    one = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a kg:Fact }"
    url = server.url + "sparql?" + urllib.parse.urlencode(
        {"query": one, "default-graph-uri": "https://w3id.org/kg-events/doc/report-2"})
    status, _, body = fetch(url)
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "1"


def test_select_xml(server):
    document = client(server, LABELS, XML).convert()
    bindings = document.getElementsByTagName("binding")
    uris = [b.getElementsByTagName("uri")[0].firstChild.data for b in bindings if b.getAttribute("name") == "s"]
    assert uris == [s for s, _ in expected_labels()]


def test_select_csv_and_tsv(server):
    text = client(server, LABELS, CSV).convert().decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "s,label"
    assert lines[1:-1] == [f"{s},{label}" for s, label in expected_labels()]
    tsv = client(server, LABELS, TSV).convert().decode("utf-8").splitlines()
    assert tsv[0] == "?s\t?label"
    assert tsv[1] == '<{}>\t"{}"'.format(*expected_labels()[0])


def test_ask(server):
    assert client(server, "ASK { ?x kg:cameoCode \"130\" }", JSON).convert()["boolean"] is True
    assert client(server, "ASK { ?x kg:cameoCode \"999\" }", JSON).convert()["boolean"] is False


def test_construct_turtle(server):
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
    data = client(server, query, TURTLE).convert()
    graph = Graph().parse(data=data, format="turtle")
    assert sorted((str(s), str(o)) for s, _, o in graph) == sorted(set(expected_labels()))


@pytest.mark.parametrize(
    "accept, check",
    [
        ("application/n-triples", lambda body: body.count(b" .\n") == 2),
        ("application/ld+json", lambda body: len(json.loads(body)) == 2),
        ("application/rdf+xml", lambda body: body.count(b"rdf:about") == 2),
    ],
)
def test_construct_other_syntaxes(server, accept, check):
    query = 'CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l . FILTER(STRSTARTS(?l, "Report")) }'
    status, headers, body = fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}),
                                  headers={"Accept": accept})
    assert status == 200
    assert headers["Content-Type"].startswith(accept)
    assert check(body)


def test_unacceptable_format_is_406(server):
    status, _, body = fetch(server.url + "sparql?query=" + urllib.parse.quote(LABELS),
                            headers={"Accept": "image/png"})
    assert status == 406
    assert b"application/sparql-results+json" in body


# --- errors and limits ------------------------------------------------------------------------


def test_syntax_error_is_400_with_one_line_and_no_traceback(server):
    with pytest.raises(QueryBadFormed) as caught:
        client(server, "SELECT ?x WHERE { ?x ?y }", JSON)
    assert "error at 1:" in str(caught.value)
    status, _, body = fetch(server.url + "sparql?query=" + urllib.parse.quote("SELECT ?x WHERE { ?x ?y }"))
    assert status == 400
    text = body.decode("utf-8")
    assert text.startswith("error at 1:")
    assert text.count("\n") == 1
    assert "Traceback" not in text and 'File "' not in text


def test_update_is_refused_without_permission(server):
    update = 'INSERT DATA { <http://example.org/x> <http://example.org/p> "y" }'
    status, _, body = fetch(server.url + "sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, _ = fetch(server.url + "sparql", data=update.encode(),
                         headers={"Content-Type": "application/sparql-update"})
    assert status == 403
    assert client(server, "ASK { <http://example.org/x> ?p ?o }", JSON).convert()["boolean"] is False


def test_update_when_allowed_changes_store_and_explorer():
    with running(allow_update=True) as server:
        status, _, before = fetch(server.url + "explorer")
        assert status == 200 and b"http://example.org/e" not in before
        update = 'INSERT DATA { GRAPH <http://example.org/g> { ent:beta rel:meet ent:alpha . ' \
                 '<http://example.org/e> a kg:Event ; kg:actor ent:beta ; kg:target ent:alpha ; kg:lemma "meet" } }'
        wrapper = SPARQLWrapper(server.url + "sparql")
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(POSTDIRECTLY)  # an application/sparql-update body
        wrapper.setQuery(update)
        assert wrapper.query().response.status == 204
        assert client(server, "ASK { ent:beta rel:meet ent:alpha }", JSON).convert()["boolean"] is True
        status, _, page = fetch(server.url + "explorer")
        assert status == 200 and b"http://example.org/e" in page


def test_update_that_would_fetch_a_url_is_refused():
    with running(allow_update=True) as server:
        for update in ("LOAD <http://127.0.0.1:1/data.ttl>",
                       "load silent <http://127.0.0.1:1/data.ttl> INTO GRAPH <urn:g>",
                       "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"):
            status, _, body = fetch(server.url + "sparql", data=update.encode(),
                                    headers={"Content-Type": "application/sparql-update"})
            assert status == 403, update
            assert b"LOAD" in body
        harmless = 'INSERT DATA { <urn:a> <urn:p> "LOAD <http://x/>" }'
        status, _, _ = fetch(server.url + "sparql", data=harmless.encode(),
                             headers={"Content-Type": "application/sparql-update"})
        assert status == 204


@pytest.mark.parametrize("update,fetches", [
    ("LOAD <http://x/a.ttl>", True),
    ("  load\n<http://x/a.ttl> INTO GRAPH <urn:g>", True),
    ("CLEAR GRAPH <urn:g>; LOAD <http://x/a.ttl>", True),
    ('INSERT DATA { <urn:a> <urn:p> "LOAD" }', False),
    ("INSERT DATA { <urn:LOAD> <urn:p> <urn:b> }", False),
    ("DELETE WHERE { ?load ?p ?o }", False),
])
def test_fetches_url(update, fetches):
    assert fetches_url(update) is fetches


def test_body_over_the_cap_is_413():
    with running(max_body=1000) as server:
        body = urllib.parse.urlencode({"query": LABELS + " #" + "x" * 5000}).encode()
        status, _, text = fetch(server.url + "sparql", data=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 413
        assert b"1000" in text
        small = urllib.parse.urlencode({"query": LABELS}).encode()
        status, _, _ = fetch(server.url + "sparql", data=small,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 200


def test_rows_over_the_cap_are_cut_and_flagged():
    with running(max_rows=3) as server:
        url = server.url + "sparql?query="
        status, headers, body = fetch(url + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"))
        assert status == 200
        assert headers["X-KG-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 3
        status, headers, body = fetch(url + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3"))
        assert headers["X-KG-Truncated"] is None
        assert len(json.loads(body)["results"]["bindings"]) == 3
        status, headers, body = fetch(url + urllib.parse.quote("CONSTRUCT WHERE { ?s ?p ?o }"),
                                      headers={"Accept": "application/n-triples"})
        assert headers["X-KG-Truncated"] == "true"
        assert body.count(b" .\n") == 3


def test_slow_query_times_out_with_503():
    with running(timeout=0.05) as server:
        status, _, body = fetch(server.url + "sparql?query=" + urllib.parse.quote(SLOW))
        assert status == 503
        assert body.decode().strip() == "query timed out after 0.05 s"
        status, _, _ = fetch(server.url + "health")
        assert status == 200


def test_unsupported_content_type_and_missing_query(server):
    status, _, _ = fetch(server.url + "sparql", data=b"x", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, _, _ = fetch(server.url + "sparql")
    assert status == 400
    both = urllib.parse.urlencode({"query": LABELS, "update": "CLEAR ALL"}).encode()
    status, _, _ = fetch(server.url + "sparql", data=both,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400


def test_cors(server):
    status, headers, body = fetch(server.url + "sparql", method="OPTIONS", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]
    _, headers, _ = fetch(server.url + "sparql?query=" + urllib.parse.quote("ASK {}"),
                          headers={"Origin": "http://elsewhere.example"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "X-KG-Truncated" in headers["Access-Control-Expose-Headers"]


def test_service_is_refused_and_nothing_is_fetched(server):
    """SERVICE would make the server call any URL (and wait on it for ever): refused before it runs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        listener.settimeout(0.3)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ ?s ?p ?o .service silent<{target}>{{ ?a ?b ?c }} }}"):
            status, _, body = fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}))
            assert (status, body) == (403, b"SERVICE is not allowed on this endpoint\n")
        with pytest.raises(socket.timeout):
            listener.accept()
    # the word inside a string, an IRI or a variable name is no SERVICE call
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) }'
    status, _, body = fetch(server.url + "sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


@pytest.mark.parametrize("query, calls", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("select * {service?x{?s ?p ?o}}", True),
    ("SELECT * { ?s ?p ?o .SERVICE<http://x/>{} }", True),
    ("SELECT * { \\u0053ERVICE <http://x/> {} }", True),
    ("SELECT * { ?s ?p ?o } # note\n SERVICE <http://x/> {}", True),
    ('SELECT * { ?s ?p "a\\\\" SERVICE <http://x/> {} }', True),
    ("SELECT * { ?s ?p 'SERVICE' }", False),
    ('SELECT * { ?s ?p """a " SERVICE""" }', False),
    ('SELECT * { ?s ?p "a\\" SERVICE" }', False),
    ("SELECT * { ?s ?p <http://x/SERVICE> } # SERVICE", False),
    ("SELECT ?service { ?service ex:service _:service }", False),
])
def test_uses_service(query, calls):
    assert uses_service(query) is calls


def test_head_other_methods_and_broken_requests(server):
    status, headers, body = fetch(server.url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, body = fetch(server.url + "sparql", method=method)
        assert status == 405 and "GET" in headers["Allow"], method
    status, _, body = fetch(server.url, method="FROBNICATE")
    assert status == 501 and body.startswith(b"Unsupported method")
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        answer = sock.makefile("rb").read()
    # a status line and a plain one-line body, not http.server's bare HTML page
    assert answer.startswith(b"HTTP/1.0 400 ") and answer.endswith(b"\r\n\r\nBad request syntax ('GARBAGE')\n")


def test_no_files_from_disk(server):
    for path in ("../pyproject.toml", "kg/server.py", "%2e%2e/etc/passwd", "export/explorer.js"):
        status, _, _ = fetch(server.url + path)
        assert status == 404, path


# --- pages ------------------------------------------------------------------------------------


def _assert_offline(page: str):
    assert remote_references(page) == []
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)


def test_health(server):
    assert fetch(server.url + "health")[:1] == (200,)
    assert fetch(server.url + "health")[2] == b"ok\n"


def test_index_page_is_self_contained_and_lists_named_queries(server):
    status, headers, body = fetch(server.url)
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    _assert_offline(page)
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    names = [q["name"] for q in data["queries"]]
    assert "who-did-what" in names and "entity-facts" in names
    facts = next(q for q in data["queries"] if q["name"] == "entity-facts")
    assert facts["params"] == ["entity"] and "$entity" not in facts["text"].split("\nSELECT", 1)[1]
    # a parameter with a default is filled with it: the listed query runs on events as it is
    assert '"false" = "true"' in facts["text"] and "$facts" not in facts["text"].split("\nSELECT", 1)[1]
    assert 'href="explorer"' in page


def test_explorer_pages(server):
    status, headers, body = fetch(server.url + "explorer")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    _assert_offline(page)
    assert "Anna Alpha" in page and "Betastan" in page
    status, _, body = fetch(server.url + "explorer?focus=Gamma%20City&hops=1")
    assert status == 200
    assert "Betan forces" in body.decode() and "Anna Alpha" not in body.decode()
    assert fetch(server.url + "explorer?focus=Nobody")[0] == 404
    assert fetch(server.url + "explorer?hops=many")[0] == 400


def test_store_directory_and_rdf_file(tmp_path):
    directory = tmp_path / "store"
    store = open_store(directory)
    add_extraction(store, sample_extraction())
    from kg.export.formats import write_graph
    from kg.store import close_store

    write_graph(store, tmp_path / "graph.trig", "trig")
    close_store(store)
    for spec in (directory, tmp_path / "graph.trig"):
        with running(str(spec)) as server:
            result = client(server, "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Fact }", JSON).convert()
            assert result["results"]["bindings"][0]["n"]["value"] == "3"


# --- pure helpers -----------------------------------------------------------------------------


def test_accept_header_ranking():
    assert accepted("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1") == [
        "application/sparql-results+json", "text/csv", "*/*"]
    json_, xml, csv_, tsv = RESULTS_OFFERED
    assert negotiate(None, RESULTS_OFFERED) == json_
    assert negotiate("text/*", RESULTS_OFFERED) == csv_
    assert negotiate("application/json", RESULTS_OFFERED) == json_  # pyoxigraph's aliases
    assert negotiate("text/csv;q=0, image/png", RESULTS_OFFERED) is None
    assert negotiate("application/x-turtle", GRAPHS_OFFERED) == ox.RdfFormat.TURTLE
    assert negotiate("application/trig", GRAPHS_OFFERED) is None


def solutions(rows):
    """pyoxigraph solutions of ?s ?l ?n ?missing, one per row of (s, l, n) terms."""
    store = ox.Store()
    for index, (s, l, n) in enumerate(rows):
        graph = ox.NamedNode(f"urn:row:{index:05}")
        store.extend([ox.Quad(s, ox.NamedNode("urn:l"), l, graph), ox.Quad(s, ox.NamedNode("urn:n"), n, graph)])
    return store.query("SELECT ?s ?l ?n ?missing WHERE { GRAPH ?g { ?s <urn:l> ?l ; <urn:n> ?n } } ORDER BY ?g",
                       use_default_graph_as_union=False)


def written(rows, fmt, **caps):
    out = io.BytesIO()
    cut = write_results(solutions(rows), fmt, out, **caps)
    return out.getvalue(), cut


def test_result_writers_escape_and_type_terms():
    row = (ox.NamedNode("http://e/a&b"), ox.Literal('say "hi"\tnow\x00', language="en"),
           ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    data = json.loads(written([row], ox.QueryResultsFormat.JSON)[0])
    assert data["results"]["bindings"] == [{
        "s": {"type": "uri", "value": "http://e/a&b"},
        "l": {"type": "literal", "value": 'say "hi"\tnow\x00', "xml:lang": "en"},
        "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
    }]
    xml = written([row], ox.QueryResultsFormat.XML)[0].decode()
    assert "<uri>http://e/a&amp;b</uri>" in xml and 'xml:lang="en"' in xml and 'name="missing"' in xml
    literal = ET.fromstring(xml).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert literal.text == 'say "hi"\tnow\ufffd'  # XML 1.0 cannot hold U+0000
    csv_line = written([row], ox.QueryResultsFormat.CSV)[0].decode().split("\r\n")[1]
    assert csv_line == 'http://e/a&b,"say ""hi""\tnow\x00",3,'
    tsv_line = written([row], ox.QueryResultsFormat.TSV)[0].decode().splitlines()[1]
    assert tsv_line == '<http://e/a&b>\t"say \\"hi\\"\\tnow\x00"@en\t3\t'


@pytest.mark.parametrize("fmt", [ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
                                 ox.QueryResultsFormat.TSV])
def test_result_writers_cut_at_a_row_count_and_a_size(fmt):
    rows = [(ox.NamedNode(f"http://e/{i}"), ox.Literal("x" * (i % 7) * 40), ox.Literal(str(i))) for i in range(300)]
    whole, cut = written(rows, fmt)
    assert not cut
    same, cut = written(rows, fmt, max_rows=300, max_bytes=len(whole))
    assert same == whole and not cut
    first, cut = written(rows, fmt, max_rows=10)
    assert cut and first == written(rows[:10], fmt)[0]
    for cap in (len(whole) // 3, len(whole) - 1, 260):  # above the size of no rows
        fitted, cut = written(rows, fmt, max_bytes=cap)
        kept = next(k for k in range(300, -1, -1) if written(rows[:k], fmt)[0] == fitted)
        assert cut and len(fitted) <= cap
        assert len(written(rows[:kept + 1], fmt)[0]) > cap  # no row that would have fitted is left out
