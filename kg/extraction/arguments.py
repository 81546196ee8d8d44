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
from kg.extraction.select import ACTOR_LABELS, REPORTING_LEMMAS, TIME_WORDS
from kg.extraction.spans import (
    SUBJECT_DEPS,
    arg_span,
    conjuncts,
    ent_at,
    objects_of,
    prep_objects,
    relation_tokens,
    text_of,
    verb_lemma,
)

# Common nouns that name actors themselves ("the government", "rebels"): CAMEO codes them as
# agents, so an argument they head needs no named actor in its place.
AGENT_NOUNS = frozenset({"government", "authority", "police", "army", "military", "troop",
                         "soldier", "force", "rebel", "militant", "insurgent", "protester",
                         "demonstrator", "opposition", "parliament", "official", "minister",
                         "president", "leader", "delegation", "delegate", "diplomat", "ambassador",
                         "court", "judge", "crowd", "student", "worker", "refugee", "civilian",
                         "villager", "party", "militia", "guerrilla", "regime", "cabinet",
                         "negotiator", "envoy", "spokesman", "spokeswoman", "ministry",
                         "protestor", "marcher", "mourner", "rioter"})
# A common-noun object names the deal or tie; its partner is the target ("signed an accord
# with X", "restore ties with X", "a resumption of ties between X and Y").
PARTNER_PREPS = frozenset({"with", "to", "between", "against", "on", "toward", "towards", "from",
                           "for", "of"})
# Adjectives whose infinitive is the subject's own act: "is about / ready / due to sign".
RAISING_ADJECTIVES = frozenset({"about", "ready", "due", "likely", "set", "poised", "willing",
                                "eager", "unlikely", "unwilling", "able", "unable", "prepared",
                                "keen", "determined", "expected", "certain", "sure"})

# Measures and amounts before what they measure ("tons of aid", "a shipment of arms").
QUANTITY_NOUNS = frozenset({"ton", "tonne", "tons", "tonnes", "barrel", "unit", "kilogram", "kilo",
                            "litre", "liter", "gallon", "worth", "million", "billion", "thousand",
                            "hundred", "dozen", "shipment", "batch", "load", "consignment",
                            "package", "amount", "quantity", "lot", "truckload", "planeload",
                            "shipload", "cargo", "crate", "sack", "bag", "box", "round", "piece",
                            "number", "range", "series", "wave", "volley", "salvo", "string", "barrage"})


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
    return any(_actor_token(c) for c in conjuncts(root) if c.i != root.i) or (
        root.dep_ == "conj" and _actor_token(root.head))


def _actor_token(tok: Token) -> bool:
    """A token that names an actor: a named entity of an actor type, or a proper noun."""
    if tok.ent_type_ in ACTOR_LABELS:
        return True
    return (tok.pos_ == "PROPN" and not tok.ent_type_ and tok.lower_ not in TIME_WORDS
            and tok.is_alpha and (tok.is_title or (tok.is_upper and len(tok) > 1)))  # "ECOWAS"


def actor_span(tokens: list[Token]) -> Span | None:
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
    if root.ent_type_ == "MONEY" or lemma in currency_words():
        return "money"
    return lemma


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
    return _actor_token(tok) or (tok.pos_ in {"ADJ", "PROPN"} and tok.is_title and tok.is_alpha)


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


# Prepositions of where or whence ("talks in Doha", "teams from Bulgaria", "recognised X as
# Y's leader"): a place named inside them says where, not who acts or suffers the act.
PLACE_ADJUNCT_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "around",
                                 "throughout", "within", "as"})
# Event roots whose place is never their partner: statements and consultations ("said in
# Oslo", "met in Doha"). Other acts done in a country are coded against it, CAMEO's way
# ("lifted a curfew in X", "rioted at a jail in X").
LOCATION_ROOTS = frozenset({"01", "04"})
# ... but a visit's place is its host ("arrived in Amman" visits Jordan).
TRAVEL_CODES = frozenset({"042", "043"})


def place_is_target(cameo: str | None) -> bool:
    """Whether a place named in an event's phrases may stand for its target (see LOCATION_ROOTS)."""
    return cameo is None or cameo[:2] not in LOCATION_ROOTS or cameo[:3] in TRAVEL_CODES
# Noun-internal links an adjunct test walks up through to the word that governs the phrase.
_NOUN_DEPS = frozenset({"pobj", "prep", "compound", "amod", "nmod", "poss", "conj", "cc",
                        "appos", "det", "nummod"})
# Prepositions that name the agent of an act noun ("shelling by X", "fire from X").
AGENT_NOUN_PREPS = frozenset({"by", "from"})
AGENT_MODIFIER_LABELS = frozenset({"NORP", "GPE", "ORG"})


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
                node.head.lemma_.lower() not in AGENT_NOUNS):
            # "officials in Kyrgyzstan" are Kyrgyzstan's: only a phrase of place says where
            return True
        if (node is tok and node.dep_ == "compound" and node.ent_type_ in {"GPE", "LOC", "FAC"}
                and node.head.pos_ == "NOUN" and node.head.lemma_.lower() not in AGENT_NOUNS):
            return True  # a place in a name: "the Minsk accords", "a Hong Kong park"
        if node.dep_ == "npadvmod" and node.ent_type_ in {"GPE", "LOC", "FAC"} and node.i > node.head.i:
            return True  # "met at a summit in the capital, Cairo": an appended place
        if node.dep_ not in _NOUN_DEPS or node.head.i == node.i:
            return False
        node = node.head
    return False


