"""Nominal and light-verb event rules on hand-built parses (no model)."""

import pytest

from kg.errors import DataError
from kg.extraction.clauses import describe
from kg.extraction.nominal import load_nominal_lexicon, nominal_frames

from .test_clauses import CASES


@pytest.fixture(scope="module")
def lexicon():
    return load_nominal_lexicon()


def _table(word: str) -> str:
    """The hand-built parse (shared with the verbal-frame tests) that contains ``word``."""
    return next(table for table, _ in CASES if f"\n        {word} " in table)


@pytest.mark.parametrize("word,expected", [
    # light verb + event noun + prepositional target: the agent is the verb's subject
    ("offensive", [("The army", "launched an offensive against", "the rebels", "attack", "light-verb")]),
    # "talks between X and Y": the members are the parties
    ("talks", [("Israel", "hosted talks between", "Hamas", "talk", "nominal-between")]),
    # possessive agent, "of" target
    ("annexation", [("Turkey", "annexation of", "the region", "annex", "nominal")]),
    # no event noun: nothing
    ("criticised", []),
    # apposition: a copular fact with the name as subject
    ("foreign", [("Lavrov", "be", "Russia's foreign minister", "be", "appositive")]),
    # a place after a named thing; a title before a name
    ("Chancellor", [("the Newton Foundation", "be in", "Berlin", "be", "located"),
                    ("Merz", "be", "Chancellor", "be", "title")]),
    # a form of address is no title
    ("Mr.", []),
])
def test_nominal_frames(table_doc, lexicon, word, expected):
    doc = table_doc(_table(word))
    got = [(*describe(f), f.lemma, f.pattern) for f in nominal_frames(doc[:], lexicon)]
    assert got == expected


OWNER = """
Ukraine Ukraine PROPN NNP 1 nsubj B-GPE
resisted resist VERB VBD 0 ROOT O
Russia Russia PROPN NNP 2 poss B-GPE
's 's PART POS -1 case O
advances advance NOUN NNS -3 dobj O
. . PUNCT . -4 punct O
"""
AID_ON_VERB = """
Japan Japan PROPN NNP 1 nsubj B-GPE
sent send VERB VBD 0 ROOT O
aid aid NOUN NN -1 dobj O
to to ADP IN -2 prep O
Manila Manila PROPN NNP -1 pobj B-GPE
. . PUNCT . -4 punct O
"""
WENT_TO_WAR = """
Azerbaijan Azerbaijan PROPN NNP 1 nsubj B-GPE
went go VERB VBD 0 ROOT O
to to ADP IN -1 prep O
war war NOUN NN -1 pobj O
with with ADP IN -1 prep O
Armenia Armenia PROPN NNP -1 pobj B-GPE
. . PUNCT . -5 punct O
"""


@pytest.mark.parametrize("table,expected", [
    # a verb acting on an actor's act acts on the actor; the act itself has no target here
    (OWNER, [("Ukraine", "resisted", "Russia", "resist", "owner-object")]),
    # the target hangs on the light verb, not on the event noun
    (AID_ON_VERB, [("Japan", "sent aid to", "Manila", "aid", "light-verb")]),
    # a motion verb into the event noun carries it like a light verb
    (WENT_TO_WAR, [("Azerbaijan", "went to war with", "Armenia", "fight", "light-verb")]),
])
def test_frames_around_event_nouns(table_doc, lexicon, table, expected):
    doc = table_doc(table)
    got = [(*describe(f), f.lemma, f.pattern) for f in nominal_frames(doc[:], lexicon)]
    assert got == expected


def test_lexicon_rows_are_validated(tmp_path):
    bad = tmp_path / "nominal.tsv"
    bad.write_text("id\tnoun\tlemma\tagent_preps\ttarget_preps\tsymmetric\n"
                   "N1\tattack\tattack\tby\ton\tno\nN2\tattack\tstrike\tby\ton\tno\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"nominal.tsv:3 \[N2\]: duplicate noun 'attack'"):
        load_nominal_lexicon(bad)
    bad.write_text("id\tnoun\tlemma\tagent_preps\ttarget_preps\tsymmetric\nN1\tcall\tcall\tby\twith\tmaybe\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match="symmetric must be yes or no"):
        load_nominal_lexicon(bad)


def test_shipped_lexicon_loads(lexicon):
    assert lexicon["annexation"].lemma == "annex"
    assert "between" not in lexicon["call"].target_preps and lexicon["call"].symmetric
