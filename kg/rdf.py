"""Extraction -> RDF: stable IRIs, labels, fact nodes with provenance, one named graph per document.

The model (shared by the queries, the exports and the server):

* entity ``ent:<id>``: ``a kg:<Type>, kg:Entity``, ``rdfs:label``, ``skos:altLabel``,
  ``owl:sameAs wd:Q…``, ``kg:country``, ``kg:sector``, ``kg:role``;
* direct edge ``ent:subj rel:<lemma> ent:obj`` (``rel:<lemma> a owl:ObjectProperty, kg:Relation;
  rdfs:subPropertyOf kg:relation``) whenever both ends are entities;
* fact node ``evt:<id>`` (``a kg:Fact``) carrying actor, target, relation, date, stance, source,
  CAMEO, evidence and offsets, ``prov:wasDerivedFrom`` its document; a fact with a CAMEO code
  whose actor is an entity is also ``a kg:Event``;
* a date as written (``kg:date``, ISO 8601 text) with its typed bounds ``kg:dateStart`` and
  ``kg:dateEnd`` (``xsd:date``) and ``kg:datePrecision`` (day, week, month, year, decade,
  interval);
* document node ``doc:<id>``; its IRI is also the name of the graph holding all of the above.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, plugin
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.store import Store
from rdflib.term import Node

from kg.dates import date_bounds
from kg.errors import StoreError
from kg.geo import country_code, locate
from kg.namespaces import CAMEO, DOC, ENT, EVT, GEO, KG, PLOVER, REL, WD
from kg.types import Entity, Event, Extraction, Mention

Triple = tuple[Node, Node, Node]

ENTITY_CLASSES = {
    "Person": KG.Person,
    "Organization": KG.Organization,
    "Country": KG.Country,
    "GeopoliticalEntity": KG.GeopoliticalEntity,
    "Location": KG.Location,
    "Group": KG.Group,
    "Facility": KG.Facility,
    "OtherEntity": KG.OtherEntity,
}

_UNRESERVED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
_QID = re.compile(r"^Q[1-9][0-9]*$")


def _is_ucschar(ch: str) -> bool:
    """True for the non-ASCII characters RFC 3987 allows unescaped in an IRI path."""
    cp = ord(ch)
    if cp < 0xA0 or 0xD800 <= cp <= 0xF8FF or 0xFDD0 <= cp <= 0xFDEF:
        return False
    if cp <= 0xFFEF:
        return True
    # planes 1-14 minus each plane's two last code points (non-characters)
    return cp <= 0xEFFFD and (cp & 0xFFFF) < 0xFFFE


@lru_cache(maxsize=65536)
def iri_segment(text: str) -> str:
    """Make ``text`` safe as one IRI path segment, keeping letters of any script readable.

    Unreserved ASCII and non-ASCII letters/digits stay as they are; everything else
    (spaces, quotes, slashes, brackets, ``%``) is percent-encoded as UTF-8, so distinct ids
    stay distinct and every IRI is valid.

    Example:
        >>> iri_segment('Kyiv "city"/oblast')
        'Kyiv%20%22city%22%2Foblast'
    """
    if not text:
        raise ValueError("an IRI segment cannot be empty")
    out = []
    for ch in text:
        if ch in _UNRESERVED or (ch.isalnum() and _is_ucschar(ch)):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    # a final "." ends a Turtle prefixed name badly (ent:U.S. -> "U.S\\."), and "." / ".." are
    # dot-segments that IRI normalisation removes: encode it
    if out[-1] == ".":
        out[-1] = "%2E"
    if all(part in {".", "%2E"} for part in out):
        out = ["%2E"] * len(out)
    return "".join(out)


@lru_cache(maxsize=65536)
def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity from its canonical id.

    Example:
        >>> str(entity_iri("donald-trump"))
        'https://w3id.org/kg-events/entity/donald-trump'
    """
    return ENT[iri_segment(entity_id)]


@lru_cache(maxsize=65536)
def document_iri(doc_id: str) -> URIRef:
    """IRI of a document node, which is also the name of the document's graph."""
    return DOC[iri_segment(doc_id)]


