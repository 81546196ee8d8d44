"""How an event is told: negation, modality, who is cited as its source, quotes and place.

All functions read the dependency parse around a trigger token (a verb such as "invaded" or a
noun such as "attack"); none needs a particular model, so unit tests build Docs by hand.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.extraction.context import doc_context
from kg.extraction.spans import ent_at, is_infinitive
from kg.extraction.vocab import (
    CONDITIONAL_MARKS,
    EMBEDDED_CLAUSE_DEPS,
    FUTURE_AUX,
    GENERIC_SUBJECTS,
    HYPOTHETICAL_AUX,
    LOCATION_PREPS,
    NEGATION_WORDS,
    NOBODY,
    OPEN_QUOTES,
    PLACE_LABELS,
    WH_TAGS,
)
from kg.extraction.words import (
    DEMAND_VERBS,
    INTENT_NOUNS,
    INTENT_WORDS,
    NEGATING_VERBS,
    PASSIVE_REPORT_VERBS,
    RAISING_ADJECTIVES,
    REPORT_NOUNS,
    REPORTED_ADVERBS,
    REQUEST_CLAUSE_VERBS,
    REQUEST_NOUNS,
    REQUEST_PREP_VERBS,
    REQUEST_VERBS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
)

MODALITIES = ("asserted", "reported", "intended", "hypothetical", "requested")


# ---------------------------------------------------------------- clause structure

def clause_head(trigger: Token) -> Token:
    """The verb heading the clause of a trigger: the trigger itself when it is a verb."""
    tok = trigger
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def clause_tokens(head: Token) -> list[Token]:
    """Tokens of the clause headed by ``head``, without its embedded clauses (at any depth:
    "the army, which seized power in 2021, attacked": 2021 is the seizure's)."""
    return [t for t in head.subtree if in_clause(t, head)]


def in_clause(token: Token, head: Token) -> bool:
    """Whether ``token`` is one of ``clause_tokens(head)``: in the subtree of ``head`` and in no
    clause embedded under it.

    Walks up from the token instead of listing the clause: a date has a token or two, a
    clause many.
    """
    while token.i != head.i:
        parent = token.head
        if parent.i == token.i or _embeds_clause(token):
            return False  # the root, and ``head`` was not on the way; or a clause of its own
        token = parent
    return True


def _embeds_clause(child: Token) -> bool:
    """A child that starts a clause of its own, which ``clause_tokens`` leaves out."""
    return child.dep_ in EMBEDDED_CLAUSE_DEPS or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"))


def _noun_chain(trigger: Token):
    """(token, head) pairs from a nominal trigger up to the verb of its clause."""
    tok = trigger
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return
        yield tok, tok.head
        tok = tok.head


# ---------------------------------------------------------------- negation and modality

def stance(trigger: Token) -> tuple[bool, str]:
    """(negated, modality) of the clause of ``trigger``.

    Modality is one of ``asserted``, ``reported``, ``intended``, ``hypothetical``,
    ``requested``; the nearest cue wins ("reportedly vowed to attack": the attack is intended).

    Example:
        >>> # "Trump urged Putin not to escalate": (True, "requested") for "escalate"
    """
    head = clause_head(trigger)
    negated = is_negated(trigger)
    if _question(head) or _generic(head):
        return negated, "hypothetical"  # asked or supposed, not asserted
    return negated, _modality(trigger)


def _subjects(head: Token) -> list[Token]:
    """A clause's subject heads, through a relative pronoun to what it stands for."""
    out = []
    for c in head.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            out.append(head.head if c.tag_ in WH_TAGS and head.dep_ == "relcl" else c)
    return out


def _nobody(head: Token) -> bool:
    """"No one was shot", "nobody attacked": the subject says the act did not happen."""
    return any(s.lower_ in NOBODY or (s.lower_ == "one" and any(
        c.lower_ == "no" for c in s.children)) for s in _subjects(head))


def _generic(head: Token) -> bool:
    """The subject is anyone at all ("whoever breaks the truce will face consequences")."""
    for s in _subjects(head):
        if s.lower_ in GENERIC_SUBJECTS:
            return True
        if s.dep_ == "csubj" and any(c.lower_ in GENERIC_SUBJECTS for c in s.children):
            return True
    return False


def _question(head: Token) -> bool:
    """A clause that asks: the sentence ends in a question mark and the clause opens with a
    wh-word or puts its auxiliary before its subject ("What did X tell Y?", "Did X attack Y?")."""
    words = [t for t in head.sent if not (t.is_space or t.is_punct and t.text in {'"', "'", "”", "’", ")"})]
    if not words or words[-1].text != "?":
        return False
    subjects = [c.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if any(c.dep_ in ("aux", "auxpass") and subjects and c.i < min(subjects) for c in head.children):
        return True
    return any(t.tag_ in WH_TAGS and t.i < head.i and t.dep_ != "mark" for t in head.subtree)


def _has_negation(tok: Token) -> bool:
    if tok.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ == "nor" and c.i < tok.i
                                  for c in tok.head.children):
        return True  # "neither confirmed nor denied": the denial did not happen either
    for child in tok.children:
        if child.dep_ == "preconj" and child.lower_ == "neither":
            return True
        low = child.lower_
        if child.dep_ == "neg" or (child.dep_ in ("advmod", "det") and low in NEGATION_WORDS):
            return True
        if child.dep_ == "advmod" and any(g.lower_ in NEGATION_WORDS for g in child.children):
            return True  # "no longer", "not any more"
    return False


def is_negated(trigger: Token) -> bool:
    """Whether the act of a verb or event-noun trigger is said not to happen: the one test
    of negation, which every frame and event reads.

    A negation on the trigger noun ("no talks", "without consultation") or on its clause's
    verb ("did not meet", "never attacked", "no longer supports"), shared by a bare conjunct
    ("did not meet or call"), on the copula of a raising adjective ("is not ready to sign"),
    or a subject that is nobody ("no one was shot"); a verb that says its complement did not
    happen turns it over ("refused to meet" is negated, "did not refuse to meet" is not).

    Example:
        >>> # "Russia did not attack Kyiv": True for "attack"
    """
    negated = False
    if trigger.pos_ not in ("VERB", "AUX"):
        negated = _has_negation(trigger) or trigger.head.lower_ == "without"
    head = clause_head(trigger)
    negated = negated or _has_negation(head)
    if head.dep_ == "conj" and not negated and _bare(head, "neg") and head.tag_ == head.head.tag_:
        negated = _has_negation(head.head)  # "did not meet or call"
    gov = _governor(head)
    if gov is not None and gov.dep_ == "acomp" and gov.lower_ in RAISING_ADJECTIVES:
        negated = negated or _has_negation(gov.head)  # "is not about to sign"
    if gov is not None and gov.lemma_.lower() in NEGATING_VERBS:
        # "did not refuse to meet" cancels out
        negated = negated != (not _has_negation(gov))
    return negated or _nobody(head)


def _bare(conj: Token, *deps: str) -> bool:
    """A conjunct without subject or auxiliary of its own, sharing those of the verb before it."""
    own = ("nsubj", "nsubjpass", "aux", "auxpass", *deps)
    return not any(c.dep_ in own for c in conj.children)


def _governor(head: Token) -> Token | None:
    """The verb (or adjective) a complement clause depends on: "refused" for "to make"."""
    if head.dep_ in ("xcomp", "ccomp"):
        return head.head
    if head.dep_ == "pcomp" and head.head.dep_ == "prep":  # "refrained from attacking"
        return head.head.head
    if head.dep_ == "advcl" and is_infinitive(head):  # "has sworn [to fight]", parsed as purpose
        return head.head
    return None


def _own_modality(tok: Token) -> str | None:
    for child in tok.children:
        low = child.lower_
        if child.dep_ in ("aux", "auxpass") and low in HYPOTHETICAL_AUX:
            if low in ("would", "'d") and _reported_future(tok):
                return "intended"  # "they said they would blockade Paris": "we will" reported
            return "hypothetical"
        if child.dep_ == "aux" and low in FUTURE_AUX:
            return "intended"
        if child.dep_ == "aux" and low == "must":
            return "requested"
        if child.dep_ == "mark" and low in CONDITIONAL_MARKS:
            return "hypothetical"
        if child.dep_ == "advmod" and low in REPORTED_ADVERBS:
            return "reported"
        if child.dep_ == "prep" and low == "according":
            return "reported"
    return None


def demanded(trigger: Token) -> bool:
    """Whether a requested act is demanded: "must withdraw", "demanded that X withdraw",
    "demanded the withdrawal of ..." (CAMEO codes these as demands, "urged" as appeals)."""
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in trigger.children):
        return True
    tok = trigger
    for _ in range(3):
        if tok.head is tok:
            return False
        tok = tok.head
        if tok.lemma_.lower() in DEMAND_VERBS:
            return True
        if tok.pos_ in ("VERB", "AUX"):
            return False
    return False


