"""Event mode's source and target: the actors of an act, not the phrases that hold them.

A source that names no actor ("their countries") becomes the agent of its act noun ("shelling
by X"), else the actor nearest before the trigger; a target that names none ("lifted a curfew in
X", "denounced X's crackdown") becomes the actor among the trigger's arguments, then the nearest
other actor of the sentence, with the actors coordinated with it. Names inside place phrases,
appositions and titles are never taken this way (:func:`~kg.extraction.roles.in_adjunct`).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction.arguments import actor_span, conjoined_actor, reported_clause
from kg.extraction.clauses import Frame
from kg.extraction.coding import EventCoder
from kg.extraction.resolver import EntityResolver
from kg.extraction.roles import (
    actorness,
    agent_of,
    excluded_targets,
    in_adjunct,
    own_phrase,
    passive_agent,
    speakers,
    target_pools,
)
from kg.extraction.spans import arg_span, conjuncts
from kg.extraction.vocab import PASSIVE_PLACE_PREPS, SUBJECT_DEPS
from kg.extraction.words import AGENT_NOUNS
from kg.types import Mention

__all__ = ["event_actors"]



def event_actors(frame: Frame, subject: Mention, obj: Mention | None, target: Span | None, index: int,
                 resolver: EntityResolver, coder: EventCoder, statement: bool, place_target: bool
                 ) -> tuple[Mention, Mention | None, Token | None, list[Mention]]:
    """Source, target, the verb a statement retells, and further targets coordinated with it.

    A statement with no coded content ("X did Y, officials said") is told as the content's
    actors: the speaker is not a party to what was said; the third value is then the content's
    verb, which the relation tells instead of the statement.
    """
    trigger = frame.trigger
    content = reported_clause(trigger) if statement else None
    retold = None
    if content is not None:
        # the subject's own name first: "Bolivian commander X" is X, not Bolivia
        phrase = [t for c in content.children if c.dep_ in SUBJECT_DEPS for t in [c, *c.subtree]]
        span = actor_span(phrase)
        if span is not None:
            subject = resolver.resolve(span, index, role="actor")
            trigger = content
            obj = None
            retold = content
    agent = passive_agent(frame) if content is None and not statement else None
    if agent is not None:
        # "four farmers were killed in shelling by X": X acted on the farmers
        patient = frame.object if frame.pattern == "passive-agent" else frame.subject
        subject, obj = resolver.resolve(agent, index, role="actor"), resolver.resolve(patient, index, role="actor")
    elif content is None and not statement and frame.pattern == "passive-prep" and obj is not None:
        if frame.prep in PASSIVE_PLACE_PREPS and obj.label == "GPE":
            # "X was arrested in Lebanon": with no agent named, the state where it happened acts
            return obj, subject, retold, []
        if coder.by_means(frame) is not None:
            # "X was killed in a car bombing": the bombing is what acted, X its target
            return resolver.resolve(frame.object, index, role="actor"), subject, retold, []
    # nor is the title of a retold subject its target
    told = phrase if retold is not None else []
    subject, own = _source(frame, subject, trigger, agent, content, index, resolver, told)
    obj, more = _target(frame, subject, obj, target, own, trigger, agent, content, index, resolver,
                        place_target)
    return subject, obj, retold, more


def _source(frame: Frame, subject: Mention, trigger: Token, agent: Span | None, content: Token | None,
            index: int, resolver: EntityResolver, told: list[Token]) -> tuple[Mention, list[Token]]:
    """The source as an actor, with the sentence's tokens it covers (and ``told``, the retold
    content's subject phrase)."""
    sent = frame.trigger.sent
    own = [t for t in sent if subject.start <= t.idx < subject.end] + told
    if (agent is None and actorness(subject) < 2 and actor_span(own) is None and not conjoined_actor(frame)
            and frame.subject.root.lemma_.lower() not in AGENT_NOUNS):
        # (a conjunct of a named actor, "the UN and several other nations", is left as it is)
        span = agent_of(frame.subject.root) if content is None else None
        if span is None:
            # the patient of "X were killed by a bomb" is not the source
            patient = ({t.i for t in frame.object} if frame.pattern == "passive-agent"
                       and frame.object is not None else set())
            # "Hilferty said a gunship attacked the men": who tells is not who did it
            # (a pronoun, "X said it would ...", is the speaker's own)
            told_by = (speakers(trigger, reported=True) if content is None
                       and frame.subject.root.pos_ != "PRON" else set())
            before = [t for t in reversed(sent[: max(trigger.i - sent.start, 0)])
                      if t.i not in patient and t.i not in told_by
                      and not in_adjunct(t, titles=True, any_prep=True)]
            span = actor_span(before)
        if span is not None:
            subject = resolver.resolve(span, index, role="actor")
            own = [t for t in sent if subject.start <= t.idx < subject.end]
    return subject, own


def _target(frame: Frame, subject: Mention, obj: Mention | None, target: Span | None, own: list[Token],
            trigger: Token, agent: Span | None, content: Token | None, index: int,
            resolver: EntityResolver, place_target: bool) -> tuple[Mention | None, list[Mention]]:
    """The target as an actor, with the actors coordinated with it."""
    sent = frame.trigger.sent
    more: list[Mention] = []
    clausal = content is None and frame.object is not None and any(t.pos_ in {"VERB", "AUX"} for t in frame.object)
    named_by_noun = target is not None and target.root.lemma_.lower() in AGENT_NOUNS
    owned = agent is None and content is None and own_phrase(frame.object, frame.subject)
    if ((actorness(obj) < 2 or owned) and not (clausal or (named_by_noun and not owned))
            and not (content is None and conjoined_actor(frame))):
        taken = {t.i for t in own} | (excluded_targets(frame) if agent is None else set())
        inside, args, after, rest = target_pools(frame, trigger, [
            t for t in sent if obj is not None and obj.start <= t.idx < obj.end], place_target)
        if owned:
            # the owned phrase is no target, but says where it goes or is ("strengthened
            # its forces in Lebanon", "pressed their demands on the government")
            taken |= {t.i for t in frame.object if t.i <= frame.object.root.i}
            inside = [t for t in frame.object if t.i > frame.object.root.i]
        # the patient of a passive whose agent was found is the target as it is named
        for pool in ((inside,) if agent is not None else (inside, args, after, rest)):
            found = _other_actor(pool, taken, subject, index, resolver)
            if found is not None:
                # actors coordinated with one of the trigger's own arguments are its
                # targets too; a name met further away is one target
                obj, more = found[0], (found[1:] if pool is inside or pool is args else [])
                break
    return obj, more


def _other_actor(pool: list[Token], taken: set[int], subject: Mention, index: int,
                 resolver: EntityResolver) -> list[Mention] | None:
    """The first actor in ``pool`` that is not the subject itself ("Iraq ... in Baghdad":
    the capital stands for the subject, so the target is someone else), with the actors
    coordinated with it ("officials in Kyrgyzstan and Tajikistan")."""
    taken = set(taken)
    while True:
        span = actor_span([t for t in pool if t.i not in taken])
        if span is None:
            return None
        found = resolver.resolve(span, index, role="actor")
        if subject.entity is None or found.entity != subject.entity:
            members = [c for c in conjuncts(span.root)[1:] if c.i not in taken]
            others = [resolver.resolve(arg_span(c), index, role="actor") for c in members
                      if actor_span([c]) is not None]
            return [found, *others]
        taken.update(t.i for t in span)
