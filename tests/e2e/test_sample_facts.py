"""The sample article's facts between named actors, as an analyst would list them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.types import Document

pytestmark = pytest.mark.model

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "trump-putin-call.txt"
PUBLISHED = date(2024, 11, 11)
TRUMP, PUTIN, ZELENSKY = "Donald Trump", "Vladimir Putin", "Volodymyr Zelensky"
TALK = {"call", "talk", "speak", "discuss", "meet"}

# (subject, acceptable lemmas, object, date the event must carry or None, symmetric)
EXPECTED = [
    (TRUMP, TALK, PUTIN, None, True),
    (TRUMP, {"urge", "advise"}, PUTIN, None, False),
    (TRUMP, {"remind"}, PUTIN, None, False),
    ("Russia", {"fight"}, "Ukraine", None, True),
    ("United States", {"deploy"}, "Europe", None, False),
    (TRUMP, {"support"}, "Israel", None, False),
    (TRUMP, {"urge"}, "Israel", None, False),
    ("Israel", {"fight", "attack"}, "Gaza", None, False),
    ("United States", {"support", "aid"}, "Ukraine", None, False),
    (TRUMP, TALK | {"engage"}, "Russia", None, True),
    (TRUMP, TALK, ZELENSKY, None, True),
    ("Russia", {"invade"}, "Ukraine", "2022-02-24", False),
    ("Russia", {"annex"}, "Crimea", "2014", False),
    ("Ukraine", {"resist"}, "Russia", None, False),
    ("Ukraine", {"attack", "launch"}, "Moscow", None, False),
    ("Russian military", {"intercept"}, "Ukrainian military", None, False),
    ("North Korean military", {"deploy"}, "Kursk", None, False),
    ({"North Korea", "North Korean military"}, {"deploy"}, "Belgorod", None, False),
    ("the West", {"back", "support"}, "Ukraine", None, False),
]

# Further facts an analyst would accept if emitted, beyond the ones required above.
ALSO_ACCEPTABLE = [
    (TRUMP, {"tell"}, PUTIN, None, False),
    (TRUMP, {"tell", "say"}, "Fox News", None, False),
    (TRUMP, {"talk", "speak", "interview"}, "NBC", None, True),
    ("Ukraine", {"attack", "launch"}, "Russia", None, False),
    ("Russia", {"support"}, "Ukraine", None, False),
]


def _names(value) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def _matches(fact, row) -> bool:
    subj, lemma, obj, when = fact
    e_subj, lemmas, e_obj, e_date, symmetric = row
    pairs = {(s, o) for s in _names(e_subj) for o in _names(e_obj)}
    if symmetric:
        pairs |= {(o, s) for s, o in pairs}
    if (subj, obj) not in pairs or lemma not in lemmas:
        return False
    return e_date is None or (when or "").startswith(e_date)


@pytest.fixture(scope="module")
def facts(extractor):
    """(subject entity, lemma, object entity, date) for every fact between two named actors."""
    text = SAMPLE.read_text(encoding="utf-8")
    extraction = extractor.extract(Document("sample", text, published=PUBLISHED))
    names = {e.id: e.name for e in extraction.entities}
    return [
        (names[e.subject.entity], e.lemma, names[e.object.entity], e.date)
        for e in extraction.events
        if e.subject.entity and e.object is not None and e.object.entity and not e.negated
    ]


def test_recall_of_the_analyst_table(facts):
    missing = [row for row in EXPECTED if not any(_matches(f, row) for f in facts)]
    found = len(EXPECTED) - len(missing)
    assert found / len(EXPECTED) >= 0.9, f"missing: {missing}"


def test_precision_of_entity_facts(facts):
    assert facts, "no facts between named actors"
    accepted = EXPECTED + ALSO_ACCEPTABLE
    wrong = [f for f in facts if not any(_matches(f, row) for row in accepted)]
    assert 1 - len(wrong) / len(facts) >= 0.8, f"not acceptable: {wrong}"


def test_invasion_is_dated_to_its_day(facts):
    dates = {f[3] for f in facts if f[:3] == ("Russia", "invade", "Ukraine")}
    assert dates == {"2022-02-24"}


# --- the sample's graph: facts and events ---------------------------------------------------


@pytest.fixture(scope="module")
def sample_graph(extractor):
    """The sample's store as `kg build` writes it: the ontology graph and the document's graph."""
    from kg.rdf import add_extraction
    from kg.store import load_ontology, open_store

    store = open_store()
    load_ontology(store)
    text = SAMPLE.read_text(encoding="utf-8")
    add_extraction(store, extractor.extract(Document("sample", text, published=PUBLISHED)))
    return store


def _count(store, where: str) -> int:
    from kg.query import sparql

    return int(sparql(store, f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}")["n"][0])


def test_every_event_is_coded_and_has_an_entity_actor(sample_graph):
    events = _count(sample_graph, "?e a kg:Event")
    assert events > 10
    coded = _count(sample_graph, "?e a kg:Event ; kg:cameoCode ?c ; kg:cameo ?concept ; kg:actor ?a . ?a a kg:Entity")
    assert coded == events


def test_facts_outnumber_events_and_keep_open_relations(sample_graph):
    facts, events = _count(sample_graph, "?e a kg:Fact"), _count(sample_graph, "?e a kg:Event")
    assert facts > events
    # every event is a fact; the open relations (no code, or no entity as actor) stay as facts
    assert _count(sample_graph, "?e a kg:Event FILTER NOT EXISTS { ?e a kg:Fact }") == 0
    assert _count(sample_graph, "?e a kg:Fact FILTER NOT EXISTS { ?e kg:cameoCode ?c }") > 0


def test_sparql_reaches_the_class_hierarchy(sample_graph):
    entities = _count(sample_graph, "?e a kg:Entity")
    assert _count(sample_graph, "?e a/rdfs:subClassOf* kg:Entity") == entities
    # countries are found as geopolitical entities through the hierarchy alone
    countries = _count(sample_graph, "?e a kg:Country")
    assert 0 < countries < _count(sample_graph, "?e a/rdfs:subClassOf* kg:GeopoliticalEntity")
    assert _count(sample_graph, "?e a/rdfs:subClassOf* kg:Fact") == _count(sample_graph, "?e a kg:Fact")


def test_every_dated_fact_has_typed_bounds(sample_graph):
    dated = _count(sample_graph, "?e kg:date ?d")
    assert dated > 0
    typed = _count(sample_graph, """?e kg:date ?d ; kg:dateStart ?s ; kg:dateEnd ?end ; kg:datePrecision ?p
        FILTER(DATATYPE(?s) = xsd:date && DATATYPE(?end) = xsd:date && ?s <= ?end)""")
    assert typed == dated
    assert _count(sample_graph, '?e kg:datePrecision "week"') > 0


def test_the_sample_graph_conforms_to_the_shapes(sample_graph):
    from pyshacl import validate
    from rdflib import Graph, Literal
    from rdflib.namespace import XSD

    from kg.namespaces import DOC
    from kg.resources import data_dir

    document = Graph()
    for s, p, o in Graph(store=sample_graph.store, identifier=DOC["sample"]):
        # the store spells plain strings "x"^^xsd:string, one RDF term that rdflib compares apart
        plain = isinstance(o, Literal) and o.datatype == XSD.string
        document.add((s, p, Literal(str(o)) if plain else o))
    shapes = Graph().parse(data_dir("ontologies") / "shapes.ttl")
    conforms, _, text = validate(document, shacl_graph=shapes, inference="none")
    assert conforms, text