def agent_of(noun: Token) -> Span | None:
    """The actor whose act a noun names, or None.

    "shelling by X", "fire from X", "an ambush by militants tied to X", "X's decision",
    "Pakistani shelling", "the Russian gas deal": the act is X's.
    """
    if noun.pos_ == "PROPN" or noun.ent_type_ in ACTOR_LABELS or noun.lemma_.lower() in AGENT_NOUNS:
        return None  # "Darfur rebels" act themselves
    if noun.pos_ in {"VERB", "AUX"}:
        # a headline's clause object: "condemns Pakistan shelling"
        subj = next((c for c in noun.children if c.dep_ == "nsubj" and _actor_token(c)), None)
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
        if child.dep_ == "poss" and _actor_token(child):
            return actor_span(list(child.subtree))
        if child.dep_ in {"amod", "compound"} and child.ent_type_ in AGENT_MODIFIER_LABELS:
            return actor_span([child])
    return None


# Prepositions under which a passive names the act that befell its subject ("killed in
# shelling by X", "wounded in an attack by X").
ACT_PREPS = frozenset({"in", "during", "by"})


def passive_agent(frame: Frame) -> Span | None:
    """The agent behind the act noun of a passive with no agent of its own, or None."""
    if frame.pattern not in {"passive", "passive-prep", "passive-agent"}:
        return None
    trigger = frame.trigger
    if frame.pattern == "passive-agent":
        return None if _named(frame.subject.root) else agent_of(frame.subject.root)
    for prep in (c for c in trigger.children if c.dep_ in {"prep", "agent"} and c.lower_ in ACT_PREPS):
        for noun in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            span = agent_of(noun)
            if span is not None:
                return span
    return None


# Participles that name where a statement comes from ("citing state television").
ATTRIBUTION_PARTICIPLES = frozenset({"cite", "quote"})


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
    own = {t.i for t in frame.trigger.subtree}
    speakers = {t.i for verb in frame.trigger.ancestors if verb.pos_ in {"VERB", "AUX"}
                for s in verb.children if s.dep_ in {"nsubj", "nsubjpass"} and s.i not in own
                for t in s.subtree}
    return phrase | cited | speakers


# Crowds of people on the street: force used on them is repression, not war (CAMEO 175).
CROWD_NOUNS = frozenset({"protester", "protestor", "demonstrator", "crowd", "marcher", "rally",
                         "demonstration", "protest", "mourner", "rioter"})


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
    # "thousands of protesters"
    heads += [p for h in heads for prep, pobj in prep_objects(h) if prep.lower_ == "of" for p in conjuncts(pobj)]
    heads += [p for prep, pobj in prep_objects(verb) if prep.lower_ in {"on", "at", "against", "into"}
              for p in conjuncts(pobj)]
    return next((h for h in heads if h.lemma_.lower() in CROWD_NOUNS), None)


# Natural hazards: what they "hit" or "strike" is not attacked by anyone.
HAZARD_NOUNS = frozenset({"earthquake", "quake", "flood", "storm", "cyclone", "typhoon",
                          "hurricane", "tsunami", "drought", "wildfire", "landslide", "avalanche",
                          "eruption", "tornado", "heatwave", "blizzard", "mudslide", "aftershock"})


def natural_cause(frame: Frame) -> bool:
    """The act's doer is a natural hazard ("a cyclone hit Bangladesh", "the earthquake hit
    Nepal" with the noun right before the verb)."""
    before = frame.trigger.nbor(-1) if frame.trigger.i > frame.trigger.sent.start else None
    return frame.subject.root.lemma_.lower() in HAZARD_NOUNS or (
        before is not None and before.lemma_.lower() in HAZARD_NOUNS)


# Dependents of a trigger that start clauses of their own: their actors are not its arguments.
_CLAUSE_CHILD_DEPS = frozenset({"advcl", "ccomp", "parataxis", "relcl", "conj"})


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
    inside = [t for t in inside if place_target or not in_adjunct(t)]
    stranded = any(t.dep_ == "prep" and t.n_rights == 0 for t in trigger.subtree) or (
        trigger.pos_ == "VERB" and not objects_of(trigger) and frame.object is not None)
    theirs = set() if stranded else {t.i for c in trigger.children if c.dep_ == "conj"
                                     and c.pos_ in {"VERB", "AUX"} for t in c.subtree}
    children = sorted((c for c in trigger.children if c.dep_ not in SUBJECT_DEPS | {"punct", "expl"}
                       and c.i not in theirs),
                      key=lambda c: (c.dep_ in _CLAUSE_CHILD_DEPS,
                                     c.dep_ == "prep" and c.lower_ in PLACE_ADJUNCT_PREPS))
    args = [t for c in children for t in c.subtree if place_target or not in_adjunct(t)]
    after = [t for t in sent if t.i > trigger.i and t.i not in theirs and not in_adjunct(t)]
    rest = [t for t in reversed(sent[: max(trigger.i - sent.start, 0)]) if not in_adjunct(t)]
    return inside, args, after, rest


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


# Prepositions naming what a reaction is about ("complained to the UN over X's raids").
CONCERN_PREPS = frozenset({"over", "about", "against", "at"})


def concern_agent(verb: Token) -> Span | None:
    """The agent of the act a reaction is about, or None: "complained to the UN over Israeli
    air raids" -> Israeli."""
    for prep, pobj in prep_objects(verb):
        if prep.lower_ in CONCERN_PREPS:
            span = agent_of(pobj)
            if span is not None:
                return span
    return None
