"""Text -> Extraction: frames from the parse, canonical entities, typed events with stance and time.

The Extractor holds what is worth loading once (the spaCy pipeline, the gazetteer and the event
lexicons); ``extract`` is the plain-function face of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.clauses import Frame, frames
from kg.extract.confidence import score
from kg.extract.entities import EntityResolver, Gazetteer
from kg.extract.events import EventLexicon, attribution, location, quote, stance
from kg.extract.nominal import load_nominal_lexicon, nominal_frames
from kg.extract.spans import (
    arg_span,
    conjuncts,
    objects_of,
    prep_objects,
    relation_tokens,
    text_of,
    verb_lemma,
)
from kg.extract.timex import date_for, find_dates
from kg.nlp import load_nlp
from kg.types import Document, Event, Evidence, Extraction, Mention, Sentence

__all__ = ["Extractor", "extract", "only_events", "select_events"]

# Event types whose object is a place when it is a city ("a drone attack on Moscow").
PLACE_TARGET_ROOTS = {"18", "19", "20"}
# Statements ("said", "told", "noted"): when their content is a coded event they report it
# rather than being one (CAMEO codes the reported act, the speaker is its source).
STATEMENT_ROOT = "01"
REPORTING_LEMMAS = frozenset({"say", "tell", "state", "announce", "declare", "add", "note",
                              "report", "confirm", "claim", "stress", "explain", "mention",
                              "indicate", "remark", "comment", "reiterate", "affirm", "write",
                              "emphasise", "emphasize", "believe", "think", "hope", "express"})
# A common-noun object names the deal or tie; its partner is the target ("signed an accord
# with X", "restore ties with X", "a resumption of ties between X and Y").
PARTNER_PREPS = frozenset({"with", "to", "between", "against", "on", "toward", "towards", "from",
                           "for", "of"})
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "today", "yesterday", "tomorrow", "week", "month", "year", "night",
                        "morning", "evening", "weekend"})
# Adjectives whose infinitive is the subject's own act: "is about / ready / due to sign".
RAISING_ADJECTIVES = frozenset({"about", "ready", "due", "likely", "set", "poised", "willing",
                                "eager", "unlikely", "unwilling", "able", "unable", "prepared",
                                "keen", "determined", "expected", "certain", "sure"})


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
            events=tuple(select_events(events) if self.events_only else report_content(_dedupe(events))),
        )

    def _sentence_events(self, document, sent: Span, index: int, resolver, dates) -> Iterator[Event]:
        nominal = list(nominal_frames(sent, self.nominals))
        carriers = {f.trigger.i for f in nominal}
        evidence = Evidence(document.id, index, sent.start_char, sent.end_char)
        for frame in [*frames(sent), *raised_frames(sent), *nominal]:
            yield self._event(frame, index, resolver, dates, evidence, carriers, document.published)

    def _event(self, frame: Frame, index: int, resolver: EntityResolver, dates, evidence: Evidence,
               carriers: set[int], published) -> Event:
        trigger = frame.trigger
        negated, modality = stance(trigger)
        negated = negated or frame.negated
        obj_lemma = frame.object.root.lemma_.lower() if frame.object is not None else None
        # a light verb whose object is an event noun: the noun's own frame carries the event
        carried = not frame.nominal and frame.object is not None and frame.object.root.i in carriers
        etype = None
        if frame.nominal:
            # the noun says what the event is ("a deal with X" is an agreement, not "agree with")
            etype = self.events.classify(trigger.lemma_.lower(), prep=frame.prep, nominal=True,
                                         negated=negated, modality=modality)
        if etype is None and not carried:
            etype = self.events.classify(
                frame.lemma, particle=frame.particle, prep=frame.prep, object_lemma=obj_lemma,
                negated=negated, modality=modality)
        subject = resolver.resolve(frame.subject, index, role="actor")
        obj = None
        target = frame.object
        content = _content_clause(trigger) if etype is not None and etype.cameo[:2] == STATEMENT_ROOT else None
        if content is not None and _obliged(content) and not negated:
            # "X said Y must withdraw": CAMEO codes a statement of obligation as a demand
            etype = self.events.classify("demand") or etype
        if self.events_only and etype is not None:
            if content is not None:
                target = _addressee(content) or target
            elif target is not None:
                target = partner(target) or target
        if target is not None:
            role = "place" if etype is not None and etype.cameo[:2] in PLACE_TARGET_ROOTS else "actor"
            obj = resolver.resolve(target, index, role=role)
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


def raised_frames(sent: Span) -> Iterator[Frame]:
    """Frames of an infinitive under a predicative adjective: "X is about to restore ties".

    The copula's subject is the subject of the infinitive; the parse hangs the verb under the
    adjective, where the clause rules do not look for a subject.
    """
    for adj in sent:
        if adj.dep_ != "acomp" or adj.lower_ not in RAISING_ADJECTIVES:
            continue
        subjects = [c for c in adj.head.children if c.dep_ == "nsubj"]
        verbs = [c for c in adj.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        if not subjects or not verbs:
            continue
        verb = verbs[0]
        negated = any(c.dep_ == "neg" for c in (*adj.head.children, *verb.children))
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        objects = [o for d in objects_of(verb) for o in conjuncts(d)]
        relation = text_of(relation_tokens(verb))
        for subj in (s for head in subjects for s in conjuncts(head)):
            if objects:
                for obj in objects:
                    yield Frame(arg_span(subj), verb, relation, verb_lemma(verb), arg_span(obj),
                                "control", particle=prt, negated=negated)
                continue
            for prep, pobj in prep_objects(verb):
                yield Frame(arg_span(subj), verb, text_of(relation_tokens(verb, extra=[prep])),
                            verb_lemma(verb), arg_span(pobj), "control", prep=prep.lower_,
                            particle=prt, negated=negated)
                break


def _content_clause(trigger: Token) -> Token | None:
    """The clause a statement verb reports ("said [that Y must go]"), or None."""
    return next((c for c in trigger.children if c.dep_ in {"ccomp", "parataxis"}
                 and c.pos_ in {"VERB", "AUX"}), None)


def _obliged(clause: Token) -> bool:
    """The clause states an obligation: "Y must go", "Y has to go"."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in clause.children):
        return True
    return clause.lemma_ == "have" and any(c.dep_ == "xcomp" for c in clause.children)


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in ACTOR_LABELS