def relation_slug(lemma: str) -> str:
    """Predicate local name of a relation lemma: lower case, words joined by ``-``.

    Example:
        >>> relation_slug("Launch attack")
        'launch-attack'
    """
    words = re.sub(r"[\s_]+", " ", lemma.strip().lower()).split(" ")
    return "-".join(w for w in words if w) or "related"


@lru_cache(maxsize=65536)
def relation_iri(lemma: str) -> URIRef:
    """IRI of the direct-edge predicate for a relation lemma (``rel:meet``)."""
    return REL[iri_segment(relation_slug(lemma))]


def event_id(event: Event) -> str:
    """Stable id of an event.

    An affirmative event whose actor, target, CAMEO root and date are all known is the same
    event in every document that reports it: its id is a digest of those four, so several
    articles add their evidence to one node. Any other fact is specific to its sentence: its id
    is the document, the sentence and a digest of what makes the fact distinct.
    """
    key = shared_event_key(event)
    if key is not None:
        return "e" + hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:16]
    key_parts = (
        event.evidence.doc,
        event.evidence.sent,
        event.subject.start,
        event.subject.end,
        event.subject.text,
        event.relation,
        event.lemma,
        event.relation_start,
        event.object.start if event.object else "",
        event.object.end if event.object else "",
        event.object.text if event.object else "",
        event.negated,
        event.modality,
    )
    digest = hashlib.sha1("\x1f".join(map(str, key_parts)).encode("utf-8")).hexdigest()[:12]
    return f"{event.evidence.doc}-s{event.evidence.sent}-{digest}"


def shared_event_key(event: Event) -> tuple[str, str, str, str] | None:
    """(actor, target, CAMEO root, date) of an event several documents may report, else None.

    A denial ("X did not attack Y") is a different claim from the attack itself, so negated
    events are never merged.
    """
    actor = event.subject.entity
    target = event.object.entity if event.object else None
    root = event.cameo[:2] if event.cameo and len(event.cameo) >= 2 else None
    if event.negated or not (actor and target and root and event.date):
        return None
    return actor, target, root, event.date


def event_iri(event: Event) -> URIRef:
    """IRI of an event node."""
    return EVT[iri_segment(event_id(event))]


