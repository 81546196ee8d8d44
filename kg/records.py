"""Extraction -> the JSON records of `kg extract` (one per fact; a stable, documented contract)."""

from __future__ import annotations

from collections.abc import Iterator

from kg.rdf import entity_iri
from kg.types import Entity, Event, Extraction, Mention, Sentence


def _argument(m: Mention | None, sentence: Sentence, entities: dict[str, Entity]) -> dict | None:
    if m is None:
        return None
    entity = entities.get(m.entity) if m.entity else None
    out = {
        "text": m.text,
        "start": m.start - sentence.start,
        "end": m.end - sentence.start,
        "entity": entity.name if entity else None,
        "type": entity.type if entity else m.label,
        "iri": str(entity_iri(entity.id)) if entity else None,
    }
    if entity is not None:
        out["entity_id"] = entity.id
        if entity.wikidata:
            out["wikidata"] = entity.wikidata
    if m.resolved_from:
        out["resolved_from"] = m.resolved_from
    return out


def to_records(extraction: Extraction, *, sentence_index: int | None = None) -> Iterator[dict]:
    """One JSON-ready dict per event.

    Args:
        sentence_index: overrides the sentence index (``--sentences`` mode: the input line).
    """
    sentences = {s.index: s for s in extraction.sentences}
    entities = {e.id: e for e in extraction.entities}
    for event in extraction.events:
        sentence = sentences[event.evidence.sent]
        yield _record(event, extraction.document.id, sentence, entities, sentence_index)


def _record(event: Event, doc_id: str, sentence: Sentence, entities, sentence_index) -> dict:
    return {
        "doc": doc_id,
        "sentence_index": sentence.index if sentence_index is None else sentence_index,
        "sentence": sentence.text.strip(),
        "subject": _argument(event.subject, sentence, entities),
        "relation": {
            "text": event.relation,
            "lemma": event.lemma,
            "event": event.plover,
            "cameo": event.cameo,
            "goldstein": event.goldstein,
        },
        "object": _argument(event.object, sentence, entities),
        "confidence": event.confidence,
        "negated": event.negated,
        "modality": event.modality,
        "date": event.date,
        "date_text": event.date_text,
        "date_source": event.date_source,
        "attributed_to": _argument(event.attributed_to, sentence, entities),
        "location": _argument(event.location, sentence, entities),
        "quote": event.quote,
        "pattern": event.pattern,
        "extra_args": list(event.arguments),
    }
