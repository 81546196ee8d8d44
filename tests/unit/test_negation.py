"""Negation is decided by one function, which frames and stances both read (no model)."""

from __future__ import annotations

import pytest

from kg.extraction.arguments import raised_frames
from kg.extraction.clauses import frames
from kg.extraction.nominal import load_nominal_lexicon, nominal_frames
from kg.extraction.stance import is_negated, stance

from .test_stance import build, token

NOT_READY = build("""
Iran             1 nsubj      PROPN  Iran         NNP   B-GPE
is               1 ROOT       AUX    be           VBZ   O
not              1 neg        PART   not          RB    O
ready            1 acomp      ADJ    ready        JJ    O
to               5 aux        PART   to           TO    O
sign             3 xcomp      VERB   sign         VB    O
the              7 det        DET    the          DT    O
deal             5 dobj       NOUN   deal         NN    O
.                1 punct      PUNCT  .            .     O
""")
NOT_AFRAID = build("""
Iran             1 nsubj      PROPN  Iran         NNP   B-GPE
is               1 ROOT       AUX    be           VBZ   O
not              1 neg        PART   not          RB    O
afraid           1 acomp      ADJ    afraid       JJ    O
to               5 aux        PART   to           TO    O
strike           3 xcomp      VERB   strike       VB    O
Israel           5 dobj       PROPN  Israel       NNP   B-GPE
.                1 punct      PUNCT  .            .     O
""")
NOT_REFUSE = build("""
Hanoi            3 nsubj      PROPN  Hanoi        NNP   B-GPE
did              3 aux        AUX    do           VBD   O
not              3 neg        PART   not          RB    O
refuse           3 ROOT       VERB   refuse       VB    O
to               5 aux        PART   to           TO    O
meet             3 xcomp      VERB   meet         VB    O
Beijing          5 dobj       PROPN  Beijing      NNP   B-GPE
.                3 punct      PUNCT  .            .     O
""")
NO_ONE = build("""
No               1 det        DET    no           DT    O
one              3 nsubjpass  NOUN   one          NN    O
was              3 auxpass    AUX    be           VBD   O
arrested         3 ROOT       VERB   arrest       VBN   O
in               3 prep       ADP    in           IN    O
Minsk            4 pobj       PROPN  Minsk        NNP   B-GPE
.                3 punct      PUNCT  .            .     O
""")
NEVER_NOR = build("""
Chile            2 nsubj      PROPN  Chile        NNP   B-GPE
never            2 neg        ADV    never        RB    O
met              2 ROOT       VERB   meet         VBD   O
nor              2 cc         CCONJ  nor          CC    O
called           2 conj       VERB   call         VBD   O
Peru             4 dobj       PROPN  Peru         NNP   B-GPE
.                2 punct      PUNCT  .            .     O
""")
NO_TALKS = build("""
Oslo             1 nsubj      PROPN  Oslo         NNP   B-GPE
held             1 ROOT       VERB   hold         VBD   O
no               3 det        DET    no           DT    O
talks            1 dobj       NOUN   talk         NNS   O
with             3 prep       ADP    with         IN    O
Riga             4 pobj       PROPN  Riga         NNP   B-GPE
.                1 punct      PUNCT  .            .     O
""")
WITHOUT = build("""
Kenya            1 nsubj      PROPN  Kenya        NNP   B-GPE
acted            1 ROOT       VERB   act          VBD   O
without          1 prep       ADP    without      IN    O
consultation     2 pobj       NOUN   consultation NN    O
.                1 punct      PUNCT  .            .     O
""")


@pytest.mark.parametrize("doc, word, negated", [
    (NOT_READY, "sign", True),        # the copula of a raising adjective carries the "not"
    (NOT_READY, "is", True),
    (NOT_AFRAID, "strike", False),    # "not afraid to strike" is no denial of striking
    (NOT_REFUSE, "refuse", True),
    (NOT_REFUSE, "meet", False),      # "did not refuse to meet": the two cancel out
    (NO_ONE, "arrested", True),       # nobody was: the act did not happen
    (NEVER_NOR, "met", True),
    (NEVER_NOR, "called", True),      # "nor" denies the second act too
    (NO_TALKS, "talks", True),        # a negated event noun
    (NO_TALKS, "held", False),
    (WITHOUT, "consultation", True),
])
def test_is_negated(doc, word, negated):
    assert is_negated(token(doc, word)) is negated


@pytest.mark.parametrize("doc, word", [
    (NOT_READY, "sign"), (NOT_REFUSE, "meet"), (NO_ONE, "arrested"), (NEVER_NOR, "called"),
    (NO_TALKS, "talks"),
])
def test_stance_reads_the_same_negation(doc, word):
    assert stance(token(doc, word))[0] is is_negated(token(doc, word))


@pytest.mark.parametrize("doc", [NOT_READY, NOT_AFRAID, NOT_REFUSE, NO_ONE, NEVER_NOR, NO_TALKS])
def test_every_frame_reads_the_same_negation(doc):
    """Clause, raised and nominal frames all ask is_negated about their trigger."""
    built = [*frames(doc[:]), *raised_frames(doc[:]), *nominal_frames(doc[:], load_nominal_lexicon())]
    assert built
    assert all(f.negated is is_negated(f.trigger) for f in built)


def test_negated_frames():
    """The frames of the sentences above, with the negation each one tells."""
    def told(doc):
        return sorted((f.trigger.text, f.negated) for f in
                      [*frames(doc[:]), *raised_frames(doc[:]),
                       *nominal_frames(doc[:], load_nominal_lexicon())])
    assert ("sign", True) in told(NOT_READY)
    assert told(NOT_AFRAID) == [("is", True)]  # no frame of "strike" to negate
    assert ("meet", False) in told(NOT_REFUSE) and ("refuse", True) in told(NOT_REFUSE)
    assert ("called", True) in told(NEVER_NOR)
    # "talks" is symmetric: Oslo with Riga and Riga with Oslo, both negated
    assert told(NO_TALKS) == [("held", False), ("talks", True), ("talks", True)]