def _reported_future(tok: Token) -> bool:
    """A "would" clause with a pronoun subject reported by a statement verb, not itself
    conditional: the future of indirect speech ("said they would withdraw")."""
    # the speaker's own plan: the reported subject is a pronoun ("they", "it"), not a third party
    # whose future the speaker predicts ("officials said Russia would attack")
    return (tok.dep_ == "ccomp" and tok.head.lemma_.lower() in SPEECH_VERBS
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in tok.children)
            and not any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in tok.children))


def _governed_modality(tok: Token, parent: Token) -> str | None:
    """Modality a governing word gives its complement ``tok``."""
    lem = parent.lemma_.lower()
    dep = tok.dep_
    if dep in ("xcomp", "ccomp"):
        if lem in REQUEST_VERBS and (dep == "xcomp" or lem in REQUEST_CLAUSE_VERBS):
            return "requested"
        if lem in REQUEST_PREP_VERBS and any(
                c.dep_ in ("prep", "prt") and c.lower_ in ("on", "upon", "to", "for", "with")
                for c in parent.children):
            return "requested"
        if dep == "xcomp" and lem in INTENT_WORDS:
            return "intended"
        if dep == "xcomp" and lem in PASSIVE_REPORT_VERBS and any(
                c.dep_ in ("auxpass", "nsubjpass") for c in parent.children):
            return "reported"
        if dep == "ccomp" and lem in SPEECH_VERBS:
            return "reported"
    if dep == "pcomp" and parent.dep_ == "prep" and parent.head.lemma_.lower() in INTENT_WORDS:
        return "intended"  # "committed to ending", "aimed at reaching"
    if dep == "advcl" and lem in INTENT_WORDS and is_infinitive(tok):
        return "intended"  # the parse reads some intent complements as purpose clauses
    if dep in ("acl", "relcl", "xcomp") and parent.pos_ in ("NOUN", "PROPN"):
        return _noun_modality(parent)
    return None


