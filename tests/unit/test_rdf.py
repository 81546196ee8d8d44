"""Extraction -> RDF: IRIs, the triples of one document, named graphs per document."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.namespaces import CAMEO, DOC, ENT, KG, PLOVER, REL, WD
from kg.rdf import (
    add_extraction,
    document_iri,
    entity_iri,
    event_iri,
    iri_segment,
    relation_iri,
    remove_document,
    to_triples,
)
from kg.store import open_store
from kg.types import Document, Entity, Event, Evidence, Extraction, Mention, Sentence

ENTITIES = {
    "alpha-leader": Entity("alpha-leader", "Anna Alpha", "Person", ("Alpha",), "Q42", "alpha", None, "President"),
    "alpha": Entity("alpha", "Alphaland", "Country", ("the Alphans",), "Q1001"),
    "beta": Entity("beta", "Betastan", "Country"),
    "beta-forces": Entity("beta-forces", "Betan forces", "Group", (), None, "beta", "military"),
    "gamma-city": Entity("gamma-city", "Gamma City", "GeopoliticalEntity"),
    "odd": Entity("odd", "Odd Thing", "Weapon"),
    "kyiv": Entity("kyiv", "Kyiv", "City"),  # a real place: the gazetteer gives it coordinates
}


def make_extraction(doc_id: str, specs: list[dict], entities: tuple[str, ...] | None = None) -> Extraction:
    """An Extraction of one document from short event specs; one sentence per event.

    Each spec: subj, obj (entity ids or None), lemma, and any Event field to override.
    """
    sentences, events, mentions = [], [], []
    offset = 0
    for index, spec in enumerate(specs):
        subj_text = ENTITIES[spec["subj"]].name if spec.get("subj") else spec.get("subj_text", "someone")
        obj_text = ENTITIES[spec["obj"]].name if spec.get("obj") else spec.get("obj_text", "something")
        text = f"{subj_text} {spec['lemma']}ed {obj_text}."
        sentence = Sentence(index, offset, offset + len(text), text)
        subject = Mention(doc_id, index, offset, offset + len(subj_text), subj_text, None, spec.get("subj"))
        obj_start = offset + len(text) - 1 - len(obj_text)
        obj = Mention(doc_id, index, obj_start, obj_start + len(obj_text), obj_text, None, spec.get("obj"))
        fields = {k: v for k, v in spec.items() if k not in ("subj", "obj", "subj_text", "obj_text", "lemma")}
        events.append(
            Event(
                subject=subject,
                relation=spec.get("relation", spec["lemma"] + "ed"),
                lemma=spec["lemma"],
                object=obj,
                evidence=Evidence(doc_id, index, offset, offset + len(text)),
                **fields,
            )
        )
        sentences.append(sentence)
        mentions += [subject, obj]
        offset += len(text) + 1
    used = entities
    if used is None:
        used = tuple(dict.fromkeys(m.entity for m in mentions if m.entity))
    document = Document(
        doc_id,
        " ".join(s.text for s in sentences),
        published=date(2024, 11, 11),
        source="Example Wire",
        url=f"https://news.example.org/{doc_id}",
        title=f"Report {doc_id}",
    )
    return Extraction(document, tuple(sentences), tuple(mentions), tuple(ENTITIES[e] for e in used), tuple(events))


def sample_extraction(doc_id: str = "report-1") -> Extraction:
    """A small document: a call, a negated attack with full metadata, a reported warning."""
    return make_extraction(
        doc_id,
        [
            dict(subj="alpha-leader", obj="beta", lemma="call", cameo="042", plover="CONSULT",
                 goldstein=1.0, confidence=0.91234, date="2024-11-07", date_text="Thursday",
                 date_source="text", location=None, pattern="svo"),
            dict(subj="beta-forces", obj="gamma-city", lemma="attack", negated=True, cameo="190",
                 date="2024-11-04/2024-11-10", date_source="text", date_text="last week", confidence=0.5),
            dict(subj="alpha", obj=None, obj_text="to cooperate", lemma="warn", modality="reported",
                 date="2024-11-11", date_source="document", confidence=0.7),
        ],
        entities=("alpha-leader", "alpha", "beta", "beta-forces", "gamma-city", "odd"),
    )


def _graph(extraction: Extraction) -> Graph:
    graph = Graph()
    for triple in to_triples(extraction):
        graph.add(triple)
    return graph


# --- IRIs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ['Kyiv "city"', "a/b\\c", "x [y] {z} <w>", "Zürich–Genève", "Лавров", "50% off|#frag?q=1", "tab\there", "^`caret`"],
)
def test_iris_are_valid_for_awkward_names(raw):
    iri = entity_iri(raw)
    local = str(iri)[len(str(ENT)) :]
    assert not set(local) & set(' "<>{}|\\^`[]/#?\t'), local
    # rdflib's own IRI check and a round trip through N-Triples both accept it
    graph = Graph()
    graph.add((iri, RDFS.label, Literal(raw)))
    again = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert set(again) == set(graph)


def test_iri_keeps_letters_of_other_scripts_readable_and_ids_distinct():
    assert iri_segment("Лавров") == "Лавров"
    assert iri_segment("a b") != iri_segment("a%20b")
    assert entity_iri("donald-trump") == ENT["donald-trump"]
    assert document_iri("trump putin/call") == DOC["trump%20putin%2Fcall"]
    with pytest.raises(ValueError):
        iri_segment("")


def test_relation_iri_is_a_slug_of_the_lemma():
    assert relation_iri("Launch  attack") == REL["launch-attack"]
    assert relation_iri("meet") == REL["meet"]


# --- triples --------------------------------------------------------------------------------


def test_to_triples_is_deterministic_and_duplicate_free():
    first, second = to_triples(sample_extraction()), to_triples(sample_extraction())
    assert first == second
    assert len(first) == len(set(first))


def test_entity_triples():
    graph = _graph(sample_extraction())
    leader = ENT["alpha-leader"]
    assert (leader, RDF.type, KG.Person) in graph
    assert (leader, RDF.type, KG.Entity) in graph
    assert (leader, RDFS.label, Literal("Anna Alpha")) in graph
    assert (leader, SKOS.altLabel, Literal("Alpha")) in graph
    assert (leader, OWL.sameAs, WD.Q42) in graph
    assert (leader, KG.country, ENT["alpha"]) in graph
    assert (leader, KG.role, Literal("President")) in graph
    assert (ENT["beta-forces"], KG.sector, Literal("military")) in graph
    # an unknown type falls back to OtherEntity; the class is the only statement of the type
    assert set(graph.objects(ENT["odd"], RDF.type)) == {KG.Entity, KG.OtherEntity}
    assert set(graph.objects(leader, RDF.type)) == {KG.Entity, KG.Person}


def test_direct_edges_only_between_entities():
    graph = _graph(sample_extraction())
    assert (ENT["alpha-leader"], REL.call, ENT["beta"]) in graph
    assert (ENT["beta-forces"], REL.attack, ENT["gamma-city"]) in graph
    assert not list(graph.triples((ENT["alpha"], REL.warn, None)))
    assert (REL.call, RDF.type, OWL.ObjectProperty) in graph
    assert (REL.call, RDFS.subPropertyOf, KG.relation) in graph
    assert (REL.call, RDFS.label, Literal("call")) in graph


def test_event_node_carries_the_detail():
    extraction = sample_extraction()
    graph = _graph(extraction)
    call = event_iri(extraction.events[0])
    doc = DOC["report-1"]
    assert (call, RDF.type, KG.Fact) in graph and (call, RDF.type, KG.Event) in graph
    assert (call, KG.actor, ENT["alpha-leader"]) in graph
    assert (call, KG.actorText, Literal("Anna Alpha")) in graph
    assert (call, KG.target, ENT["beta"]) in graph
    assert (call, KG.relation, REL.call) in graph
    assert (call, KG.lemma, Literal("call")) in graph
    assert (call, KG.evidence, Literal(extraction.sentences[0].text)) in graph
    assert (call, KG.startOffset, Literal(0, datatype=XSD.integer)) in graph
    assert (call, KG.endOffset, Literal(len(extraction.sentences[0].text), datatype=XSD.integer)) in graph
    assert (call, KG.document, doc) in graph and (call, PROV.wasDerivedFrom, doc) in graph
    assert (call, KG.confidence, Literal("0.912", datatype=XSD.decimal)) in graph
    assert (call, KG.negated, Literal(False)) in graph
    assert (call, KG.modality, Literal("asserted")) in graph
    assert (call, KG.date, Literal("2024-11-07")) in graph
    assert (call, KG.dateStart, Literal("2024-11-07", datatype=XSD.date)) in graph
    assert (call, KG.dateEnd, Literal("2024-11-07", datatype=XSD.date)) in graph
    assert (call, KG.datePrecision, Literal("day")) in graph
    assert (call, KG.dateText, Literal("Thursday")) in graph
    assert (call, KG.cameo, CAMEO["042"]) in graph and (call, KG.cameoCode, Literal("042")) in graph
    assert (call, KG.plover, PLOVER.CONSULT) in graph
    assert (call, KG.goldstein, Literal("1", datatype=XSD.decimal)) in graph
    assert (call, KG.pattern, Literal("svo")) in graph

    attack = event_iri(extraction.events[1])
    assert (attack, KG.negated, Literal(True)) in graph
    assert (attack, KG.date, Literal("2024-11-04/2024-11-10")) in graph
    assert (attack, KG.dateStart, Literal("2024-11-04", datatype=XSD.date)) in graph
    assert (attack, KG.dateEnd, Literal("2024-11-10", datatype=XSD.date)) in graph
    assert (attack, KG.datePrecision, Literal("week")) in graph
    warn = event_iri(extraction.events[2])
    assert (warn, KG.targetText, Literal("to cooperate")) in graph
    assert not list(graph.triples((warn, KG.target, None)))
    assert (warn, KG.modality, Literal("reported")) in graph


def test_document_node():
    graph = _graph(sample_extraction())
    doc = DOC["report-1"]
    assert (doc, RDF.type, KG.Document) in graph
    assert (doc, KG.title, Literal("Report report-1")) in graph
    assert (doc, RDFS.label, Literal("Report report-1")) in graph
    assert (doc, KG.published, Literal("2024-11-11", datatype=XSD.date)) in graph
    assert (doc, KG.publisher, Literal("Example Wire")) in graph
    assert (doc, KG.url, Literal("https://news.example.org/report-1", datatype=XSD.anyURI)) in graph


def test_event_ids_differ_per_fact_and_are_stable():
    extraction = sample_extraction()
    iris = [event_iri(e) for e in extraction.events]
    assert len(set(iris)) == 3
    assert iris == [event_iri(e) for e in sample_extraction().events]
    # the call has actor, target, CAMEO root and date: an IRI any report of it shares;
    # the negated attack and the target-less warning are specific to their sentence
    assert not str(iris[0]).startswith(str(URIRef("https://w3id.org/kg-events/event/report-1-s")))
    assert all(str(i).startswith(str(URIRef("https://w3id.org/kg-events/event/report-1-s"))) for i in iris[1:])


# --- named graphs ---------------------------------------------------------------------------


def test_add_extraction_is_idempotent():
    store = open_store()
    extraction = sample_extraction()
    iri = add_extraction(store, extraction)
    count = len(store)
    assert iri == DOC["report-1"]
    assert count == len(to_triples(extraction))
    add_extraction(store, extraction)
    assert len(store) == count
    assert {g.identifier for g in store.graphs() if len(g)} == {iri}


def test_re_adding_a_changed_document_replaces_its_graph():
    store = open_store()
    add_extraction(store, sample_extraction())
    smaller = make_extraction("report-1", [dict(subj="alpha", obj="beta", lemma="meet")])
    add_extraction(store, smaller)
    assert len(store) == len(to_triples(smaller))
    assert not list(store.triples((None, REL.call, None)))


def test_remove_document_leaves_other_documents_intact():
    store = open_store()
    add_extraction(store, sample_extraction("report-1"))
    other = make_extraction("report-2", [dict(subj="alpha-leader", obj="beta", lemma="meet")])
    add_extraction(store, other)
    removed = remove_document(store, "report-1")
    assert removed == len(to_triples(sample_extraction("report-1")))
    assert len(store) == len(to_triples(other))
    # labels the other document needs survive although report-1 also stated them
    assert (ENT["alpha-leader"], RDFS.label, Literal("Anna Alpha")) in store
    assert remove_document(store, "report-1") == 0
    assert remove_document(store, "never-added") == 0


@pytest.mark.parametrize(
    ("value", "lexical"),
    [(0.91234, "0.912"), (1.0, "1"), (0.5, "0.5"), (-10, "-10"), (0.0001, "0"), (-0.0001, "0"), (2.25, "2.25")],
)
def test_decimals_are_rounded_and_canonical(value, lexical):
    from kg.rdf import _decimal

    assert _decimal(value) == ox.Literal(lexical, datatype=ox.NamedNode(str(XSD.decimal)))


def test_store_round_trip_keeps_every_literal_as_written():
    store = open_store()
    extraction = sample_extraction()
    add_extraction(store, extraction)
    back = {(s.n3(), p.n3(), o.n3()) for s, p, o in store.triples((None, None, None))}
    # oxrdflib gives plain strings an explicit xsd:string datatype; compare on N-Triples terms
    written = {
        (s.n3(), p.n3(), o.n3() if not (isinstance(o, Literal) and o.datatype is None and not o.language)
         else Literal(str(o), datatype=XSD.string).n3())
        for s, p, o in to_triples(extraction)
    }
    assert back == written


def test_awkward_text_survives_the_store():
    weird = Entity('q "quoted" \\ back/slash [x]', 'Name "with" quotes\\ and\nnewline Лавров', "Person", ("'single'",))
    base = sample_extraction()
    extraction = Extraction(base.document, base.sentences, base.mentions, base.entities + (weird,), base.events)
    store = open_store()
    add_extraction(store, extraction)
    node = entity_iri(weird.id)
    assert (node, RDFS.label, Literal(weird.name, datatype=XSD.string)) in store
    assert (node, SKOS.altLabel, Literal("'single'", datatype=XSD.string)) in store
    assert len(store) == len(to_triples(extraction))


# --- one event, several sources ------------------------------------------------------------


CALL = dict(subj="alpha-leader", obj="beta", lemma="call", cameo="042", date="2024-11-07", confidence=0.8)


def test_the_same_event_in_two_documents_has_one_iri():
    one = make_extraction("wire-a", [CALL])
    two = make_extraction("wire-b", [dict(CALL, lemma="phone", cameo="040", confidence=0.6)])
    assert event_iri(one.events[0]) == event_iri(two.events[0])
    other_day = make_extraction("wire-c", [dict(CALL, date="2024-11-08")])
    other_root = make_extraction("wire-d", [dict(CALL, cameo="190")])
    denied = make_extraction("wire-e", [dict(CALL, negated=True)])
    no_target = make_extraction("wire-f", [dict(CALL, obj=None)])
    iris = {event_iri(x.events[0]) for x in (one, other_day, other_root, denied, no_target)}
    assert len(iris) == 5


def test_removing_one_source_keeps_the_event_with_the_other():
    store = open_store()
    one = make_extraction("wire-a", [CALL])
    two = make_extraction("wire-b", [dict(CALL, lemma="phone", cameo="040", confidence=0.6)])
    add_extraction(store, one)
    add_extraction(store, two)
    event = event_iri(one.events[0])
    assert set(store.objects(event, KG.document)) == {DOC["wire-a"], DOC["wire-b"]}
    assert set(store.objects(event, PROV.wasDerivedFrom)) == {DOC["wire-a"], DOC["wire-b"]}
    # each document's graph holds its own evidence for the shared node
    graph_b = Graph(store=store.store, identifier=DOC["wire-b"])
    assert {str(o) for o in graph_b.objects(event, KG.evidence)} == {two.sentences[0].text}
    assert set(graph_b.objects(event, KG.confidence)) == {Literal("0.6", datatype=XSD.decimal)}
    add_extraction(store, one)  # re-ingesting a source changes nothing
    assert sum(1 for _ in store.quads((None, None, None, None))) == len(to_triples(one)) + len(to_triples(two))

    remove_document(store, "wire-a")
    assert set(store.objects(event, KG.document)) == {DOC["wire-b"]}
    assert (event, RDF.type, KG.Event) in store
    assert (event, KG.lemma, Literal("phone")) in store
    assert (event, KG.lemma, Literal("call")) not in store
    remove_document(store, "wire-b")
    assert (event, RDF.type, KG.Event) not in store


def test_a_repeated_report_in_one_document_keeps_one_node_with_the_best_evidence():
    extraction = make_extraction("wire-a", [CALL, dict(CALL, lemma="phone", confidence=0.95)])
    graph = _graph(extraction)
    event = event_iri(extraction.events[0])
    assert list(graph.subjects(RDF.type, KG.Event)) == [event]
    for prop in (KG.evidence, KG.confidence, KG.lemma, KG.sentenceIndex, KG.startOffset):
        assert len(list(graph.objects(event, prop))) == 1, prop
    assert (event, KG.lemma, Literal("phone")) in graph
    # both readings keep their direct edge
    assert (ENT["alpha-leader"], REL.call, ENT["beta"]) in graph
    assert (ENT["alpha-leader"], REL.phone, ENT["beta"]) in graph


def test_each_replacement_is_one_update():
    from kg.rdf import replace_graph_update

    extraction = sample_extraction()
    text = replace_graph_update(DOC["report-1"], to_triples(extraction))
    assert text.startswith("DROP SILENT GRAPH <https://w3id.org/kg-events/doc/report-1> ;")
    assert text.count("INSERT DATA") == 1
    store = open_store()
    store.store._inner.update(text)
    assert len(Graph(store=store.store, identifier=DOC["report-1"])) == len(to_triples(extraction))
    assert replace_graph_update(DOC["report-1"], ()) == "DROP SILENT GRAPH <https://w3id.org/kg-events/doc/report-1>"


def test_a_failed_write_is_a_store_error():
    from kg.errors import StoreError

    store = open_store("http://127.0.0.1:9/query")  # nothing listens on the discard port
    with pytest.raises(StoreError, match="cannot write to the store"):
        add_extraction(store, sample_extraction())
    with pytest.raises(StoreError, match="cannot read the store"):
        remove_document(store, "report-1")


# --- facts and events -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "event"),
    [
        (dict(subj="alpha", obj="beta", lemma="attack", cameo="190"), True),
        (dict(subj="alpha", obj=None, obj_text="its neighbour", lemma="threaten", cameo="130"), True),
        (dict(subj="alpha", obj="beta", lemma="report"), False),
        (dict(subj=None, subj_text="casualties", obj=None, lemma="rise", cameo="190"), False),
        (dict(subj=None, subj_text="officials", obj="beta", lemma="meet"), False),
    ],
)
def test_a_fact_is_an_event_only_when_coded_with_an_entity_actor(spec, event):
    extraction = make_extraction("r", [spec])
    graph = _graph(extraction)
    node = event_iri(extraction.events[0])
    assert (node, RDF.type, KG.Fact) in graph
    assert ((node, RDF.type, KG.Event) in graph) is event


@pytest.mark.parametrize(
    ("value", "start", "end", "precision"),
    [
        ("2024-09", "2024-09-01", "2024-09-30", "month"),
        ("2014", "2014-01-01", "2014-12-31", "year"),
        ("2010/2019", "2010-01-01", "2019-12-31", "decade"),
        ("2024-11-09/2024-11-10", "2024-11-09", "2024-11-10", "interval"),
        ("2014/..", "2014-01-01", None, "year"),
    ],
)
def test_every_date_has_typed_bounds_and_its_precision(value, start, end, precision):
    extraction = make_extraction("r", [dict(subj="alpha", obj="beta", lemma="attack", date=value)])
    graph = _graph(extraction)
    node = event_iri(extraction.events[0])
    assert graph.value(node, KG.date) == Literal(value)
    assert graph.value(node, KG.dateStart) == Literal(start, datatype=XSD.date)
    assert graph.value(node, KG.dateEnd) == (Literal(end, datatype=XSD.date) if end else None)
    assert graph.value(node, KG.datePrecision) == Literal(precision)


def test_typed_bounds_filter_and_sort_in_sparql():
    from kg.query import sparql

    store = open_store()
    add_extraction(store, make_extraction("r", [
        dict(subj="alpha", obj="beta", lemma="attack", cameo="190", date="2024-11-04/2024-11-10"),
        dict(subj="beta", obj="alpha", lemma="meet", cameo="040", date="2024-09"),
        dict(subj="alpha", obj="gamma-city", lemma="visit", cameo="042", date="2024-11-07"),
    ]))
    frame = sparql(store, """SELECT ?lemma WHERE { ?e kg:lemma ?lemma ; kg:dateStart ?start ; kg:dateEnd ?end
        FILTER(?start <= "2024-11-30"^^xsd:date && ?end >= "2024-11-01"^^xsd:date) } ORDER BY ?start""")
    assert list(frame["lemma"]) == ["attack", "visit"]
