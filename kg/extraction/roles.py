"""Who plays which part in an event: names that only say where, the agent behind an act noun,
where a target is looked for, crowds, hazards and names given.

Parse-level rules of the Extractor's event mode (kg.extraction.extractor), beside the argument
helpers of kg.extraction.arguments.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction.arguments import (
    actor_span,
    addressee,
    member_actors,
    names_actor,
    partners,
)
from kg.extraction.clauses import Frame
from kg.extraction.spans import arg_span, conjuncts, objects_of, prep_objects
from kg.extraction.vocab import (
    ACT_PREPS,
    ACTOR_LABELS,
    AGENT_MODIFIER_LABELS,
    AGENT_NOUN_PREPS,
    CLAUSE_CHILD_DEPS,
    CONCERN_PREPS,
    FUNCTION_WORDS,
    MEANS_PREPS,
    NATION_LABELS,
    NOT_ACTOR_LABELS,
    NOUN_PHRASE_DEPS,
    OWN_POSSESSIVES,
    PLACE_ADJUNCT_PREPS,
    SUBJECT_DEPS,
)
from kg.extraction.words import (
    AGENT_NOUNS,
    ATTRIBUTION_PARTICIPLES,
    CROWD_NOUNS,
    DONE_TO_LEMMAS,
    HAZARD_NOUNS,
    STANCE_NOUNS,
    STATEMENT_VERBS,
    TIME_WORDS,
)
from kg.types import Mention

# Event roots whose place is never their partner: statements and consultations ("said in
# Oslo", "met in Doha"). Other acts done in a country are coded against it, CAMEO's way
# ("lifted a curfew in X", "rioted at a jail in X").
LOCATION_ROOTS = frozenset({"01", "04"})
# ... but a visit's place is its host ("arrived in Amman" visits Jordan).
TRAVEL_CODES = frozenset({"042", "043"})


def place_is_target(cameo: str | None) -> bool:
    """Whether a place named in an event's phrases may stand for its target (see LOCATION_ROOTS)."""
    return cameo is None or cameo[:2] not in LOCATION_ROOTS or cameo[:3] in TRAVEL_CODES


def in_adjunct(tok: Token, *, titles: bool = False, any_prep: bool = False) -> bool:
    """A name inside a place phrase, an apposition or a person's title is not an actor there.

    "talks in Doha", "Oleg Petrov, head of the CSTO,", "Nigerian President Bola Tinubu":
    Doha, the CSTO and Nigeria neither act nor are acted on. A capital stands for its
    government only as the subject or agent of an act.

    Args:
        titles: a nationality in a person's title counts too ("Nigerian President X" is not
            Nigeria acting); for sources, where the person is the actor to look for.
    """
    node = tok
    for _ in range(12):
        if node.dep_ == "appos" and node is not tok:
            return True  # inside a description; "its neighbour, Eritrea" names Eritrea itself
        if titles and node.dep_ in {"amod", "compound", "nmod"} and node.head.ent_type_ == "PERSON" and (
                node.ent_type_ != "PERSON"):
            return True
        if node.dep_ == "prep" and ((any_prep and node.lower_ != "of") or node.lower_ in PLACE_ADJUNCT_PREPS) and (
                node.head.lemma_.lower() not in AGENT_NOUNS) and not stance_phrase(node):
            # "officials in Kyrgyzstan" are Kyrgyzstan's: only a phrase of place says where
            return True
        if (node is tok and node.dep_ == "compound" and node.ent_type_ in {"GPE", "LOC", "FAC"}
                and node.head.pos_ == "NOUN" and node.head.lemma_.lower() not in AGENT_NOUNS):
            return True  # a place in a name: "the Minsk accords", "a Hong Kong park"
        if node.dep_ == "npadvmod" and node.ent_type_ in {"GPE", "LOC", "FAC"} and node.i > node.head.i:
            return True  # "met at a summit in the capital, Cairo": an appended place
        if node.dep_ not in NOUN_PHRASE_DEPS or node.head.i == node.i:
            return False
        node = node.head
    return False


# Nouns after "in" that say whom an act answers, not where it is ("in defiance of X", "in
# retaliation for X's raids", "in protest against X").


def stance_phrase(prep: Token) -> bool:
    """A prepositional phrase of stance rather than place: "in defiance of Chinese authorities"."""
    return any(c.dep_ == "pobj" and c.lemma_.lower() in STANCE_NOUNS for c in prep.children)


