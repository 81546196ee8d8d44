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

from kg.extraction.arguments import (
    AGENT_NOUNS,
    act_modifier,
    actor_span,
    clause_depths,
    conjoined_actor,
    content_clause,
    currency_name,
    object_lemma,
    obliged,
    raised_frames,
    reported_clause,
)
from kg.extraction.clauses import Frame, frames
from kg.extraction.confidence import score
from kg.extraction.entities import EntityResolver, Gazetteer
from kg.extraction.eventcoref import merge_event_mentions
from kg.extraction.events import EventLexicon, attribution, location, quote, stance
from kg.extraction.stance import demanded
from kg.extraction.nominal import load_nominal_lexicon, nominal_frames
from kg.extraction.roles import (
    means_nouns,
    own_phrase,
    PLACE_ADJUNCT_PREPS,
    agent_of,
    crowd_of,
    event_target,
    excluded_targets,
    in_adjunct,
    joint_actors,
    name_complement,
    named_only,
    natural_cause,
    passive_agent,
    unnamed_agent,
    place_is_target,
    requested_by,
    speakers,
    target_pools,
)
from kg.extraction.spans import arg_span, conjuncts, objects_of, relation_tokens, text_of, verb_lemma
from kg.extraction.select import (
    STATEMENT_ROOT,
    actorness,
    dedupe,
    only_events,
    report_content,
    select_events,
)
from kg.extraction.timex import date_for, find_dates
from kg.nlp import load_nlp, parse, parse_many
from kg.types import Document, Event, Evidence, Extraction, Mention, Sentence

__all__ = ["Extractor", "extract", "only_events", "select_events"]

