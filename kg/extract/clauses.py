"""Dependency frames: who does what to whom in active, passive, prepositional and control clauses.

A frame is a verb (the trigger) with its subject and object spans, read off the parse of one
sentence.  Frames live inside the extractor only (they hold spaCy Spans); the extractor turns
them into kg.types.Event records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract.spans import (
    RELATIVE_PRONOUNS,
    arg_span,
    conjuncts,
    is_negated,
    objects_of,
    prep_objects,
    relation_tokens,
    subjects_of,
    text_of,
    verb_lemma,
)

# Verbs whose object is the understood subject of their infinitive ("urged Putin not to escalate").
OBJECT_CONTROL = {
    "urge", "ask", "tell", "persuade", "force", "order", "advise", "encourage", "invite", "allow",
    "help", "warn", "press", "push", "compel", "require", "instruct", "pressure", "implore",
    "request", "call", "convince", "permit", "enable", "authorize", "authorise", "direct", "beg",
    "expect", "want", "lead", "prompt", "challenge",
}
# Verbs that mostly introduce content rather than act on their complement clause.
REPORTING = {"say", "tell", "add", "state", "claim", "report", "announce", "note", "insist",
             "argue", "write", "declare", "suggest", "indicate", "mention", "believe", "think"}
COPULA = {"be"}
WH_TAGS = {"WP", "WDT", "WRB", "WP$"}
NOT_ARGUMENT_POS = {"ADV", "SCONJ", "CCONJ", "PART", "DET", "PUNCT", "SPACE"}

# How much a pattern is trusted before argument quality is taken into account.
RELIABILITY = {
    "svo": 0.85,
    "passive-agent": 0.8,
    "prep": 0.7,
    "svo-inherited": 0.7,
    "control": 0.65,
    "relcl": 0.65,
    "copula": 0.6,
    "participle": 0.55,
    "intransitive": 0.45,
    "passive": 0.5,
    "nominal-between": 0.75,
    "light-verb": 0.75,
    "nominal": 0.65,
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
        heads, how = logical_subjects(head, depth + 1)
        if any(s.dep_ == "nsubjpass" for s in subjects_of(head)):
            return [], "none"
        return heads, "inherited" if heads else "none"
    if verb.dep_ == "xcomp" and head is not verb:
        objs = objects_of(head)
        if head.lemma_.lower() in OBJECT_CONTROL and objs:
            return conjuncts(objs[0]), "control"
        heads, _ = logical_subjects(head, depth + 1)
        return heads, "control" if heads else "none"
    if verb.dep_ == "relcl" and not subjects_of(verb):
        return [], "none"
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":
        heads, _ = logical_subjects(head, depth + 1)
        return heads, "participle" if heads else "none"
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in {"NOUN", "PROPN"}:
        return [head], "participle"
    return [], "none"


def _extra_args(verb: Token, used: set[int]) -> tuple[Span, ...]:
    """Prepositional phrases and temporal/locative modifiers not already used as the object."""
    out = []
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
    base = {"explicit": "svo", "inherited": "svo-inherited", "control": "control",
            "relcl": "relcl", "participle": "participle"}.get(how, "svo")

    if passive_subjects:
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
        if not agent_heads:
            for patient in patients:
                yield Frame(arg_span(patient), verb, text_of(relation_tokens(verb)), lemma, None,
                            "passive", particle=particle, negated=negated, extra=extra)
        return

    if not subj_heads:
        return
    subjects = [arg_span(s) for s in subj_heads if s.pos_ not in NOT_ARGUMENT_POS or s.lower_ in RELATIVE_PRONOUNS]
    if verb.dep_ == "relcl" and how == "relcl":
        subjects = [arg_span(s, keep_relcl=False) for s in subj_heads]
    objects = [o for d in objects_of(verb) for o in conjuncts(d)]
    emitted = False
    if objects:
        used = {t.i for o in objects for t in o.subtree}
        extra = _extra_args(verb, used)
        for subj in subjects:
            for obj in objects:
                if obj.pos_ in NOT_ARGUMENT_POS or obj.tag_ in WH_TAGS:
                    continue
                yield Frame(subj, verb, text_of(relation_tokens(verb)), lemma, arg_span(obj), base,
                            particle=particle, negated=negated, extra=extra)
                emitted = True
    for prep, pobj in prep_objects(verb):
        if objects or prep.dep_ == "agent" or prep.i < verb.i:
            continue
        rel = relation_tokens(verb, extra=[prep])
        used = {t.i for t in prep.subtree}
        extra = _extra_args(verb, used)
        for member in conjuncts(pobj):
            for subj in subjects:
                yield Frame(subj, verb, text_of(rel), lemma, arg_span(member), "prep" if base == "svo" else base,
                            prep=prep.lower_, particle=particle, negated=negated, extra=extra)
                emitted = True
        break  # the first prepositional object is the argument; later ones are extras
    if not emitted:
        comp = next((c for c in verb.children if c.dep_ in {"xcomp", "ccomp"} and c.pos_ in {"VERB", "AUX"}), None)
        extra = _extra_args(verb, set())
        for subj in subjects:
            obj = verb.doc[comp.left_edge.i: comp.right_edge.i + 1] if comp is not None else None
            yield Frame(subj, verb, text_of(relation_tokens(verb)), lemma, obj,
                        "intransitive" if obj is None else base, particle=particle, negated=negated,
                        extra=extra)


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
