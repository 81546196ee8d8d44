"""Event assembly: one frame of a sentence -> the Event records it tells, with type, actors,
stance, source, place, date and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from spacy.tokens import Span, Token

from kg.extraction.actors import event_actors
from kg.extraction.arguments import content_clause, obliged
from kg.extraction.clauses import Frame
from kg.extraction.coding import EventCoder
from kg.extraction.confidence import score
from kg.extraction.events import STATEMENT_ROOT, EventLexicon, EventType
from kg.extraction.resolver import EntityResolver
from kg.extraction.roles import (
    event_target,
    joint_actors,
    place_is_target,
    requested_by,
    unnamed_agent,
)
from kg.extraction.spans import (
    arg_span,
    conjuncts,
    relation_tokens,
    text_of,
    verb_lemma,
)
from kg.extraction.stance import attribution, location, quote, stance
from kg.extraction.timex import TimeExpr, date_for
from kg.types import Event, Evidence, Mention

__all__ = ["EventAssembler", "SentenceScope"]

# Event types whose object is a place when it is a city ("a drone attack on Moscow").
PLACE_TARGET_ROOTS = {"18", "19", "20"}


class _Cues(NamedTuple):
    """What a trigger's context says about every frame of it: stance, source, place, quote."""

    stance: tuple[bool, str]
    source: Span | None
    place: Span | None
    quote: str | None


@dataclass(frozen=True, slots=True)
class SentenceScope:
    """What every frame of one sentence is read against."""

    index: int
    evidence: Evidence
    resolver: EntityResolver
    dates: list[TimeExpr]
    published: date | None
    carriers: set[int]  # triggers of the sentence's nominal frames
    cues: dict[int, _Cues] = field(default_factory=dict)  # per trigger, read once

    def resolve(self, span: Span, role: str = "actor") -> Mention:
        return self.resolver.resolve(span, self.index, role=role)


class _Parties(NamedTuple):
    """An event's type and sides as the rules settle them, and the verb whose relation it tells."""

    etype: EventType | None
    subject: Mention
    object: Mention | None
    others: list  # further targets: Mentions or spans
    retold: Token | None  # the verb of a statement's content, told instead of the statement


