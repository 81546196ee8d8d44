"""The ontology declares exactly the KG terms; graphs from to_triples() conform to the shapes.

pyshacl is not a dependency, so the shapes are checked by a small interpreter of the SHACL
subset shapes.ttl uses (targetClass, sh:or of property shapes, min/maxCount, datatype, class,
nodeKind, in, hasValue, pattern, min/maxInclusive); a test checks no other constraint is used.
"""

from __future__ import annotations

import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from kg.namespaces import KG
from kg.rdf import event_iri, to_triples
from kg.resources import data_dir
from tests.unit.test_rdf import make_extraction, sample_extraction

KG_NS = str(KG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data_dir("ontologies") / "geo-events.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data_dir("ontologies") / "shapes.ttl", format="turtle")


def _kg_terms() -> set[URIRef]:
    return {URIRef(KG_NS + name) for name in KG.__annotations__}


def test_every_kg_term_is_declared_with_label_and_comment(ontology):
    for term in sorted(_kg_terms()):
        kinds = set(ontology.objects(term, RDF.type))
        assert kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}, term
        assert ontology.value(term, RDFS.label) is not None, term
        comment = ontology.value(term, RDFS.comment)
        assert comment is not None and len(str(comment)) > 15, term


def test_every_declared_term_is_in_the_namespace(ontology):
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(KG_NS)}
    assert declared == _kg_terms()
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(KG_NS)}
    assert used <= _kg_terms()


def test_classes_and_properties_are_well_formed(ontology):
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for term in _kg_terms():
        for parent in ontology.objects(term, RDFS.subClassOf):
            assert term in classes
            assert parent in classes or not str(parent).startswith(KG_NS)
        for kind, target in ((RDFS.domain, classes), (RDFS.range, None)):
            for value in ontology.objects(term, kind):
                if target is not None and str(value).startswith(KG_NS):
                    assert value in target, (term, value)
        if (term, RDF.type, OWL.DatatypeProperty) in ontology:
            for value in ontology.objects(term, RDFS.range):
                assert str(value).startswith((str(XSD), str(RDFS))), term
    # the direct-edge super-property must not force a domain on entities
    assert ontology.value(KG.relation, RDFS.domain) is None
    assert (KG.Country, RDFS.subClassOf, KG.GeopoliticalEntity) in ontology


# --- a SHACL subset ---------------------------------------------------------------------------


def _values(data: Graph, focus, path) -> list:
    return list(data.objects(focus, path))


def _property_violations(data: Graph, shapes: Graph, focus, shape) -> list[str]:
    path = shapes.value(shape, SH.path)
    values = _values(data, focus, path)
    where = f"{focus.n3()} {path.n3()}"
    problems = []
    low, high = shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)
    if low is not None and len(values) < int(low):
        problems.append(f"{where}: fewer than {low} values")
    if high is not None and len(values) > int(high):
        problems.append(f"{where}: more than {high} values")
    datatype = shapes.value(shape, SH.datatype)
    kind = shapes.value(shape, SH.nodeKind)
    cls = shapes.value(shape, SH["class"])
    allowed = shapes.value(shape, SH["in"])
    allowed = set(Collection(shapes, allowed)) if allowed is not None else None
    has_value = shapes.value(shape, SH.hasValue)
    pattern = shapes.value(shape, SH.pattern)
    minimum, maximum = shapes.value(shape, SH.minInclusive), shapes.value(shape, SH.maxInclusive)
    for value in values:
        if datatype is not None:
            actual = value.datatype or (XSD.string if isinstance(value, Literal) and not value.language else None)
            if not isinstance(value, Literal) or actual != datatype or not _well_formed(value):
                problems.append(f"{where}: {value.n3()} is not a {datatype.n3()}")
        if kind == SH.IRI and not isinstance(value, URIRef):
            problems.append(f"{where}: {value.n3()} is not an IRI")
        if cls is not None:
            types = set(data.objects(value, RDF.type))
            if cls not in types and not any((t, RDFS.subClassOf, cls) in data for t in types):
                problems.append(f"{where}: {value.n3()} is not a {cls.n3()}")
        if allowed is not None and value not in allowed:
            problems.append(f"{where}: {value.n3()} not in {sorted(map(str, allowed))}")
        if pattern is not None and not re.search(str(pattern), str(value)):
            problems.append(f"{where}: {value.n3()} does not match {pattern}")
        if minimum is not None and (not isinstance(value, Literal) or value.toPython() < minimum.toPython()):
            problems.append(f"{where}: {value.n3()} < {minimum}")
        if maximum is not None and (not isinstance(value, Literal) or value.toPython() > maximum.toPython()):
            problems.append(f"{where}: {value.n3()} > {maximum}")
    if has_value is not None and has_value not in values:
        problems.append(f"{where}: lacks {has_value.n3()}")
    return problems