def agent_of(noun: Token) -> Span | None:
    """The actor whose act a noun names, or None.

    "shelling by X", "fire from X", "an ambush by militants tied to X", "X's decision",
    "Pakistani shelling", "the Russian gas deal": the act is X's.
    """
    if noun.pos_ == "PROPN" or noun.ent_type_ in ACTOR_LABELS or noun.lemma_.lower() in AGENT_NOUNS:
        return None  # "Darfur rebels" act themselves
    if noun.pos_ in {"VERB", "AUX"}:
        # a headline's clause object: "condemns Pakistan shelling"
        subj = next((c for c in noun.children if c.dep_ == "nsubj" and names_actor(c)), None)
        if subj is not None:
            return actor_span(list(subj.subtree))
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in AGENT_NOUN_PREPS:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                # "fire from X forces in the town": the agent, not where it was
                where = {t.i for d in pobj.subtree if d.dep_ == "prep" and d.lower_ in PLACE_ADJUNCT_PREPS
                         for t in d.subtree}
                span = actor_span([t for t in pobj.subtree if t.i not in where])
                if span is not None:
                    return span
    for child in noun.children:
        if child.i > noun.i:
            continue
        if child.dep_ == "poss" and names_actor(child):
            return actor_span(list(child.subtree))
        if child.dep_ in {"amod", "compound"} and child.ent_type_ in AGENT_MODIFIER_LABELS:
            return actor_span([child])
    return None


def passive_agent(frame: Frame) -> Span | None:
    """The agent behind the act noun of a passive with no agent of its own, or None."""
    if frame.pattern not in {"passive", "passive-prep", "passive-agent"}:
        return None
    trigger = frame.trigger
    if frame.pattern == "passive-agent":
        root = frame.subject.root
        return None if root.pos_ == "PROPN" or root.ent_type_ in ACTOR_LABELS else agent_of(root)
    for prep in (c for c in trigger.children if c.dep_ in {"prep", "agent"} and c.lower_ in ACT_PREPS):
        for noun in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            span = agent_of(noun)
            if span is not None:
                return span
    return None


# Acts done to someone that nobody does to themselves: arrests, detentions, killings, wounds.
DONE_TO_ROOTS = frozenset({"17", "18"})


def unnamed_agent(frame: Frame, source: Mention, cameo: str | None) -> bool:
    """A coercion or assault in the passive whose doer is never named ("the president has
    been detained", "nine people were wounded"): its patient still stands as the source,
    which would read as the patient acting; no source, no event. ("Israel is opposed to X",
    "forces were engaged in fighting" keep their subject: it is the actor.)"""
    harm = (cameo or "")[:2] in DONE_TO_ROOTS or frame.lemma in DONE_TO_LEMMAS
    return (harm and frame.pattern in {"passive", "passive-prep"}
            and (source.start, source.end) == (frame.subject.start_char, frame.subject.end_char))


def excluded_targets(frame: Frame) -> set[int]:
    """Tokens that cannot be a frame's target: its subject's own phrase (appositions and
    titles included) outside the trigger's clause and its conjuncts, the sources a
    participle cites ("citing Myawaddy TV") and the subjects of the clauses over it."""
    root = frame.subject.root
    # conjoined actors ("between Ethiopia and its neighbour", "U.S., China ministers") are
    # partners, not the subject
    phrase = {t.i for t in root.subtree} - {t.i for c in root.subtree if c.dep_ == "conj"
                                             and c.i != root.i for t in c.subtree}
    if frame.trigger.i in phrase:  # "Finland, which joined NATO": the clause is not the subject's
        phrase -= {t.i for t in frame.trigger.subtree}
    cited = {t.i for p in frame.trigger.sent if p.tag_ == "VBG" and p.lemma_.lower() in ATTRIBUTION_PARTICIPLES
             for t in p.subtree}
    # the speaker of a clause that reports or frames this one is not its target ("X
    # denounced the coup, saying the bloc rejects it")
    return phrase | cited | speakers(frame.trigger)


def speakers(trigger: Token, reported: bool = False) -> set[int]:
    """Tokens of the subjects of the clauses over a trigger: who reports or frames its act
    ("Hilferty said a gunship attacked the men"), neither its target nor its doer.

    Args:
        reported: only the speakers of statements whose content holds the trigger.
    """
    own = {t.i for t in trigger.subtree}
    verbs = trigger.ancestors
    if reported:
        verbs = [c.head for c in [trigger, *trigger.ancestors] if c.dep_ in {"ccomp", "parataxis"}
                 and c.head.lemma_.lower() in STATEMENT_VERBS]
    return {t.i for verb in verbs if verb.pos_ in {"VERB", "AUX"}
            for s in verb.children if s.dep_ in {"nsubj", "nsubjpass"} and s.i not in own
            for t in s.subtree}


def named_only(verb: Token) -> bool:
    """A naming in passing, not a judgement: "what it called referendums", "which he called a
    reform" label a thing the sentence is about; nobody is praised or denounced."""
    named = name_complement(verb) is not None or any(c.dep_ == "oprd" for c in verb.children)
    return named and any(c.dep_ == "dobj" and c.tag_ in {"WP", "WDT"} for c in verb.children)


