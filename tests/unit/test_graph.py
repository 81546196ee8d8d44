"""The networkx view of the RDF event graph: reading, degree, neighbourhoods, filters, layout."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal
from rdflib.namespace import OWL, PROV, SKOS

from kg.dates import date_bounds, date_interval
from kg.errors import KGError
from kg.graph import (
    degree_table,
    ego_graph,
    filter_graph,
    layout_positions,
    resolve_node,
    to_networkx,
)
from kg.namespaces import CAMEO, DOC, ENT, EVT, KG, PLOVER, REL, WD

# ---- a hand-built graph following the shared RDF model (until kg.rdf builds it) -------------

ENTITIES = {
    # id: (name, type, aliases, wikidata, country)
    "donald-trump": ("Donald Trump", "Person", ("Trump",), "Q22686", "united-states"),
    "vladimir-putin": ("Vladimir Putin", "Person", ("Putin",), "Q7747", "russia"),
    "russia": ("Russia", "Country", (), "Q159", None),
    "ukraine": ("Ukraine", "Country", (), "Q212", None),
    "united-states": ("United States", "Country", ("US",), "Q30", None),
    "north-korean-troops": ("North Korean troops", "Group", (), None, None),
    "daily-courier": ("Daily Courier", "Organization", (), None, None),
}

# (event id, doc, subject, lemma, object, options)
EVENTS = [
    ("e1", "d1", "donald-trump", "call", "vladimir-putin",
     dict(date="2024-11-07", cameo="040", plover="CONSULT",
          evidence="The two leaders spoke by telephone late on Thursday evening.")),
    ("e2", "d1", "donald-trump", "advise", "vladimir-putin",
     dict(date="2024-11-07", cameo="020", modality="reported", attributed_to="daily-courier",
          evidence="Trump advised Putin to show restraint, the newspaper said.")),
    ("e3", "d1", "donald-trump", "support", "ukraine",
     dict(date="2024-09", cameo="030", modality="intended",
          evidence="The candidate pledged in the autumn to back Kyiv.")),
    ("e4", "d1", "ukraine", "attack", "russia",
     dict(date="2024-11-10", cameo="190", plover="ATTACK",
          evidence="Drones from Ukraine struck targets across western Russia.")),
    ("e5", "d1", "vladimir-putin", "threaten", "ukraine",
     dict(date="2024-11-04/2024-11-10", cameo="130", negated=True,
          evidence="The Kremlin did not threaten Kyiv during the week.")),
    ("e6", "d2", "russia", "invade", "ukraine",
     dict(date="2022-02-24", cameo="192", plover="ATTACK",
          evidence="Russian forces crossed the border in February 2022.")),
    ("e7", "d2", "north-korean-troops", "support", "russia",
     dict(cameo="030", evidence="Troops from the North were seen near the front.")),
    ("e8", "d2", "vladimir-putin", "reject", None,
     dict(date="2022-03-01", cameo="120", evidence="The president rejected any talks.")),
    # an open relation (no CAMEO code): a fact, an edge only when all facts are asked for
    ("e9", "d2", "daily-courier", "quote", "vladimir-putin",
     dict(date="2022-03-02", evidence="The Daily Courier quoted the president at length.")),
]

DOCUMENTS = {
    "d1": ("Leaders speak by phone", "2024-11-11", "https://news.example.org/call"),
    "d2": ("War overview", "2022-03-02", None),
}


def add_entity(g: Graph, eid: str, name: str, kind: str, aliases=(), qid=None, country=None):
    """The triples kg.rdf writes for an entity into every document graph that mentions it."""
    node = ENT[eid]
    g.add((node, RDF.type, KG[kind]))
    g.add((node, RDF.type, KG.Entity))
    g.add((node, RDFS.label, Literal(name)))
    for alias in aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    if qid:
        g.add((node, OWL.sameAs, WD[qid]))
    if country:
        g.add((node, KG.country, ENT[country]))


def add_event(g: Graph, eid: str, doc: str, subj: str, lemma: str, obj: str | None, *,
              date=None, cameo=None, plover=None, negated=False, modality="asserted",
              attributed_to=None, evidence="", sent=0, confidence=0.8):
    """The event node and direct edge kg.rdf writes for one event."""
    ev, rel = EVT[eid], REL[lemma]
    g.add((rel, RDF.type, OWL.ObjectProperty))
    g.add((rel, RDFS.subPropertyOf, KG.relation))
    g.add((rel, RDFS.label, Literal(lemma)))
    g.add((ev, RDF.type, KG.Fact))
    if cameo:
        g.add((ev, RDF.type, KG.Event))
    g.add((ev, KG.actor, ENT[subj]))
    g.add((ev, KG.actorText, Literal(ENTITIES[subj][0])))
    if obj:
        g.add((ENT[subj], rel, ENT[obj]))
        g.add((ev, KG.target, ENT[obj]))
        g.add((ev, KG.targetText, Literal(ENTITIES[obj][0])))
    else:
        g.add((ev, KG.targetText, Literal("any talks")))
    g.add((ev, KG.relation, rel))
    g.add((ev, KG.relationText, Literal(lemma + "ed" if not lemma.endswith("e") else lemma + "d")))
    g.add((ev, KG.lemma, Literal(lemma)))
    g.add((ev, KG.evidence, Literal(evidence)))
    g.add((ev, KG.sentenceIndex, Literal(sent, datatype=XSD.integer)))
    g.add((ev, KG.startOffset, Literal(0, datatype=XSD.integer)))
    g.add((ev, KG.endOffset, Literal(len(evidence), datatype=XSD.integer)))
    g.add((ev, KG.document, DOC[doc]))
    g.add((ev, PROV.wasDerivedFrom, DOC[doc]))
    g.add((ev, KG.confidence, Literal(f"{confidence:.3f}", datatype=XSD.decimal)))
    g.add((ev, KG.negated, Literal(negated)))
    g.add((ev, KG.modality, Literal(modality)))
    if date:
        bounds = date_bounds(date)
        g.add((ev, KG.date, Literal(date)))
        g.add((ev, KG.dateStart, Literal(bounds.start.isoformat(), datatype=XSD.date)))
        g.add((ev, KG.dateEnd, Literal(bounds.end.isoformat(), datatype=XSD.date)))
        g.add((ev, KG.datePrecision, Literal(bounds.precision)))
        g.add((ev, KG.dateSource, Literal("text")))
    if cameo:
        g.add((ev, KG.cameo, CAMEO[cameo]))
        g.add((ev, KG.cameoCode, Literal(cameo)))
    if plover:
        g.add((ev, KG.plover, PLOVER[plover]))
    if attributed_to:
        g.add((ev, KG.attributedTo, ENT[attributed_to]))
        g.add((ev, KG.attributionText, Literal(ENTITIES[attributed_to][0])))


def build_dataset(entities=None, events=None, documents=None) -> Dataset:
    """A Dataset with one named graph per document, as the shared RDF model prescribes."""
    entities = ENTITIES if entities is None else entities
    events = EVENTS if events is None else events
    documents = DOCUMENTS if documents is None else documents
    ds = Dataset()
    for doc, (title, published, url) in documents.items():
        g = ds.graph(DOC[doc])
        g.add((DOC[doc], RDF.type, KG.Document))
        g.add((DOC[doc], KG.title, Literal(title)))
        g.add((DOC[doc], RDFS.label, Literal(title)))
        g.add((DOC[doc], KG.published, Literal(published, datatype=XSD.date)))
        if url:
            g.add((DOC[doc], KG.url, Literal(url)))
        mentioned = set()
        for eid, d, subj, lemma, obj, options in events:
            if d != doc:
                continue
            add_event(g, eid, doc, subj, lemma, obj, **options)
            mentioned.update(x for x in (subj, obj, options.get("attributed_to")) if x)
        mentioned.update([entities[e][4] for e in mentioned if entities[e][4]])
        # every entity typed in each graph that mentions it (the model's removal guarantee)
        for eid in sorted(mentioned):
            name, kind, aliases, qid, country = entities[eid]
            add_entity(g, eid, name, kind, aliases, qid, country)
    return ds


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return to_networkx(build_dataset())


def iri(eid: str) -> str:
    return str(ENT[eid])


# ---- to_networkx ----------------------------------------------------------------------------

def test_nodes_are_entities_with_attributes(g):
    assert sorted(g) == sorted(iri(e) for e in ENTITIES)
    putin = g.nodes[iri("vladimir-putin")]
    assert putin["label"] == "Vladimir Putin"
    assert putin["type"] == "Person"
    assert putin["country"] == iri("russia")
    assert putin["wikidata"] == "Q7747"
    assert putin["aliases"] == ("Putin",)
    assert g.nodes[iri("north-korean-troops")]["wikidata"] is None


def test_one_edge_per_event_with_both_ends(g):
    keys = sorted(k for _, _, k in g.edges(keys=True))
    # e8 has no target entity; e9 is an open relation, not an event
    assert keys == sorted(str(EVT[f"e{i}"]) for i in range(1, 8))
    # two events between the same pair stay two edges
    assert g.number_of_edges(iri("donald-trump"), iri("vladimir-putin")) == 2


def test_all_facts_adds_an_edge_for_each_open_relation_between_entities():
    every = to_networkx(build_dataset(), all_facts=True)
    keys = sorted(k for _, _, k in every.edges(keys=True))
    assert keys == sorted(str(EVT[f"e{i}"]) for i in (1, 2, 3, 4, 5, 6, 7, 9))
    assert every.edges[iri("daily-courier"), iri("vladimir-putin"), str(EVT.e9)]["cameo"] is None


def test_edge_attributes(g):
    d = g.edges[iri("donald-trump"), iri("vladimir-putin"), str(EVT.e2)]
    assert d["relation"] == "advise"
    assert d["label"] == "advised"
    assert d["date"] == "2024-11-07"
    assert d["cameo"] == "020"
    assert d["modality"] == "reported"
    assert d["attributed_to"] == iri("daily-courier")
    assert d["document"] == str(DOC.d1)
    assert d["confidence"] == pytest.approx(0.8)
    assert d["negated"] is False
    assert (d["date_start"], d["date_end"], d["date_precision"]) == (date(2024, 11, 7), date(2024, 11, 7), "day")
    neg = g.edges[iri("vladimir-putin"), iri("ukraine"), str(EVT.e5)]
    assert neg["negated"] is True
    assert neg["date"] == "2024-11-04/2024-11-10"
    assert (neg["date_start"], neg["date_end"], neg["date_precision"]) == (date(2024, 11, 4), date(2024, 11, 10), "week")
    assert g.edges[iri("ukraine"), iri("russia"), str(EVT.e4)]["plover"] == "ATTACK"


def test_documents_kept_on_the_graph(g):
    docs = g.graph["documents"]
    assert docs[str(DOC.d1)]["url"] == "https://news.example.org/call"
    assert docs[str(DOC.d2)]["title"] == "War overview"
    assert docs[str(DOC.d2)]["url"] is None


def test_reads_union_of_named_graphs_not_only_default():
    ds = build_dataset()
    assert ds.default_union is False
    assert len(ds.default_graph) == 0
    assert to_networkx(ds).number_of_edges() == 7
    assert ds.default_union is False  # the caller's dataset is left as it was


def test_entity_in_two_documents_is_one_node(g):
    # Russia is typed in d1 and d2: one node, no duplicated labels or aliases
    assert g.nodes[iri("russia")]["label"] == "Russia"
    assert g.degree(iri("russia")) == 3


def test_plain_graph_input():
    ds = build_dataset()
    plain = Graph()
    for s, p, o, _ in ds.quads():
        plain.add((s, p, o))
    assert nx.utils.graphs_equal(to_networkx(plain), to_networkx(ds))


def test_deterministic_order():
    a, b = to_networkx(build_dataset()), to_networkx(build_dataset())
    assert list(a.nodes) == list(b.nodes) == sorted(a.nodes)
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


# ---- degree, ego, resolve -------------------------------------------------------------------

def test_degree_table(g):
    rows = degree_table(g)
    assert rows[0] == (iri("ukraine"), "Ukraine", 4)
    assert [r[1] for r in rows[1:4]] == ["Donald Trump", "Russia", "Vladimir Putin"]
    degrees = [r[2] for r in rows]
    assert degrees == sorted(degrees, reverse=True)
    assert dict((r[0], r[2]) for r in rows)[iri("daily-courier")] == 0
    assert dict((r[0], r[2]) for r in rows)[iri("ukraine")] == 4


@pytest.mark.parametrize("name", ["Vladimir Putin", "putin", "vladimir-putin", str(ENT["vladimir-putin"])])
def test_resolve_node(g, name):
    assert resolve_node(g, name) == iri("vladimir-putin")


def test_resolve_node_errors(g):
    with pytest.raises(KGError, match="no entity"):
        resolve_node(g, "Atlantis")
    with pytest.raises(KGError, match="matches 2 entities"):
        resolve_node(g, "tr")  # Donald Trump, North Korean troops


def test_ego_graph(g):
    one = ego_graph(g, "Vladimir Putin", hops=1)
    assert set(one) == {iri("vladimir-putin"), iri("donald-trump"), iri("ukraine")}
    assert one.number_of_edges() == 4  # e1, e2, e5 and e3 between two of its members
    assert one.graph["focus"] == iri("vladimir-putin")
    two = ego_graph(g, "Vladimir Putin", hops=2)
    assert iri("russia") in two and iri("north-korean-troops") not in two


# ---- dates and filters ----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2024-11-07", (date(2024, 11, 7), date(2024, 11, 7))),
    ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
    ("2024-12", (date(2024, 12, 1), date(2024, 12, 31))),
    ("2024", (date(2024, 1, 1), date(2024, 12, 31))),
    ("2024-11-04/2024-11-10", (date(2024, 11, 4), date(2024, 11, 10))),
    (date(2022, 2, 24), (date(2022, 2, 24), date(2022, 2, 24))),
    ("last week", None),
    ("2024-13-01", None),
    (None, None),
])
def test_date_interval(value, expected):
    assert date_interval(value) == expected


def test_filter_by_date_keeps_overlapping_events(g):
    out, summary = filter_graph(g, since="2024-11-01", until="2024-11-30")
    kept = sorted(k.rsplit("/", 1)[1] for _, _, k in out.edges(keys=True))
    # e3 is "2024-09" (outside), e6 is 2022, e7 is undated; e5's week overlaps
    assert kept == ["e1", "e2", "e4", "e5"]
    assert summary["left_out_by"]["date"] == 3
    # North Korean troops lost their only event; the never-connected newspaper stays
    assert iri("north-korean-troops") not in out
    assert iri("daily-courier") in out
    assert summary["left_out_by"]["orphaned"] == 1
    assert summary["edges"] == 4 and summary["edges_left_out"] == 3


def test_filter_by_month_and_open_bound(g):
    out, _ = filter_graph(g, until="2024-09")
    kept = sorted(k.rsplit("/", 1)[1] for _, _, k in out.edges(keys=True))
    assert kept == ["e3", "e6"]


def test_filter_by_type(g):
    out, summary = filter_graph(g, types=["country"])
    assert sorted(out) == sorted(iri(e) for e in ("russia", "ukraine", "united-states"))
    assert sorted(k.rsplit("/", 1)[1] for _, _, k in out.edges(keys=True)) == ["e4", "e6"]
    assert summary["left_out_by"]["type"] == 4
    same, _ = filter_graph(g, types="Country")
    assert sorted(same) == sorted(out)


def test_filter_max_nodes_keeps_most_connected(g):
    out, summary = filter_graph(g, max_nodes=3)
    # Ukraine has 4 events; three entities tie at 3 and the labels decide
    assert set(out) == {iri("ukraine"), iri("donald-trump"), iri("russia")}
    assert summary["nodes"] == 3
    assert summary["nodes_left_out"] == 4
    assert summary["left_out_by"]["max_nodes"] == 4
    assert summary["edges"] == out.number_of_edges() == 3


def test_filter_does_not_touch_input(g):
    before = g.number_of_edges()
    filter_graph(g, since="2030", types=["Person"], max_nodes=1)
    assert g.number_of_edges() == before


def test_filter_rejects_bad_date(g):
    with pytest.raises(KGError, match="since"):
        filter_graph(g, since="yesterday")


# ---- layout ---------------------------------------------------------------------------------

def _random_graph(n: int, m: int) -> nx.MultiDiGraph:
    base = nx.gnm_random_graph(n, m, seed=3, directed=True)
    g = nx.MultiDiGraph()
    g.add_nodes_from((f"n{i}", {"label": f"node {i}"}) for i in base)
    g.add_edges_from((f"n{u}", f"n{v}", f"e{u}-{v}", {}) for u, v in base.edges())
    return g


def test_layout_is_deterministic_and_complete():
    g = _random_graph(900, 1500)
    a, b = layout_positions(g, backbone=100), layout_positions(g, backbone=100)
    assert a == b
    assert set(a) == set(g)
    # no two entities on the same spot
    assert len(set(a.values())) == len(a)