class _Terms:
    """The pyoxigraph NamedNodes of a namespace's terms, each converted once on first use
    (``_KG.actor`` is ``KG.actor``; a term the namespace does not define fails as there)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node


# The document graph is built from pyoxigraph terms: the serialiser and the store take them as
# they are, where rdflib terms cost a conversion each and most of the rendering time.
_KG, _RDF, _RDFS, _OWL, _SKOS, _PROV, _GEO = map(_Terms, (KG, RDF, RDFS, OWL, SKOS, PROV, GEO))
_XSD = _Terms(XSD)
_TRUE, _FALSE = (ox.Literal(text, datatype=_XSD.boolean) for text in ("true", "false"))
_STRING = ox.NamedNode(str(XSD.string))

OxTriple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@lru_cache(maxsize=65536)
def _node(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _entity_node(entity_id: str) -> ox.NamedNode:
    return _node(entity_iri(entity_id))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD.integer)


def _decimal(value: float, places: int = 3) -> ox.Literal:
    """xsd:decimal rounded to ``places``, in the canonical form Oxigraph stores ("1", not "1.0").

    Writing the canonical form keeps a graph read back from the store equal to to_triples().
    """
    text = f"{round(float(value), places):.{places}f}".rstrip("0").rstrip(".")
    return ox.Literal("0" if text in ("-0", "") else text, datatype=_XSD.decimal)


def is_event(event: Event) -> bool:
    """True for a coded event (a CAMEO code) whose actor is an entity; any other fact is open."""
    return bool(event.cameo and event.subject.entity)


def _date_triples(node: ox.NamedNode, value: str) -> Iterable[OxTriple]:
    """The date as written and, when it reads as ISO 8601, its typed bounds and precision."""
    yield node, _KG.date, ox.Literal(value)
    bounds = date_bounds(value)
    if bounds is None:
        return
    yield node, _KG.dateStart, ox.Literal(bounds.start.isoformat(), datatype=_XSD.date)
    if bounds.end is not None:
        yield node, _KG.dateEnd, ox.Literal(bounds.end.isoformat(), datatype=_XSD.date)
    yield node, _KG.datePrecision, ox.Literal(bounds.precision)


def _entity_triples(entity: Entity) -> Iterable[OxTriple]:
    node = _entity_node(entity.id)
    yield node, _RDF.type, _KG.Entity
    yield node, _RDF.type, _node(ENTITY_CLASSES.get(entity.type, KG.OtherEntity))
    yield node, _RDFS.label, ox.Literal(entity.name)
    for alias in entity.aliases:
        if alias != entity.name:
            yield node, _SKOS.altLabel, ox.Literal(alias)
    if entity.wikidata and _QID.match(entity.wikidata):
        yield node, _OWL.sameAs, _node(WD[entity.wikidata])
    if entity.country and entity.country != entity.id:
        yield node, _KG.country, _entity_node(entity.country)
    if entity.sector:
        yield node, _KG.sector, ox.Literal(entity.sector)
    if entity.role:
        yield node, _KG.role, ox.Literal(entity.role)


def _place_triples(extraction: Extraction) -> Iterable[OxTriple]:
    """WGS84 coordinates and ISO country of every entity named as an event's place.

    A place with no country of its own is linked (``kg:country``) to the document's entity
    for the country the gazetteer puts it in, when the document has one.
    """
    entities = {entity.id: entity for entity in extraction.entities}
    countries = {country_code(e.name): e.id for e in extraction.entities if e.type == "Country"}
    places = {e.location.entity for e in extraction.events if e.location and e.location.entity}
    for place_id in sorted(places):
        entity = entities.get(place_id) or Entity(place_id, place_id, "Location")
        home = entities.get(entity.country or "")
        found = locate(entity.name, home.name if home else entity.country)
        if found is None:
            continue
        node = _entity_node(place_id)
        yield node, _GEO.lat, _decimal(found.lat, 5)
        yield node, _GEO.long, _decimal(found.long, 5)
        yield node, _KG.countryCode, ox.Literal(found.country)
        country = countries.get(found.country)
        if entity.country is None and country not in (None, place_id):
            yield node, _KG.country, _entity_node(country)


def _document_triples(extraction: Extraction) -> Iterable[OxTriple]:
    doc = extraction.document
    node = _node(document_iri(doc.id))
    yield node, _RDF.type, _KG.Document
    yield node, _RDFS.label, ox.Literal(doc.title or doc.id)
    if doc.title:
        yield node, _KG.title, ox.Literal(doc.title)
    if doc.published:
        yield node, _KG.published, ox.Literal(doc.published.isoformat(), datatype=_XSD.date)
    if doc.url:
        yield node, _KG.url, ox.Literal(doc.url, datatype=_XSD.anyURI)
    if doc.source:
        yield node, _KG.publisher, ox.Literal(doc.source)


def _mention_link(node: ox.NamedNode, mention: Mention | None, link: ox.NamedNode, text: ox.NamedNode):
    if mention is None:
        return
    if mention.entity:
        yield node, link, _entity_node(mention.entity)
    yield node, text, ox.Literal(mention.text)


def _evidence_text(extraction: Extraction, event: Event, sentences: dict[int, str]) -> str:
    """The text of the event's sentence (``sentences``: text by index, the first of each index)."""
    text = sentences.get(event.evidence.sent)
    return text if text is not None else extraction.document.text[event.evidence.start : event.evidence.end]


def _sentence_texts(extraction: Extraction) -> dict[int, str]:
    texts: dict[int, str] = {}
    for sentence in extraction.sentences:
        texts.setdefault(sentence.index, sentence.text)
    return texts