def name_complement(verb: Token) -> Token | None:
    """What a verb names its object as: "called Maduro a dictator" -> dictator."""
    for child in verb.children:
        if child.dep_ == "oprd" and child.pos_ in {"NOUN", "ADJ"}:
            return child
    for obj in (c for c in verb.children if c.dep_ in {"dobj", "ccomp"} and c.pos_ in {"NOUN", "PROPN"}):
        for child in obj.children:
            # "called Maduro a dictator" (apposition), "called X's move a provocation" (object)
            if child.dep_ in {"appos", "dobj", "attr"} and child.pos_ == "NOUN" and not child.ent_type_:
                return child
    return None


def crowd_of(verb: Token) -> Token | None:
    """The crowd a verb's act falls on ("fired tear gas at protesters", "opened fire on a
    rally"), or None."""
    # "fired tear gas to disperse protesters": the purpose says on whom
    verbs = [verb, *(c for c in verb.children if c.dep_ in {"advcl", "xcomp"} and c.tag_ == "VB")]
    heads = [c for v in verbs for c in v.children if c.dep_ == "dobj"]
    heads += [p for prep, pobj in prep_objects(verb) if prep.lower_ in {"on", "at", "against", "into"}
              for p in conjuncts(pobj)]
    # "thousands of protesters", "fired at thousands of protesters"
    heads += [p for h in heads for prep, pobj in prep_objects(h) if prep.lower_ == "of" for p in conjuncts(pobj)]
    return next((h for h in heads if h.lemma_.lower() in CROWD_NOUNS), None)


def natural_cause(frame: Frame) -> bool:
    """The act's doer is a natural hazard ("a cyclone hit Bangladesh", "the earthquake hit
    Nepal" with the noun right before the verb)."""
    before = frame.trigger.nbor(-1) if frame.trigger.i > frame.trigger.sent.start else None
    return frame.subject.root.lemma_.lower() in HAZARD_NOUNS or (
        before is not None and before.lemma_.lower() in HAZARD_NOUNS)


def target_pools(frame: Frame, trigger: Token, inside: list[Token], place_target: bool
                 ) -> tuple[list[Token], list[Token], list[Token], list[Token]]:
    """Where a frame's target is looked for, in order: inside its object phrase, among the
    trigger's own phrases, after the trigger, before it.

    A place phrase ("rallies in Gaza against X") names where, not whom: it comes after the
    other phrases, and counts only for acts whose place is their target (``place_target``);
    beyond the trigger's own phrases a place in a place phrase is nobody's target. A
    coordinated act has arguments of its own ("closed the border and expelled X"), unless a
    stranded preposition or object shares them ("established ties with and opened an
    embassy in X").
    """
    sent = trigger.sent
    # whom the act answers comes before a place ("blocked streets in X in defiance of Y" is
    # against Y)
    stance = [t for c in trigger.children if c.dep_ == "prep" and stance_phrase(c) for t in c.subtree]
    inside = ([t for t in inside if not in_adjunct(t)] + stance
              + [t for t in inside if place_target and in_adjunct(t)])
    stranded = any(t.dep_ == "prep" and t.n_rights == 0 for t in trigger.subtree) or (
        trigger.pos_ == "VERB" and not objects_of(trigger) and frame.object is not None)
    theirs = set() if stranded else {t.i for c in trigger.children if c.dep_ == "conj"
                                     and c.pos_ in {"VERB", "AUX"} for t in c.subtree}
    children = sorted((c for c in trigger.children if c.dep_ not in SUBJECT_DEPS | {"punct", "expl"}
                       and c.i not in theirs),
                      key=lambda c: (c.dep_ in CLAUSE_CHILD_DEPS,
                                     c.dep_ == "prep" and c.lower_ in PLACE_ADJUNCT_PREPS and not stance_phrase(c)))
    args = [t for c in children for t in c.subtree if place_target or not in_adjunct(t)]
    after = [t for t in sent if t.i > trigger.i and t.i not in theirs and not in_adjunct(t)]
    rest = [t for t in reversed(sent[: max(trigger.i - sent.start, 0)]) if not in_adjunct(t)]
    return inside, args, after, rest


def own_phrase(obj: Span | None, subject: Span) -> bool:
    """An object its subject owns ("Syria withdrew its troops from X", "the rebels moved their
    fighters into Y"): the subject's own people or things are not the other party of the act,
    who is named elsewhere. The possessive must be able to refer to the subject ("Mali expelled
    their diplomats" are someone else's)."""
    if obj is None:
        return False
    head = subject.root
    plural = head.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in head.children) or (
        head.lower_ in {"they", "we"})
    kind = ("plural" if plural else "person" if head.ent_type_ == "PERSON" or head.lower_ in {"he", "she"}
            else "thing")
    return any(c.dep_ == "poss" and OWN_POSSESSIVES.get(c.lower_) == kind for c in obj.root.children)


