"""Nominal and light-verb events: "a phone call between X and Y", "X's annexation of Y",
"launched a drone attack on Y", "held talks with Y", "the presence of N X troops in Y"; and the
facts a noun phrase states without a verb: appositions, titles before names, places after them.

The trigger nouns (one word or several: "phone call"), which prepositions introduce the agent
and the target, whether the event is symmetric and which row of events.tsv codes it are data
(data/lexicon/nominal.tsv), validated on load against the event lexicon.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Span, Token

from kg.errors import DataError
from kg.extraction.clauses import Frame, logical_subjects
from kg.extraction.events import EventLexicon
from kg.extraction.spans import (
    arg_span,
    conjuncts,
    keeps_appositive,
    relation_tokens,
    text_of,
    verb_lemma,
)
from kg.extraction.stance import is_negated
from kg.extraction.vocab import (
    EVENT_AGENT_LABELS,
    MODIFIER_DEPS,
    PARTY_PREPS,
    PLACE_LABELS,
    POSSESSOR_DEPS,
    WHEN_LABELS,
)
from kg.extraction.words import ENTRY_VERBS, FORMS_OF_ADDRESS, LIGHT_VERBS
from kg.resources import data_dir, read_tsv

# How much a verb acting on someone's act is trusted to act on the actor ("resisted Russia's
# advances" -> resisted Russia).
OWNER_PATTERN = "owner-object"
# The partner's side of a symmetric event noun: "X's meeting with Y" read as Y meeting X.
MUTUAL_PATTERN = "nominal-mutual"


NOMINAL_COLUMNS = ("id", "noun", "lemma", "agent_preps", "target_preps", "symmetric", "event")
# Nominal lexicon: a trigger's head word (as written, or its lemma) -> its rows, longest first.
NominalLexicon = dict[str, tuple["NominalTrigger", ...]]


@dataclass(frozen=True, slots=True)
class NominalTrigger:
    id: str
    noun: str
    lemma: str
    agent_preps: frozenset[str]
    target_preps: frozenset[str]
    symmetric: bool
    event: str | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The trigger's words: "phone call" -> ("phone", "call"); the last one is the head."""
        return tuple(self.noun.split())


def load_nominal_lexicon(path: Path | None = None, *, events: EventLexicon | None = None
                         ) -> NominalLexicon:
    """Read and validate ``nominal.tsv``: trigger rows keyed by their head word.

    Each row names the row of the event lexicon (``events``, default the shipped one) that codes
    its noun, or none for a noun that names an uncoded relation; the two tables must agree.

    Raises:
        DataError: naming file, line and id, for a missing id, noun or lemma, a duplicate noun,
            a ``symmetric`` other than yes or no, or an ``event`` that is not how the event
            lexicon codes the noun.
    """
    path = Path(path) if path else data_dir("lexicon") / "nominal.tsv"
    events = events or EventLexicon.load()
    rows: dict[str, NominalTrigger] = {}
    for lineno, row in read_tsv(path, NOMINAL_COLUMNS):
        rid, noun, lemma = row["id"], " ".join(row["noun"].lower().split()), row["lemma"].lower()
        if not rid or not noun or not lemma:
            raise DataError(str(path), "id, noun and lemma are required", lineno, rid or None)
        if noun in rows:
            raise DataError(str(path), f"duplicate noun {noun!r}", lineno, rid)
        sym = (row["symmetric"] or "no").lower()
        if sym not in {"yes", "no"}:
            raise DataError(str(path), f"symmetric must be yes or no, not {sym!r}", lineno, rid)
        rows[noun] = NominalTrigger(
            rid, noun, lemma,
            frozenset(p for p in row["agent_preps"].split("|") if p),
            frozenset(p for p in row["target_preps"].split("|") if p),
            sym == "yes", row["event"] or None,
        )
        _check_event(path, lineno, rows[noun], events)
    by_head: dict[str, list[NominalTrigger]] = {}
    for entry in rows.values():
        by_head.setdefault(entry.words[-1], []).append(entry)
    return {head: tuple(sorted(entries, key=lambda e: -len(e.words))) for head, entries in by_head.items()}