def _event_triples(node: ox.NamedNode, doc: ox.NamedNode, event: Event, evidence: str) -> Iterable[OxTriple]:
    yield node, _RDF.type, _KG.Fact
    if is_event(event):
        yield node, _RDF.type, _KG.Event
    yield from _mention_link(node, event.subject, _KG.actor, _KG.actorText)
    yield from _mention_link(node, event.object, _KG.target, _KG.targetText)
    yield from _mention_link(node, event.location, _KG.location, _KG.locationText)
    yield from _mention_link(node, event.attributed_to, _KG.attributedTo, _KG.attributionText)
    yield node, _KG.relation, _node(relation_iri(event.lemma))
    yield node, _KG.relationText, ox.Literal(event.relation)
    yield node, _KG.lemma, ox.Literal(event.lemma)
    yield node, _KG.evidence, ox.Literal(evidence)
    yield node, _KG.sentenceIndex, _integer(event.evidence.sent)
    yield node, _KG.startOffset, _integer(event.evidence.start)
    yield node, _KG.endOffset, _integer(event.evidence.end)
    yield node, _KG.document, doc
    yield node, _PROV.wasDerivedFrom, doc
    yield node, _KG.confidence, _decimal(event.confidence)
    yield node, _KG.negated, _TRUE if event.negated else _FALSE
    yield node, _KG.modality, ox.Literal(event.modality)
    if event.date:
        yield from _date_triples(node, event.date)
    if event.date_text:
        yield node, _KG.dateText, ox.Literal(event.date_text)
    if event.date_source:
        yield node, _KG.dateSource, ox.Literal(event.date_source)
    if event.quote:
        yield node, _KG.quote, ox.Literal(event.quote)
    if event.cameo:
        yield node, _KG.cameo, _node(CAMEO[iri_segment(event.cameo)])
        yield node, _KG.cameoCode, ox.Literal(event.cameo)
    if event.plover:
        yield node, _KG.plover, _node(PLOVER[iri_segment(event.plover)])
    if event.goldstein is not None:
        yield node, _KG.goldstein, _decimal(event.goldstein)
    if event.pattern:
        yield node, _KG.pattern, ox.Literal(event.pattern)


@lru_cache(maxsize=4096)
def _relation_schema(lemma: str) -> tuple[OxTriple, ...]:
    rel = _node(relation_iri(lemma))
    return ((rel, _RDF.type, _OWL.ObjectProperty), (rel, _RDF.type, _KG.Relation),
            (rel, _RDFS.subPropertyOf, _KG.relation),
            (rel, _RDFS.label, ox.Literal(relation_slug(lemma).replace("-", " "))))


def _relation_triples(event: Event) -> Iterable[OxTriple]:
    yield from _relation_schema(event.lemma)
    subj, obj = event.subject.entity, event.object.entity if event.object else None
    if subj and obj:
        yield _entity_node(subj), _node(relation_iri(event.lemma)), _entity_node(obj)


def _sort_key(triple: Triple) -> tuple[str, str, str]:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


def _reported_events(nodes: list[ox.NamedNode], events: Iterable[Event]) -> dict[ox.NamedNode, Event]:
    """One event per event node: the most confident report when a document repeats an event.

    A node carries one evidence sentence, offset pair and confidence per document graph, so a
    query joining them within a graph never mixes two sentences' details.
    """
    best: dict[ox.NamedNode, Event] = {}
    for node, event in zip(nodes, events):
        kept = best.get(node)
        if kept is None or (event.confidence, -event.evidence.sent) > (kept.confidence, -kept.evidence.sent):
            best[node] = event
    return best


def _from_oxigraph(term: ox.NamedNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if term.datatype == _STRING else URIRef(term.datatype.value))


def to_triples(extraction: Extraction) -> list[Triple]:
    """All triples of one document's graph (as rdflib terms), without duplicates, in a fixed order.

    Every entity of the extraction gets its type and label triples here, so each document
    graph is self-contained and can be dropped without stripping another document's labels.
    Every event keeps its direct edge; repeated reports of one event share one event node.

    Example:
        >>> triples = to_triples(extraction)  # doctest: +SKIP
    """
    triples = ((_from_oxigraph(s), _from_oxigraph(p), _from_oxigraph(o)) for s, p, o in _triple_set(extraction))
    return sorted(triples, key=_sort_key)


def _triple_set(extraction: Extraction) -> set[OxTriple]:
    """The triples of :func:`to_triples` as pyoxigraph terms, unordered (a store needs no order)."""
    triples: set[OxTriple] = set(_document_triples(extraction))
    for entity in extraction.entities:
        triples.update(_entity_triples(entity))
    triples.update(_place_triples(extraction))
    sentences = _sentence_texts(extraction)
    doc = _node(document_iri(extraction.document.id))
    nodes = [_node(event_iri(event)) for event in extraction.events]  # a digest each: once
    for node, event in _reported_events(nodes, extraction.events).items():
        triples.update(_event_triples(node, doc, event, _evidence_text(extraction, event, sentences)))
    for node, event in zip(nodes, extraction.events):
        triples.update(_relation_triples(event))
        # every sentence that tells of the event, however many mentions the document has
        triples.add((node, _KG.mentionText, ox.Literal(_evidence_text(extraction, event, sentences))))
    return triples