def _addressee(clause: Token) -> Span | None:
    """Who a reported clause is about: its named subject, else the first named actor in it."""
    for subj in (c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}):
        if _named(subj) or any(_named(t) for t in subj.subtree):
            return arg_span(subj)
    named = next((t for t in clause.subtree if _named(t) and t.dep_ in {"pobj", "dobj", "nsubj"}), None)
    return arg_span(named) if named is not None else None


def partner(obj: Span) -> Span | None:
    """The named partner inside a common-noun object ("an accord with X" -> X), or None."""
    head = obj.root
    if head.pos_ == "PROPN" or head.ent_type_ in ACTOR_LABELS:
        return None
    queue = [(head, 0)]
    while queue:
        tok, depth = queue.pop(0)
        if depth > 3:
            break
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in PARTNER_PREPS:
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                if pobj.pos_ == "PROPN" or pobj.ent_type_ in ACTOR_LABELS:
                    return arg_span(pobj)
                queue.append((pobj, depth + 1))
    return None


def _actorness(m: Mention | None) -> int:
    """2 for a resolved entity or named-entity span, 1 for a capitalised phrase, else 0."""
    if m is None or m.label in NOT_ACTOR_LABELS or m.text.split()[-1:] and m.text.split()[-1].lower() in TIME_WORDS:
        return 0
    if m.entity is not None or m.label in ACTOR_LABELS:
        return 2
    words = m.text.split()
    return int(any(w[:1].isupper() for w in words[1:]) or (bool(words) and words[0][:1].isupper()
               and words[0].lower() not in {"the", "a", "an", "it", "they", "he", "she", "we"}))


