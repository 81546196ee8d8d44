"""Token and span helpers shared by the frame rules: argument spans, coordination, relation text."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.extraction.context import DocTable, doc_context
from kg.extraction.vocab import (
    ARG_DROP_DEPS,
    CLAUSE_EDGE_DEPS,
    EDGE_PUNCT,
    OBJECT_DEPS,
    SUBJECT_DEPS,
)


def conjuncts(token: Token) -> list[Token]:
    """The token and every token coordinated with it ("Russia and Belarus" -> both)."""
    out = [token]
    stack = [c for c in token.children if c.dep_ == "conj"]
    while stack:
        nxt = stack.pop(0)
        if nxt.pos_ in {"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"} or token.pos_ == nxt.pos_:
            out.append(nxt)
            stack.extend(c for c in nxt.children if c.dep_ == "conj")
    return out


def keeps_appositive(head: Token) -> bool:
    """Whether an apposition belongs in the argument: only when it names what a common noun
    describes ("a man who refuses, Zelensky"); "Trump, the president-elect," is just Trump."""
    return head.pos_ == "NOUN" and not head.ent_type_ and any(
        c.dep_ == "appos" and (c.ent_type_ or c.pos_ == "PROPN") for c in head.children)


def arg_span(head: Token, *, keep_relcl: bool = False, without: Token | None = None,
             bare: bool = False) -> Span:
    """The argument phrase headed by ``head``, without coordinated members or new clauses.

    Args:
        without: a dependent of ``head`` whose phrase is left out (the clause that the
            argument is read from: "a school [founded in 1851]").
        bare: also leave out participle clauses ("the courses [based on X] illustrate"): a
            subject is named, not described, by them.
    """
    drop = CLAUSE_EDGE_DEPS if keep_relcl else ARG_DROP_DEPS
    if not keeps_appositive(head):
        drop = drop | {"appos"}
    # a child's phrase is its (projective, so contiguous) subtree: keep edges, not token sets,
    # so long sentences stay linear
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.children:
        if child == without or child.dep_ in drop or (bare and child.dep_ == "acl" and child.tag_ in {"VBN", "VBG"}) or (child.dep_ == "punct" and child.i > head.i and child.text in {",", ";"}):
            # the span is contiguous around the head: it stops at the nearest dropped phrase
            if child.i < head.i:
                start = max(start, child.right_edge.i + 1)
            else:
                end = min(end, child.left_edge.i)
    doc = head.doc
    # a line break is whitespace, not part of the phrase ("talks with Russia\n")
    while start < head.i and (doc[start].text in EDGE_PUNCT or doc[start].dep_ == "cc" or doc[start].is_space):
        start += 1
    while end - 1 > head.i and (doc[end - 1].text in EDGE_PUNCT or doc[end - 1].dep_ in {"cc", "punct", "case"}
                                or doc[end - 1].is_space):
        end -= 1
    return doc[start:end]


def subjects_of(verb: Token) -> list[Token]:
    """Explicit subjects of a verb (not inherited)."""
    return [c for c in verb.children if c.dep_ in SUBJECT_DEPS]


def objects_of(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in OBJECT_DEPS]


def particle_of(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ == "prt"), None)


def is_infinitive(verb: Token) -> bool:
    """A "to" infinitive ("to meet", "to fight")."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def aux_chain(verb: Token) -> list[Token]:
    """Auxiliaries and negation before the verb ("has not been")."""
    return [c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < verb.i]


def inner_adverbs(verb: Token) -> list[Token]:
    """Adverbs inside the verb group ("has also met", "was heavily damaged", "usually is"): between
    its first auxiliary, or the word before it, and the verb."""
    aux = aux_chain(verb)
    start = aux[0].i if aux else verb.i - 1
    return [c for c in verb.children if c.dep_ == "advmod" and c.pos_ == "ADV" and c.tag_ != "WRB"
            and start <= c.i < verb.i and c.n_lefts + c.n_rights == 0]