def _graph(store: Dataset, iri: URIRef) -> Graph:
    # A plain Graph view on the store: Dataset.graph() would register an empty graph.
    return Graph(store=store.store, identifier=iri)


def _is_oxigraph(store: Dataset) -> bool:
    try:
        return isinstance(store.store, plugin.get("Oxigraph", Store))
    except plugin.PluginException:
        return False


def replace_graph_update(iri: URIRef, triples: Iterable[Triple]) -> str:
    """One SPARQL update that drops a named graph and inserts its new triples.

    Sent in one request (or one ``Store.update`` call) it is one transaction: a reader, a
    crash or a kill never sees the graph half replaced.
    """
    return _replace_text(iri, "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples))


def _replace_text(iri: URIRef, body: str) -> str:
    # N-Triples statements are valid in INSERT DATA as they are
    drop = f"DROP SILENT GRAPH {iri.n3()}"
    return f"{drop} ;\nINSERT DATA {{ GRAPH {iri.n3()} {{\n{body}\n}} }}" if body.strip() else drop


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term of an rdflib term.

    Example:
        >>> to_oxigraph(URIRef("https://example.org/a"))
        <NamedNode value=https://example.org/a>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    raise StoreError(f"cannot convert RDF term {term!r}")


def to_ntriples(extraction: Extraction) -> bytes:
    """The document graph's triples (:func:`to_triples`, in no particular order) as N-Triples,
    written by pyoxigraph.

    This is what crosses from a worker process to the store writer: bytes pickle and load
    faster than term objects.
    """
    return ox.serialize((ox.Triple(*triple) for triple in _triple_set(extraction)), format=ox.RdfFormat.N_TRIPLES)


def _update(store: Dataset, text: str) -> None:
    try:
        if _is_oxigraph(store):
            # straight to pyoxigraph: rdflib would evaluate the update itself, term by term
            store.store._inner.update(text)
        else:
            store.update(text)
    except Exception as exc:  # urllib, HTTP and RocksDB errors have no common base
        raise StoreError(f"cannot write to the store: {type(exc).__name__}: {exc}".splitlines()[0]) from exc


def add_extraction(store: Dataset, extraction: Extraction) -> URIRef:
    """Replace the document's named graph with this extraction's triples, in one transaction.

    Idempotent: adding a document again leaves the store as it was.

    Returns:
        The IRI of the document, which names its graph.
    """
    return write_document(store, extraction.document.id, to_ntriples(extraction))


def write_document(store: Dataset, doc_id: str, ntriples: bytes) -> URIRef:
    """Replace a document's named graph with these N-Triples (:func:`to_ntriples`), in one
    transaction: a new document of a local store is one load, a document already there (or
    any document of an endpoint) one SPARQL update that drops and inserts.

    Returns:
        The IRI of the document, which names its graph.
    """
    iri = document_iri(doc_id)
    local = store.store._inner if _is_oxigraph(store) else None
    if local is not None:
        name = ox.NamedNode(str(iri))
        try:
            if not local.contains_named_graph(name):
                # lenient: the bytes are pyoxigraph's own serialisation of terms it validated
                local.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=name, lenient=True)
                return iri
        except Exception as exc:  # RocksDB and parse errors have no common base
            raise StoreError(f"cannot write to the store: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    _update(store, _replace_text(iri, ntriples.decode("utf-8")))
    return iri


def replace_graph(store: Dataset, iri: URIRef, triples: Iterable[Triple]) -> None:
    """Replace one named graph of the store by ``triples`` in one transaction (a missing graph
    is created; readers never see it half written, locally or over SPARQL 1.1 Update)."""
    _update(store, replace_graph_update(iri, triples))


def remove_document(store: Dataset, doc_id: str) -> int:
    """Drop a document's named graph (events other documents report keep those sources).

    Returns:
        How many triples were removed (0 when the document was not in the store).
    """
    graph = _graph(store, document_iri(doc_id))
    try:
        count = len(graph)
    except Exception as exc:  # urllib and HTTP errors of a remote endpoint
        raise StoreError(f"cannot read the store: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    if count:
        _update(store, replace_graph_update(graph.identifier, ()))
    return count