def _contains(outer: Mention | None, e: Event) -> bool:
    return (outer is not None and e.relation_start is not None
            and outer.start <= e.relation_start < outer.end)


def _reported(e: Event, coded: list[Event]) -> bool:
    """A statement whose content (object or clause after it) holds another coded event."""
    if e.cameo is None or not e.cameo.startswith(STATEMENT_ROOT) or e.lemma not in REPORTING_LEMMAS:
        return False
    return any(o is not e and not (o.cameo or "").startswith(STATEMENT_ROOT)
               and o.evidence == e.evidence
               and (_contains(e.object, o) or _overlaps(o.attributed_to, e.subject))
               for o in coded)


def _overlaps(a: Mention | None, b: Mention | None) -> bool:
    return a is not None and b is not None and a.start < b.end and b.start < a.end


def report_content(events: list[Event]) -> list[Event]:
    """Default output: a statement that reports a coded event stays a plain relation.

    "Officials said X signed a deal": the deal is the event; "said" keeps its line (an
    open relation) without a CAMEO code, and its speaker becomes the deal's source.
    """
    coded = [e for e in events if e.cameo is not None]
    out = []
    for e in events:
        if _reported(e, coded):
            e = replace(e, cameo=None, plover=None, goldstein=None)
        out.append(e)
    return out


def select_events(events: Iterable[Event]) -> list[Event]:
    """The coded events of a sentence list, one per event.

    Readings of one trigger are merged: the ones whose subject and object look most like actors
    win (then confidence); conjoined subjects or objects that are actors stay separate events.
    Statements whose content is a coded event are dropped (the content is the event).
    """
    events = [e for e in _dedupe(list(events)) if e.cameo is not None]
    events = [e for e in events if not _reported(e, events)]
    events = [e for e in events if not _governed(e, events)]
    by_trigger: dict[tuple, list[Event]] = {}
    for e in events:
        by_trigger.setdefault((e.evidence.doc, e.evidence.sent, e.relation_start, e.lemma), []).append(e)
    out: list[Event] = []
    for group in by_trigger.values():
        rank = max(_actorness(e.subject) + _actorness(e.object) for e in group)
        best = [e for e in group if _actorness(e.subject) + _actorness(e.object) == rank]
        if rank < 4:
            best = _reciprocal(best) or [max(best, key=lambda e: e.confidence)]
        seen: set[tuple] = set()
        for e in sorted(best, key=lambda e: -e.confidence):
            key = (e.subject.entity or e.subject.text, (e.object.entity or e.object.text) if e.object else None)
            if key not in seen:
                seen.add(key)
                out.append(e)
    return sorted(out, key=lambda e: (e.evidence.sent, e.relation_start or 0))


def _governed(e: Event, events: list[Event]) -> bool:
    """One of two nested readings that code the same act: "refused to meet X" keeps the coded
    meeting (125), "urged X to withdraw" keeps the appeal, not the requested withdrawal."""
    for o in events:
        if o is e or o.evidence != e.evidence:
            continue
        if _contains(e.object, o) and o.subject.text == e.subject.text and o.cameo[:2] != STATEMENT_ROOT:
            return True  # e governs o, the act it qualifies: o carries the code
        if _contains(o.object, e) and e.modality == "requested" and o.subject.text != e.subject.text:
            return True  # e is what o asks for: o is the event
    return False


def _reciprocal(readings: list[Event]) -> list[Event]:
    """Conjoined actors of a trigger with no actor object: each is the other's partner
    ("India and China held talks" -> India-China and China-India)."""
    actors = [e for e in readings if _actorness(e.subject) and _actorness(e.object) < 2]
    subjects = {e.subject.text: e for e in actors}
    if len(subjects) < 2:
        return []
    out = []
    for text, e in subjects.items():
        other = next(o for t, o in subjects.items() if t != text)
        out.append(replace(e, object=other.subject))
    return out


def only_events(extraction: Extraction) -> Extraction:
    """An Extraction with only its coded events, one per event (see :func:`select_events`)."""
    return replace(extraction, events=tuple(select_events(extraction.events)))


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