def _well_formed(value: Literal) -> bool:
    # rdflib keeps an ill-typed literal's lexical form; its value is then the str itself
    return value.datatype in (None, XSD.string) or not isinstance(value.value, str) or value.datatype == XSD.anyURI


def validate(data: Graph, shapes: Graph) -> list[str]:
    """Violations of the shapes in ``data`` (empty when it conforms)."""
    problems = []
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        target = shapes.value(node_shape, SH.targetClass)
        for focus in sorted(set(data.subjects(RDF.type, target))):
            for prop in shapes.objects(node_shape, SH.property):
                problems += _property_violations(data, shapes, focus, prop)
            for alternatives in shapes.objects(node_shape, SH["or"]):
                options = list(Collection(shapes, alternatives))
                if all(_property_violations(data, shapes, focus, option) for option in options):
                    problems.append(f"{focus.n3()}: none of the sh:or alternatives holds")
    return problems


def _graph(extraction) -> Graph:
    graph = Graph()
    for triple in to_triples(extraction):
        graph.add(triple)
    return graph


def test_shapes_cover_events_entities_and_documents(shapes):
    targets = set(shapes.objects(None, SH.targetClass))
    assert {KG.Event, KG.Entity, KG.Document} <= targets
    # every constraint the checker is given is one it understands
    known = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.nodeKind, SH["class"], SH["in"], SH.hasValue,
             SH.pattern, SH.minInclusive, SH.maxInclusive}
    for prop in shapes.objects(None, SH.property):
        assert set(shapes.predicates(prop)) <= known, prop


def test_a_graph_from_to_triples_conforms(shapes):
    graph = _graph(sample_extraction())
    assert len(list(graph.subjects(RDF.type, KG.Event))) == 3
    assert validate(graph, shapes) == []


def test_an_event_with_only_actor_text_conforms(shapes):
    extraction = make_extraction("r", [dict(subj=None, subj_text="officials", obj="beta", lemma="say")])
    assert validate(_graph(extraction), shapes) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda g, e: g.remove((e, KG.evidence, None)), "evidence"),
        (lambda g, e: g.set((e, KG.confidence, Literal("1.5", datatype=XSD.decimal))), "> 1"),
        (lambda g, e: g.set((e, KG.modality, Literal("rumoured"))), "not in"),
        (lambda g, e: (g.remove((e, KG.actor, None)), g.remove((e, KG.actorText, None))), "sh:or"),
        (lambda g, e: g.set((e, KG.negated, Literal("maybe"))), "boolean"),
        (lambda g, e: g.set((e, KG.date, Literal("next week"))), "does not match"),
        (lambda g, e: g.set((e, KG.actor, BNode())), "not an IRI"),
    ],
)
def test_the_check_catches_broken_events(shapes, change, expected):
    extraction = sample_extraction()
    graph = _graph(extraction)
    change(graph, event_iri(extraction.events[0]))
    problems = validate(graph, shapes)
    assert problems and any(expected in p for p in problems), problems
