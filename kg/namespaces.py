"""Ontology terms as rdflib DefinedNamespaces: a typo fails at import, it never mints an IRI.

Every term here is declared, with a label and a comment, in ontologies/geo-events.ttl (a
test checks both directions).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kg-events/"


class KG(DefinedNamespace):
    """The kg ontology: classes and properties of the geopolitical event graph."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Person: URIRef
    Organization: URIRef
    Country: URIRef
    GeopoliticalEntity: URIRef
    Location: URIRef
    Group: URIRef
    Facility: URIRef
    OtherEntity: URIRef
    Event: URIRef
    Relation: URIRef
    Document: URIRef
    Sentence: URIRef

    # event properties
    actor: URIRef
    target: URIRef
    relation: URIRef
    relationText: URIRef
    lemma: URIRef
    actorText: URIRef
    targetText: URIRef
    evidence: URIRef
    mentionText: URIRef
    sentence: URIRef
    sentenceIndex: URIRef
    startOffset: URIRef
    endOffset: URIRef
    document: URIRef
    confidence: URIRef
    negated: URIRef
    modality: URIRef
    attributedTo: URIRef
    attributionText: URIRef
    quote: URIRef
    date: URIRef
    dateText: URIRef
    dateSource: URIRef
    location: URIRef
    locationText: URIRef
    cameo: URIRef
    cameoCode: URIRef
    plover: URIRef
    goldstein: URIRef
    pattern: URIRef
    source: URIRef

    # entity properties
    country: URIRef
    sector: URIRef
    role: URIRef
    entityType: URIRef
    mentionCount: URIRef

    # document properties
    published: URIRef
    title: URIRef
    url: URIRef
    publisher: URIRef
    text: URIRef


ENT = Namespace(BASE + "entity/")
REL = Namespace(BASE + "rel/")
EVT = Namespace(BASE + "event/")
DOC = Namespace(BASE + "doc/")
CAMEO = Namespace(BASE + "cameo/")
PLOVER = Namespace(BASE + "plover/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "kg": KG._NS,
    "ent": ENT,
    "rel": REL,
    "evt": EVT,
    "doc": DOC,
    "cameo": CAMEO,
    "plover": PLOVER,
    "wd": WD,
}
