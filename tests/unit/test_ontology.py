"""The ontology declares exactly the KG terms the graph holds; graphs from to_triples() conform to the shapes.

The SHACL shapes are checked with pyshacl.
"""

from __future__ import annotations

import pytest
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from kg.namespaces import KG
from kg.rdf import ENTITY_CLASSES, event_iri, to_triples
from kg.resources import data_dir
from kg.types import Mention
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


# --- SHACL -------------------------------------------------------------------------------------


def validate(data: Graph, shapes: Graph) -> list[str]:
    """The messages of every violation of the shapes in ``data`` (empty when it conforms)."""
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
    if conforms:
        return []
    problems = []
    for result in sorted(report.subjects(RDF.type, SH.ValidationResult)):
        focus, path = report.value(result, SH.focusNode), report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        component = report.value(result, SH.sourceConstraintComponent)
        problems.append(f"{focus} {path}: {component}: {message}")
    return problems


def _graph(extraction) -> Graph:
    graph = Graph()
    for triple in to_triples(extraction):
        graph.add(triple)
    return graph


def _every_kind_of_fact():
    """A document with every property the graph can hold: coded events, open facts, every date form."""
    return make_extraction("all", [
        dict(subj="alpha-leader", obj="beta", lemma="call", cameo="042", plover="CONSULT", goldstein=1.0,
             date="2024-11-07", date_text="Thursday", date_source="text", pattern="svo", quote="a good talk",
             location=Mention("all", 0, 0, 4, "Gamma", None, "gamma-city"),
             attributed_to=Mention("all", 0, 0, 4, "Alphaland", None, "alpha")),
        dict(subj="beta-forces", obj="gamma-city", lemma="attack", negated=True, cameo="190",
             date="2024-11-04/2024-11-10", date_source="text", date_text="last week",
             location=Mention("all", 0, 0, 4, "Kyiv", None, "kyiv")),
        dict(subj="alpha", obj=None, obj_text="to cooperate", lemma="warn", modality="reported",
             date="2024-11-11", date_source="document"),
        dict(subj=None, subj_text="casualties", obj=None, lemma="rise", date="2014/..", date_source="text"),
        dict(subj="beta", obj="alpha", lemma="occupy", cameo="192", date="2010/2019", date_source="text"),
    ], entities=("alpha-leader", "alpha", "beta", "beta-forces", "gamma-city", "odd", "kyiv"))


def test_shapes_cover_facts_events_entities_and_documents(shapes):
    targets = set(shapes.objects(None, SH.targetClass))
    assert {KG.Fact, KG.Event, KG.Entity, KG.Document, KG.Relation} <= targets


def test_a_graph_from_to_triples_conforms(shapes):
    graph = _graph(sample_extraction())
    assert len(list(graph.subjects(RDF.type, KG.Fact))) == 3
    assert len(list(graph.subjects(RDF.type, KG.Event))) == 2
    assert validate(graph, shapes) == []


def test_every_kind_of_fact_conforms(shapes):
    assert validate(_graph(_every_kind_of_fact()), shapes) == []


def test_an_event_with_only_actor_text_conforms(shapes):
    extraction = make_extraction("r", [dict(subj=None, subj_text="officials", obj="beta", lemma="say")])
    assert validate(_graph(extraction), shapes) == []


def test_every_declared_term_is_produced(ontology):
    graph = _graph(_every_kind_of_fact())
    used = {p for _, p, _ in graph} | {o for _, p, o in graph if p == RDF.type}
    # every entity class is the class of an entity type; the sample names five of the eight
    entity_classes = {c for c in _kg_terms() if (c, RDFS.subClassOf, KG.Entity) in ontology
                      or (c, RDFS.subClassOf, KG.GeopoliticalEntity) in ontology
                      or (c, RDFS.subClassOf, KG.Location) in ontology}
    assert entity_classes == set(ENTITY_CLASSES.values())
    assert _kg_terms() - used - entity_classes == set()


def test_an_event_is_a_fact(ontology):
    assert (KG.Event, RDFS.subClassOf, KG.Fact) in ontology
    assert ontology.value(KG.actor, RDFS.domain) == KG.Fact


def test_no_domain_makes_a_cameo_concept_a_fact(ontology):
    # cameo.ttl states kg:goldstein on skos:Concepts: a domain would type every concept by inference
    cameo = Graph().parse(data_dir("ontologies") / "cameo.ttl", format="turtle")
    for prop in {p for _, p, _ in cameo if str(p).startswith(KG_NS)}:
        assert ontology.value(prop, RDFS.domain) is None, prop


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda g, e: g.remove((e, KG.evidence, None)), "MinCount"),
        (lambda g, e: g.set((e, KG.confidence, Literal("1.5", datatype=XSD.decimal))), "MaxInclusive"),
        (lambda g, e: g.set((e, KG.modality, Literal("rumoured"))), "In"),
        (lambda g, e: (g.remove((e, KG.actor, None)), g.remove((e, KG.actorText, None))), "Or"),
        (lambda g, e: g.set((e, KG.negated, Literal("maybe"))), "Datatype"),
        (lambda g, e: g.set((e, KG.date, Literal("next week"))), "Pattern"),
        (lambda g, e: g.set((e, KG.actor, BNode())), "NodeKind"),
        (lambda g, e: g.set((e, KG.dateStart, Literal("2024-11-07"))), "Datatype"),
        (lambda g, e: g.set((e, KG.dateStart, Literal("2024-12-01", datatype=XSD.date))), "LessThanOrEquals"),
        (lambda g, e: g.remove((e, KG.dateStart, None)), "MinCount"),
        (lambda g, e: g.set((e, KG.datePrecision, Literal("fortnight"))), "In"),
        (lambda g, e: g.remove((e, KG.cameoCode, None)), "MinCount"),
        (lambda g, e: (g.remove((e, KG.actor, None))), "MinCount"),
        (lambda g, e: g.remove((e, RDF.type, KG.Fact)), "Class"),
    ],
)
def test_the_check_catches_broken_events(shapes, change, expected):
    extraction = sample_extraction()
    graph = _graph(extraction)
    change(graph, event_iri(extraction.events[0]))
    problems = validate(graph, shapes)
    assert problems and any(f"{expected}ConstraintComponent" in p for p in problems), problems


def test_the_check_catches_an_entity_with_a_second_class(shapes):
    graph = _graph(sample_extraction())
    graph.add((URIRef("https://w3id.org/kg-events/entity/beta"), RDF.type, KG.Person))
    assert any("MaxCountConstraintComponent" in p for p in validate(graph, shapes))