class EventAssembler:
    """Turns frames into Events with one event lexicon.

    Example:
        >>> assembler = EventAssembler(EventLexicon.load(), events_only=False)
        >>> assembler.events(frame, scope)  # a frame of the sentence of ``scope``  # doctest: +SKIP
        [Event(subject=Mention(...'Russia'...), lemma='invade', ...)]
    """

    def __init__(self, lexicon: EventLexicon, events_only: bool):
        self.lexicon = lexicon
        self.coder = EventCoder(lexicon)
        self.events_only = events_only

    def events(self, frame: Frame, scope: SentenceScope) -> list[Event]:
        """The event a frame tells; in event mode one per named partner ("restored ties with
        Qatar and Turkey" is two events)."""
        trigger = frame.trigger
        cue = scope.cues.get(trigger.i)
        if cue is None:  # read once per trigger, however many frames it has
            cue = scope.cues[trigger.i] = _Cues(stance(trigger), attribution(trigger), location(trigger),
                                                quote(trigger))
        negated, modality = cue.stance
        negated = negated or frame.negated
        etype, carried = self.coder.code(frame, negated, modality, scope.carriers)
        parties = self._parties(frame, etype, carried, negated, modality, scope)
        if parties is None:
            return []
        event = self._event(frame, parties, cue, negated, modality, scope)
        events = [event]
        for span in parties.others:
            other = span if isinstance(span, Mention) else scope.resolve(span)
            events.append(replace(event, object=other,
                                  confidence=score(frame, parties.subject, other, typed=parties.etype is not None)))
        return events

    def _parties(self, frame: Frame, etype: EventType | None, carried: bool, negated: bool,
                 modality: str, scope: SentenceScope) -> _Parties | None:
        """Type, source and target of the event: the requester of a demand, the partner of a
        deal, the actors of a statement's content (event mode)."""
        trigger = frame.trigger
        subject = scope.resolve(frame.subject)
        obj = None
        etype, target = self.coder.sense_target(frame, etype, self.events_only)
        requester = requested_by(frame) if self.events_only and etype is not None and modality == "requested" else None
        asked: list[Span] = []
        if requester is not None:
            # "X demanded the withdrawal of Y's forces": X's demand, made on Y (and on Y's
            # partners: "called for a ceasefire between Y and Z")
            subject, target = scope.resolve(requester), frame.subject
            asked = [arg_span(c) for c in conjuncts(frame.subject.root)[1:]]
        content = content_clause(trigger) if etype is not None and etype.cameo[:2] == STATEMENT_ROOT else None
        if content is not None and obliged(content) and not negated:
            # "X said Y must withdraw": CAMEO codes a statement of obligation as a demand
            etype = self.lexicon.classify("demand") or etype
        others: list = []
        if self.events_only and etype is not None:
            target, others = event_target(trigger, etype.cameo, target, content, asked)
        if target is not None:
            role = "place" if etype is not None and etype.cameo[:2] in PLACE_TARGET_ROOTS else "actor"
            obj = scope.resolve(target, role)
            if carried and obj.entity is not None:
                # the event noun's own frame carries the entity ("launched an attack on Moscow")
                obj = Mention(obj.doc_id, obj.sent_index, obj.start, obj.end, obj.text, None, None)
        if self.events_only:
            return self._actors(frame, etype, subject, obj, target, others, scope)
        if etype is None and frame.agent_first and obj is not None:
            # an open relation reads as written ("the town | was damaged by | the storm"); only a
            # coded act takes its agent as source
            subject, obj = obj, subject
        return _Parties(etype, subject, obj, others, None)

    def _actors(self, frame: Frame, etype: EventType | None, subject: Mention, obj: Mention | None,
                target: Span | None, others: list, scope: SentenceScope) -> _Parties | None:
        """Event mode: the actors of the act (:func:`~kg.extraction.actors.event_actors`); None
        when harm is told with no one named who did it."""
        cameo = etype.cameo if etype is not None else None
        subject, obj, retold, more = event_actors(frame, subject, obj, target, scope.index, scope.resolver,
                                                  self.coder, cameo is not None and cameo[:2] == STATEMENT_ROOT,
                                                  place_is_target(cameo))
        if unnamed_agent(frame, subject, cameo):
            return None
        joint = joint_actors(frame, cameo) if retold is None else None
        if joint is not None:
            # "French and Egyptian warships launched war games": the nations together
            subject, obj = (scope.resolve(span) for span in joint)
            others, more = [], []
        if retold is None:
            return _Parties(etype, subject, obj, others or more, None)
        # the speaker made the statement, not the content's actors: told as theirs, the
        # relation is the uncoded fact the statement reports
        return _Parties(None, subject, obj, others or more, retold)

    def _event(self, frame: Frame, parties: _Parties, cue: _Cues, negated: bool, modality: str,
               scope: SentenceScope) -> Event:
        """The Event record of a frame whose parties are settled."""
        etype, subject, obj, retold = parties.etype, parties.subject, parties.object, parties.retold
        told = frame.trigger if retold is None else retold
        relation = frame.relation if retold is None else text_of(relation_tokens(retold))
        lemma = frame.lemma if retold is None else verb_lemma(retold)
        # a retold statement is according to its speaker
        source_span = frame.subject if told is not frame.trigger else cue.source
        source = scope.resolve(source_span) if source_span is not None else None
        place = scope.resolve(cue.place, "place") if cue.place is not None else None
        date_value, date_text, date_source = _date(frame.trigger, scope)
        return Event(
            subject=subject,
            relation=relation,
            lemma=lemma,
            object=obj,
            evidence=scope.evidence,
            cameo=etype.cameo if etype else None,
            negated=negated,
            modality=modality,
            attributed_to=source,
            date=date_value,
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


def _date(trigger: Token, scope: SentenceScope) -> tuple[str | None, str | None, str | None]:
    """(date, text as written, "text" or "document"): the trigger's own date expression, else
    the publication date."""
    when = date_for(trigger, scope.dates)
    if when is not None and when.value:
        return when.value, when.text, "text"
    if scope.published is not None:
        return scope.published.isoformat(), None, "document"
    return None, None, None
