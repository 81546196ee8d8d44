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
    # "talks between X and Y": the members are the parties, each with the other
    ("talks", [("Israel", "hosted talks between", "Hamas", "talk", "nominal-between"),
               ("Hamas", "hosted talks between", "Israel", "talk", "nominal-between")]),
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


SUSPENSION_OF_FLIGHTS = """
Norway Norway PROPN NNP 1 nsubj B-GPE
announced announce VERB VBD 0 ROOT O
a a DET DT 1 det O
suspension suspension NOUN NN -2 dobj O
of of ADP IN -1 prep O
flights flight NOUN NNS -1 pobj O
to to ADP IN -1 prep O
Belarus Belarus PROPN NNP -1 pobj B-GPE
. . PUNCT . -7 punct O
"""
SUSPENSION_ON_FRIDAY = """
Chile Chile PROPN NNP 1 nsubj B-GPE
announced announce VERB VBD 0 ROOT O
the the DET DT 1 det O
suspension suspension NOUN NN -2 dobj O
of of ADP IN -1 prep O
trade trade NOUN NN 1 compound O
talks talk NOUN NNS -2 pobj O
with with ADP IN -1 prep O
Peru Peru PROPN NNP -1 pobj B-GPE
on on ADP IN -8 prep O
Friday Friday PROPN NNP -1 pobj B-DATE
. . PUNCT . -10 punct O
"""
SPEEDED_WITHDRAWAL = """
Japan Japan PROPN NNP 1 nsubj B-GPE
speeded speed VERB VBD 0 ROOT O
up up ADP RP -1 prt O
the the DET DT 1 det O
withdrawal withdrawal NOUN NN -3 dobj O
of of ADP IN -1 prep O
its its PRON PRP$ 1 poss O
engineers engineer NOUN NNS -2 pobj O
from from ADP IN -1 prep O
Sudan Sudan PROPN NNP -1 pobj B-GPE
. . PUNCT . -9 punct O
"""
RENEWED_DEMAND = """
The the DET DT 1 det O
union union NOUN NN 1 nsubj O
renewed renew VERB VBD 0 ROOT O
its its PRON PRP$ 1 poss O
demand demand NOUN NN -2 dobj O
that that SCONJ IN 3 mark O
the the DET DT 1 det O
government government NOUN NN 1 nsubj O
release release VERB VB -4 acl O
the the DET DT 1 det O
detainees detainee NOUN NNS -2 dobj O
. . PUNCT . -9 punct O
"""
REPEATED_WARNING = """
Kenya Kenya PROPN NNP 1 nsubj B-GPE
repeated repeat VERB VBD 0 ROOT O
its its PRON PRP$ 1 poss O
warning warning NOUN NN -2 dobj O
that that SCONJ IN 3 mark O
Somalia Somalia PROPN NNP 2 nsubj B-GPE
must must AUX MD 1 aux O
disarm disarm VERB VB -4 acl O
the the DET DT 1 det O
militia militia NOUN NN -2 dobj O
. . PUNCT . -9 punct O
"""

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
    # the act's target hangs on its theme: "a suspension of flights to X"
    (SUSPENSION_OF_FLIGHTS, [("Norway", "announced a suspension to", "Belarus", "suspend", "light-verb")]),
    # a day is never the target ("the suspension ... on Friday")
    (SUSPENSION_ON_FRIDAY, [("Chile", "announced the suspension with", "Peru", "suspend", "light-verb")]),
    # who is withdrawn is not who withdraws: the light verb's subject acts
    (SPEEDED_WITHDRAWAL, [("Japan", "speeded up the withdrawal from", "Sudan", "withdraw", "light-verb")]),
    # a demand or warning is made on the subject of the clause that states it
    (RENEWED_DEMAND, [("its", "renewed its demand that", "the government", "demand", "nominal")]),
    (REPEATED_WARNING, [("its", "repeated its warning that", "Somalia", "warn", "nominal")]),
])
def test_frames_around_event_nouns(table_doc, lexicon, table, expected):
    doc = table_doc(table)
    got = [(*describe(f), f.lemma, f.pattern) for f in nominal_frames(doc[:], lexicon)]
    assert got == expected


HEADER = "id\tnoun\tlemma\tagent_preps\ttarget_preps\tsymmetric\tevent\n"


@pytest.mark.parametrize("rows, problem", [
    ("N1\tattack\tattack\tby\ton\tno\tattack.n\nN2\tattack\tstrike\tby\ton\tno\tattack.n\n",
     r"nominal.tsv:3 \[N2\]: duplicate noun 'attack'"),
    ("N1\tcall\tcall\tby\twith\tmaybe\tcall.n\n", r"nominal.tsv:2 \[N1\]: symmetric must be yes or no"),
    ("N1\t\tcall\tby\twith\tyes\tcall.n\n", r"nominal.tsv:2 \[N1\]: id, noun and lemma are required"),
    # the event column names the events.tsv row that codes the noun, and nothing else
    ("N1\tcall\tcall\tby\twith\tyes\tvisit.n\n",
     r"nominal.tsv:2 \[N1\]: event 'visit.n' for 'call', but events.tsv codes it as 'call.n'"),
    ("N1\tcall\tcall\tby\twith\tyes\t\n",
     r"nominal.tsv:2 \[N1\]: event '' for 'call', but events.tsv codes it as 'call.n'"),
    ("N1\tphone call\tcall\tby\twith\tyes\tcall.n\n",
     r"event 'call.n' for 'phone call', but events.tsv codes it as 'phone-call.n'"),
    ("N1\tpresence\tdeploy\tof\tin\tno\tdeployment.n\n",
     r"event 'deployment.n' for 'presence', but events.tsv does not code it"),
])
def test_lexicon_rows_are_validated(tmp_path, rows, problem):
    bad = tmp_path / "nominal.tsv"
    bad.write_text(HEADER + rows, encoding="utf-8")
    with pytest.raises(DataError, match=problem):
        load_nominal_lexicon(bad)


