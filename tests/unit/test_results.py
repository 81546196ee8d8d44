"""SPARQL results as kg writes them: the same typed terms from an RDF file, a store directory, the
Python API and `kg serve` as an endpoint, in every format (the libraries' own writers)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.query import run_query, sparql
from kg.store import close_store, open_store
from tests.unit.test_server import running

pytestmark = pytest.mark.server

XSD = "http://www.w3.org/2001/XMLSchema#"
ENT = "https://w3id.org/kg-events/entity/"
SUBJECT = ENT + "beta"
LONG = "A sentence long enough to have been cut short in a table cell before, word after word."
# literals that look like IRIs, hold a namespace IRI, carry a datatype or a language
OBJECTS = {
    "http://example.org/p/iri": ox.NamedNode("http://example.org/thing"),
    "http://example.org/p/url": ox.Literal("http://example.org/not-an-iri"),
    "http://example.org/p/ns": ox.Literal(ENT + "alpha"),
    "http://example.org/p/date": ox.Literal("2024-11-07", datatype=ox.NamedNode(XSD + "date")),
    "http://example.org/p/int": ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    "http://example.org/p/lang": ox.Literal("Betastan", language="en"),
    "http://example.org/p/long": ox.Literal(LONG),
}
QUERY = "SELECT ?p ?o WHERE { ent:beta ?p ?o } ORDER BY ?p"
EXPECTED = {  # SPARQL 1.1 JSON results terms
    "http://example.org/p/date": {"type": "literal", "value": "2024-11-07", "datatype": XSD + "date"},
    "http://example.org/p/int": {"type": "literal", "value": "42", "datatype": XSD + "integer"},
    "http://example.org/p/iri": {"type": "uri", "value": "http://example.org/thing"},
    "http://example.org/p/lang": {"type": "literal", "value": "Betastan", "xml:lang": "en"},
    "http://example.org/p/long": {"type": "literal", "value": LONG},
    "http://example.org/p/ns": {"type": "literal", "value": ENT + "alpha"},
    "http://example.org/p/url": {"type": "literal", "value": "http://example.org/not-an-iri"},
}


@pytest.fixture(scope="module")
def targets(tmp_path_factory):
    """The same one-graph data as a TriG file and as a store directory."""
    folder = tmp_path_factory.mktemp("results")
    graph = ox.NamedNode("https://w3id.org/kg-events/doc/d")
    quads = [ox.Quad(ox.NamedNode(SUBJECT), ox.NamedNode(p), o, graph) for p, o in OBJECTS.items()]
    ox.serialize(quads, str(folder / "data.trig"), format=ox.RdfFormat.TRIG)
    store = open_store(folder / "store")
    store.parse(str(folder / "data.trig"), format="trig")
    close_store(store)
    return {"file": folder / "data.trig", "directory": folder / "store"}


@pytest.fixture(scope="module")
def endpoint(targets):
    with running(str(targets["directory"])) as server:
        yield server.url + "sparql"


def every_target(targets, endpoint):
    return [str(targets["file"]), str(targets["directory"]), endpoint]


def test_json_keeps_term_types_and_datatypes_everywhere(targets, endpoint):
    for target in every_target(targets, endpoint):
        data = json.loads(run_query(target, QUERY, "json"))
        assert data["head"]["vars"] == ["p", "o"], target
        got = {b["p"]["value"]: b["o"] for b in data["results"]["bindings"]}
        assert got == EXPECTED, target


def test_xml_csv_and_tsv_everywhere(targets, endpoint):
    for target in every_target(targets, endpoint):
        xml = ET.fromstring(run_query(target, QUERY, "xml"))
        ns = "{http://www.w3.org/2005/sparql-results#}"
        dates = [e for e in xml.iter(ns + "literal") if e.get("datatype") == XSD + "date"]
        assert [e.text for e in dates] == ["2024-11-07"], target
        assert [e.text for e in xml.iter(ns + "uri")].count("http://example.org/thing") == 1
        rows = list(csv.reader(io.StringIO(run_query(target, QUERY, "csv"))))
        assert rows[0] == ["p", "o"] and ["http://example.org/p/ns", ENT + "alpha"] in rows
        tsv = run_query(target, QUERY, "tsv").splitlines()
        assert '<http://example.org/p/url>\t"http://example.org/not-an-iri"' in tsv, target
        assert '<http://example.org/p/date>\t"2024-11-07"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv


def test_table_shows_literals_in_full_and_shortens_only_iris(targets, endpoint):
    for target in every_target(targets, endpoint):
        table = run_query(target, QUERY)
        assert ENT + "alpha" in table, target  # a literal, never written ent:alpha
        assert LONG in table and "http://example.org/not-an-iri" in table
        assert "…" not in table
        iris = run_query(target, "SELECT ?e WHERE { ?e ?p \"Betastan\"@en }")
        assert "ent:beta" in iris and ENT not in iris


def test_ask_and_construct_from_an_endpoint_as_from_a_file(targets, endpoint):
    ask = "ASK { ent:beta ?p \"2024-11-07\"^^xsd:date }"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(isLiteral(?o)) }"
    answers = [(run_query(t, ask), json.loads(run_query(t, ask, "json")), run_query(t, construct))
               for t in every_target(targets, endpoint)]
    assert answers[0][0] == "true" and answers[0][1] == {"head": {}, "boolean": True}
    assert all(answer == answers[0] for answer in answers[1:])
    assert '"2024-11-07"^^xsd:date' in answers[0][2]


def test_python_api_gives_typed_values_from_a_file_a_directory_and_an_endpoint(targets, endpoint):
    import datetime as dt

    for target in every_target(targets, endpoint):
        frame = sparql(target, QUERY)
        values = dict(zip(frame["p"], frame["o"]))
        assert values["http://example.org/p/date"] == dt.date(2024, 11, 7), target
        assert values["http://example.org/p/int"] == 42
        assert values["http://example.org/p/ns"] == ENT + "alpha"


def test_open_store_opens_a_file_a_directory_and_an_endpoint(targets, endpoint):
    for target in every_target(targets, endpoint):
        store = open_store(target, read_only=True, create=False)
        assert (URIRef(SUBJECT), URIRef("http://example.org/p/lang"), Literal("Betastan", lang="en")) in store


def test_a_target_that_is_none_of_these_is_one_clear_line(tmp_path):
    from kg.errors import KGError

    other = tmp_path / "notes.docx"
    other.write_text("not RDF")
    for target, message in [(other, "neither a store directory nor an RDF file"), (tmp_path / "absent.ttl", "no such"),
                            (tmp_path / "absent", "no such")]:
        with pytest.raises(KGError, match=message) as caught:
            open_store(target, read_only=True, create=False)
        assert "\n" not in str(caught.value) and str(target) in str(caught.value)
        with pytest.raises(KGError, match=message):
            run_query(target, QUERY)


def test_the_command_line_writes_every_format_and_refuses_what_is_not_a_target(capsys, monkeypatch, targets,
                                                                               endpoint, tmp_path):
    from tests.e2e.test_cli import run

    for target in every_target(targets, endpoint):
        code, out, err = run(capsys, monkeypatch, "query", target, QUERY, "--format", "xml")
        assert code == 0, err
        assert ET.fromstring(out).tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    code, out, err = run(capsys, monkeypatch, "query", targets["file"], QUERY, "--format", "yaml")
    assert code == 1 and "unknown --format 'yaml' (table, json, xml, csv, tsv)" in err
    other = tmp_path / "notes.docx"
    other.write_text("not RDF")
    code, out, err = run(capsys, monkeypatch, "query", other, QUERY)
    assert code == 2 and err.count("\n") == 1  # a bad store, like every store error
    assert "neither a store directory nor an RDF file" in err and str(other) in err
    code, out, err = run(capsys, monkeypatch, "export", targets["file"], "--format", "nt")
    assert code == 0 and out.count(" .\n") == len(OBJECTS)
