"""Text -> Extraction: frames from the parse, canonical entities, typed events with stance and time.

The Extractor holds what is worth loading once (the spaCy pipeline, the gazetteer and the event
lexicons); ``extract`` is the plain-function face of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.clauses import Frame, frames
from kg.extract.confidence import score
from kg.extract.entities import EntityResolver, Gazetteer
from kg.extract.events import EventLexicon, attribution, location, quote, stance
from kg.extract.nominal import load_nominal_lexicon, nominal_frames
from kg.extract.timex import date_for, find_dates
from kg.nlp import load_nlp
from kg.types import Document, Event, Evidence, Extraction, Mention, Sentence

__all__ = ["Extractor", "extract"]

# Event types whose object is a place when it is a city ("a drone attack on Moscow").
PLACE_TARGET_ROOTS = {"18", "19", "20"}


class Extractor:
    """Loaded pipeline and lexicons; turns Documents into Extractions.

    Example:
        >>> ex = Extractor()
        >>> x = ex.extract(Document("d1", "Russia invaded Ukraine on 24 February 2022."))
        >>> [(e.subject.text, e.lemma, e.object.text) for e in x.events]
        [('Russia', 'invade', 'Ukraine')]
    """

    def __init__(self, model: str | None = None, *, lexicon_dir: Path | None = None,
                 nlp: Language | None = None):
        self.gazetteer = Gazetteer.load(lexicon_dir)
        self.events = EventLexicon.load(lexicon_dir / "events.tsv" if lexicon_dir else None)
        self.nominals = load_nominal_lexicon(lexicon_dir / "nominal.tsv" if lexicon_dir else None)
        self.nlp = nlp or load_nlp(model, patterns=self.gazetteer.ruler_patterns())

    def extract(self, document: Document) -> Extraction:
        """Read one document."""
        return self.extract_doc(document, self.nlp(document.text))

    def extract_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
        """Read documents in order, parsing them in batches."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self.extract_doc(document, doc)

    def extract_doc(self, document: Document, doc: Doc) -> Extraction:
        """Read an already parsed document."""
        resolver = EntityResolver(self.gazetteer, document.id)
        dates = find_dates(doc, document.published)
        sentences: list[Sentence] = []
        events: list[Event] = []
        mentions: dict[tuple[int, int], Mention] = {}
        for index, sent in enumerate(s for s in doc.sents if s.text.strip()):
            sentences.append(Sentence(index, sent.start_char, sent.end_char, sent.text))
            resolver.observe(sent, index)
            for event in self._sentence_events(document, sent, index, resolver, dates):
                events.append(event)
                for m in (event.subject, event.object, event.attributed_to, event.location):
                    if m is not None:
                        mentions.setdefault((m.start, m.end), m)
        return Extraction(
            document=document,
            sentences=tuple(sentences),
            mentions=tuple(mentions[k] for k in sorted(mentions)),
            entities=resolver.entities(),
            events=tuple(_dedupe(events)),
        )

    def _sentence_events(self, document, sent: Span, index: int, resolver, dates) -> Iterator[Event]:
        nominal = list(nominal_frames(sent, self.nominals))
        carriers = {f.trigger.i for f in nominal}
        evidence = Evidence(document.id, index, sent.start_char, sent.end_char)
        for frame in [*frames(sent), *nominal]:
            yield self._event(frame, index, resolver, dates, evidence, carriers, document.published)

    def _event(self, frame: Frame, index: int, resolver: EntityResolver, dates, evidence: Evidence,
               carriers: set[int], published) -> Event:
        trigger = frame.trigger
        negated, modality = stance(trigger)
        negated = negated or frame.negated
        obj_lemma = frame.object.root.lemma_.lower() if frame.object is not None else None
        # a light verb whose object is an event noun: the noun's own frame carries the event
        carried = not frame.nominal and frame.object is not None and frame.object.root.i in carriers
        etype = None if carried else self.events.classify(
            frame.lemma, particle=frame.particle, prep=frame.prep, object_lemma=obj_lemma,
            negated=negated, modality=modality)
        if etype is None and frame.nominal:
            etype = self.events.classify(trigger.lemma_.lower(), prep=frame.prep, nominal=True,
                                         negated=negated, modality=modality)
        subject = resolver.resolve(frame.subject, index, role="actor")
        obj = None
        if frame.object is not None:
            role = "place" if etype is not None and etype.cameo[:2] in PLACE_TARGET_ROOTS else "actor"
            obj = resolver.resolve(frame.object, index, role=role)
            if carried and obj.entity is not None:
                # the event noun's own frame carries the entity ("launched an attack on Moscow")
                obj = Mention(obj.doc_id, obj.sent_index, obj.start, obj.end, obj.text, None, None)
        source_span = attribution(trigger)
        source = resolver.resolve(source_span, index, role="actor") if source_span is not None else None
        place_span = location(trigger)
        place = resolver.resolve(place_span, index, role="place") if place_span is not None else None
        when = date_for(trigger, dates)
        if when is not None and when.value:
            date, date_text, date_source = when.value, when.text, "text"
        elif published is not None:
            date, date_text, date_source = published.isoformat(), None, "document"
        else:
            date, date_text, date_source = None, None, None
        return Event(
            subject=subject,
            relation=frame.relation,
            lemma=frame.lemma,
            object=obj,
            evidence=evidence,
            cameo=etype.cameo if etype else None,
            negated=negated,
            modality=modality,
            attributed_to=source,
            date=date,
            date_text=date_text,
            date_source=date_source,
            location=place,
            confidence=score(frame, subject, obj, typed=etype is not None),
            plover=etype.plover if etype else None,
            goldstein=etype.goldstein if etype else None,
            quote=quote(trigger),
            relation_start=trigger.idx,
            relation_end=trigger.idx + len(trigger.text),
            pattern=frame.pattern,
            arguments=tuple(span.text for span in frame.extra),
        )


def _dedupe(events: list[Event]) -> list[Event]:
    """Drop repeated readings of one fact (same sentence, subject, lemma, object): keep the best."""
    best: dict[tuple, Event] = {}
    order: list[tuple] = []
    for e in events:
        key = (e.evidence.sent, e.subject.start, e.subject.end, e.lemma,
               (e.object.start, e.object.end) if e.object else None)
        if key not in best:
            order.append(key)
            best[key] = e
        elif e.confidence > best[key].confidence:
            best[key] = e
    return [best[k] for k in order]


_DEFAULT: Extractor | None = None


def extract(document: Document | str, *, published=None) -> Extraction:
    """Read one document (or a plain string) with a shared default Extractor.

    Example:
        >>> x = extract("Trump called Putin on Thursday.", published="2024-11-11")
        >>> x.events[0].lemma
        'call'
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    if isinstance(document, str):
        from kg.documents import parse_date

        document = Document("text", document, published=parse_date(published))
    return _DEFAULT.extract(document)