def _noun_modality(noun: Token) -> str | None:
    lem = noun.lemma_.lower()
    if lem in REPORT_NOUNS:
        return "reported"
    if lem in INTENT_NOUNS:
        return "intended"
    if lem in REQUEST_NOUNS:
        return "requested"
    return None


def _modality(trigger: Token) -> str:
    if trigger.pos_ not in ("VERB", "AUX"):
        for tok, parent in _noun_chain(trigger):
            plem = parent.lemma_.lower()
            if tok.dep_ == "dobj" and plem in INTENT_WORDS:
                return "intended"  # "preparing a counteroffensive"
            if tok.dep_ == "dobj" and plem in REQUEST_VERBS:
                return "requested"  # "demanded a ceasefire"
            if tok.dep_ == "pobj" and plem == "for" and (
                    parent.head.lemma_.lower() in REQUEST_VERBS | REQUEST_PREP_VERBS):
                return "requested"  # "called for talks"
            if parent.pos_ in ("NOUN", "PROPN"):
                found = _noun_modality(parent)  # "reports of a call", "plans for an attack"
                if found:
                    return found
    node = clause_head(trigger)
    for _ in range(10):
        found = _own_modality(node)
        if found:
            return found
        parent = node.head
        # a bare conjunct of another form is likely misattached: "not to escalate X and
        # emphasising Y" does not make the emphasising negated or requested
        if parent.i == node.i or node.dep_ == "relcl" or (
                node.dep_ == "conj" and _bare(node) and node.tag_ != parent.tag_):
            break
        found = _governed_modality(node, parent)
        if found:
            return found
        node = parent
    return "asserted"