# Event types whose object is a place when it is a city ("a drone attack on Moscow").
PLACE_TARGET_ROOTS = {"18", "19", "20"}
# Acts of force: used on a crowd, they are repression.
FORCE_ROOTS = frozenset({"18", "19", "20"})
REPRESSION = "175"
# unconventional violence (bombings, assaults) and conventional force
ASSAULT_ROOT, FIGHT_ROOT = "18", "19"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Prepositions of the place of a passive act with no agent ("was arrested in X").
PLACE_PREPS = frozenset({"in", "at"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


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
        return self.extract_doc(document, parse(self.nlp, document.text))

    def extract_many(self, documents: Iterable[Document], batch_size: int = 16) -> Iterator[Extraction]:
        """Read documents in order, parsing them in batches."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in parse_many(self.nlp, pairs, batch_size):
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

    def _sentence_events(self, document, sent: Span, index: int, resolver, dates) -> Iterator[Event]:
        if len(sent) > MAX_SENTENCE_TOKENS:
            return  # a "sentence" this long is a table or a list: parses of it are noise, and slow
        nominal = list(nominal_frames(sent, self.nominals))
        carriers = {f.trigger.i for f in nominal}
        evidence = Evidence(document.id, index, sent.start_char, sent.end_char)
        cues: dict[int, _Cues] = {}
        for frame in [*frames(sent), *raised_frames(sent), *nominal]:
            yield from self._event(frame, index, resolver, dates, evidence, carriers, document.published,
                                   cues)

    def _event(self, frame: Frame, index: int, resolver: EntityResolver, dates, evidence: Evidence,
               carriers: set[int], published, cues: dict[int, _Cues]) -> list[Event]:
        """The event a frame tells; in event mode one per named partner ("restored ties with
        Qatar and Turkey" is two events)."""
        trigger = frame.trigger
        cue = cues.get(trigger.i)
        if cue is None:  # read once per trigger, however many frames it has
            cue = cues[trigger.i] = _Cues(stance(trigger), attribution(trigger), location(trigger),
                                          quote(trigger))
        negated, modality = cue.stance
        negated = negated or frame.negated
        obj_lemma = object_lemma(frame.object) if frame.object is not None else None
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
            prep = frame.prep
            named_as = name_complement(trigger) if not frame.nominal and prep is None else None
            if named_as is not None:
                # "called Maduro a dictator": a name given, not a phone call
                prep, obj_lemma = "as", named_as.lemma_.lower()
            etype = self.events.classify(
                frame.lemma, particle=frame.particle, prep=prep, object_lemma=obj_lemma,
                negated=negated, modality=modality) if not named_only(trigger) else None
            if carried and etype is not None and not self._own_act(frame, etype, negated, modality):
                # a light or statement verb ("launched an attack", "announced talks"): the
                # event noun's frame carries the event
                etype = None
            carried = carried and etype is None
            if etype is None and not carried and frame.object is not None:
                etype = self._act_modifier(frame.object.root, negated, modality)
        etype = etype if etype is None or self._asserted_act(frame) else None
        if etype is not None and modality == "requested" and demanded(trigger):
            etype = self.events.as_demand(etype)
        if etype is not None and not frame.nominal and etype.cameo[:2] in {ASSAULT_ROOT, FIGHT_ROOT}:
            etype = self._by_means(frame) or etype
        subject = resolver.resolve(frame.subject, index, role="actor")
        obj = None
        etype, target = self._sense_target(frame, etype)
        requester = requested_by(frame) if self.events_only and etype is not None and modality == "requested" else None
        asked: list[Span] = []
        if requester is not None:
            # "X demanded the withdrawal of Y's forces": X's demand, made on Y (and on Y's
            # partners: "called for a ceasefire between Y and Z")
            subject, target = resolver.resolve(requester, index, role="actor"), frame.subject
            asked = [arg_span(c) for c in conjuncts(frame.subject.root)[1:]]
        content = content_clause(trigger) if etype is not None and etype.cameo[:2] == STATEMENT_ROOT else None
        if content is not None and obliged(content) and not negated:
            # "X said Y must withdraw": CAMEO codes a statement of obligation as a demand
            etype = self.events.classify("demand") or etype
        others: list[Span] = []
        if self.events_only and etype is not None:
            target, others = event_target(trigger, etype.cameo, target, content, asked)
        if target is not None:
            role = "place" if etype is not None and etype.cameo[:2] in PLACE_TARGET_ROOTS else "actor"
            obj = resolver.resolve(target, index, role=role)
            if carried and obj.entity is not None:
                # the event noun's own frame carries the entity ("launched an attack on Moscow")
                obj = Mention(obj.doc_id, obj.sent_index, obj.start, obj.end, obj.text, None, None)
        relation, lemma, told = frame.relation, frame.lemma, trigger
        if self.events_only:
            root = etype.cameo[:2] if etype is not None else None
            subject, obj, retold, more = self._actors(frame, subject, obj, target, index, resolver,
                                                      root == STATEMENT_ROOT,
                                                      place_is_target(etype.cameo if etype else None))
            if not others:
                others = more
            if unnamed_agent(frame, subject, etype.cameo if etype else None):
                return []
            joint = joint_actors(frame, etype.cameo if etype else None) if retold is None else None
            if joint is not None:
                # "French and Egyptian warships launched war games": the nations together
                subject, obj = (resolver.resolve(span, index, role="actor") for span in joint)
                others = []
            if retold is not None:
                relation, lemma, told = text_of(relation_tokens(retold)), verb_lemma(retold), retold
                # the speaker made the statement, not the content's actors: told as theirs, the
                # relation is the uncoded fact the statement reports
                etype = None
        if etype is None and frame.agent_first and obj is not None and not self.events_only:
            # an open relation reads as written ("the town | was damaged by | the storm"); only a
            # coded act takes its agent as source
            subject, obj = obj, subject
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
            other = span if isinstance(span, Mention) else resolver.resolve(span, index, role="actor")
            events.append(replace(event, object=other,
                                  confidence=score(frame, subject, other, typed=etype is not None)))
        return events


    def _act_modifier(self, noun: Token, negated: bool, modality: str):
        """The act an uncoded verb's object carries: "undertook a mediation mission" and
        "launched a mediation effort" mediate (:func:`act_modifier`)."""
        act = act_modifier(noun)
        if act is None:
            return None
        return self.events.classify(act.lemma_.lower(), nominal=True, negated=negated, modality=modality)

    def _by_means(self, frame: Frame):
        """The code of the means when it names unconventional violence: killing "in a car
        bombing", "by a roadside bomb" or by "suicide bombers" is a bombing (CAMEO 183), not
        conventional force."""
        for noun in means_nouns(frame):
            modifiers = [c.lemma_.lower() for c in noun.subtree if c.i < noun.i and c.dep_ in {"compound", "amod"}]
            for modifier in [*modifiers, None]:
                etype = self.events.classify(noun.lemma_.lower(), nominal=True, object_lemma=modifier)
                if etype is not None and etype.cameo[:2] == ASSAULT_ROOT:
                    return etype
        return None

    def _asserted_act(self, frame: Frame) -> bool:
        """Whether a coded frame tells an act of its subject at all."""
        if frame.pattern == "participle" and frame.prep in PLACE_ADJUNCT_PREPS:
            return False  # "X, speaking in Oslo, said": where X spoke, not an act on Oslo
        if frame.nominal:
            return True
        if natural_cause(frame):
            return False  # "the earthquake hit Nepal": nobody attacked Nepal
        # a headline's passive without "be" ("Tear gas fired as ..."): the subject is what
        # was fired, and who fired it is not said
        return bool(objects_of(frame.trigger)) or not self.events.takes_object(
            frame.lemma, frame.subject.root.lemma_.lower())

    def _sense_target(self, frame: Frame, etype) -> tuple:
        """The event type and target span as the act's sense has them: force used on a crowd
        is repression with the crowd as target; the place of a meeting is not its partner."""
        target = frame.object
        if target is not None and currency_name(target.root):
            target = None  # "pledged US $50 million": a sum, whose recipient is named elsewhere
        if etype is None:
            return etype, target
        crowd = crowd_of(frame.trigger) if (
            etype.cameo[:2] in FORCE_ROOTS or etype.cameo == REPRESSION) else None
        if crowd is not None:
            target = arg_span(crowd)
            if etype.cameo[:2] in FORCE_ROOTS:
                etype = self.events.classify("repress") or etype
        if (self.events_only and not place_is_target(etype.cameo) and frame.prep in PLACE_ADJUNCT_PREPS
                and target is not None and target.root.ent_type_ in PLACE_LABELS):
            target = None  # "met in Geneva": where they met, not whom
        return etype, target

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

    def _actors(self, frame: Frame, subject: Mention, obj: Mention | None, target: Span | None, index: int,
                resolver: EntityResolver, statement: bool, place_target: bool
                ) -> tuple[Mention, Mention | None, Token | None, list[Mention]]:
        """Event mode: source and target as actors, not the phrases that hold them.

        A source that names no actor ("their countries") becomes the agent of its act noun
        ("shelling by X"), else the actor nearest before the trigger; a target that names none
        ("lifted a curfew in X", "denounced X's crackdown") becomes the actor among the
        trigger's arguments, then the nearest other actor of the sentence, with the actors
        coordinated with it (the fourth value). Names inside place phrases, appositions and
        titles are never taken this way (:func:`in_adjunct`). A statement with no coded content
        ("X did Y, officials said") is told as the content's actors: the speaker is not a party
        to what was said; the third value is then the content's verb, which the relation tells
        instead of the statement.
        """
        trigger, sent = frame.trigger, frame.trigger.sent
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
            if frame.prep in PLACE_PREPS and obj.label == "GPE":
                # "X was arrested in Lebanon": with no agent named, the state where it happened acts
                return obj, subject, retold, []
            if self._by_means(frame) is not None:
                # "X was killed in a car bombing": the bombing is what acted, X its target
                return resolver.resolve(frame.object, index, role="actor"), subject, retold, []
        own = [t for t in sent if subject.start <= t.idx < subject.end]
        if retold is not None:
            own += phrase  # nor is the title of the subject its target
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
                found = self._other_actor(pool, taken, subject, index, resolver)
                if found is not None:
                    # actors coordinated with one of the trigger's own arguments are its
                    # targets too; a name met further away is one target
                    obj, more = found[0], (found[1:] if pool is inside or pool is args else [])
                    break
        return subject, obj, retold, more

    @staticmethod
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


class _Cues(NamedTuple):
    """What a trigger's context says about every frame of it: stance, source, place, quote."""

    stance: tuple[bool, str]
    source: Span | None
    place: Span | None
    quote: str | None


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
    from kg.documents import parse_date, safe_document

    if isinstance(document, str):
        document = Document("text", document, published=parse_date(published))
    return _DEFAULT.extract(safe_document(document))
