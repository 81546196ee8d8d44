"""IRIs from hostile entity names and document ids: always valid, and every RDF syntax round-trips."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import _is_valid_uri

from kg.export.formats import write_graph
from kg.rdf import add_extraction, document_iri, entity_iri, iri_segment, to_triples
from kg.store import open_store
from kg.types import Document, Entity, Event, Evidence, Extraction, Mention, Sentence

# Names as they come out of articles: any unicode but surrogates (not encodable as UTF-8).
NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
# str.splitlines() breaks lines at these, and N-Triples writes them unescaped; see
# test_line_separators_in_labels_survive_export
LINE_BREAKS = "\x85\u2028\u2029"
PLAIN_NAMES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=LINE_BREAKS),
                      min_size=1, max_size=40)
HOSTILE = [  # "..", "." are in test_trailing_dot_ids_round_trip_through_turtle
    "Kyiv city", 'the "Wagner" group', "Donetsk/Luhansk", "NATO [north]", "<script>", "{x}",
    "a|b^c`d\\e", "100%", "%41", "Köln", "Москва", "北京", "القاهرة", "ישראל", "🇺🇦 Ukraine",
    "\u202eevil\u202c", "tab\there", "new\nline", "\x00nul", "\ufffe\uffff", "#frag",
    "?q=1", " ", "e\u0301",
]
SYNTAXES = {"ttl": "turtle", "trig": "trig", "nt": "nt", "nq": "nquads", "jsonld": "json-ld"}


def _extraction(names: list[str], doc_id: str) -> Extraction:
    text = " met ".join(names) + "."
    sentence = Sentence(0, 0, len(text), text)
    entities, mentions, pos = [], [], 0
    for i, name in enumerate(names):
        entities.append(Entity(id=name, name=name, type="Person", aliases=(name + " alias",),
                               country=names[0]))
        mentions.append(Mention(doc_id, 0, pos, pos + len(name), name, "PERSON", entity=name))
        pos += len(name) + len(" met ")
    events = [
        Event(subject=a, relation="met", lemma=b.text[:20] or "meet", object=b,
              evidence=Evidence(doc_id, 0, 0, len(text)), cameo="040", date="2024-11-11",
              quote=a.text)
        for a, b in zip(mentions, mentions[1:])
    ]
    document = Document(doc_id, text, published=date(2024, 11, 11), title=names[0],
                        url="javascript:alert(1)")
    return Extraction(document, (sentence,), tuple(mentions), tuple(entities), tuple(events))


@given(NAMES)
@settings(max_examples=300, deadline=None)
@example("")
def test_iri_segment_is_valid_and_injective_for_any_text(name):
    if not name:
        return  # an empty id is refused below
    segment = iri_segment(name)
    iri = entity_iri(name)
    assert _is_valid_uri(str(iri))
    ox.NamedNode(str(iri))  # raises ValueError on an invalid IRI
    assert not any(ch in segment for ch in "/#?%" if ch != "%" or not segment.count("%"))
    assert iri_segment(name + "x") != segment


def test_empty_id_is_refused_not_minted():
    with pytest.raises(ValueError):
        iri_segment("")


def test_distinct_hostile_names_give_distinct_valid_iris():
    iris = {entity_iri(n) for n in HOSTILE}
    assert len(iris) == len(HOSTILE)
    for iri in iris:
        ox.NamedNode(str(iri))
        assert _is_valid_uri(str(iri))


def _plain(graph: Graph) -> Graph:
    """The graph with xsd:string literals written as plain literals (the same RDF 1.1 term)."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def _round_trip(triples_by_graph: dict[URIRef, list], dataset: Dataset, tmp_path, fmt: str) -> None:
    path = tmp_path / f"graph.{fmt}"
    write_graph(dataset, path, fmt)
    if fmt in ("ttl", "nt"):
        back = Graph().parse(path, format=SYNTAXES[fmt])
        merged = Graph()
        for triples in triples_by_graph.values():
            for triple in triples:
                merged.add(triple)
        assert isomorphic(_plain(back), _plain(merged)), fmt
        return
    back = Dataset().parse(path, format=SYNTAXES[fmt])
    names = {ctx.identifier for ctx in back.graphs() if len(ctx)}
    assert names == set(triples_by_graph), fmt
    for name, triples in triples_by_graph.items():
        want = Graph()
        for triple in triples:
            want.add(triple)
        assert isomorphic(_plain(Graph(store=back.store, identifier=name)), _plain(want)), (fmt, name)


def _check(names: list[str], doc_id: str, tmp_path) -> None:
    extraction = _extraction(names, doc_id)
    triples = to_triples(extraction)
    for term in (t for triple in triples for t in triple if isinstance(t, URIRef)):
        ox.NamedNode(str(term))
        assert _is_valid_uri(str(term))
    store = open_store()
    add_extraction(store, extraction)
    assert len(Graph(store=store.store, identifier=document_iri(doc_id))) == len(triples)
    for fmt in SYNTAXES:
        _round_trip({document_iri(doc_id): triples}, store, tmp_path, fmt)


@given(st.lists(PLAIN_NAMES, min_size=2, max_size=4, unique=True), PLAIN_NAMES)
@settings(max_examples=25, deadline=None)
@example(HOSTILE[:4], "doc with spaces/and#hash")
@example(HOSTILE[4:9], "<doc>")
@example(HOSTILE[9:15], "Москва-1")
@example(HOSTILE[15:21], "\u202edoc")
@example(HOSTILE[21:], ".hidden")
def test_graphs_of_hostile_names_round_trip_through_every_syntax(tmp_path_factory, names, doc_id):
    _check(names, doc_id, tmp_path_factory.mktemp("rt"))


@pytest.mark.parametrize("doc_id,name", [("U.S.", "Washington D.C."), ("..", "."), ("report.", "St.")])
def test_trailing_dot_ids_round_trip_through_turtle(tmp_path, doc_id, name):
    _check([name, "Kyiv"], doc_id, tmp_path)


@pytest.mark.parametrize("char", list(LINE_BREAKS))
def test_line_separators_in_labels_survive_export(tmp_path, char):
    _check([f"Kyiv{char}Oblast", "Odesa"], "doc", tmp_path)
