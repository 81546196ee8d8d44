"""Grammar rules behind event actors, stance and dates, on hand-built Docs (no model).

Rows: word lemma POS TAG head-offset dep ent (see conftest.parse_table).
"""

from __future__ import annotations

import pytest

from kg.extraction.arguments import member_actors
from kg.extraction.roles import agent_of, crowd_of, in_adjunct, name_complement
from kg.extraction.select import select_events
from kg.extraction.stance import clause_tokens, in_clause, stance
from kg.types import Event, Evidence, Mention

TALKS_IN_DOHA = """
Delegates delegate NOUN NNS 1 nsubj O
held hold VERB VBD 0 ROOT O
talks talk NOUN NNS -1 dobj O
in in ADP IN -1 prep O
Doha Doha PROPN NNP -1 pobj B-GPE
with with ADP IN -4 prep O
officials official NOUN NNS -1 pobj O
in in ADP IN -1 prep O
Kyrgyzstan Kyrgyzstan PROPN NNP -1 pobj B-GPE
. . PUNCT . -8 punct O
"""

PETROV = """
Oleg Oleg PROPN NNP 1 compound B-PERSON
Petrov Petrov PROPN NNP 7 nsubj I-PERSON
, , PUNCT , -1 punct O
head head NOUN NN -2 appos O
of of ADP IN -1 prep O
the the DET DT 1 det O
CSTO CSTO PROPN NNP -2 pobj B-ORG
warned warn VERB VBD 0 ROOT O
Nigerian nigerian ADJ JJ 2 amod B-NORP
President President PROPN NNP 1 compound O
Tinubu Tinubu PROPN NNP -4 dobj B-PERSON
. . PUNCT . -4 punct O
"""

NEIGHBOUR = """
Ethiopia Ethiopia PROPN NNP 1 nsubj B-GPE
fought fight VERB VBD 0 ROOT O
its its PRON PRP$ 1 poss O
neighbour neighbour NOUN NN -2 dobj O
, , PUNCT , -1 punct O
Eritrea Eritrea PROPN NNP -2 appos B-GPE
, , PUNCT , -3 punct O
over over ADP IN -6 prep O
the the DET DT 2 det O
Minsk Minsk PROPN NNP 1 compound B-GPE
accords accord NOUN NNS -3 pobj O
. . PUNCT . -10 punct O
"""


@pytest.mark.parametrize(("table", "index", "kwargs", "expected"), [
    (TALKS_IN_DOHA, 4, {}, True),            # talks in Doha: where
    (TALKS_IN_DOHA, 8, {}, False),           # officials in Kyrgyzstan: Kyrgyzstan's people
    (PETROV, 6, {}, True),                   # inside the apposition "head of the CSTO"
    (PETROV, 8, {}, False),                  # a nationality, for a target
    (PETROV, 8, {"titles": True}, True),     # ... but not Nigeria acting, for a source
    (NEIGHBOUR, 5, {}, False),               # "its neighbour, Eritrea" names Eritrea
    (NEIGHBOUR, 9, {}, True),                # a place in a name: "the Minsk accords"
], ids=["place-phrase", "officials-in", "apposition", "title-target", "title-source",
        "naming-apposition", "name"])
def test_in_adjunct(table_doc, table, index, kwargs, expected):
    doc = table_doc(table)
    assert in_adjunct(doc[index], **kwargs) is expected


SHELLING = """
Armenia Armenia PROPN NNP 1 nsubj B-GPE
denounced denounce VERB VBD 0 ROOT O
the the DET DT 1 det O
shelling shelling NOUN NN -2 dobj O
by by ADP IN -1 prep O
Azerbaijan Azerbaijan PROPN NNP -1 pobj B-GPE
of of ADP IN -3 prep O
Stepanakert Stepanakert PROPN NNP -1 pobj B-GPE
. . PUNCT . -7 punct O
"""

DECISION = """
Canada Canada PROPN NNP 1 nsubj B-GPE
welcomed welcome VERB VBD 0 ROOT O
Mexico Mexico PROPN NNP 2 poss B-GPE
's 's PART POS -1 case O
decision decision NOUN NN -3 dobj O
and and CCONJ CC -1 cc O
Russian russian ADJ JJ 2 amod B-NORP
gas gas NOUN NN 1 compound O
deals deal NOUN NNS -4 conj O
with with ADP IN -1 prep O
Darfur Darfur PROPN NNP 1 compound B-GPE
rebels rebel NOUN NNS -2 pobj O
. . PUNCT . -11 punct O
"""


@pytest.mark.parametrize(("table", "noun", "agent"), [
    (SHELLING, 3, "Azerbaijan"),   # "the shelling by Azerbaijan of Stepanakert"
    (DECISION, 4, "Mexico"),       # "Mexico's decision"
    (DECISION, 8, "Russian"),      # "Russian gas deals"
    (DECISION, 11, None),          # "Darfur rebels" are actors themselves
    (SHELLING, 7, None),           # a name is no act
], ids=["by", "possessive", "nationality", "agent-noun", "name"])
def test_agent_of(table_doc, table, noun, agent):
    span = agent_of(table_doc(table)[noun])
    assert (span.text if span is not None else None) == agent


CALLED = """
Caracas Caracas PROPN NNP 1 nsubj B-GPE
called call VERB VBD 0 ROOT O
Duque Duque PROPN NNP -1 dobj B-PERSON
a a DET DT 1 det O
dictator dictator NOUN NN -2 appos O
. . PUNCT . -4 punct O
"""