def relation_tokens(verb: Token, *, extra: list[Token] | tuple = ()) -> list[Token]:
    """Verb with its auxiliaries, negation, inner adverbs and particle, plus any extra tokens,
    in text order."""
    tokens = aux_chain(verb) + inner_adverbs(verb) + [verb]
    prt = particle_of(verb)
    if prt is not None:
        tokens.append(prt)
    tokens.extend(extra)
    return sorted(set(tokens), key=lambda t: t.i)


def text_of(tokens: list[Token]) -> str:
    """Tokens as written: original spacing between neighbours, one space across gaps."""
    parts: list[str] = []
    for n, token in enumerate(tokens):
        if n:
            prev = tokens[n - 1]
            parts.append(prev.whitespace_ if token.i == prev.i + 1 else " ")
        parts.append(token.text)
    return "".join(parts)


def verb_lemma(verb: Token) -> str:
    """Normalised relation lemma: lower-case lemma plus particle ("shoot down")."""
    lemma = (verb.lemma_ or verb.text).lower()
    prt = particle_of(verb)
    return f"{lemma} {prt.text.lower()}" if prt is not None else lemma


def prep_objects(head: Token) -> Iterator[tuple[Token, Token]]:
    """(preposition, object head) pairs attached to a verb or noun, including "agent" by-phrases."""
    for child in head.children:
        if child.dep_ in {"prep", "agent"}:
            for pobj in child.children:
                if pobj.dep_ in {"pobj", "pcomp"} and pobj.pos_ != "VERB":
                    yield child, pobj


def doc_ents(doc) -> list[Span]:
    """The document's named entities (as ``doc.ents``), read once per Doc."""
    return doc_context(doc).ents


def ents_in(span: Span) -> list[Span]:
    """Named entities inside a span (as ``span.ents``, without rebuilding the document's list)."""
    context = doc_context(span.doc)
    ents, starts = context.ents, context.ent_starts
    i = bisect_left(starts, span.start)
    out = []
    while i < len(ents) and ents[i].start < span.end:
        if ents[i].end <= span.end:
            out.append(ents[i])
        i += 1
    return out


def ent_at(token: Token) -> Span | None:
    """The named entity a token is part of, or None."""
    context = doc_context(token.doc)
    ents, starts = context.ents, context.ent_starts
    i = bisect_right(starts, token.i) - 1
    if i >= 0 and ents[i].start <= token.i < ents[i].end:
        return ents[i]
    return None


def doc_table(doc: Doc) -> DocTable:
    """The Doc's text and token attributes, read once per Doc.

    The entity rules look at the same tokens and phrases for every argument of every event;
    ``doc[i]`` builds a new Token each time and ``Span.text`` joins its tokens' texts, so
    both are read here once and sliced afterwards.

    Example:
        >>> doc_table(doc).lowers[:2]  # doc: "Russia invaded Ukraine."  # doctest: +SKIP
        ['russia', 'invaded']
    """
    return doc_context(doc).table


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token bounds (start, end) of the sentence holding token ``i``, as ``doc[i].sent``.

    ``Token.sent`` costs several microseconds per call and the rules ask for every event;
    the sentence starts are read once per Doc here.
    """
    if doc.user_hooks or doc.user_span_hooks or doc.user_token_hooks:
        sent = doc[i].sent  # custom sentence hooks: ask spaCy
        return sent.start, sent.end
    starts = doc_context(doc).sent_starts
    k = bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


def span_text(doc: Doc, start: int, end: int) -> str:
    """The text of ``doc[start:end]``, as ``Span.text`` gives it, without building the Span.

    Example:
        >>> span_text(doc, 0, 2)  # doc: "Russia invaded Ukraine."  # doctest: +SKIP
        'Russia invaded'
    """
    if start >= end:
        return ""
    table = doc_table(doc)
    return table.text[table.starts[start]:table.ends[end - 1]]
