"""Dependency frames: who does what to whom in active, passive, prepositional and control clauses.

A frame is a verb (the trigger) with its subject and object spans, read off the parse of one
sentence.  Frames live inside the extractor only (they hold spaCy Spans); the extractor turns
them into kg.types.Event records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Span, Token

from kg.extraction.spans import (
    arg_span,
    conjuncts,
    inner_adverbs,
    is_infinitive,
    objects_of,
    prep_objects,
    relation_tokens,
    subjects_of,
    text_of,
    verb_lemma,
)
from kg.extraction.stance import is_negated
from kg.extraction.vocab import (
    AGENT_PREP,
    COPULA,
    EXAMPLE_MARKERS,
    NOT_ARGUMENT_POS,
    PLURAL_TAGS,
    PREDICATIVE_DEPS,
    RECIPIENT_PREPS,
    RELATIVE_PRONOUNS,
    WH_TAGS,
)
from kg.extraction.words import OBJECT_CONTROL_VERBS

# How much a pattern is trusted before argument quality is taken into account.
RELIABILITY = {
    "svo": 0.85,
    "prep": 0.85,
    "control": 0.78,
    "svo-inherited": 0.75,
    "copula": 0.72,
    "appositive": 0.72,
    "passive": 0.55,
    "passive-prep": 0.75,
    "relcl": 0.64,
    "passive-agent": 0.55,
    "participle": 0.52,
    "reduced-passive": 0.5,
    "intransitive": 0.38,
    "nominal-between": 0.75,
    "light-verb": 0.75,
    "nominal": 0.65,
    "owner-object": 0.6,
    "nominal-mutual": 0.6,
    "example": 0.55,
    "recipient": 0.5,
    "located": 0.5,
    "title": 0.5,
}


@dataclass(frozen=True, slots=True)
class Frame:
    """A subject–relation–object reading of one trigger in one sentence."""

    subject: Span
    trigger: Token
    relation: str
    lemma: str
    object: Span | None
    pattern: str
    prep: str | None = None
    particle: str | None = None
    negated: bool = False
    nominal: bool = False
    extra: tuple[Span, ...] = field(default=())  # further arguments (time, place, manner)

    @property
    def reliability(self) -> float:
        return RELIABILITY.get(self.pattern, 0.5)

    @property
    def agent_first(self) -> bool:
        """A passive read agent first ("X was hit by Y" as Y -> X), unlike its written order."""
        return self.pattern == "passive-agent" or (self.pattern == "reduced-passive" and self.prep == AGENT_PREP)


def is_predicate(token: Token) -> bool:
    """A token that heads a clause we read frames from."""
    if token.pos_ == "VERB":
        return True
    # "is" as the main verb of a copular clause
    return token.pos_ == "AUX" and token.dep_ in {"ROOT", "conj", "ccomp", "relcl", "advcl"} and any(
        c.dep_ in {"attr", "acomp"} for c in token.children
    )


def logical_subjects(verb: Token, depth: int = 0) -> tuple[list[Token], str]:
    """Subject heads of a verb, inherited through coordination, control and relative clauses.

    Returns the heads and a pattern tag saying how they were found.
    """
    explicit = [s for s in subjects_of(verb) if s.dep_ in {"nsubj", "csubj"}]
    if explicit:
        heads: list[Token] = []
        for subj in explicit:
            if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                heads.extend(conjuncts(verb.head))
                return heads, "relcl"
            heads.extend(conjuncts(subj))
        return heads, "explicit"
    if depth > 4:
        return [], "none"
    head = verb.head
    if verb.dep_ == "conj" and head is not verb and not any(s.dep_ == "nsubjpass" for s in subjects_of(verb)):
        heads, _ = logical_subjects(head, depth + 1)
        if any(s.dep_ == "nsubjpass" for s in subjects_of(head)):
            return [], "none"
        return heads, "inherited" if heads else "none"
    if verb.dep_ == "xcomp" and head is not verb:
        objs = objects_of(head)
        if head.lemma_.lower() in OBJECT_CONTROL_VERBS and objs:
            return conjuncts(objs[0]), "control"
        heads, _ = logical_subjects(head, depth + 1)
        return heads, "control" if heads else "none"
    if verb.dep_ == "relcl" and not subjects_of(verb):
        return [], "none"
    if verb.dep_ == "advcl" and verb.tag_ == "VB" and head.tag_ == "VBN":
        # a purpose clause of a passive: "aid sent by the US to support Ukraine" -> the US supports
        agents = [pobj for prep, pobj in prep_objects(head) if prep.dep_ == "agent"]
        if agents:
            return [a for ag in agents for a in conjuncts(ag)], "control"
    if verb.dep_ == "advcl" and is_infinitive(verb) and head.pos_ == "VERB" and not any(
            s.dep_ == "nsubjpass" for s in subjects_of(head)):
        # a purpose clause's subject is its verb's: "X travelled to Y to meet Z" -> X meets Z
        heads, _ = logical_subjects(head, depth + 1)
        return heads, "control" if heads else "none"
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":
        heads, _ = logical_subjects(head, depth + 1)
        return heads, "participle" if heads else "none"
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in {"NOUN", "PROPN"}:
        return [head], "participle"
    if main_verb_read_as_modifier(verb):
        return [head], "explicit"
    return [], "none"


def main_verb_read_as_modifier(verb: Token) -> bool:
    """A main verb the parser hung on the sentence's first name as a modifier.

    "Trump called Putin on Thursday" can come out as a noun phrase ("Trump, called Putin"): a
    past-tense verb right after a name that heads the whole sentence, with an object and no
    comma or by-phrase, is that name's act, not a reduced passive.
    """
    head = verb.head
    return (verb.dep_ == "acl" and verb.tag_ in {"VBN", "VBD"} and head.dep_ == "ROOT"
            and head.pos_ == "PROPN" and verb.i == head.i + 1
            and any(c.dep_ in {"dobj", "oprd"} for c in verb.children)
            and not any(c.dep_ == "agent" for c in verb.children))


def _recipients(verb: Token, obj: Token) -> list[tuple[Token, Token]]:
    """Named receivers or targets of an act on a thing: "supplies drones to Russia" -> Russia."""
    if obj.pos_ != "NOUN" or obj.ent_type_:
        return []
    # (a headline's object noun holds the phrases: "fires missiles at Kyiv")
    heads = (verb, obj) if obj.i == verb.head.i else (verb,)
    return [(prep, member) for head in heads for prep, pobj in prep_objects(head)
            if prep.lower_ in RECIPIENT_PREPS and prep.i > obj.i
            for member in conjuncts(pobj) if member.pos_ == "PROPN"]


def set_head(marker: Token) -> Token | None:
    """The plural noun an "including" phrase lists members of; the parser often hangs the
    phrase on the nearest noun instead ("spoke with 70 leaders since the election, including X")."""
    if marker.head.tag_ in PLURAL_TAGS:
        return marker.head
    doc = marker.doc
    for i in range(marker.i - 1, -1, -1):
        token = doc[i]
        if token.tag_ in PLURAL_TAGS and token.pos_ in {"NOUN", "PROPN"}:
            return token
        if token.pos_ in {"VERB", "AUX"} or token.is_sent_start:
            break
    return None


def examples_of(noun: Token) -> list[Token]:
    """Members listed for a plural argument: "70 leaders, including Zelensky and Erdogan"."""
    out: list[Token] = []
    doc = noun.doc
    for i in range(noun.i + 1, len(doc)):
        marker = doc[i]
        if marker.is_sent_start:
            break
        if marker.lower_ in EXAMPLE_MARKERS and marker.dep_ == "prep" and set_head(marker) == noun:
            out.extend(m for pobj in marker.children if pobj.dep_ == "pobj" for m in conjuncts(pobj))
    return out


def _extra_args(verb: Token, used: set[int]) -> tuple[Span, ...]:
    """Prepositional phrases and temporal/locative modifiers not already used as the object."""
    out = []
    used = used | {t.i for t in inner_adverbs(verb)}  # told in the relation
    for child in verb.children:
        if child.i in used:
            continue
        if child.dep_ in {"prep", "npadvmod", "advmod"} and child.pos_ not in {"PART", "CCONJ"}:
            if child.dep_ == "advmod" and child.lower_ in {"not", "also", "even", "then", "so", "too"}:
                continue
            if child.dep_ == "prep" and not any(c.dep_ in {"pobj", "pcomp"} for c in child.children):
                continue
            out.append(child.doc[child.left_edge.i: child.right_edge.i + 1])
    return tuple(out)


def verb_frames(verb: Token) -> Iterator[Frame]:
    """Every frame headed by one predicate token."""
    if verb.lemma_.lower() in COPULA and verb.pos_ == "AUX":
        yield from _copula_frames(verb)
        return
    subj_heads, how = logical_subjects(verb)
    passive_subjects = [s for s in subjects_of(verb) if s.dep_ in {"nsubjpass", "csubjpass"}]
    negated = is_negated(verb)
    lemma = verb_lemma(verb)
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    particle = prt.text.lower() if prt is not None else None
    if passive_subjects:
        yield from _passive_frames(verb, passive_subjects, lemma, particle, negated)
    elif subj_heads:
        yield from _active_frames(verb, subj_heads, how, lemma, particle, negated)
    elif verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in {"NOUN", "PROPN"}:
        yield from _reduced_passive_frames(verb, particle, negated)


def _passive_frames(verb: Token, passive_subjects: list[Token], lemma: str, particle: str | None,
                    negated: bool) -> Iterator[Frame]:
    """Frames of a passive verb: agent -> patient ("was hit by Y"), patient -> prepositional
    object ("were imposed on Iran"), or the patient alone."""
    patients = [p for s in passive_subjects for p in conjuncts(s)]
    if verb.dep_ == "relcl" and any(p.lower_ in RELATIVE_PRONOUNS for p in patients):
        patients = conjuncts(verb.head)
    agents = [pobj for prep, pobj in prep_objects(verb) if prep.dep_ == "agent"]
    agent_heads = [a for ag in agents for a in conjuncts(ag)]
    rel = relation_tokens(verb, extra=[p for p, _ in prep_objects(verb) if p.dep_ == "agent"][:1])
    used = {t.i for a in agent_heads for t in a.subtree} | {p.i for p in verb.children if p.dep_ == "agent"}
    extra = _extra_args(verb, used)
    for agent in agent_heads:
        for patient in patients:
            yield Frame(arg_span(agent), verb, text_of(rel), lemma, arg_span(patient),
                        "passive-agent", particle=particle, negated=negated, extra=extra)
    if agent_heads:
        return
    # "were imposed on Iran": the first prepositional object after the verb is the
    # argument, its preposition part of the relation
    pp = next(((p, o) for p, o in prep_objects(verb) if p.i > verb.i and p.dep_ == "prep"), None)
    if pp is not None:
        prep, pobj = pp
        rel = text_of(relation_tokens(verb, extra=[prep]))
        extra = _extra_args(verb, {t.i for t in prep.subtree})
        for patient in patients:
            for member in conjuncts(pobj):
                yield Frame(arg_span(patient), verb, rel, lemma, arg_span(member), "passive-prep",
                            prep=prep.lower_, particle=particle, negated=negated, extra=extra)
        return
    for patient in patients:
        yield Frame(arg_span(patient), verb, text_of(relation_tokens(verb)), lemma, None,
                    "passive", particle=particle, negated=negated, extra=extra)


def _active_frames(verb: Token, subj_heads: list[Token], how: str, lemma: str, particle: str | None,
                   negated: bool) -> Iterator[Frame]:
    """Frames of a verb with a logical subject: to its objects, else to its first prepositional
    object, else to its clausal complement or none."""
    base = {"explicit": "svo", "inherited": "svo-inherited", "control": "control",
            "relcl": "relcl", "participle": "participle"}.get(how, "svo")
    subjects = [arg_span(s, bare=True) for s in subj_heads
                if s.pos_ not in NOT_ARGUMENT_POS or s.lower_ in RELATIVE_PRONOUNS]
    lead = control_lead(verb) if how == "control" else []
    if verb.dep_ == "relcl" and how == "relcl":
        subjects = [arg_span(s, keep_relcl=False) for s in subj_heads]
    objects = _active_objects(verb, lemma)
    head = _Head(verb, lemma, particle, negated, lead)
    emitted = False
    for frame in (_object_frames(head, subjects, objects, base) if objects
                  else _prep_frames(head, subjects, base)):
        emitted = True
        yield frame
    if not emitted:
        comp = next((c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        extra = _extra_args(verb, set())
        for subj in subjects:
            obj = verb.doc[comp.left_edge.i: comp.right_edge.i + 1] if comp is not None else None
            yield Frame(subj, verb, text_of(relation_tokens(verb, extra=lead)), lemma, obj,
                        "intransitive" if obj is None else base, particle=particle, negated=negated,
                        extra=extra)


class _Head(NamedTuple):
    """A predicate as its frames share it: the verb, lemma, particle, negation and the verb
    group that governs it (:func:`control_lead`)."""

    verb: Token
    lemma: str
    particle: str | None
    negated: bool
    lead: list[Token]


def _active_objects(verb: Token, lemma: str) -> list[Token]:
    """The object heads of an active verb, coordinated ones included."""
    objects = [o for d in objects_of(verb) for o in conjuncts(d)]
    if not objects and verb.dep_ == "compound" and verb.head.pos_ == "NOUN" and verb.head.i > verb.i:
        # a headline verb read as a noun modifier: "Russia fires missiles at Kyiv"
        objects = [verb.head]
    if not objects:
        # "became president", "remained neutral": the complement is what the clause is about
        objects = [o for c in verb.children if c.dep_ in PREDICATIVE_DEPS for o in conjuncts(c)]
    if not objects and lemma in OBJECT_CONTROL_VERBS:
        # "will not allow Israel to use ...": parsed as a clause whose subject is our object
        objects = [o for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and is_infinitive(c)
                   for s in subjects_of(c) if s.dep_ == "nsubj" for o in conjuncts(s)]
    return objects


def _object_frames(head: _Head, subjects: list[Span], objects: list[Token], base: str) -> Iterator[Frame]:
    """Subject -> object frames, each followed by its recipients and examples."""
    verb, lemma, particle, negated, lead = head
    used = {t.i for o in objects for t in o.subtree}
    extra = _extra_args(verb, used)
    for subj in subjects:
        for obj in objects:
            if obj.pos_ in NOT_ARGUMENT_POS or obj.tag_ in WH_TAGS:
                continue
            yield Frame(subj, verb, text_of(relation_tokens(verb, extra=lead)), lemma, arg_span(obj), base,
                        particle=particle, negated=negated, extra=extra)
            for prep, pobj in _recipients(verb, obj):
                yield Frame(subj, verb, text_of(relation_tokens(verb, extra=[*lead, prep])), lemma,
                            arg_span(pobj), "recipient", prep=prep.lower_, particle=particle,
                            negated=negated)
            for member in examples_of(obj) if obj.tag_ in PLURAL_TAGS else ():
                yield Frame(subj, verb, text_of(relation_tokens(verb, extra=lead)), lemma, arg_span(member),
                            "example", particle=particle, negated=negated)


def _prep_frames(head: _Head, subjects: list[Span], base: str) -> Iterator[Frame]:
    """Subject -> prepositional object frames of a verb with no object: the first
    prepositional object after the verb is the argument; later ones are extras."""
    verb, lemma, particle, negated, lead = head
    for prep, pobj in prep_objects(verb):
        if prep.dep_ == "agent" or prep.i < verb.i:
            continue
        rel = relation_tokens(verb, extra=[*lead, prep])
        used = {t.i for t in prep.subtree}
        extra = _extra_args(verb, used)
        for member in conjuncts(pobj):
            for subj in subjects:
                yield Frame(subj, verb, text_of(rel), lemma, arg_span(member), "prep" if base == "svo" else base,
                            prep=prep.lower_, particle=particle, negated=negated, extra=extra)
                for example in examples_of(member) if member.tag_ in PLURAL_TAGS else ():
                    yield Frame(subj, verb, text_of(rel), lemma, arg_span(example), "example",
                                prep=prep.lower_, particle=particle, negated=negated)
        break


def control_lead(verb: Token) -> list[Token]:
    """The verb group that governs an infinitive with the same subject ("has had | to close",
    "failed | to envision"): it belongs to the infinitive's relation. Not with object control
    ("urged Putin to go": Putin did not urge)."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.pos_ != "VERB" or not is_infinitive(verb) or objects_of(head):
        return []
    return relation_tokens(head)


