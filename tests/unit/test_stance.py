"""Negation, modality, attribution, quotes and place on hand-built parses (no model)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extraction.stance import attribution, location, quote, quote_spans, stance

VOCAB = spacy.blank("en").vocab


def build(table: str) -> Doc:
    """A parsed Doc from rows of ``word head dep pos lemma tag ent-iob``."""
    rows = [line.split() for line in table.strip().splitlines()]
    return Doc(VOCAB, words=[r[0] for r in rows], heads=[int(r[1]) for r in rows],
               deps=[r[2] for r in rows], pos=[r[3] for r in rows], lemmas=[r[4] for r in rows],
               tags=[r[5] for r in rows], ents=[r[6] for r in rows])


def token(doc: Doc, word: str, nth: int = 0):
    return [t for t in doc if t.text == word][nth]


URGE = build("""
Trump            1 nsubj      PROPN  Trump        NNP   B-PERSON
urged            1 ROOT       VERB   urge         VBD   O
Putin            1 dobj       PROPN  Putin        NNP   B-PERSON
not              5 neg        PART   not          RB    O
to               5 aux        PART   to           TO    O
escalate         1 xcomp      VERB   escalate     VB    O
the              7 det        DET    the          DT    O
war              5 dobj       NOUN   war          NN    O
.                1 punct      PUNCT  .            .     O
""")
OPPOSE = build("""
Officials        3 nsubj      NOUN   official     NNS   O
did              3 aux        AUX    do           VBD   O
not              3 neg        PART   not          RB    O
oppose           3 ROOT       VERB   oppose       VB    O
the              5 det        DET    the          DT    O
plan             3 dobj       NOUN   plan         NN    O
.                3 punct      PUNCT  .            .     O
""")
REFUSE = build("""
Moscow           1 nsubj      PROPN  Moscow       NNP   B-GPE
refused          1 ROOT       VERB   refuse       VBD   O
to               3 aux        PART   to           TO    O
sign             1 xcomp      VERB   sign         VB    O
the              5 det        DET    the          DT    O
deal             3 dobj       NOUN   deal         NN    O
.                1 punct      PUNCT  .            .     O
""")
NO_LONGER = build("""
The              1 det        DET    the          DT    O
army             4 nsubj      NOUN   army         NN    O
no               3 neg        ADV    no           RB    O
longer           4 advmod     ADV    long         RBR   O
patrols          4 ROOT       VERB   patrol       VBZ   O
the              6 det        DET    the          DT    O
border           4 dobj       NOUN   border       NN    O
.                4 punct      PUNCT  .            .     O
""")
REPORTEDLY = build("""
Russia           2 nsubj      PROPN  Russia       NNP   B-GPE
reportedly       2 advmod     ADV    reportedly   RB    O
shelled          2 ROOT       VERB   shell        VBD   O
the              4 det        DET    the          DT    O
town             2 dobj       NOUN   town         NN    O
.                2 punct      PUNCT  .            .     O
""")
VOW = build("""
Iran             1 nsubj      PROPN  Iran         NNP   B-GPE
vowed            1 ROOT       VERB   vow          VBD   O
to               3 aux        PART   to           TO    O
attack           1 xcomp      VERB   attack       VB    O
Israel           3 dobj       PROPN  Israel       NNP   B-GPE
.                1 punct      PUNCT  .            .     O
""")
IF = build("""
If               2 mark       SCONJ  if           IN    O
Russia           2 nsubj      PROPN  Russia       NNP   B-GPE
attacks          7 advcl      VERB   attack       VBZ   O
Estonia          2 dobj       PROPN  Estonia      NNP   B-GPE
,                7 punct      PUNCT  ,            ,     O
NATO             7 nsubj      PROPN  NATO         NNP   B-ORG
would            7 aux        AUX    would        MD    O
respond          7 ROOT       VERB   respond      VB    O
.                7 punct      PUNCT  .            .     O
""")
CALL_ON = build("""
Germany          1 nsubj      PROPN  Germany      NNP   B-GPE
called           1 ROOT       VERB   call         VBD   O
on               1 prep       ADP    on           IN    O
Russia           2 pobj       PROPN  Russia       NNP   B-GPE
to               5 aux        PART   to           TO    O
withdraw         1 xcomp      VERB   withdraw     VB    O
its              7 poss       PRON   its          PRP$  O
troops           5 dobj       NOUN   troop        NNS   O
.                1 punct      PUNCT  .            .     O
""")
SAID_TO = build("""
Moscow           2 nsubjpass  PROPN  Moscow       NNP   B-GPE
is               2 auxpass    AUX    be           VBZ   O
said             2 ROOT       VERB   say          VBN   O
to               5 aux        PART   to           TO    O
be               5 aux        AUX    be           VB    O
preparing        2 xcomp      VERB   prepare      VBG   O
an               7 det        DET    an           DT    O
offensive        5 dobj       NOUN   offensive    NN    O
.                2 punct      PUNCT  .            .     O
""")
SAID_THAT = build("""
The              1 det        DET    the          DT    O
minister         2 nsubj      NOUN   minister     NN    O
said             2 ROOT       VERB   say          VBD   O
that             6 mark       SCONJ  that         IN    O
Russia           6 nsubj      PROPN  Russia       NNP   B-GPE
had              6 aux        AUX    have         VBD   O
attacked         2 ccomp      VERB   attack       VBN   O
Kyiv             6 dobj       PROPN  Kyiv         NNP   B-GPE
.                2 punct      PUNCT  .            .     O
""")
ACCORDING = build("""
According       10 prep       VERB   accord       VBG   O
to               0 prep       ADP    to           IN    O
a                3 det        DET    a            DT    O
report           1 pobj       NOUN   report       NN    O
by               3 prep       ADP    by           IN    O
The              7 det        DET    the          DT    B-ORG
Washington       7 compound   PROPN  Washington   NNP   I-ORG
Post             4 pobj       PROPN  Post         NNP   I-ORG
,               10 punct      PUNCT  ,            ,     O
Trump           10 nsubj      PROPN  Trump        NNP   B-PERSON
called          10 ROOT       VERB   call         VBD   O
Putin           10 dobj       PROPN  Putin        NNP   B-PERSON
.               10 punct      PUNCT  .            .     O
""")
QUOTED = build("""
“               10 punct      PUNCT  "            ``    O
We               4 nsubj      PRON   we           PRP   O
will             4 aux        AUX    will         MD    O
never            4 neg        ADV    never        RB    O
attack          10 ccomp      VERB   attack       VB    O
Poland           4 dobj       PROPN  Poland       NNP   B-GPE
,               10 punct      PUNCT  ,            ,     O
”               10 punct      PUNCT  "            ''    O
the              9 det        DET    the          DT    O
minister        10 nsubj      NOUN   minister     NN    O
said            10 ROOT       VERB   say          VBD   O
.               10 punct      PUNCT  .            .     O
""")
CONJ = build("""
Putin            3 nsubj      PROPN  Putin        NNP   B-PERSON
did              3 aux        AUX    do           VBD   O
not              3 neg        PART   not          RB    O
meet             3 ROOT       VERB   meet         VB    O
or               3 cc         CCONJ  or           CC    O
call             3 conj       VERB   call         VB    O
Biden            5 dobj       PROPN  Biden        NNP   B-PERSON
.                3 punct      PUNCT  .            .     O
""")
INTEREST = build("""
Kyiv             1 nsubj      PROPN  Kyiv         NNP   B-GPE
expressed        1 ROOT       VERB   express      VBD   O
interest         1 dobj       NOUN   interest     NN    O
in               2 prep       ADP    in           IN    O
talks            3 pobj       NOUN   talk         NNS   O
with             4 prep       ADP    with         IN    O
Moscow           5 pobj       PROPN  Moscow       NNP   B-GPE
.                1 punct      PUNCT  .            .     O
""")
AMID = build("""
Troops           1 nsubj      NOUN   troop        NNS   O
advanced         1 ROOT       VERB   advance      VBD   O
amid             1 prep       ADP    amid         IN    O
reports          2 pobj       NOUN   report       NNS   O
that             7 mark       SCONJ  that         IN    O
Moscow           7 nsubj      PROPN  Moscow       NNP   B-GPE
is               7 aux        AUX    be           VBZ   O
preparing        3 acl        VERB   prepare      VBG   O
a                9 det        DET    a            DT    O
counteroffensive 7 dobj       NOUN   counteroffensive NN    O
.                1 punct      PUNCT  .            .     O
""")
# He added, “They made a deal. They would sign it.”  (a quotation across two sentences)
TWO_SENTENCES = build("""
He               1 nsubj      PRON   he           PRP   O
added            1 ROOT       VERB   add          VBD   O
,                1 punct      PUNCT  ,            ,     O
“                4 punct      PUNCT  "            ``    O
They             5 nsubj      PRON   they         PRP   O
made             1 ccomp      VERB   make         VBD   O
a                7 det        DET    a            DT    O
deal             5 dobj       NOUN   deal         NN    O
.                1 punct      PUNCT  .            .     O
They            12 nsubj      PRON   they         PRP   O
would           12 aux        AUX    would        MD    O
sign            12 ROOT       VERB   sign         VB    O
it              12 dobj       PRON   it           PRP   O
.               12 punct      PUNCT  .            .     O
”               12 punct      PUNCT  "            ''    O
""")
SCARE = build("""
Trump            1 nsubj      PROPN  Trump        NNP   B-PERSON
urged            1 ROOT       VERB   urge         VBD   O
Putin            1 dobj       PROPN  Putin        NNP   B-PERSON
not              6 neg        PART   not          RB    O
to               6 aux        PART   to           TO    O
"                6 punct      PUNCT  "            ``    O
escalate         1 xcomp      VERB   escalate     VB    O
"                6 punct      PUNCT  "            ''    O
.                1 punct      PUNCT  .            .     O
""")


@pytest.mark.parametrize("doc, word, negated, modality", [
    (URGE, "escalate", True, "requested"),
    (URGE, "urged", False, "asserted"),
    (OPPOSE, "oppose", True, "asserted"),
    (REFUSE, "sign", True, "asserted"),
    (REFUSE, "refused", False, "asserted"),
    (NO_LONGER, "patrols", True, "asserted"),
    (REPORTEDLY, "shelled", False, "reported"),
    (VOW, "attack", False, "intended"),
    (VOW, "vowed", False, "asserted"),
    (IF, "attacks", False, "hypothetical"),
    (IF, "respond", False, "hypothetical"),
    (CALL_ON, "withdraw", False, "requested"),
    (CALL_ON, "called", False, "asserted"),
    (SAID_TO, "preparing", False, "reported"),
    (SAID_TO, "offensive", False, "intended"),
    (SAID_THAT, "attacked", False, "reported"),
    (ACCORDING, "called", False, "reported"),
    (QUOTED, "attack", True, "intended"),  # "will": the speaker's own intent
    (CONJ, "call", True, "asserted"),
    (INTEREST, "talks", False, "intended"),
    (AMID, "preparing", False, "reported"),
    (AMID, "counteroffensive", False, "intended"),
    (AMID, "advanced", False, "asserted"),
    (TWO_SENTENCES, "sign", False, "hypothetical"),
])
def test_stance(doc, word, negated, modality):
    assert stance(token(doc, word)) == (negated, modality)


@pytest.mark.parametrize("doc, word, source", [
    (SAID_THAT, "attacked", "The minister"),
    (ACCORDING, "called", "The Washington Post"),
    (QUOTED, "attack", "the minister"),
    (TWO_SENTENCES, "made", "He"),
    (TWO_SENTENCES, "sign", "He"),
    (REPORTEDLY, "shelled", None),
    (SAID_TO, "preparing", None),
    (URGE, "escalate", None),
])
def test_attribution(doc, word, source):
    span = attribution(token(doc, word))
    assert (span.text if span is not None else None) == source


def test_quote_text_and_scare_quotes():
    assert quote(token(QUOTED, "attack")) == "We will never attack Poland"
    assert quote(token(QUOTED, "said")) is None
    assert quote(token(TWO_SENTENCES, "sign")) == "They made a deal . They would sign it ."
    # a single quoted word is emphasis, not a quotation
    assert quote_spans(SCARE) == []
    assert quote(token(SCARE, "escalate")) is None


STRUCK = build("""
Israeli          1 amod       ADJ    israeli      JJ    B-NORP
jets             2 nsubj      NOUN   jet          NNS   O
struck           2 ROOT       VERB   strike       VBD   O
targets          2 dobj       NOUN   target       NNS   O
in               2 prep       ADP    in           IN    O
Gaza             4 pobj       PROPN  Gaza         NNP   B-GPE
on               2 prep       ADP    on           IN    O
Monday           6 pobj       PROPN  Monday       NNP   B-DATE
.                2 punct      PUNCT  .            .     O
""")
KURSK = build("""
Ukrainian        1 amod       ADJ    ukrainian    JJ    B-NORP
forces           2 nsubj      NOUN   force        NNS   O
consolidated     2 ROOT       VERB   consolidate  VBD   O
gains            2 dobj       NOUN   gain         NNS   O
in               3 prep       ADP    in           IN    O
Russia           8 poss       PROPN  Russia       NNP   B-GPE
's               5 case       PART   's           POS   O
Kursk            8 compound   PROPN  Kursk        NNP   B-LOC
region           4 pobj       NOUN   region       NN    O
.                2 punct      PUNCT  .            .     O
""")
RALLY = build("""
The              1 det        DET    the          DT    O
president        2 nsubj      NOUN   president    NN    O
spoke            2 ROOT       VERB   speak        VBD   O
at               2 prep       ADP    at           IN    O
a                5 det        DET    a            DT    O
rally            3 pobj       NOUN   rally        NN    O
in               5 prep       ADP    in           IN    O
Warsaw           6 pobj       PROPN  Warsaw       NNP   B-GPE
in               2 prep       ADP    in           IN    O
September        8 pobj       PROPN  September    NNP   B-DATE
.                2 punct      PUNCT  .            .     O
""")
INTERCEPT = build("""
Air              1 compound   NOUN   air          NN    O
defences         2 nsubj      NOUN   defence      NNS   O
intercepted      2 ROOT       VERB   intercept    VBD   O
20               4 nummod     NUM    20           CD    B-CARDINAL
drones           2 dobj       NOUN   drone        NNS   O
,                4 punct      PUNCT  ,            ,     O
including        4 prep       VERB   include      VBG   O
5                6 pobj       NUM    5            CD    B-CARDINAL
over             7 prep       ADP    over         IN    O
Moscow           8 pobj       PROPN  Moscow       NNP   B-GPE
.                2 punct      PUNCT  .            .     O
""")


@pytest.mark.parametrize("doc, word, place", [
    (STRUCK, "struck", "Gaza"),
    (KURSK, "consolidated", "Russia 's Kursk region"),
    (RALLY, "spoke", "Warsaw"),
    (INTERCEPT, "intercepted", "Moscow"),
    (SAID_THAT, "attacked", None),  # Kyiv is what was attacked, not where
    (VOW, "attack", None),
    (INTEREST, "talks", None),
])
def test_location(doc, word, place):
    span = location(token(doc, word))
    assert (span.text if span is not None else None) == place
