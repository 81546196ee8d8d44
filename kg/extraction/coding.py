"""Event coding: the CAMEO type a frame tells, read from the event lexicon.

A verb and its object ("signed a deal"), an event noun ("the attack on X"), a light verb whose
object carries the act ("launched a mediation effort"), the means of an attack ("killed in a
car bombing") and the sense of force used on a crowd (repression) all decide the type here.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction.arguments import act_modifier, currency_name, object_lemma
from kg.extraction.clauses import Frame
from kg.extraction.events import STATEMENT_ROOT, EventLexicon, EventType
from kg.extraction.roles import (
    crowd_of,
    means_nouns,
    name_complement,
    named_only,
    natural_cause,
    place_is_target,
)
from kg.extraction.spans import arg_span, objects_of
from kg.extraction.stance import demanded
from kg.extraction.vocab import PLACE_ADJUNCT_PREPS, PLACE_LABELS

__all__ = ["EventCoder"]

# Acts of force: used on a crowd, they are repression.
FORCE_ROOTS = frozenset({"18", "19", "20"})
REPRESSION = "175"
# unconventional violence (bombings, assaults) and conventional force
ASSAULT_ROOT, FIGHT_ROOT = "18", "19"


class EventCoder:
    """Codes frames with an event lexicon.

    Example:
        >>> coder = EventCoder(EventLexicon.load())
        >>> etype, carried = coder.code(frame, False, "asserted", set())  # doctest: +SKIP
        >>> etype.cameo  # frame: "Russia invaded Ukraine"
        '190'
    """

    def __init__(self, lexicon: EventLexicon):
        self.events = lexicon

    def code(self, frame: Frame, negated: bool, modality: str,
             carriers: set[int]) -> tuple[EventType | None, bool]:
        """The event type of a frame (None when it tells no coded act) and whether an event
        noun among ``carriers`` (the triggers of the sentence's nominal frames) carries the
        event instead of the frame's light verb."""
        # a light verb whose object is an event noun: the noun's own frame carries the event
        carried = not frame.nominal and frame.object is not None and frame.object.root.i in carriers
        etype = self._noun_type(frame, negated, modality) if frame.nominal else None
        if etype is None:
            etype = self._verb_type(frame, negated, modality)
            if carried and etype is not None and not self._own_act(frame, etype, negated, modality):
                # a light or statement verb ("launched an attack", "announced talks"): the
                # event noun's frame carries the event
                etype = None
            carried = carried and etype is None
            if etype is None and not carried and frame.object is not None:
                etype = self._act_modifier(frame.object.root, negated, modality)
        etype = etype if etype is None or self._asserted_act(frame) else None
        if etype is not None and modality == "requested" and demanded(frame.trigger):
            etype = self.events.as_demand(etype)
        if etype is not None and not frame.nominal and etype.cameo[:2] in {ASSAULT_ROOT, FIGHT_ROOT}:
            etype = self.by_means(frame) or etype
        return etype, carried

    def _noun_type(self, frame: Frame, negated: bool, modality: str) -> EventType | None:
        """The noun says what the event is ("a deal with X" is an agreement, not "agree with");
        its modifier narrows it like a verb's object ("hunger strike", "air strike")."""
        trigger = frame.trigger
        modifier = next((c.lemma_.lower() for c in trigger.children
                         if c.dep_ in {"compound", "amod"} and c.i < trigger.i), None)
        return self.events.classify(trigger.lemma_.lower(), prep=frame.prep, nominal=True,
                                    object_lemma=modifier, negated=negated, modality=modality)

    def _verb_type(self, frame: Frame, negated: bool, modality: str) -> EventType | None:
        """The type the frame's verb, particle, preposition and object say."""
        prep = frame.prep
        obj_lemma = object_lemma(frame.object) if frame.object is not None else None
        named_as = name_complement(frame.trigger) if not frame.nominal and prep is None else None
        if named_as is not None:
            # "called Maduro a dictator": a name given, not a phone call
            prep, obj_lemma = "as", named_as.lemma_.lower()
        if named_only(frame.trigger):
            return None  # "what it called referendums": a name given in passing
        return self.events.classify(frame.lemma, particle=frame.particle, prep=prep,
                                    object_lemma=obj_lemma, negated=negated, modality=modality)

    def _act_modifier(self, noun: Token, negated: bool, modality: str) -> EventType | None:
        """The act an uncoded verb's object carries: "undertook a mediation mission" and
        "launched a mediation effort" mediate (:func:`act_modifier`)."""
        act = act_modifier(noun)
        if act is None:
            return None
        return self.events.classify(act.lemma_.lower(), nominal=True, negated=negated, modality=modality)

    def by_means(self, frame: Frame) -> EventType | None:
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

    def sense_target(self, frame: Frame, etype: EventType | None,
                     events_only: bool) -> tuple[EventType | None, Span | None]:
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
        if (events_only and not place_is_target(etype.cameo) and frame.prep in PLACE_ADJUNCT_PREPS
                and target is not None and target.root.ent_type_ in PLACE_LABELS):
            target = None  # "met in Geneva": where they met, not whom
        return etype, target

    def _own_act(self, frame: Frame, etype: EventType, negated: bool, modality: str) -> bool:
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