def test_a_table_without_the_event_column_is_refused(tmp_path):
    bad = tmp_path / "nominal.tsv"
    bad.write_text("id\tnoun\tlemma\tagent_preps\ttarget_preps\tsymmetric\nN1\tcall\tcall\tby\twith\tyes\n",
                   encoding="utf-8")
    with pytest.raises(DataError, match=r"nominal.tsv:1: missing column\(s\) event"):
        load_nominal_lexicon(bad)


def test_shipped_lexicon_loads(lexicon):
    (annexation,) = lexicon["annexation"]
    assert annexation.lemma == "annex" and annexation.event == "annexation.n"
    call = lexicon["call"]
    # longest first: "phone call" is tried before "call"
    assert [e.noun for e in call] == ["phone call", "call"]
    assert all("between" not in e.target_preps and e.symmetric for e in call)
    assert [e.noun for e in lexicon["strike"]][-1] == "strike"
    assert lexicon["presence"][0].event is None  # an uncoded relation


PHONE_CALL = """
Biden Biden PROPN NNP 3 poss B-PERSON
's 's PART POS -1 case O
phone phone NOUN NN 1 compound O
call call NOUN NN 0 ROOT O
with with ADP IN -1 prep O
Xi Xi PROPN NNP -1 pobj B-PERSON
"""
HUNGER_STRIKE = """
Prisoners prisoner NOUN NNS 1 nsubj O
began begin VERB VBD 0 ROOT O
a a DET DT 2 det O
hunger hunger NOUN NN 1 compound O
strike strike NOUN NN -3 dobj O
against against ADP IN -1 prep O
Tehran Tehran PROPN NNP -1 pobj B-GPE
. . PUNCT . -6 punct O
"""
DRONE_AT = """
Russia Russia PROPN NNP 3 poss B-GPE
's 's PART POS -1 case O
drone drone NOUN NN 1 compound O
attack attack NOUN NN 0 ROOT O
at at ADP IN -1 prep O
Odesa Odesa PROPN NNP -1 pobj B-GPE
"""
# "drone" is not attached to "attack" here: no phrase, the one-word row applies
DRONE_LOOSE = """
Russia Russia PROPN NNP 3 poss B-GPE
's 's PART POS -1 case O
drone drone NOUN NN -2 dep O
attack attack NOUN NN 0 ROOT O
at at ADP IN -1 prep O
Odesa Odesa PROPN NNP -1 pobj B-GPE
"""
MEETING_WITH = """
Modi Modi PROPN NNP 2 poss B-PERSON
's 's PART POS -1 case O
meeting meeting NOUN NN 0 ROOT O
with with ADP IN -1 prep O
Albanese Albanese PROPN NNP -1 pobj B-PERSON
"""
VISIT_TO = """
Modi Modi PROPN NNP 2 poss B-PERSON
's 's PART POS -1 case O
visit visit NOUN NN 0 ROOT O
to to ADP IN -1 prep O
Canberra Canberra PROPN NNP -1 pobj B-GPE
"""
CALL_TO = """
Macron Macron PROPN NNP 2 poss B-PERSON
's 's PART POS -1 case O
call call NOUN NN 0 ROOT O
to to ADP IN -1 prep O
Scholz Scholz PROPN NNP -1 pobj B-PERSON
"""


@pytest.mark.parametrize("table, expected", [
    # a multi-word row matches on the lemmas of its words, the last one the head
    (PHONE_CALL, [("Biden", "call with", "Xi", "call", "nominal"),
                  ("Xi", "call with", "Biden", "call", "nominal-mutual")]),
    (HUNGER_STRIKE, [("Prisoners", "began a hunger strike against", "Tehran", "hunger-strike", "light-verb")]),
    # "drone attack" takes no "at" target where a bare "attack" does
    (DRONE_AT, []),
    (DRONE_LOOSE, [("Russia's drone", "attack at", "Odesa", "attack", "nominal")]),
    # a symmetric noun holds both ways with its partner ...
    (MEETING_WITH, [("Modi", "meeting with", "Albanese", "meet", "nominal"),
                    ("Albanese", "meeting with", "Modi", "meet", "nominal-mutual")]),
    # ... but not with a recipient, and an asymmetric noun keeps its direction
    (CALL_TO, [("Macron", "call to", "Scholz", "call", "nominal")]),
    (VISIT_TO, [("Modi", "visit to", "Canberra", "visit", "nominal")]),
])
def test_multiword_and_symmetric_rows(table_doc, lexicon, table, expected):
    doc = table_doc(table)
    got = [(*describe(f), f.lemma, f.pattern) for f in nominal_frames(doc[:], lexicon)]
    assert got == expected
