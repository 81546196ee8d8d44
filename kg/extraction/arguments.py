"""What a trigger's clause names: actors and partners, the clause a statement reports, the
lemma an object pattern matches, clause depth, and frames of raised infinitives.

Parse-level helpers of the Extractor (kg.extraction.extractor), kept apart so that the Extractor
reads as the flow from frames to events.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.extraction.clauses import Frame
from kg.extraction.events import currency_words
from kg.extraction.spans import (
    arg_span,
    conjuncts,
    ent_at,
    objects_of,
    prep_objects,
    relation_tokens,
    text_of,
    verb_lemma,
)
from kg.extraction.stance import is_negated
from kg.extraction.vocab import ACTOR_LABELS, PARTNER_PREPS
from kg.extraction.words import (
    AGENT_NOUNS,
    CARRIER_NOUNS,
    QUANTITY_NOUNS,
    RAISING_ADJECTIVES,
    STATEMENT_VERBS,
    TIME_WORDS,
)


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
                      and head.lemma_.lower() not in STATEMENT_VERBS
                      and child.dep_ != "conj")
            child = head
        out[tok.idx] = level
    return out


def reported_clause(trigger: Token) -> Token | None:
    """The clause a statement reports: its complement, or the clause it is appended to
    ("X did Y, officials said" parses "said" under "did")."""
    content = content_clause(trigger)
    if content is None and trigger.dep_ in {"parataxis", "ccomp"} and trigger.head.pos_ in {"VERB", "AUX"}:
        content = trigger.head
    return content


def conjoined_actor(frame: Frame) -> bool:
    """The subject is one of conjoined actors ("X and Y agreed"): they are each other's partner."""
    root = frame.subject.root
    return any(names_actor(c) for c in conjuncts(root) if c.i != root.i) or (
        root.dep_ == "conj" and names_actor(root.head))


def names_actor(tok: Token) -> bool:
    """A token that names an actor: a named entity of an actor type, or a proper noun."""
    if currency_name(tok):
        return False
    if tok.ent_type_ in ACTOR_LABELS:
        return True
    return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.lower_ not in TIME_WORDS
            and tok.is_alpha and (tok.is_title or (tok.is_upper and len(tok) > 1)))  # "ECOWAS"


def currency_name(tok: Token) -> bool:
    """A country named as its currency's ("US $50 million"): a sum, not an actor."""
    # "gave Kenya $2 million" and "gave the US $2 million" name a recipient: only a bare
    # abbreviation before the sign is the currency's
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return (nxt is not None and nxt.tag_ == "$" and tok.is_upper and len(tok) <= 3
            and not any(c.dep_ == "det" for c in tok.children))


def actor_span(tokens: list[Token]) -> Span | None:
    """The first actor among ``tokens``, as its entity span or its proper-noun phrase."""
    for tok in tokens:
        if not names_actor(tok):
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
        negated = is_negated(verb)  # or its copula: "is not about to restore"
        prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        objects = [o for d in objects_of(verb) for o in conjuncts(d)]
        # the copula and adjective belong to the relation: "is about to restore"
        lead = [*relation_tokens(adj.head), adj]
        relation = text_of(relation_tokens(verb, extra=lead))
        for subj in (s for head in subjects for s in conjuncts(head)):
            if objects:
                for obj in objects:
                    yield Frame(arg_span(subj), verb, relation, verb_lemma(verb), arg_span(obj),
                                "control", particle=prt, negated=negated)
                continue
            for prep, pobj in prep_objects(verb):
                yield Frame(arg_span(subj), verb, text_of(relation_tokens(verb, extra=[*lead, prep])),
                            verb_lemma(verb), arg_span(pobj), "control", prep=prep.lower_,
                            particle=prt, negated=negated)
                break


def object_lemma(obj: Span) -> str:
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
    if lemma in CARRIER_NOUNS:
        act = act_modifier(root)
        if act is not None:
            return act.lemma_.lower()
    if root.ent_type_ == "MONEY" or lemma in currency_words():
        return "money"
    return lemma


def act_modifier(noun: Token) -> Token | None:
    """The noun that names the act a carrier noun carries ("mediation" in "a mediation effort")."""
    if noun.lemma_.lower() not in CARRIER_NOUNS:
        return None
    return next((c for c in noun.children if c.dep_ == "compound" and c.i < noun.i and c.pos_ == "NOUN"), None)


def content_clause(trigger: Token) -> Token | None:
    """The clause a statement verb reports ("said [that Y must go]"), or None."""
    return next((c for c in trigger.children if c.dep_ in {"ccomp", "parataxis"}
                 and c.pos_ in {"VERB", "AUX"}), None)


def obliged(clause: Token) -> bool:
    """The clause states an obligation: "Y must go", "Y has to go"."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in clause.children):
        return True
    return clause.lemma_ == "have" and any(c.dep_ == "xcomp" for c in clause.children)


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ in ACTOR_LABELS


def addressee(clause: Token) -> Span | None:
    """Who a reported clause is about: its named subject, else the first named actor in it."""
    for subj in (c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}):
        if _named(subj) or any(_named(t) for t in subj.subtree):
            return arg_span(subj)
    # "dispatching teams from X to Y": Y is whom the act is about, X where the teams come from
    named = next((t for t in clause.subtree if _named(t) and t.dep_ in {"pobj", "dobj", "nsubj"}
                  and t.head.lower_ != "from"), None)
    return arg_span(named) if named is not None else None


def partners(obj: Span) -> list[Span]:
    """The named partners inside a common-noun object ("ties with X and Y" -> X, Y), or []."""
    found = partner(obj)
    if found is None:
        return []
    return [found] + [arg_span(c) for c in conjuncts(found.root)[1:] if _named(c)]


def member_actors(obj: Span) -> list[Span]:
    """Actors whose people a plural common noun names ("Eriadori and Calenardhon leaders",
    "Iraqi and Syrian troops"): one each, or [] for fewer than two."""
    head = obj.root
    if head.lemma_.lower() not in AGENT_NOUNS:
        return []
    mod = next((c for c in head.children if c.dep_ in {"amod", "compound", "nmod"} and _people(c)), None)
    members = [m for m in conjuncts(mod) if _people(m)] if mod is not None else []
    return [head.doc[m.i: m.i + 1] for m in members] if len(members) > 1 else []


def _people(tok: Token) -> bool:
    """A word naming a people: an actor name, or a capitalised adjective ("Eriadori")."""
    return names_actor(tok) or (tok.pos_ in {"ADJ", "PROPN"} and tok.is_title and tok.is_alpha)


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
