"""Frozen records that flow between the stages of the pipeline.

Offsets are character offsets into ``Document.text`` unless a name says otherwise; no live
spaCy object ever crosses a stage boundary, so every record pickles and crosses processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Document:
    """One input article."""

    id: str
    text: str
    published: date | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its index and character span in the document."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a sentence that names (or refers to) something.

    ``entity`` is the id of the canonical :class:`Entity` it refers to, or None when the span
    is a plain argument ("to cooperate", "the situation").  ``resolved_from`` is set when the
    entity was found by coreference ("he" -> Donald Trump): the text stays the text.
    """

    doc_id: str
    sent_index: int
    start: int
    end: int
    text: str
    label: str | None = None
    entity: str | None = None
    resolved_from: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing: a person, country, organisation, group or place."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    country: str | None = None  # entity id of the country a group/person/place belongs to
    sector: str | None = None  # military, government, ... for demonym-led groups
    role: str | None = None  # "President-elect", "Russian President"


class Evidence(NamedTuple):
    """Where a fact was read: document id, sentence index and the sentence's character span."""

    doc: str
    sent: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Event:
    """One extracted fact: who did what to whom, with its stance, source, time and place.

    ``relation`` is the relation as written ("launched an attack on"), ``lemma`` its
    normalised form ("attack").  ``modality`` is one of ``asserted``, ``reported``,
    ``intended``, ``hypothetical``, ``requested``.  ``date`` is an ISO date or an ISO interval
    ``start/end``; ``date_text`` the expression it was read from, None when the event took
    the document's date (``date_source == "document"``).
    """

    subject: Mention
    relation: str
    lemma: str
    object: Mention | None
    evidence: Evidence
    cameo: str | None = None
    negated: bool = False
    modality: str = "asserted"
    attributed_to: Mention | None = None
    date: str | None = None
    date_text: str | None = None
    date_source: str | None = None
    location: Mention | None = None
    confidence: float = 0.5
    plover: str | None = None
    goldstein: float | None = None
    quote: str | None = None
    relation_start: int | None = None  # character span of the trigger in the document
    relation_end: int | None = None
    pattern: str | None = None  # which frame rule produced it
    arguments: tuple[str, ...] = ()  # further arguments as written (time, place, manner phrases)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything read from one document."""

    document: Document
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    entities: tuple[Entity, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """One document read and turned into its RDF graph (in a worker process), ready to store.

    ``entities`` are the ids of the canonical entities it mentions; ``ntriples`` the document
    graph's triples as N-Triples bytes; ``meta`` the document's (notes left when it was read).
    """

    doc_id: str
    sentences: int
    facts: int
    entities: tuple[str, ...]
    ntriples: bytes
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that failed at one stage (parse, extraction, rdf, store), with the reason in
    one line; the rest of the batch goes on."""

    doc_id: str
    stage: str
    reason: str

    def __str__(self) -> str:
        return f"document {self.doc_id}: {self.stage} failed: {self.reason}"