def _reduced_passive_frames(verb: Token, particle: str | None, negated: bool) -> Iterator[Frame]:
    """A past participle after a noun: "Ukraine, backed by Western nations" (the by-phrase acts
    on the noun); "a school founded in 1851" (the noun undergoes the act)."""
    patients = [arg_span(verb.head, without=verb)]
    agent_preps = [p for p in verb.children if p.dep_ == "agent"]
    agents = [a for p, pobj in prep_objects(verb) if p.dep_ == "agent" for a in conjuncts(pobj)]
    if agents:
        # the unwritten auxiliary is given as "be" so the relation reads as a passive
        rel = "be " + text_of(relation_tokens(verb, extra=agent_preps[:1]))
        used = {t.i for p in agent_preps for t in p.subtree}
        extra = _extra_args(verb, used)
        for agent in agents:
            for patient in patients:
                yield Frame(arg_span(agent), verb, rel, verb_lemma(verb), patient, "reduced-passive",
                            prep=AGENT_PREP, particle=particle, negated=negated, extra=extra)
        return
    pps = list(prep_objects(verb))
    # the unwritten auxiliary is given as "be" so the relation reads as a passive
    if pps:
        prep, pobj = pps[0]
        rel = "be " + text_of(relation_tokens(verb, extra=[prep]))
        used = {t.i for t in prep.subtree}
        yield Frame(patients[0], verb, rel, verb_lemma(verb), arg_span(pobj), "reduced-passive",
                    prep=prep.lower_, particle=particle, negated=negated, extra=_extra_args(verb, used))


def _copula_frames(verb: Token) -> Iterator[Frame]:
    subj_heads, _ = logical_subjects(verb)
    attrs = [c for c in verb.children if c.dep_ in {"attr", "acomp"}]
    if not subj_heads or not attrs:
        return
    rel = text_of(relation_tokens(verb))
    for subj in subj_heads:
        for attr in attrs:
            yield Frame(arg_span(subj), verb, rel, "be", arg_span(attr), "copula",
                        negated=is_negated(verb), extra=_extra_args(verb, set()))


def frames(sent: Span) -> Iterator[Frame]:
    """Every verbal frame of a sentence, in text order of the triggers."""
    for token in sent:
        if is_predicate(token):
            yield from verb_frames(token)


def describe(frame: Frame) -> tuple[str, str, str | None]:
    """(subject, relation, object) texts: handy in tests and debugging."""
    return frame.subject.text, frame.relation, frame.object.text if frame.object is not None else None
