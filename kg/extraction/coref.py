"""Rule-based coreference: pronouns and definite descriptions -> earlier entity mentions.

Antecedents are the entity mentions seen so far in a document, each with its sentence, offset,
type, number and whether it was a subject. Pronouns pick the nearest compatible antecedent
(subjects first across sentences); "the country" the nearest country; "the president" or
"the Kremlin leader" the person whose title and country match.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from kg.extraction.gazetteer import name_key, titles_in
from kg.extraction.spans import doc_table, sentence_bounds, span_text
from kg.extraction.vocab import (
    ACTOR_TYPES,
    BODY_TYPES,
    COUNTRY_TYPES,
    FEMALE_PRONOUNS,
    MALE_PRONOUNS,
    NEUTER_PRONOUNS,
    OBJECT_PRONOUNS,
    SUBJECT_DEPS,
    THIRD_PERSON_PRONOUNS,
)
from kg.extraction.words import BODY_PLURAL_HEADS, COUNTRY_PLURAL_HEADS

_PERSON_WINDOW = 3
_THING_WINDOW = 2
#: sentences back that any rule here looks for an antecedent
WINDOW = max(_PERSON_WINDOW, _THING_WINDOW)
_MAX_TITLE = 4  # words in the longest title ("national security adviser")


@dataclass(frozen=True, slots=True)
class Antecedent:
    """An entity mention that later pronouns and descriptions may refer to."""

    entity: str
    type: str
    text: str  # the name it was written with, reported as Mention.resolved_from
    sent_index: int
    start: int
    end: int
    subject: bool = False
    plural: bool = False
    gender: str | None = None


@dataclass(slots=True)
class Person:
    """What a document says about a person: title words, country, and the body (a party, a
    bar association, an armed group) whose title it is ("LSK president" is not Kenya's)."""

    entity: str
    titles: set[str]
    country: str | None = None
    leader: bool = False
    last_seen: int = -1
    body: str | None = None


def is_subject(token: Token) -> bool:
    """True when the token (or the head of its flat name) is a clause subject."""
    while token.dep_ in ("compound", "flat", "appos", "poss") and token.head is not token:
        token = token.head
    return token.dep_ in SUBJECT_DEPS


def pronoun_of(span: Span) -> Token | None:
    """The pronoun token when the span is a bare personal pronoun, else None."""
    table = doc_table(span.doc)
    words = [i for i in range(span.start, span.end) if not table.puncts[i]]
    if len(words) == 1 and table.lowers[words[0]] in THIRD_PERSON_PRONOUNS:
        return span.doc[words[0]]
    return None


def _ranked(candidates: list[Antecedent], sent_index: int, prefer=lambda a: 0) -> list[Antecedent]:
    """Order candidates: nearer sentences first; then a preference; subjects; proximity."""

    def key(a: Antecedent):
        distance = sent_index - a.sent_index
        if distance == 0:
            return (0, prefer(a), not a.subject, -a.start)
        return (distance, prefer(a), not a.subject, a.start if a.subject else -a.start)

    return sorted(candidates, key=key)


def resolve_pronoun(
    pronoun: Token, sent_index: int, antecedents: list[Antecedent]
) -> Antecedent | None:
    """The antecedent of a personal pronoun, or None when no compatible one is near."""
    word = pronoun.lower_
    if pronoun.dep_ == "expl":
        return None
    blocked = _own_subject_offsets(pronoun)
    speaker = _speaker_span(pronoun)
    before = [a for a in antecedents if a.start < pronoun.idx
              and not any(a.start <= i < a.end for i in blocked)]
    subject = _own_pronoun_subject(pronoun) if blocked else None
    if subject is not None:  # "He thanked him": whoever "he" is, "him" is someone else
        taken = resolve_pronoun(subject, sent_index, antecedents)
        if taken is not None:
            before = [a for a in before if a.entity != taken.entity]
    if word in MALE_PRONOUNS or word in FEMALE_PRONOUNS:
        gender = "m" if word in MALE_PRONOUNS else "f"
        pool = [
            a for a in before
            if a.type == "Person" and a.gender in (None, gender)
            and sent_index - a.sent_index <= _PERSON_WINDOW
        ]
        ranked = _speaker(pool, speaker) or _ranked(pool, sent_index)
        return ranked[0] if ranked else None
    near = [a for a in before if a.type != "Person" and sent_index - a.sent_index <= _THING_WINDOW]
    if word in NEUTER_PRONOUNS:
        if word == "it" and not _nearest_np_is_entity(pronoun, near):
            return None  # "it" usually stands for an event or a thing, not an entity
        pool = [a for a in near if not a.plural]
        ranked = _speaker(pool, speaker) or _ranked(pool, sent_index, lambda a: a.type not in ACTOR_TYPES)
        return ranked[0] if ranked else None
    plural = [a for a in near if a.plural]
    actors = [a for a in near if a.type in ACTOR_TYPES]
    ranked = _speaker(plural or actors, speaker) or _ranked(plural, sent_index) or _ranked(actors, sent_index)
    return ranked[0] if ranked else None


def _speaker_span(pronoun: Token) -> tuple[int, int] | None:
    """Character span of the head of who speaks when the pronoun is the subject of a reported clause:
    "X said [they would withdraw]", "X rejected Y and said [they opposed Z]" -> X."""
    if pronoun.dep_ not in {"nsubj", "nsubjpass"} or pronoun.head.dep_ != "ccomp":
        return None
    subjects = _clause_subjects(pronoun.head.head)
    if not subjects:
        return None
    head = subjects[0]  # its head: "Trump's aides said he" is not Trump speaking
    return head.idx, head.idx + len(head.text)


def _speaker(pool: list[Antecedent], span: tuple[int, int] | None) -> list[Antecedent]:
    """The antecedents that name the speaker (the one ending last first), or []."""
    if span is None:
        return []
    inside = [a for a in pool if a.start < span[1] and span[0] < a.end]
    return sorted(inside, key=lambda a: -a.end)


def _own_subject_offsets(pronoun: Token) -> list[int]:
    """Character offsets of the subject of the pronoun's own clause when it is an object there:
    "Biden met Xi and urged him" -- "him" is not Biden (a reflexive would be)."""
    if pronoun.lower_ not in OBJECT_PRONOUNS or pronoun.dep_ not in {"dobj", "dative", "pobj", "obj"}:
        return []
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    return [t.idx for c in _clause_subjects(verb) for t in c.subtree]


def _clause_subjects(verb: Token) -> list[Token]:
    """The subjects of a verb's clause; coordinated verbs share the first verb's subject."""
    for _ in range(4):
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects or verb.dep_ != "conj" or verb.head is verb:
            return subjects
        verb = verb.head
    return []


def _own_pronoun_subject(pronoun: Token) -> Token | None:
    verb = pronoun.head.head if pronoun.dep_ == "pobj" else pronoun.head
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is not None and subject.lower_ in THIRD_PERSON_PRONOUNS and subject.lower_ not in OBJECT_PRONOUNS - {"it"}:
        return subject
    return None


def _nearest_np_is_entity(pronoun: Token, near: list[Antecedent]) -> bool:
    """Whether the closest preceding singular noun phrase (this or the last sentence) is one of
    ``near``; a closer plain noun ("the call", "the deal") means "it" is that thing."""
    doc = pronoun.doc
    first = sentence_bounds(doc, pronoun.i)[0]
    if first > 0:
        first = sentence_bounds(doc, first - 1)[0]
    for i in range(pronoun.i - 1, first - 1, -1):
        tok = doc[i]
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "poss", "amod"):
            continue
        if tok.tag_ in ("NNS", "NNPS"):
            continue
        if tok.ent_type_ == "PERSON":
            continue
        return any(a.start <= tok.idx < a.end for a in near)
    return False


