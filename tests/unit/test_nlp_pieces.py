"""Parsing texts of any length: pieces that join back to the text, one Doc with the text's offsets."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import nlp as kg_nlp
from kg.nlp import parse, parse_many, pieces


@pytest.fixture(scope="module")
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_line_breaks")
    return nlp


@given(st.text(st.sampled_from(["a", "b", " ", "\n", ".", "?", "é", "\u2028"]), max_size=400),
       st.integers(min_value=1, max_value=60))
@settings(max_examples=200, deadline=None)
def test_pieces_join_back_and_keep_to_the_size(text, size):
    parts = pieces(text, size)
    assert "".join(parts) == text
    assert all(len(p) <= size for p in parts)
    assert all(parts[:-1])  # no empty piece but (for an empty text) the only one


def test_pieces_end_at_line_breaks_then_sentence_ends_then_spaces():
    # a cut is looked for in the second half of a piece: a line break, else a sentence end, else a space
    assert pieces("One two three.\nFour five six.\nSeven.", 20) == ["One two three.\n", "Four five six.\n", "Seven."]
    assert pieces("Alpha beta gamma. Delta epsilon zeta eta.", 24) == ["Alpha beta gamma. ", "Delta epsilon zeta eta."]
    assert pieces("One two. Three four five six seven.", 20) == ["One two. Three four ", "five six seven."]
    assert pieces("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_long_text_parses_in_pieces_into_one_doc_with_its_offsets(blank, monkeypatch):
    text = "".join(f"Russia met Ukraine in city {i}. France met China.\n" for i in range(40)) + "Last line"
    whole = blank(text)
    monkeypatch.setattr(kg_nlp, "PIECE_CHARS", 200)
    assert len(pieces(text)) > 5
    blank.max_length = 500  # above spaCy's max_length: a piece at a time stays below it
    try:
        doc = parse(blank, text)
    finally:
        blank.max_length = kg_nlp.MAX_CHARS
    assert doc.text == text
    assert [(t.text, t.idx) for t in doc] == [(t.text, t.idx) for t in whole]
    assert [s.text for s in doc.sents] == [s.text for s in whole.sents]


def test_parse_many_keeps_order_and_contexts(blank, monkeypatch):
    monkeypatch.setattr(kg_nlp, "PIECE_CHARS", 30)
    long = "A longer text.\nIt has three lines.\nAnd ends here."
    texts = [long, "Short.", long + " Two.", long, "", "Also short.", long]
    out = list(parse_many(blank, [(t, i) for i, t in enumerate(texts)], batch_size=2))
    assert [(doc.text, i) for doc, i in out] == [(t, i) for i, t in enumerate(texts)]
