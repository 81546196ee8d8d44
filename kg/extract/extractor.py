"""Text -> Extraction: frames from the parse, canonical entities, typed events with stance and time.

The Extractor holds what is worth loading once (the spaCy pipeline, the gazetteer and the event
lexicons); ``extract`` is the plain-function face of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.clauses import Frame, frames
from kg.extract.confidence import score
from kg.extract.entities import EntityResolver, Gazetteer
from kg.extract.events import EventLexicon, attribution, currency_words, location, quote, stance
from kg.extract.nominal import load_nominal_lexicon, nominal_frames
from kg.extract.spans import (
    arg_span,
    ent_at,
    conjuncts,
    objects_of,
    prep_objects,
    relation_tokens,
    text_of,
    verb_lemma,
)
from kg.extract.select import (
    ACTOR_LABELS,
    REPORTING_LEMMAS,
    STATEMENT_ROOT,
    TIME_WORDS,
    actorness,
    dedupe,
    only_events,
    report_content,
    select_events,
)
from kg.extract.timex import date_for, find_dates
from kg.nlp import load_nlp
from kg.types import Document, Event, Evidence, Extraction, Mention, Sentence

__all__ = ["Extractor", "extract", "only_events", "select_events"]

# Event types whose object is a place when it is a city ("a drone attack on Moscow").
PLACE_TARGET_ROOTS = {"18", "19", "20"}
# A common-noun object names the deal or tie; its partner is the target ("signed an accord
# with X", "restore ties with X", "a resumption of ties between X and Y").
PARTNER_PREPS = frozenset({"with", "to", "between", "against", "on", "toward", "towards", "from",
                           "for", "of"})
# Adjectives whose infinitive is the subject's own act: "is about / ready / due to sign".
# Common nouns that name actors themselves ("the government", "rebels"): CAMEO codes them as
# agents, so an argument they head needs no named actor in its place.
AGENT_NOUNS = frozenset({"government", "authority", "police", "army", "military", "troop",
                         "soldier", "force", "rebel", "militant", "insurgent", "protester",
                         "demonstrator", "opposition", "parliament", "official", "minister",
                         "president", "leader", "delegation", "delegate", "diplomat", "ambassador",
                         "court", "judge", "crowd", "student", "worker", "refugee", "civilian",
                         "villager", "party", "militia", "guerrilla", "regime", "cabinet",
                         "negotiator", "envoy", "spokesman", "spokeswoman", "ministry"})
# Prepositions of the place of a passive act with no agent ("was arrested in X").
PLACE_PREPS = frozenset({"in", "at"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Measures and amounts before what they measure ("tons of aid", "a shipment of arms").
QUANTITY_NOUNS = frozenset({"ton", "tonne", "tons", "tonnes", "barrel", "unit", "kilogram", "kilo",
                            "litre", "liter", "gallon", "worth", "million", "billion", "thousand",
                            "hundred", "dozen", "shipment", "batch", "load", "consignment",
                            "package", "amount", "quantity", "lot", "truckload", "planeload",
                            "shipload", "cargo", "crate", "sack", "bag", "box", "round", "piece",
                            "number", "range", "series", "wave", "volley", "salvo", "string", "barrage"})
RAISING_ADJECTIVES = frozenset({"about", "ready", "due", "likely", "set", "poised", "willing",
                                "eager", "unlikely", "unwilling", "able", "unable", "prepared",
                                "keen", "determined", "expected", "certain", "sure"})


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
            events=tuple(select_events(events, clause_depths(doc)) if self.events_only
                         else report_content(dedupe(events))),
        )

    def _sentence_events(self, document, sent: Span, index: int, resolver, dates) -> Iterator[Event]:
        if len(sent) > MAX_SENTENCE_TOKENS:
            return  # a "sentence" this long is a table or a list: parses of it are noise, and slow
        nominal = list(nominal_frames(sent, self.nominals))
        carriers = {f.trigger.i for f in nominal}
        evidence = Evidence(document.id, index, sent.start_char, sent.end_char)
        cues: dict[int, _Cues] = {}  # one reading of a trigger's stance and sources, however many frames
        for frame in [*frames(sent), *raised_frames(sent), *nominal]:
            yield from self._event(frame, index, resolver, dates, evidence, carriers, document.published,
                                   cues)

    def _event(self, frame: Frame, index: int, resolver: EntityResolver, dates, evidence: Evidence,
               carriers: set[int], published, cues: dict[int, _Cues] | None = None) -> list[Event]:
        """The event a frame tells; in event mode one per named partner ("restored ties with
        Qatar and Turkey" is two events)."""
        trigger = frame.trigger
        cue = (cues or {}).get(trigger.i)
        if cue is None:
            cue = _Cues(stance(trigger), attribution(trigger), location(trigger), quote(trigger))
            if cues is not None:
                cues[trigger.i] = cue
        negated, modality = cue.stance
        negated = negated or frame.negated
        obj_lemma = _object_lemma(frame.object) if frame.object is not None else None
        # a light verb whose object is an event noun: the noun's own frame carries the event
        carried = not frame.nominal and frame.object is not None and frame.object.root.i in carriers
        etype = None
        if frame.nominal:
            # the noun says what the event is ("a deal with X" is an agreement, not "agree with")
            # the noun's modifier narrows it like a verb's object ("hunger strike", "air strike")
            modifier = next((c.lemma_.lower() for c in trigger.children
                             if c.dep_ in {"compound", "amod"} and c.i < trigger.i), None)
            etype = self.events.classify(trigger.lemma_.lower(), prep=frame.prep, nominal=True,
                                         object_lemma=modifier, negated=negated, modality=modality)
        if etype is None:
            etype = self.events.classify(
                frame.lemma, particle=frame.particle, prep=frame.prep, object_lemma=obj_lemma,
                negated=negated, modality=modality)
            if carried and etype is not None and not self._own_act(frame, etype, negated, modality):
                # a light or statement verb ("launched an attack", "announced talks"): the
                # event noun's frame carries the event
                etype = None
            carried = carried and etype is None
        subject = resolver.resolve(frame.subject, index, role="actor")
        obj = None
        target = frame.object
        content = _content_clause(trigger) if etype is not None and etype.cameo[:2] == STATEMENT_ROOT else None
        if content is not None and _obliged(content) and not negated:
            # "X said Y must withdraw": CAMEO codes a statement of obligation as a demand
            etype = self.events.classify("demand") or etype
        others: list[Span] = []
        if self.events_only and etype is not None:
            if content is not None:
                target = _addressee(content) or target
            elif target is not None:
                target, *others = partners(target) or [target]
        if target is not None:
            role = "place" if etype is not None and etype.cameo[:2] in PLACE_TARGET_ROOTS else "actor"
            obj = resolver.resolve(target, index, role=role)
            if carried and obj.entity is not None:
                # the event noun's own frame carries the entity ("launched an attack on Moscow")
                obj = Mention(obj.doc_id, obj.sent_index, obj.start, obj.end, obj.text, None, None)
        relation, lemma, told = frame.relation, frame.lemma, trigger
        if self.events_only:
            subject, obj, retold = self._actors(frame, subject, obj, index, resolver,
                                                etype is not None and etype.cameo[:2] == STATEMENT_ROOT)
            if retold is not None:
                relation, lemma, told = text_of(relation_tokens(retold)), verb_lemma(retold), retold
                # the speaker made the statement, not the content's actors: told as theirs, the
                # relation is the uncoded fact the statement reports
                etype = None
        # a retold statement is according to its speaker
        source_span = frame.subject if told is not trigger else cue.source
        source = resolver.resolve(source_span, index, role="actor") if source_span is not None else None
        place_span = cue.place
        place = resolver.resolve(place_span, index, role="place") if place_span is not None else None
        when = date_for(trigger, dates)
        if when is not None and when.value:
            date, date_text, date_source = when.value, when.text, "text"
        elif published is not None:
            date, date_text, date_source = published.isoformat(), None, "document"
        else:
            date, date_text, date_source = None, None, None
        event = Event(
            subject=subject,
            relation=relation,
            lemma=lemma,
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
            quote=cue.quote,
            relation_start=told.idx,
            relation_end=told.idx + len(told.text),
            pattern=frame.pattern,
            arguments=tuple(span.text for span in frame.extra),
        )
        events = [event]
        for span in others:
            other = resolver.resolve(span, index, role="actor")
            events.append(replace(event, object=other,
                                  confidence=score(frame, subject, other, typed=etype is not None)))
        return events


    def _own_act(self, frame: Frame, etype, negated: bool, modality: str) -> bool:
        """A verb that is an act of its own whatever event noun it takes ("condemned the
        attack", "demanded that X match ..."), unlike a light verb ("launched an attack") or a
        statement ("announced talks"), whose object noun carries the event."""
        if etype.cameo[:2] == STATEMENT_ROOT:
            return False
        plain = self.events.classify(frame.lemma, particle=frame.particle, prep=frame.prep,
                                     negated=negated, modality=modality)
        if plain is None or plain.id != etype.id:
            return False
        # "signed a deal": verb and noun tell one act, which the noun's frame carries
        noun = self.events.classify(frame.object.root.lemma_.lower(), nominal=True)
        return noun is None or noun.cameo[:2] != etype.cameo[:2]

    def _actors(self, frame: Frame, subject: Mention, obj: Mention | None, index: int,
                resolver: EntityResolver, statement: bool) -> tuple[Mention, Mention | None, Token | None]:
        """Event mode: source and target as actors, not the phrases that hold them.

        A source that names no actor ("their countries") becomes the actor nearest before the
        trigger; a target that names none ("lifted a curfew in X", "denounced X's crackdown")
        becomes the actor among the trigger's arguments, then the nearest other actor of the
        sentence. A statement with no coded content ("X did Y, officials said") is told as the
        content's actors: the speaker is not a party to what was said; the third value is then
        the content's verb, which the relation tells instead of the statement.
        """
        trigger, sent = frame.trigger, frame.trigger.sent
        content = _reported_clause(trigger) if statement else None
        retold = None
        if content is not None:
            span = _actor_span([t for c in content.children if c.dep_ in SUBJECT_DEPS
                                for t in c.subtree])
            if span is not None:
                subject = resolver.resolve(span, index, role="actor")
                trigger = content
                obj = None
                retold = content
        if (content is None and not statement and frame.pattern == "passive-prep"
                and frame.prep in PLACE_PREPS and obj is not None and obj.label == "GPE"):
            # "X was arrested in Lebanon": with no agent named, the state where it happened acts
            return obj, subject, retold
        own = [t for t in sent if subject.start <= t.idx < subject.end]
        if (actorness(subject) < 2 and _actor_span(own) is None
                and frame.subject.root.lemma_.lower() not in AGENT_NOUNS):
            # the patient of "X were killed by a bomb" is not the source
            patient = ({t.i for t in frame.object} if frame.pattern == "passive-agent"
                       and frame.object is not None else set())
            before = [t for t in reversed(sent[: max(trigger.i - sent.start, 0)])
                      if t.i not in patient]
            span = _actor_span(before)
            if span is not None:
                subject = resolver.resolve(span, index, role="actor")
                own = [t for t in sent if subject.start <= t.idx < subject.end]
        clausal = content is None and frame.object is not None and any(t.pos_ in {"VERB", "AUX"} for t in frame.object)
        agent = frame.object is not None and frame.object.root.lemma_.lower() in AGENT_NOUNS
        if actorness(obj) < 2 and not (clausal or agent) and not (content is None and _conjoined_actor(frame)):
            taken = {t.i for t in own}
            inside = [t for t in sent if obj is not None and obj.start <= t.idx < obj.end]
            # a place phrase ("rallies in Gaza against X") names where, not whom: last
            children = sorted((c for c in trigger.children if c.dep_ not in SUBJECT_DEPS | {"punct"}),
                              key=lambda c: c.dep_ == "prep" and c.lower_ in PLACE_PREPS)
            args = [t for c in children for t in c.subtree]
            after = [t for t in sent if t.i > trigger.i]
            rest = [t for t in reversed(sent[: max(trigger.i - sent.start, 0)])]
            for pool in (inside, args, after, rest):
                found = self._other_actor(pool, taken, subject, index, resolver)
                if found is not None:
                    obj = found
                    break
        return subject, obj, retold

    @staticmethod
    def _other_actor(pool: list[Token], taken: set[int], subject: Mention, index: int,
                     resolver: EntityResolver) -> Mention | None:
        """The first actor in ``pool`` that is not the subject itself ("Iraq ... in Baghdad":
        the capital stands for the subject, so the target is someone else)."""
        taken = set(taken)
        while True:
            span = _actor_span([t for t in pool if t.i not in taken])
            if span is None:
                return None
            found = resolver.resolve(span, index, role="actor")
            if subject.entity is None or found.entity != subject.entity:
                return found
            taken.update(t.i for t in span)


class _Cues(NamedTuple):
    """What a trigger's context says about every frame of it: stance, source, place, quote."""

    stance: tuple[bool, str]
    source: Span | None
    place: Span | None
    quote: str | None


def clause_depths(doc: Doc) -> dict[int, int]:
    """Clause depth of every token by its start offset: how many verbs govern it (root verb 0).

    Reporting verbs do not count: in "X did Y, officials said" the parse puts "said" on top,
    but the reported clause is the sentence's main act.
    """
    out = {}
    for tok in doc:
        level, child = 0, tok
        while child.head.i != child.i:
            head = child.head
            # a coordinated verb ("condemned X and promised Y") is on its head's level
            level += (head.pos_ in {"VERB", "AUX"} and head.dep_ != "aux"
                      and head.lemma_.lower() not in REPORTING_LEMMAS
                      and child.dep_ != "conj")
            child = head
        out[tok.idx] = level
    return out


def _reported_clause(trigger: Token) -> Token | None:
    """The clause a statement reports: its complement, or the clause it is appended to
    ("X did Y, officials said" parses "said" under "did")."""
    content = _content_clause(trigger)
    if content is None and trigger.dep_ in {"parataxis", "ccomp"} and trigger.head.pos_ in {"VERB", "AUX"}:
        content = trigger.head
    return content


def _conjoined_actor(frame: Frame) -> bool:
    """The subject is one of conjoined actors ("X and Y agreed"): they are each other's partner."""
    root = frame.subject.root
    return any(_actor_token(c) for c in conjuncts(root) if c.i != root.i) or (
        root.dep_ == "conj" and _actor_token(root.head))


def _actor_token(tok: Token) -> bool:
    """A token that names an actor: a named entity of an actor type, or a proper noun."""
    if tok.ent_type_ in ACTOR_LABELS:
        return True
    return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.lower_ not in TIME_WORDS
            and tok.is_alpha and tok.is_title)


