"""ontologies/cameo.ttl: SKOS schemes for CAMEO and PLOVER agree with the lexicon data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from kg.extraction.events import Codebook, EventLexicon
from kg.namespaces import CAMEO, KG, PLOVER
from kg.resources import data_dir


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(data_dir("ontologies") / "cameo.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return Codebook.load()


def _concepts(graph: Graph, scheme: URIRef) -> set[URIRef]:
    return set(graph.subjects(SKOS.inScheme, scheme))


def test_schemes(graph):
    for scheme in (URIRef(str(CAMEO)), URIRef(str(PLOVER))):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    roots = set(graph.objects(URIRef(str(CAMEO)), SKOS.hasTopConcept))
    assert roots == {CAMEO[f"{i:02d}"] for i in range(1, 21)}


def test_every_concept_has_notation_and_label(graph):
    concepts = _concepts(graph, URIRef(str(CAMEO))) | _concepts(graph, URIRef(str(PLOVER)))
    assert len(concepts) > 300
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in graph
        notation = graph.value(concept, SKOS.notation)
        label = graph.value(concept, SKOS.prefLabel)
        assert notation is not None and str(concept).endswith("/" + str(notation))
        assert label is not None and label.language == "en" and str(label).strip()


def test_every_lexicon_code_has_a_concept(graph):
    lexicon = EventLexicon.load()
    for row in lexicon.rows:
        concept = CAMEO[row.type.cameo]
        assert (concept, RDF.type, SKOS.Concept) in graph, row.id
        if row.type.plover:
            matches = set(graph.objects(concept, SKOS.broadMatch)) | set(
                graph.objects(concept, SKOS.closeMatch))
            assert PLOVER[row.type.plover] in matches, row.id


def test_concepts_match_the_codebook(graph, codebook):
    cameo = _concepts(graph, URIRef(str(CAMEO)))
    assert cameo == {CAMEO[code] for code in codebook.codes}
    for code, info in codebook.codes.items():
        concept = CAMEO[code]
        score = graph.value(concept, KG.goldstein)
        assert score.datatype == XSD.decimal
        assert score.toPython() == Decimal(f"{info.goldstein:.1f}")
        matches = set(graph.objects(concept, SKOS.broadMatch)) | set(
            graph.objects(concept, SKOS.closeMatch))
        assert matches == {PLOVER[p] for p in info.plover}, code
        if len(code) > 2:
            chain, node = [], concept
            while (parent := graph.value(node, SKOS.broader)) is not None:
                chain.append(parent)
                node = parent
            assert chain[-1] == CAMEO[code[:2]], code
            assert len(chain) == len(code) - 2 or (len(code) == 4 and len(chain) == 2)
        else:
            assert (concept, SKOS.topConceptOf, URIRef(str(CAMEO))) in graph


def test_plover_types_are_the_2016_names(graph):
    names = {str(graph.value(c, SKOS.notation)) for c in _concepts(graph, URIRef(str(PLOVER)))}
    assert {"AGREE", "CONSULT", "DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT",
            "ASSAULT"} <= names
    assert not {"REQUEST", "ACCUSE"} & names
    assert Literal("FIGHT") in set(graph.objects(PLOVER.FIGHT, SKOS.notation))