def _check_event(path: Path, line: int, entry: NominalTrigger, events: EventLexicon) -> None:
    """The event row a nominal row names is the one the event lexicon codes its noun with."""
    *modifiers, head = entry.words
    coded = events.classify(head, nominal=True, object_lemma=" ".join(modifiers) or None)
    if coded is None and entry.event is None:
        return
    if coded is None or coded.id != entry.event:
        told = f"codes it as {coded.id!r}" if coded is not None else "does not code it"
        raise DataError(str(path), f"event {entry.event or ''!r} for {entry.noun!r}, but "
                        f"{events.path.name} {told}", line, entry.id)


def _trigger_entry(noun: Token, lexicon: NominalLexicon) -> NominalTrigger | None:
    """The longest trigger row ending at ``noun``: its head as written or as a lemma, the words
    before it the lemmas (or forms) of the tokens before, attached inside the phrase."""
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return None
    best = None
    for form in (noun.lower_, noun.lemma_.lower()):
        for entry in lexicon.get(form, ()):
            if (best is None or len(entry.words) > len(best.words)) and _words_before(noun, entry.words[:-1]):
                best = entry
    return best


def _words_before(head: Token, words: tuple[str, ...]) -> bool:
    start = head.i - len(words)
    if start < head.sent.start:
        return False
    tokens = head.doc[start: head.i]
    return all(w in (t.lower_, t.lemma_.lower()) and start <= t.head.i <= head.i
               for w, t in zip(words, tokens))


def _pp_args(noun: Token) -> list[tuple[str, Token]]:
    out = []
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                out.append((prep.lower_, pobj))
    return out


def _split_on_and(span: Span) -> list[Span]:
    """Members of a flat coordination the parser did not build ("X and Y" under one head)."""
    members, start = [], span.start
    for token in span:
        if token.lower_ in {"and", "&"}:
            members.append(span.doc[start: token.i])
            start = token.i + 1
    members.append(span.doc[start: span.end])
    return [m for m in members if len(m) and any(t.pos_ in {"PROPN", "NOUN", "PRON"} for t in m)]


def _modifier_agent(noun: Token) -> Token | None:
    """A possessive or an entity-like modifier before the noun: "Russia's annexation",
    "North Korean troop deployments", "a Ukrainian drone attack"."""
    for child in noun.children:
        if child.dep_ in POSSESSOR_DEPS and child.i < noun.i:
            return child
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS and child.i < noun.i and child.ent_type_ in EVENT_AGENT_LABELS:
            return child
    return None


def _light_verb(noun: Token) -> Token | None:
    head = noun.head
    if noun.dep_ in {"dobj", "obj"} and head.lemma_.lower() in LIGHT_VERBS:
        return head
    # "went to war with", "entered into talks with": a motion verb into the event
    if noun.dep_ == "pobj" and head.lower_ in {"to", "into"} and head.head.lemma_.lower() in ENTRY_VERBS:
        return head.head
    return None


def nominal_frames(sent: Span, lexicon: NominalLexicon) -> Iterator[Frame]:
    """Every nominal frame in a sentence: event nouns, then appositions, titles and places."""
    yield from _event_noun_frames(sent, lexicon)
    yield from appositive_frames(sent)
    yield from located_frames(sent)
    yield from title_frames(sent)


def _event_noun_frames(sent: Span, lexicon: NominalLexicon) -> Iterator[Frame]:
    for noun in sent:
        entry = _trigger_entry(noun, lexicon)
        if entry is None:
            continue
        yield from _frames_for(noun, entry, lexicon)
        yield from _owner_frames(noun)


