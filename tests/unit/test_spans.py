"""Per-Doc tables of token attributes and sentence bounds agree with spaCy's own answers."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extraction.spans import arg_span, doc_ents, doc_table, ents_in, sentence_bounds, span_text

NLP = spacy.blank("en")


def _texts_doc(vocab) -> Doc:
    # irregular spacing, a final space, curly quotes and a possessive
    return Doc(vocab, words=["\u201cThe", "U.S.", "'s", "army", ",", "\u201d", "he", "said", "."],
               spaces=[True, False, True, False, True, True, True, False, True])


@pytest.mark.parametrize("make", [
    lambda vocab: NLP("Russia  invaded\n\nUkraine  on Monday ,\tsaid \u2018Putin\u2019s\u2019 aides. "),
    _texts_doc,
])
def test_span_text_is_span_text_for_every_range(vocab, make):
    doc = make(vocab)
    for start in range(len(doc) + 1):
        for end in range(len(doc) + 1):
            assert span_text(doc, start, end) == doc[start:end].text


def test_doc_table_reads_each_token_once(vocab):
    doc = _texts_doc(vocab)
    table = doc_table(doc)
    assert table is doc_table(doc)  # kept on the Doc
    assert table.text == doc.text
    assert table.lowers == [t.lower_ for t in doc]
    assert table.puncts == [t.is_punct for t in doc]
    assert [doc.text[s:e] for s, e in zip(table.starts, table.ends)] == [t.text for t in doc]


def test_sentence_bounds_are_token_sent(table_doc):
    doc = table_doc("""
        Talks  talk     NOUN  NNS  1  nsubj  O
        failed fail     VERB  VBD  0  ROOT   O
        .      .        PUNCT .   -1  punct  O
        Russia Russia   PROPN NNP  1  nsubj  B-GPE
        struck strike   VERB  VBD  0  ROOT   O
        Kyiv   Kyiv     PROPN NNP -1  dobj   B-GPE
        .      .        PUNCT .   -2  punct  O
        Nobody nobody   PRON  NN   1  nsubj  O
        came   come     VERB  VBD  0  ROOT   O
    """)
    assert [s.start for s in doc.sents] == [0, 3, 7]
    for tok in doc:
        assert sentence_bounds(doc, tok.i) == (tok.sent.start, tok.sent.end)


def test_ents_are_read_once(table_doc):
    doc = table_doc("""
        Russia Russia   PROPN NNP  1  nsubj  B-GPE
        struck strike   VERB  VBD  0  ROOT   O
        Kyiv   Kyiv     PROPN NNP -1  dobj   B-GPE
    """)
    assert [e.text for e in doc_ents(doc)] == ["Russia", "Kyiv"]
    assert doc_ents(doc) is doc_ents(doc)
    assert [e.text for e in ents_in(doc[1:3])] == ["Kyiv"]


def test_an_argument_ends_before_a_line_break(vocab):
    """A headline's last word hangs a line-break token on it: the phrase stops at the word."""
    doc = Doc(vocab, words=["talks", "with", "Russia", "\n"], spaces=[True, True, False, False],
              heads=[0, 0, 1, 2], deps=["ROOT", "prep", "pobj", "dep"],
              pos=["NOUN", "ADP", "PROPN", "SPACE"])
    assert doc[3].is_space
    span = arg_span(doc[2])
    assert (span.text, span.end) == ("Russia", 3)
    assert arg_span(doc[0]).text == "talks with Russia"