# ---------------------------------------------------------------- sources and quotes

def attribution(trigger: Token) -> Span | None:
    """The source an event is attributed to, or None when nobody is cited.

    "according to (a report by) The Washington Post" -> the Post; "X said (that) ...",
    "X told Fox News ...", "X reported that ..." and direct quotes ("“...,” X said") -> X.
    """
    node = clause_head(trigger)
    for _ in range(10):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "according":
                pobj = _pobj(child, "to")
                if pobj is not None:
                    return _source_span(pobj)
            if child.dep_ == "parataxis" and child.lemma_.lower() in SPEECH_VERBS:
                speaker = _speaker(child)  # "Russia attacked Kyiv, officials said"
                if speaker is not None:
                    return speaker
        parent = node.head
        if parent.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis") and parent.lemma_.lower() in SPEECH_VERBS:
            speaker = _speaker(parent)
            if speaker is not None:
                return speaker
        node = parent
    inside = _quote_around(trigger)
    if inside is not None:
        return _quote_speaker(trigger.doc, *inside)
    return None


def quote(trigger: Token) -> str | None:
    """The text of the direct quotation the trigger sits in, without the quotation marks."""
    inside = _quote_around(trigger)
    if inside is None:
        return None
    start, end = inside
    return trigger.doc[start:end].text.strip(" ,")


def _pobj(prep: Token, word: str | None = None) -> Token | None:
    for child in prep.children:
        if child.dep_ == "pobj":
            return child
        if child.dep_ == "prep" and (word is None or child.lower_ == word):
            found = _pobj(child)
            if found is not None:
                return found
    return None