def _owner_frames(noun: Token) -> Iterator[Frame]:
    """A verb acting on an actor's act acts on the actor: "Ukraine resisted Russia's advances",
    "they condemned Iran's attack" -> (Ukraine, resisted, Russia), (they, condemned, Iran)."""
    if noun.dep_ not in {"dobj", "obj"} or noun.head.pos_ != "VERB" or _light_verb(noun) is not None:
        return
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.i < noun.i), None)
    if owner is None or owner.pos_ != "PROPN":
        return
    verb = noun.head
    subjects, how = logical_subjects(verb)
    if how != "explicit":
        return
    rel = text_of(relation_tokens(verb))
    for subj in subjects:
        yield Frame(arg_span(subj), verb, rel, verb_lemma(verb), arg_span(owner), OWNER_PATTERN,
                    negated=is_negated(verb))


def _frames_for(noun: Token, entry: NominalTrigger, lexicon) -> Iterator[Frame]:
    doc = noun.doc
    pps = _pp_args(noun)
    light = _light_verb(noun)
    negated = is_negated(noun)
    rel_tokens = relation_tokens(light, extra=list(doc[light.i + 1: noun.i + 1])) if light is not None else [noun]

    # "a call between X and Y": every pair of members, both directions for symmetric events
    for prep, pobj in pps:
        if prep == "between":
            members = [arg_span(m) for m in conjuncts(pobj)]
            if len(members) < 2:
                members = _split_on_and(doc[pobj.left_edge.i: pobj.right_edge.i + 1])
            rel = f"{text_of(rel_tokens)} between"
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    for x, y in ((a, b), (b, a)) if entry.symmetric else ((a, b),):
                        yield Frame(x, noun, rel, entry.lemma, y, "nominal-between", prep="between",
                                    negated=negated, nominal=True)
            return

    agents: list[Token] = []
    pattern = "nominal"
    modifier = _modifier_agent(noun)
    if modifier is not None:
        agents = [modifier]
    by_agent = [pobj for prep, pobj in pps if prep in entry.agent_preps and prep not in entry.target_preps]
    if not agents and by_agent:
        agents = conjuncts(by_agent[0])
    if light is not None and (not agents or _theme_agent(agents, pps)):
        # "the US speeded up the withdrawal of its forces": who moves is not who acts
        subjects, how = logical_subjects(light)
        if subjects and (how == "explicit" or not agents):
            agents, pattern = subjects, "light-verb"
            by_agent = []
    if not agents:
        return
    targets: list[tuple[str, Token]] = []
    for prep, pobj in pps:
        if prep in entry.target_preps and pobj not in by_agent and pobj.ent_type_ not in WHEN_LABELS:
            targets.extend((prep, m) for m in conjuncts(pobj))
    if not targets:
        targets = _theme_targets(pps, entry) or _content_subjects(noun, light)
    if not targets and by_agent:
        # "the presence of troops in the region": the place often hangs on the agent noun
        for prep, pobj in _pp_args(by_agent[0]):
            if prep in entry.target_preps and prep not in entry.agent_preps:
                targets.extend((prep, m) for m in conjuncts(pobj))
    if not targets and light is not None:
        # "sent aid to Kyiv": the parser hangs the target on the light verb as often as on the noun
        targets = [(prep, m) for prep, pobj in _pp_args(light) if prep in entry.target_preps
                   and prep not in entry.agent_preps and pobj.i > noun.i for m in conjuncts(pobj)]
    if light is not None:
        # "launched an attack on Moscow and five other regions": the parser often hangs the
        # second member on the event noun instead of on its prepositional object.
        for sibling in conjuncts(noun)[1:]:
            if _trigger_entry(sibling, lexicon) is None and targets:
                targets.append((targets[0][0], sibling))
    for prep, target in targets:
        rel = f"{text_of(rel_tokens)} {prep}"
        mutual = entry.symmetric and prep in PARTY_PREPS
        for agent in agents:
            if agent.i == target.i:
                continue
            yield Frame(arg_span(agent), noun, rel, entry.lemma, arg_span(target), pattern,
                        prep=prep, negated=negated, nominal=True)
            if mutual:  # "Russia's talks with Iran": Iran holds talks with Russia too
                yield Frame(arg_span(target), noun, rel, entry.lemma, arg_span(agent), MUTUAL_PATTERN,
                            prep=prep, negated=negated, nominal=True)


