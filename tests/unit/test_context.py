"""One typed context per Doc holds the rules' per-document caches (no string keys on the Doc)."""

from __future__ import annotations

from datetime import date

import spacy
from spacy.tokens import Doc

from kg.extraction.context import DocContext, attach_context, doc_context
from kg.extraction.spans import ent_at, ents_in, sentence_bounds
from kg.extraction.stance import quote
from kg.extraction.timex import date_for, find_dates

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")


def _doc() -> Doc:
    doc = NLP("\u201cWe will sign the deal on Monday,\u201d Putin said in Moscow. Russia signed it.")
    doc.ents = [doc.char_span(doc.text.index("Putin"), doc.text.index("Putin") + 5, "PERSON"),
                doc.char_span(doc.text.index("Moscow"), doc.text.index("Moscow") + 6, "GPE")]
    return doc


def test_one_context_per_doc_made_on_first_ask_and_replaced_when_attached():
    doc, other = _doc(), _doc()
    context = doc_context(doc)
    assert isinstance(context, DocContext) and context.doc is doc
    assert doc_context(doc) is context
    assert doc_context(other) is not context
    fresh = attach_context(doc)
    assert fresh is not context and doc_context(doc) is fresh


def test_fields_are_computed_once_and_agree_with_spacy():
    doc = _doc()
    context = doc_context(doc)
    assert context.ents is context.ents and context.table is context.table
    assert [e.text for e in context.ents] == [e.text for e in doc.ents]
    assert context.ent_starts == [e.start for e in doc.ents]
    assert context.sent_starts == [s.start for s in doc.sents]
    assert context.table.lowers == [t.lower_ for t in doc]
    putin = next(t for t in doc if t.text == "Putin")
    assert ent_at(putin).text == "Putin"
    assert [e.text for e in ents_in(doc[:])] == ["Putin", "Moscow"]
    assert sentence_bounds(doc, putin.i) == (putin.sent.start, putin.sent.end)


def test_rules_keep_their_caches_in_the_context_not_under_string_keys():
    doc = _doc()
    sign = next(t for t in doc if t.text == "sign")
    assert quote(sign) is not None
    dates = find_dates(doc, date(2024, 11, 11))
    date_for(sign, dates)
    context = doc_context(doc)
    assert context.quotes and context.quotes[0][0] == 1  # the quotation starts after the mark
    assert context.dates is not None and context.dates.dates is dates
    assert list(doc.user_data) == [DocContext]