def _speaker(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "nsubj":
            return _source_span(child)
    for child in verb.children:
        if child.dep_ == "agent":  # "it was reported by the BBC"
            pobj = _pobj(child)
            if pobj is not None:
                return _source_span(pobj)
    return None


def _source_span(tok: Token) -> Span:
    """The name of a source: the Post in "a report by The Washington Post" / "the Post report"."""
    doc = tok.doc
    if tok.lemma_.lower() in SOURCE_NOUNS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of", "in"):
                pobj = _pobj(child)
                if pobj is not None:
                    return _source_span(pobj)
        for child in tok.lefts:
            if child.dep_ in ("compound", "poss", "nmod") and child.ent_type_:
                return _entity_span(child)
    if tok.ent_type_:
        ent = _entity_span(tok)
        owners = [c for c in tok.lefts if c.dep_ == "poss" and c.i < ent.start]
        if owners:  # "Russia's Defence Ministry"
            return doc[owners[0].left_edge.i: ent.end]
        return ent
    subtree = list(tok.subtree)
    if len(subtree) <= 8 and not any(t.pos_ in ("VERB", "AUX") for t in subtree):
        return doc[subtree[0].i: subtree[-1].i + 1]
    return doc[tok.left_edge.i: tok.i + 1]


def _entity_span(tok: Token) -> Span:
    return ent_at(tok) or tok.doc[tok.i: tok.i + 1]


def quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges (start, end) inside direct quotations; scare quotes ("escalate") excluded."""
    spans: list[tuple[int, int]] = []
    closer, opened = None, -1
    for tok in doc:
        text = tok.text
        if closer is not None and text == closer:
            if _is_direct_quote(doc, opened + 1, tok.i):
                spans.append((opened + 1, tok.i))
            closer = None
        elif closer is None and text in OPEN_QUOTES:
            closer, opened = OPEN_QUOTES[text], tok.i
    return spans


def _is_direct_quote(doc: Doc, start: int, end: int) -> bool:
    inner = [t for t in doc[start:end] if not t.is_punct]
    if len(inner) < 3:
        return False
    ends_sentence = end - 1 >= start and doc[end - 1].text in (",", ".", "?", "!")
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in inner)
    return has_verb or ends_sentence


def _quote_around(trigger: Token) -> tuple[int, int] | None:
    context = doc_context(trigger.doc)
    if context.quotes is None:  # computed once per document: every event of the document asks
        context.quotes = quote_spans(trigger.doc)
    for start, end in context.quotes:
        if start <= trigger.i < end:
            return start, end
    return None


def _quote_speaker(doc: Doc, start: int, end: int) -> Span | None:
    """The subject of the speech verb next to a quotation ("he added, “...”")."""
    candidates: list[tuple[int, Token]] = []
    for edge in (start - 1, end):
        if not 0 <= edge < len(doc):
            continue
        sent = doc[edge].sent
        for tok in sent:
            if start - 1 <= tok.i <= end or tok.lemma_.lower() not in SPEECH_VERBS:
                continue
            distance = (start - 1 - tok.i) if tok.i < start else (tok.i - end)
            candidates.append((distance, tok))
    for _, verb in sorted(candidates, key=lambda pair: pair[0]):
        speaker = _speaker(verb)
        if speaker is not None:
            return speaker
    return None


# ---------------------------------------------------------------- place

def location(trigger: Token) -> Span | None:
    """Where the event happened when the sentence says so: "in Gaza", "over Moscow".

    A GPE/LOC/FAC name in an in/at/near/over... phrase attached to the trigger or its clause,
    or to a phrase of those ("at a rally in Warsaw"); never the object of the event itself.
    """
    head = clause_head(trigger)
    seen: set[int] = set()
    frontier = [trigger] + ([head] if head.i != trigger.i else [])
    for depth in range(3):
        nxt: list[Token] = []
        for node in frontier:
            for child in node.children:
                if child.i in seen or child.dep_ != "prep":
                    continue
                seen.add(child.i)
                pobj = _pobj(child)
                if pobj is None:
                    continue
                if child.lower_ in LOCATION_PREPS:
                    place = _place_span(pobj)
                    if place is not None:
                        return place
                nxt.append(pobj)
            if depth == 0:
                # places inside the object phrase: "intercepted 84 drones, 34 over Moscow"
                nxt.extend(c for c in node.children if c.dep_ in ("dobj", "npadvmod", "pobj"))
        frontier = [t for t in nxt if t.ent_type_ != "DATE"]
    return None


def _place_span(pobj: Token) -> Span | None:
    doc = pobj.doc
    if pobj.ent_type_ == "DATE":
        return None
    if pobj.ent_type_ in PLACE_LABELS:
        return _entity_span(pobj)
    lefts = [t for t in pobj.lefts if t.dep_ in ("poss", "compound", "amod", "nmod")]
    if lefts:
        start = min(t.left_edge.i for t in lefts)
        span = doc[start: pobj.i + 1]
        if any(t.ent_type_ in PLACE_LABELS for t in span):
            return span  # "Russia's Kursk region"
    for child in pobj.children:
        if child.dep_ == "prep" and child.lower_ == "of":  # "the city of Kharkiv"
            inner = _pobj(child)
            if inner is not None and inner.ent_type_ in PLACE_LABELS:
                return _entity_span(inner)
    return None