def means_nouns(frame: Frame) -> list[Token]:
    """The nouns that may say how a harm was done: the subject of an active verb ("a roadside
    bomb killed ...", "suicide bombers killed ..."), the object of its "in" or "by"."""
    trigger = frame.trigger
    out = [frame.subject.root] if frame.pattern not in {"passive", "passive-prep", "passive-agent"} else []
    for prep in (c for c in trigger.children if c.dep_ in {"prep", "agent"} and c.lower_ in MEANS_PREPS):
        out.extend(c for c in prep.children if c.dep_ == "pobj")
    return out


def requested_by(frame: Frame) -> Span | None:
    """Who asks for the act a noun names: "X demanded the withdrawal of Y's forces" -> X.

    Only for a nominal act that is the object of the asking verb (or of its "for") and whose
    own agent is named
    apart from the asker; None otherwise.
    """
    noun = frame.trigger
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "for" else noun.head
    if not frame.nominal or noun.dep_ not in {"dobj", "pobj"} or verb.pos_ != "VERB":
        return None  # "demanded the withdrawal of ...", "called for a ceasefire between ..."
    asker = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if asker is None or frame.subject.root.i in {t.i for t in asker.subtree}:
        return None
    return actor_span(list(asker.subtree)) or arg_span(asker)


def concern_agent(verb: Token) -> Span | None:
    """The agent of the act a reaction is about, or None: "complained to the UN over Israeli
    air raids" -> Israeli."""
    for prep, pobj in prep_objects(verb):
        if prep.lower_ in CONCERN_PREPS:
            span = agent_of(pobj)
            if span is not None:
                return span
    return None


# Reactions to another's act (praise, disapproval, rejection): their target is the act's agent.
REACTION_ROOTS = frozenset({"05", "11", "12"})


def event_target(trigger: Token, cameo: str, target: Span | None, content: Token | None,
                 asked: list[Span]) -> tuple[Span | None, list[Span]]:
    """An event's target phrase and further targets, by what the event is.

    A statement is about its content's actor; a reaction about the agent of the act it
    reacts to ("criticised the Russian gas deal with Hungary" -> Russian; "complained to the
    UN over Israeli air raids" -> Israeli); a deal or tie is with its partners ("restored
    ties with X and Y"), people of several nations are each a target ("met Serbian and
    Croatian leaders"), and an act asked of conjoined actors is asked of each (``asked``).
    """
    if content is not None:
        return addressee(content) or target, []
    reaction = cameo[:2] in REACTION_ROOTS
    if reaction and target is not None and agent_of(target.root) is not None:
        return agent_of(target.root), []
    if reaction and concern_agent(trigger) is not None:
        return concern_agent(trigger), []
    if target is None:
        return None, []
    first, *others = partners(target) or member_actors(target) or [target, *asked]
    return first, others


def actorness(m: Mention | None) -> int:
    """2 for a resolved entity or named-entity span, 1 for a capitalised phrase, else 0."""
    if m is None or m.label in NOT_ACTOR_LABELS:
        return 0
    words = m.text.split()
    if not words or words[-1].lower() in TIME_WORDS:
        return 0
    if m.entity is not None or m.label in ACTOR_LABELS:
        return 2
    return int(any(w[:1].isupper() for w in words[1:])
               or (words[0][:1].isupper() and words[0].lower() not in FUNCTION_WORDS))


def joint_actors(frame: Frame, cameo: str | None) -> tuple[Span, Span] | None:
    """The two nations of a subject whose people act together, when the act names no actor of
    its own: "French and Egyptian warships launched war games" -> (French, Egyptian warships),
    each the other's partner, as with conjoined subjects ("France and Egypt held talks").
    A place reached by a preposition ("returned to Geneva") is not the act's actor, unless
    the act is a visit."""
    root = frame.subject.root
    where = frame.prep is not None and (cameo or "")[:3] not in TRAVEL_CODES
    if frame.object is not None and any(names_actor(t) for t in frame.object if t.ent_type_ != "DATE"
                                        and not (where and t.ent_type_ in {"GPE", "LOC", "FAC"})
                                        and not in_adjunct(t)):
        return None
    for mod in (c for c in root.children if c.dep_ in {"amod", "compound", "nmod"} and c.i < root.i
                and c.ent_type_ in NATION_LABELS):
        other = next((c for c in mod.children if c.dep_ == "conj" and c.ent_type_ in NATION_LABELS
                      and c.i < root.i), None)
        if other is not None:
            doc = root.doc
            return doc[mod.i: mod.i + 1], doc[other.i: root.i + 1]
    return None