def _theme_agent(agents: list[Token], pps: list[tuple[str, Token]]) -> bool:
    """Whether the agents found are the "of" phrase ("the withdrawal of some forces") rather
    than a named actor's modifier or "by" phrase."""
    return any(prep == "of" and pobj is agents[0] for prep, pobj in pps)


def _theme_targets(pps: list[tuple[str, Token]], entry: NominalTrigger) -> list[tuple[str, Token]]:
    """Targets hung on the act's theme: "a suspension of air links with X", "the lifting of
    sanctions on X", "the withdrawal of troops from X" (when the parser hangs "from" there)."""
    return [(prep, m) for of, theme in pps if of == "of" for prep, pobj in _pp_args(theme)
            if prep in entry.target_preps and prep not in entry.agent_preps for m in conjuncts(pobj)]


def _content_subjects(noun: Token, light: Token | None) -> list[tuple[str, Token]]:
    """Whom a demand, warning or appeal is made on when a clause says it: "its demand that
    Israel ease restrictions" -> Israel (the parser may hang the clause on the light verb)."""
    heads = [noun] if light is None else [noun, light]
    return [("that", s) for head in heads for clause in head.children if clause.dep_ in {"acl", "ccomp"}
            and clause.i > noun.i and clause.pos_ in {"VERB", "AUX"} and any(m.lower_ == "that" for m in clause.children if m.dep_ == "mark")
            for subj in clause.children if subj.dep_ == "nsubj" and subj.pos_ != "PRON" for s in conjuncts(subj)]


def appositive_frames(sent: Span) -> Iterator[Frame]:
    """"Putin, the Russian president," -> Putin be the Russian president."""
    for token in sent:
        if token.dep_ != "appos" or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        head = token.head
        if head.pos_ not in {"NOUN", "PROPN"} or head.i > token.i:
            continue
        subject = head.doc[head.left_edge.i: head.i + 1] if keeps_appositive(head) else arg_span(head)
        yield Frame(subject, token, "be", "be", arg_span(token), "appositive")


def title_frames(sent: Span) -> Iterator[Frame]:
    """A title written before a person's name: "President Bush" -> Bush be President."""
    for ent in _person_names(sent):
        root = ent.root
        titles = [c for c in root.lefts if c.dep_ == "compound" and c.i < ent.start
                  and c.pos_ in {"PROPN", "NOUN"} and c.is_title and not c.ent_type_
                  and c.lower_.rstrip(".") not in FORMS_OF_ADDRESS and "." not in c.text]
        if not titles:
            continue
        first = min(t.left_edge.i for t in titles)
        if any(t.ent_type_ for t in sent.doc[first: ent.start]):
            continue  # "Russian President": the title carries a nationality, read elsewhere
        yield Frame(ent, titles[-1], "be", "be", sent.doc[first: ent.start], "title")


def _person_names(sent: Span) -> Iterator[Span]:
    """PERSON entities of up to four tokens, read from the token tags: ``Span.ents`` rebuilds
    the whole document's entity list on every call."""
    doc, i = sent.doc, sent.start
    while i < sent.end:
        token = doc[i]
        if token.ent_iob_ == "B" and token.ent_type_ == "PERSON":
            end = i + 1
            while end < sent.end and doc[end].ent_iob_ == "I":
                end += 1
            if end - i <= 4:
                yield doc[i:end]
            i = end
        else:
            i += 1


def located_frames(sent: Span) -> Iterator[Frame]:
    """A named thing placed by a modifier: "the Newton Foundation in Berlin" -> is in Berlin."""
    for prep in sent:
        if prep.lower_ != "in" or prep.dep_ != "prep" or prep.head.pos_ != "PROPN":
            continue
        for pobj in prep.children:
            if pobj.dep_ == "pobj" and pobj.ent_type_ in PLACE_LABELS:
                yield Frame(arg_span(prep.head, without=prep), prep, "be in", "be", arg_span(pobj),
                            "located", prep="in")
