"""SPARQL results as DataFrames/bools/graphs, CLI text formats, named queries on a small graph."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.errors import DataError, QueryError, StoreError
from kg.export.formats import write_graph
from kg.namespaces import DOC, ENT, KG, REL
from kg.query import (
    _read_named,
    list_named_queries,
    named_query,
    named_query_defaults,
    named_query_params,
    run_query,
    sparql,
    sparql_string,
)
from kg.rdf import add_extraction, event_iri, to_triples
from kg.store import close_store, open_store
from kg.types import Mention
from tests.unit.test_rdf import make_extraction, sample_extraction


def second_extraction():
    """Another report: the same call seen again, a meeting in return, and an attributed claim."""
    return make_extraction(
        "report-2",
        [
            dict(subj="alpha-leader", obj="beta", lemma="call", cameo="042", confidence=0.6),
            dict(subj="beta", obj="alpha-leader", lemma="meet", cameo="043", date="2024-11-12",
                 attributed_to=None),
            dict(subj="beta-forces", obj="alpha", lemma="threaten", cameo="130", date="2024-10",
                 modality="reported"),
        ],
    )


@pytest.fixture(scope="module")
def store():
    dataset = open_store()
    add_extraction(dataset, sample_extraction("report-1"))
    add_extraction(dataset, second_extraction())
    return dataset


# --- sparql() -------------------------------------------------------------------------------


def test_select_gives_typed_python_values(store):
    frame = sparql(
        store,
        """SELECT ?event ?confidence ?negated ?date ?index WHERE {
             ?event kg:cameoCode "042" ; kg:confidence ?confidence ; kg:negated ?negated ;
                    kg:sentenceIndex ?index ; kg:document doc:report-1 .
             OPTIONAL { ?event kg:dateStart ?date } }""",
    )
    assert list(frame.columns) == ["event", "confidence", "negated", "date", "index"]
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["event"] == str(event_iri(sample_extraction().events[0]))
    assert row["confidence"] == pytest.approx(0.912)
    assert row["negated"] is False or row["negated"] == False  # noqa: E712  (numpy bool)
    assert row["date"] == dt.date(2024, 11, 7)
    assert int(row["index"]) == 0


def test_unbound_values_are_none_and_keep_python_types(store):
    frame = sparql(store, "SELECT ?e ?g WHERE { ?e a kg:Event ; kg:lemma ?l . OPTIONAL { ?e kg:goldstein ?g } }")
    values = list(frame["g"])
    assert None in values
    assert 1.0 in values and all(isinstance(v, float) for v in values if v is not None)


def test_ask_and_construct(store):
    assert sparql(store, "ASK { ent:alpha-leader rel:call ent:beta }") is True
    assert sparql(store, "ASK { ent:beta rel:call ent:alpha-leader }") is False
    graph = sparql(store, "CONSTRUCT { ?s rel:call ?o } WHERE { ?s rel:call ?o }")
    assert isinstance(graph, Graph)
    assert set(graph) == {(ENT["alpha-leader"], REL.call, ENT["beta"])}


def test_the_default_graph_is_the_union_of_documents(store):
    frame = sparql(store, "SELECT DISTINCT ?doc WHERE { ?e kg:document ?doc } ORDER BY ?doc")
    assert list(frame["doc"]) == [str(DOC["report-1"]), str(DOC["report-2"])]


def test_syntax_error_is_a_query_error_with_the_parser_message(store):
    with pytest.raises(QueryError) as info:
        sparql(store, "SELECT ?x WHERE { ?x kg:actor }")
    assert "error at 1:" in str(info.value)
    with pytest.raises(QueryError):
        sparql(store, "SELECT ?x WHERE { ?x undeclared:p ?y }")


def test_sparql_on_plain_rdflib_graphs_and_pyoxigraph_stores():
    graph = Dataset(default_union=True)
    for s, p, o in to_triples(sample_extraction()):
        graph.add((s, p, o, DOC["report-1"]))
    frame = sparql(graph, "SELECT ?label WHERE { ent:beta rdfs:label ?label }")
    assert list(frame["label"]) == ["Betastan"]
    assert sparql(graph, "ASK { ent:beta a kg:Country }") is True
    with pytest.raises(QueryError):
        sparql(graph, "SELECT WHERE")

    raw = ox.Store()
    raw.add(ox.Quad(ox.NamedNode(str(ENT.x)), ox.NamedNode(str(RDFS.label)), ox.Literal("X"), ox.NamedNode("http://g")))
    assert list(sparql(raw, "SELECT ?l WHERE { ent:x rdfs:label ?l }")["l"]) == ["X"]


# --- named queries --------------------------------------------------------------------------


def test_every_shipped_query_is_listed_documented_and_parses():
    names = dict(list_named_queries())
    assert {"entity-facts", "who-did-what", "entities-by-degree", "events-by-type", "timeline", "sources"} <= set(names)
    for name, description in names.items():
        assert description and not description.startswith("#")
        params = {p: "x" for p in named_query_params(name)}
        result = sparql(open_store(), named_query(name, params))
        assert len(result) == 0 and len(result.columns) >= 3, name


def test_entity_facts(store):
    frame = sparql(store, named_query("entity-facts", {"entity": "ALPHA"}))
    events = sorted(zip(frame["entity"], frame["role"], frame["relation"], frame["other"]))
    assert events == [
        ("Alphaland", "target", "threaten", "Betan forces"),
        ("Anna Alpha", "actor", "call", "Betastan"),
        ("Anna Alpha", "actor", "call", "Betastan"),  # once per report
        ("Anna Alpha", "target", "meet", "Betastan"),
    ]
    # the uncoded warning is a fact, listed with all facts only
    facts = sparql(store, named_query("entity-facts", {"entity": "ALPHA"}, all_facts=True))
    assert sorted(zip(facts["entity"], facts["role"], facts["relation"], facts["other"])) == sorted(
        events + [("Alphaland", "actor", "warn", "to cooperate")])
    # matched on an alias too ("the Alphans" is an alias of Alphaland)
    by_alias = sparql(store, named_query("entity-facts", {"entity": "alphans"}))
    assert set(by_alias["entity"]) == {"Alphaland"}
    negated = sparql(store, named_query("entity-facts", {"entity": "gamma"}))
    assert list(negated["negated"]) == [True] and list(negated["role"]) == ["target"]


def test_entity_facts_escapes_its_parameter(store):
    text = named_query("entity-facts", {"entity": 'x") } DROP ALL #'})
    assert 'LCASE("x\\") } DROP ALL #")' in text
    assert len(sparql(store, text)) == 0


def test_who_did_what_is_ordered_by_date(store):
    frame = sparql(store, named_query("who-did-what"))
    assert len(frame) == 5  # the coded events; the uncoded warning is left out
    starts = [d for d in frame["start"] if d is not None]
    assert starts == sorted(starts) and all(isinstance(d, dt.date) for d in starts)
    first = frame.iloc[0]
    assert first["relation"] == "threaten" and first["date"] == "2024-10" and first["precision"] == "month"
    assert (first["start"], first["end"]) == (dt.date(2024, 10, 1), dt.date(2024, 10, 31))
    assert frame.iloc[-1]["date"] is None and frame.iloc[-1]["start"] is None  # undated last
    assert set(frame.columns) >= {"actor", "relation", "target", "date", "cameo", "confidence", "document"}
    facts = sparql(store, named_query("who-did-what", all_facts=True))
    assert len(facts) == 6 and "warn" in set(facts["relation"])


@pytest.mark.parametrize("name", ["entities-by-degree", "events-by-type", "sources", "timeline", "who-did-what"])
def test_named_queries_list_events_and_all_facts_on_request(name):
    dataset = open_store()
    add_extraction(dataset, make_extraction("r", [
        dict(subj="alpha", obj="beta", lemma="attack", cameo="190", date="2024-11-07",
             attributed_to=Mention("r", 0, 0, 9, "Alphaland", None, "alpha")),
        dict(subj="beta", obj="alpha", lemma="report", date="2024-11-08",
             attributed_to=Mention("r", 1, 0, 8, "Betastan", None, "beta")),
        dict(subj=None, subj_text="casualties", obj="alpha", lemma="mount", cameo="190",
             attributed_to=Mention("r", 2, 0, 5, "aides")),
    ]))
    counts = [sparql(dataset, named_query(name, all_facts=f)) for f in (False, True)]
    column = {"entities-by-degree": "degree", "events-by-type": "events", "sources": "events"}.get(name)
    events, facts = (int(c[column].sum()) if column else len(c) for c in counts)
    assert events < facts, (name, events, facts)


def test_entities_by_degree_counts_distinct_edges(store):
    frame = sparql(store, named_query("entities-by-degree"))
    degree = dict(zip(frame["label"], frame["degree"]))
    # alpha-leader: call->beta (seen twice, counted once) and meet<-beta
    assert degree == {"Anna Alpha": 2, "Betastan": 2, "Betan forces": 2, "Gamma City": 1, "Alphaland": 1}
    assert frame.iloc[0]["degree"] == 2
    types = dict(zip(frame["label"], frame["type"]))
    assert types["Anna Alpha"] == "Person" and types["Betan forces"] == "Group"


def test_events_by_type(store):
    frame = sparql(store, named_query("events-by-type"))
    assert dict(zip(frame["cameo"], frame["events"])) == {"042": 2, "043": 1, "130": 1, "190": 1}
    assert frame.iloc[0]["cameo"] == "042"


def test_events_by_type_uses_cameo_labels_when_loaded(store):
    local = open_store()
    add_extraction(local, sample_extraction())
    local.add((URIRef("https://w3id.org/kg-events/cameo/042"), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
               Literal("Make a visit", lang="en"), URIRef("https://w3id.org/kg-events/ontology")))
    frame = sparql(local, named_query("events-by-type"))
    assert dict(zip(frame["cameo"], frame["label"]))["042"] == "Make a visit"


def test_timeline_and_sources():
    dataset = open_store()
    source = make_extraction("report-3", [dict(subj="beta", obj="alpha", lemma="accuse", cameo="112",
                                               date="2024-11-01")])
    event = source.events[0]
    said = type(event)(**{**{f: getattr(event, f) for f in event.__slots__},
                          "attributed_to": source.mentions[0], "modality": "reported"})
    unresolved = type(event)(**{**{f: getattr(event, f) for f in event.__slots__}, "lemma": "deny", "cameo": "125",
                                "attributed_to": type(source.mentions[0])("report-3", 0, 0, 5, "aides")})
    add_extraction(dataset, type(source)(source.document, source.sentences, source.mentions, source.entities,
                                         (said, unresolved)))
    add_extraction(dataset, sample_extraction())
    timeline = sparql(dataset, named_query("timeline"))
    assert [str(d) for d in timeline["date"]][:2] == ["2024-11-01", "2024-11-01"]
    # the week of the attack starts before the day of the call; the uncoded warning is a fact
    assert list(timeline["relation"]) == ["accuse", "deny", "attack", "call"]
    assert list(sparql(dataset, named_query("timeline", all_facts=True))["relation"])[-1] == "warn"
    assert all(isinstance(e, str) and e for e in timeline["evidence"])
    sources = sparql(dataset, named_query("sources"))
    assert dict(zip(sources["source"], sources["events"])) == {"Betastan": 1, "aides": 1}


def test_named_query_errors_list_what_is_available():
    with pytest.raises(QueryError, match="available: .*entity-facts"):
        named_query("no-such-query")
    with pytest.raises(QueryError, match="missing parameter entity.*its parameters: entity"):
        named_query("entity-facts")
    with pytest.raises(QueryError, match="unknown parameter name"):
        named_query("timeline", {"name": "x"})


def test_named_query_files_are_validated(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("# A query.\nSELECT * WHERE { ?s ?p $who }\n")
    with pytest.raises(DataError, match=r"bad.rq:2 \[bad\].*\$who"):
        _read_named(bad)
    silent = tmp_path / "silent.rq"
    silent.write_text("SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(DataError, match="silent.rq:1"):
        _read_named(silent)


def test_a_parameter_with_a_default_may_be_left_out(tmp_path, monkeypatch):
    (tmp_path / "labels.rq").write_text(
        '# Labels.\n# $lang: a language tag (default "en")\nSELECT ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = $lang) }\n')
    monkeypatch.setattr("kg.query.queries_dir", lambda: tmp_path)
    assert named_query_defaults("labels") == {"lang": "en"}
    assert 'LANG(?l) = "en"' in named_query("labels")
    assert 'LANG(?l) = "fr"' in named_query("labels", {"lang": "fr"})
    with pytest.raises(QueryError, match="no option for all facts"):
        named_query("labels", all_facts=True)


def test_sparql_string_escapes():
    assert sparql_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


# --- run_query() ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def targets(tmp_path_factory, store):
    folder = tmp_path_factory.mktemp("targets")
    write_graph(store, folder / "graph.trig", "trig")
    write_graph(store, folder / "graph.ttl", "ttl")
    directory = folder / "graph-store"
    persistent = open_store(directory)
    add_extraction(persistent, sample_extraction("report-1"))
    add_extraction(persistent, second_extraction())
    close_store(persistent)
    del persistent
    return folder


QUERY = "SELECT ?label WHERE { ?e a kg:Country ; rdfs:label ?label } GROUP BY ?label ORDER BY ?label"


@pytest.mark.parametrize("name", ["graph.trig", "graph.ttl", "graph-store"])
def test_run_query_formats(targets, name):
    target = targets / name
    table = run_query(target, QUERY)
    assert table.splitlines()[0].strip() == "label"
    assert "Alphaland" in table and "Betastan" in table and table.endswith("(2 rows)")

    rows = list(csv.reader(io.StringIO(run_query(target, QUERY, "csv"))))
    assert rows == [["label"], ["Alphaland"], ["Betastan"]]
    tsv = run_query(target, QUERY, "tsv").splitlines()
    assert tsv == ["?label", '"Alphaland"', '"Betastan"']
    results = json.loads(run_query(target, QUERY, "json"))
    assert results["head"]["vars"] == ["label"]
    assert [b["label"]["value"] for b in results["results"]["bindings"]] == ["Alphaland", "Betastan"]


def test_run_query_ask_and_construct(targets):
    target = targets / "graph.trig"
    assert run_query(target, "ASK { ent:beta a kg:Country }") == "true"
    assert json.loads(run_query(target, "ASK { ent:beta a kg:Person }", "json"))["boolean"] is False
    turtle = run_query(target, "CONSTRUCT { ?s rel:call ?o } WHERE { ?s rel:call ?o }")
    assert "ent:alpha-leader rel:call ent:beta" in turtle
    again = Graph().parse(data=turtle, format="turtle")
    assert len(again) == 1
    jsonld = json.loads(run_query(target, "CONSTRUCT { ?s rel:call ?o } WHERE { ?s rel:call ?o }", "json"))
    assert Graph().parse(data=json.dumps(jsonld), format="json-ld").isomorphic(again)


def test_run_query_table_shortens_iris(targets):
    table = run_query(targets / "graph.ttl", "SELECT ?e WHERE { ?e rdfs:label \"Betastan\" }")
    assert "ent:beta" in table and "https://" not in table


def test_run_query_errors(targets, tmp_path):
    with pytest.raises(QueryError, match="unknown output format"):
        run_query(targets / "graph.ttl", QUERY, "yaml")
    with pytest.raises(StoreError, match="no such RDF file"):
        run_query(tmp_path / "absent.ttl", QUERY)
    with pytest.raises(StoreError, match="no such store"):
        run_query(tmp_path / "absent", QUERY)
    with pytest.raises(QueryError):
        run_query(targets / "graph.ttl", "SELECT nothing")


def test_kg_terms_used_by_the_queries_exist():
    # a typo in a .rq file would silently match nothing; every kg: term must be declared
    for name, _ in list_named_queries():
        text = named_query(name, {p: "x" for p in named_query_params(name)})
        for term in re.findall(r"\bkg:([A-Za-z]+)", text):
            assert hasattr(KG, term), (name, term)


# --- windows of the event listings ----------------------------------------------------------


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _dated_events(count: int, undated: int = 0) -> ox.Store:
    """A store of ``count`` minimal dated events (one a day from 2020-01-01) and some undated ones."""
    raw = ox.Store()
    kg = str(KG)
    quads = []
    start = dt.date(2020, 1, 1)
    for i in range(count + undated):
        graph = ox.NamedNode(f"{DOC}w{i % 7}")
        event = ox.NamedNode(f"https://example.org/event/{i}")
        values = {
            "lemma": ox.Literal("meet"), "negated": ox.Literal("false", datatype=ox.NamedNode(XSD_BOOLEAN)),
            "confidence": ox.Literal("0.5", datatype=ox.NamedNode(XSD_DECIMAL)), "document": graph,
            "modality": ox.Literal("asserted"), "evidence": ox.Literal(f"Sentence {i}."),
            "sentenceIndex": ox.Literal(str(i), datatype=ox.NamedNode(XSD_INTEGER)),
            "actorText": ox.Literal(f"A{i}"), "targetText": ox.Literal(f"B{i}"),
        }
        if i < count:
            day = (start + dt.timedelta(days=i)).isoformat()
            values["date"], values["datePrecision"] = ox.Literal(day), ox.Literal("day")
            values["dateStart"] = values["dateEnd"] = ox.Literal(day, datatype=ox.NamedNode(XSD_DATE))
        quads += [ox.Quad(event, ox.NamedNode(str(RDF_TYPE)), ox.NamedNode(kg + cls), graph) for cls in ("Fact", "Event")]
        quads += [ox.Quad(event, ox.NamedNode(kg + name), value, graph) for name, value in values.items()]
    raw.extend(quads)
    return raw



@pytest.mark.parametrize("name", ["timeline", "who-did-what"])
def test_event_listings_keep_the_newest_thousand_earliest_first(name):
    frame = sparql(_dated_events(1010, undated=3), named_query(name))
    dates = [d for d in frame["start"]]
    assert len(frame) == 1000 and None not in dates  # undated ones only fill a short list
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2020, 1, 1) + dt.timedelta(days=10)  # the 10 oldest fell out
    assert dates[-1] == dt.date(2020, 1, 1) + dt.timedelta(days=1009)


def test_event_listings_fill_a_short_list_with_undated_events():
    frame = sparql(_dated_events(4, undated=2), named_query("timeline"))
    assert len(frame) == 6 and list(frame["start"])[-2:] == [None, None]
    assert list(frame["actor"])[:4] == ["A0", "A1", "A2", "A3"]


def test_entity_facts_keeps_the_newest_thousand_events():
    raw = _dated_events(1005)
    entity = ox.NamedNode(str(ENT["busy"]))
    label = ox.NamedNode(str(RDFS.label))
    extra = []
    for quad in raw.quads_for_pattern(None, ox.NamedNode(str(KG) + "lemma"), None, None):
        extra += [ox.Quad(quad.subject, ox.NamedNode(str(KG) + "actor"), entity, quad.graph_name),
                  ox.Quad(entity, label, ox.Literal("Busy Actor"), quad.graph_name)]
    raw.extend(extra)
    frame = sparql(raw, named_query("entity-facts", {"entity": "busy"}))
    assert len(frame) == 1000 and set(frame["role"]) == {"actor"} and set(frame["entity"]) == {"Busy Actor"}
    assert min(frame["start"]) == dt.date(2020, 1, 1) + dt.timedelta(days=5)
    assert set(frame["other"]) <= {f"B{i}" for i in range(1005)}