DISPERSE = """
Police police NOUN NNS 1 nsubj O
fired fire VERB VBD 0 ROOT O
gas gas NOUN NN -1 dobj O
to to PART TO 1 aux O
disperse disperse VERB VB -3 advcl O
thousands thousand NOUN NNS -1 dobj O
of of ADP IN -1 prep O
protesters protester NOUN NNS -1 pobj O
. . PUNCT . -7 punct O
"""

LEADERS = """
Moldova Moldova PROPN NNP 1 nsubj B-GPE
met meet VERB VBD 0 ROOT O
Serbian serbian ADJ JJ 3 amod B-NORP
and and CCONJ CC -1 cc O
Croatian croatian ADJ JJ -2 conj B-NORP
leaders leader NOUN NNS -4 dobj O
. . PUNCT . -5 punct O
"""


def test_name_complement(table_doc):
    doc = table_doc(CALLED)
    assert name_complement(doc[1]).text == "dictator"
    assert name_complement(table_doc(LEADERS)[1]) is None


def test_crowd_of_a_purpose_clause(table_doc):
    doc = table_doc(DISPERSE)
    assert crowd_of(doc[1]).text == "protesters"
    assert crowd_of(table_doc(CALLED)[1]) is None


def test_member_actors(table_doc):
    doc = table_doc(LEADERS)
    assert [s.text for s in member_actors(doc[2:6])] == ["Serbian", "Croatian"]
    assert member_actors(table_doc(DISPERSE)[5:8]) == []


QUESTION = """
Did do AUX VBD 2 aux O
Iran Iran PROPN NNP 1 nsubj B-GPE
attack attack VERB VB 0 ROOT O
the the DET DT 1 det O
tanker tanker NOUN NN -2 dobj O
? ? PUNCT . -3 punct O
"""

WHOEVER = """
Whoever whoever PRON WP 1 nsubj O
breaks break VERB VBZ 2 csubj O
truces truce NOUN NNS -1 dobj O
faces face VERB VBZ 0 ROOT O
sanctions sanction NOUN NNS -1 dobj O
. . PUNCT . -2 punct O
"""

NO_ONE = """
No no DET DT 1 det O
one one NOUN NN 2 nsubjpass O
was be AUX VBD 1 auxpass O
shot shoot VERB VBN 0 ROOT O
. . PUNCT . -1 punct O
"""

NEITHER = """
Chad Chad PROPN NNP 3 nsubj B-GPE
neither neither CCONJ CC 2 preconj O
confirmed confirm VERB VBD 1 ccomp O
nor nor CCONJ CC -1 cc O
denied deny VERB VBD -2 conj O
it it PRON PRP -1 dobj O
. . PUNCT . -4 punct O
"""


@pytest.mark.parametrize(("table", "index", "expected"), [
    (QUESTION, 2, (False, "hypothetical")),   # asked, not told
    (WHOEVER, 1, (False, "hypothetical")),    # anyone at all
    (WHOEVER, 3, (False, "hypothetical")),
    (NO_ONE, 3, (True, "asserted")),          # nobody was shot
    (NEITHER, 4, (True, "asserted")),         # the denial did not happen either
], ids=["question", "whoever", "whoever-main", "no-one", "nor"])
def test_stance_of_unasserted_clauses(table_doc, table, index, expected):
    assert stance(table_doc(table)[index]) == expected


RELATIVE = """
The the DET DT 1 det O
army army NOUN NN 6 nsubj O
, , PUNCT , -1 punct O
which which PRON WDT 1 nsubj O
seized seize VERB VBD -3 relcl O
it it PRON PRP -1 dobj O
, , PUNCT , -5 punct O
attacked attack VERB VBD 0 ROOT O
. . PUNCT . -1 punct O
"""


def test_clause_leaves_out_a_relative_clause_inside_its_subject(table_doc):
    doc = table_doc(RELATIVE)
    attacked, seized = doc[7], doc[4]
    assert not in_clause(seized, attacked)
    assert [t.text for t in clause_tokens(attacked)] == ["The", "army", ",", ",", "attacked", "."]


def _event(obj: Mention, cameo: str, confidence: float) -> Event:
    subject = Mention("d", 0, 0, 8, "Pakistan", "GPE", "pakistan")
    return Event(subject=subject, relation="violated", lemma="violate", object=obj,
                 evidence=Evidence("d", 0, 0, 60), cameo=cameo, confidence=confidence,
                 relation_start=9)


def test_one_trigger_one_code():
    kashmir = Mention("d", 0, 30, 36, "Kashmir", "GPE", "kashmir")
    jammu = Mention("d", 0, 44, 49, "Jammu", "GPE", "jammu")
    kept = select_events([_event(kashmir, "196", 0.8), _event(jammu, "128", 0.7)])
    assert [(e.object.text, e.cameo) for e in kept] == [("Kashmir", "196")]


def test_conjoined_objects_of_a_common_noun_subject_each_kept():
    serbia = Mention("d", 0, 30, 36, "Serbia", "GPE", "serbia")
    kosovo = Mention("d", 0, 41, 47, "Kosovo", "GPE", "kosovo")
    minister = Mention("d", 0, 0, 12, "the minister", None, None)
    events = [Event(subject=minister, relation="warned", lemma="warn", object=o,
                    evidence=Evidence("d", 0, 0, 60), cameo="130", confidence=c, relation_start=13)
              for o, c in ((serbia, 0.8), (kosovo, 0.7))]
    assert [e.object.text for e in select_events(events)] == ["Serbia", "Kosovo"]
