"""Ontology terms as rdflib DefinedNamespaces: a typo fails at import, it never mints an IRI.

Every term here is declared, with a label and a comment, in ontologies/geo-events.ttl (a
test checks both directions).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kg-events/"

#: the ontology's IRI, also the name of the graph that holds it in a store
ONTOLOGY_GRAPH = BASE + "ontology"


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
    Fact: URIRef
    Event: URIRef
    Relation: URIRef
    Document: URIRef

    # fact and event properties
    actor: URIRef
    target: URIRef
    relation: URIRef
    relationText: URIRef
    lemma: URIRef
    actorText: URIRef
    targetText: URIRef
    evidence: URIRef
    mentionText: URIRef
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
    dateStart: URIRef
    dateEnd: URIRef
    datePrecision: URIRef
    dateText: URIRef
    dateSource: URIRef
    location: URIRef
    locationText: URIRef
    cameo: URIRef
    cameoCode: URIRef
    plover: URIRef
    goldstein: URIRef
    pattern: URIRef

    # entity properties
    country: URIRef
    countryCode: URIRef
    sector: URIRef
    role: URIRef

    # document properties
    published: URIRef
    title: URIRef
    url: URIRef
    publisher: URIRef


ENT = Namespace(BASE + "entity/")
REL = Namespace(BASE + "rel/")
EVT = Namespace(BASE + "event/")
DOC = Namespace(BASE + "doc/")
CAMEO = Namespace(BASE + "cameo/")
PLOVER = Namespace(BASE + "plover/")
WD = Namespace("http://www.wikidata.org/entity/")


class GEO(DefinedNamespace):
    """W3C Basic Geo (WGS84) terms kg writes on located places (rdflib's WGS has https)."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True

    lat: URIRef
    long: URIRef


PREFIXES = {
    "kg": KG._NS,
    "ent": ENT,
    "rel": REL,
    "evt": EVT,
    "doc": DOC,
    "cameo": CAMEO,
    "plover": PLOVER,
    "wd": WD,
    "geo": GEO._NS,
}