def resolve_country_noun(sent_index: int, start: int, antecedents: list[Antecedent]):
    """"the country" / "the nation" -> the nearest preceding country antecedent."""
    pool = [
        a for a in antecedents
        if a.type == "Country" and a.start < start and sent_index - a.sent_index <= _PERSON_WINDOW
    ]
    ranked = _ranked(pool, sent_index)
    return ranked[0] if ranked else None


def match_person(
    title: str, leader: bool, country: str | None, people: dict[str, Person], body: str | None = None
) -> Person | None:
    """The most recently seen person with this title (any head-of-state title when the
    description says "leader"), of this body (None: of no body) and, when given, this country."""
    best: Person | None = None
    for person in people.values():
        if (country is not None and person.country != country) or person.body != body:
            continue
        if title == "leader":
            ok = person.leader
        else:
            ok = title in person.titles
        if ok and (best is None or person.last_seen > best.last_seen):
            best = person
    return best


def title_at_end(core: Span, titles: dict[str, bool]) -> tuple[str, int] | None:
    """The title key a span ends with and its length in tokens ("the Russian president" ->
    ("president", 1); "the President-elect" -> ("president elect", 3))."""
    doc, end = core.doc, core.end
    for n in range(min(_MAX_TITLE + 2, len(core)), 0, -1):
        key = name_key(span_text(doc, end - n, end))
        if key in titles:
            return key, n
    return None


def new_person(entity_id: str, country: str | None, gaz_role: str | None, titles) -> Person:
    """A person record seeded with the titles of the gazetteer's role, unless a former one."""
    person = Person(entity=entity_id, titles=set(), country=country)
    if gaz_role and not gaz_role.lower().startswith("former"):
        person.titles |= titles_in(gaz_role, titles)
    person.leader = any(titles.get(t) for t in person.titles)
    return person


# Plural descriptions of entities named before: head noun -> the entity types it covers.
PLURAL_HEADS = {word: (COUNTRY_TYPES if word in COUNTRY_PLURAL_HEADS else frozenset())
                | (BODY_TYPES if word in BODY_PLURAL_HEADS else frozenset())
                for word in sorted(COUNTRY_PLURAL_HEADS | BODY_PLURAL_HEADS)}
_PLURAL_WINDOW = 3


def plural_members(
    count: int | None, fits, sent_index: int, start: int, antecedents: list[Antecedent]
) -> tuple[Antecedent, ...]:
    """The entities a plural description ("the two presidents", "both governments", "the
    rival factions") stands for: the nearest sentence (this one before the description, or
    one of the last three) that names ``count`` of them (two or three when no count is said)
    distinct ones that ``fits``; () when none does, as a wrong pair is worse than none."""
    by_sentence: dict[int, dict[str, Antecedent]] = {}
    for a in antecedents:
        if a.start < start and 0 <= sent_index - a.sent_index <= _PLURAL_WINDOW and fits(a):
            by_sentence.setdefault(a.sent_index, {}).setdefault(a.entity, a)
    for index in sorted(by_sentence, reverse=True):
        found = tuple(by_sentence[index].values())
        if (len(found) == count) if count else 2 <= len(found) <= 3:
            return found
        if count is not None and len(found) > count:
            return ()  # more candidates than the description counts: which ones is unknown
    return ()