def _actor_span(tokens: list[Token]) -> Span | None:
    """The first actor among ``tokens``, as its entity span or its proper-noun phrase."""
    for tok in tokens:
        if not _actor_token(tok):
            continue
        if tok.ent_type_:
            ent = ent_at(tok)
            if ent is not None:
                return ent
        head = tok
        while head.dep_ == "compound" and head.head.pos_ == "PROPN":
            head = head.head
        start = min(t.i for t in head.subtree if t.dep_ == "compound" or t == head)
        return tok.doc[start: head.i + 1]
    return None


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


def _object_lemma(obj: Span) -> str:
    """The lemma an object pattern matches: a sum of any currency is "money" ("contributed a
    million rupees")."""
    root = obj.root
    for _ in range(3):
        # "25,000 tons of food aid", "$50,000 worth of goods": the measured thing is the object
        if root.lemma_.lower() not in QUANTITY_NOUNS:
            break
        of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            break
        root = pobj
    lemma = root.lemma_.lower()
    if root.ent_type_ == "MONEY" or lemma in currency_words():
        return "money"
    return lemma


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


def partners(obj: Span) -> list[Span]:
    """The named partners inside a common-noun object ("ties with X and Y" -> X, Y), or []."""
    found = partner(obj)
    if found is None:
        return []
    return [found] + [arg_span(c) for c in conjuncts(found.root)[1:] if _named(c)]


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
