"""Text -> Extraction: frames from the parse, canonical entities, typed events with stance and time.

The Extractor holds what is worth loading once (the spaCy pipeline, the gazetteer and the event
lexicons); ``extract`` is the plain-function face of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.documents import parse_date, safe_document
from kg.extraction.arguments import clause_depths, raised_frames
from kg.extraction.assembly import EventAssembler, SentenceScope
from kg.extraction.clauses import frames
from kg.extraction.context import attach_context
from kg.extraction.eventcoref import merge_event_mentions
from kg.extraction.events import EventLexicon
from kg.extraction.gazetteer import Gazetteer
from kg.extraction.nominal import load_nominal_lexicon, nominal_frames
from kg.extraction.resolver import EntityResolver
from kg.extraction.select import dedupe, only_events, report_content, select_events
from kg.extraction.timex import find_dates
from kg.nlp import load_nlp, parse, parse_many
from kg.types import Document, Event, Evidence, Extraction, Mention, Sentence

__all__ = ["Extractor", "extract", "only_events", "select_events"]

# Longer "sentences" (tables, lists, run-on text without stops) are listed but not read for facts.
MAX_SENTENCE_TOKENS = 250


class Extractor:
    """Loaded pipeline and lexicons; turns Documents into Extractions.

    Example:
        >>> ex = Extractor()
        >>> x = ex.extract(Document("d1", "Russia invaded Ukraine on 24 February 2022."))
        >>> [(e.subject.text, e.lemma, e.object.text) for e in x.events]
        [('Russia', 'invade', 'Ukraine')]
    """

    def __init__(self, model: str | None = None, *, lexicon_dir: Path | None = None,
                 nlp: Language | None = None, events_only: bool = False):
        """Args:
            events_only: keep only coded events, one per event (see :func:`select_events`),
                with the partner of a deal or tie as target ("signed an accord with X" -> X).
        """
        self.events_only = events_only
        self.gazetteer = Gazetteer.load(lexicon_dir)
        self.events = EventLexicon.load(lexicon_dir / "events.tsv" if lexicon_dir else None)
        self.nominals = load_nominal_lexicon(lexicon_dir / "nominal.tsv" if lexicon_dir else None,
                                             events=self.events)
        self.nlp = nlp or load_nlp(model, patterns=self.gazetteer.ruler_patterns())
        self._assembler = EventAssembler(self.events, events_only)

    def extract(self, document: Document) -> Extraction:
        """Read one document."""
        return self.extract_doc(document, parse(self.nlp, document.text))

    def extract_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
        """Read documents in order, parsing them in batches."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in parse_many(self.nlp, pairs, batch_size):
            yield self.extract_doc(document, doc)

    def extract_doc(self, document: Document, doc: Doc) -> Extraction:
        """Read an already parsed document."""
        attach_context(doc)  # the rules' per-document caches, found through the Doc
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
        told = tuple(merge_event_mentions(resolver.fan_out(
            select_events(events, clause_depths(doc)) if self.events_only
            else report_content(dedupe(events)))))
        return Extraction(
            document=document,
            sentences=tuple(sentences),
            mentions=tuple(mentions[k] for k in sorted(mentions)),
            entities=resolver.entities(),  # after fan_out: "the two presidents" uses both
            events=told,
        )

    def _sentence_events(self, document: Document, sent: Span, index: int, resolver: EntityResolver,
                         dates) -> Iterator[Event]:
        if len(sent) > MAX_SENTENCE_TOKENS:
            return  # a "sentence" this long is a table or a list: parses of it are noise, and slow
        nominal = list(nominal_frames(sent, self.nominals))
        scope = SentenceScope(index, Evidence(document.id, index, sent.start_char, sent.end_char), resolver,
                              dates, document.published, {f.trigger.i for f in nominal})
        for frame in [*frames(sent), *raised_frames(sent), *nominal]:
            yield from self._assembler.events(frame, scope)


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
        document = Document("text", document, published=parse_date(published))
    return _DEFAULT.extract(safe_document(document))
