"""Verbal frame rules on hand-built parses (no model)."""

import pytest

from kg.extract.clauses import describe, frames


CASES = [
    (
        """
        China China PROPN NNP 1 nsubj B-GPE
        criticised criticise VERB VBD 0 ROOT O
        Japan Japan PROPN NNP -1 dobj B-GPE
        . . PUNCT . -2 punct O
        """,
        [('China', 'criticised', 'Japan', 'svo', False)],
    ),
    (
        """
        Kyiv Kyiv PROPN NNP 2 nsubjpass O
        was be AUX VBD 1 auxpass O
        shelled shell VERB VBN 0 ROOT O
        by by ADP IN -1 agent O
        Russian russian ADJ JJ 1 amod B-NORP
        forces force NOUN NNS -2 pobj O
        . . PUNCT . -4 punct O
        """,
        [('Russian forces', 'was shelled by', 'Kyiv', 'passive-agent', False)],
    ),
    (
        """
        The the DET DT 1 det O
        minister minister NOUN NN 1 nsubj O
        urged urge VERB VBD 0 ROOT O
        Iran Iran PROPN NNP -1 dobj B-GPE
        not not PART RB 2 neg O
        to to PART TO 1 aux O
        enrich enrich VERB VB -4 xcomp O
        uranium uranium NOUN NN -1 dobj O
        . . PUNCT . -6 punct O
        """,
        [('The minister', 'urged', 'Iran', 'svo', False), ('Iran', 'not to enrich', 'uranium', 'control', True)],
    ),
    (
        """
        France France PROPN NNP 3 nsubj B-GPE
        and and CCONJ CC -1 cc O
        Germany Germany PROPN NNP -2 conj B-GPE
        condemned condemn VERB VBD 0 ROOT O
        the the DET DT 1 det O
        attack attack NOUN NN -2 dobj O
        . . PUNCT . -3 punct O
        """,
        [('France', 'condemned', 'the attack', 'svo', False), ('Germany', 'condemned', 'the attack', 'svo', False)],
    ),
    (
        """
        Israel Israel PROPN NNP 1 nsubj B-GPE
        struck strike VERB VBD 0 ROOT O
        Gaza Gaza PROPN NNP -1 dobj B-GPE
        and and CCONJ CC -1 cc O
        Lebanon Lebanon PROPN NNP -2 conj B-GPE
        . . PUNCT . -4 punct O
        """,
        [('Israel', 'struck', 'Gaza', 'svo', False), ('Israel', 'struck', 'Lebanon', 'svo', False)],
    ),
    (
        """
        The the DET DT 1 det O
        army army NOUN NN 1 nsubj O
        launched launch VERB VBD 0 ROOT O
        an an DET DT 1 det O
        offensive offensive NOUN NN -2 dobj O
        against against ADP IN -1 prep O
        the the DET DT 1 det O
        rebels rebel NOUN NNS -2 pobj O
        . . PUNCT . -6 punct O
        """,
        [('The army', 'launched', 'an offensive against the rebels', 'svo', False)],
    ),
    (
        """
        Egypt Egypt PROPN NNP 1 nsubj B-GPE
        hosted host VERB VBD 0 ROOT O
        talks talk NOUN NNS -1 dobj O
        between between ADP IN -1 prep O
        Israel Israel PROPN NNP -1 pobj B-GPE
        and and CCONJ CC -1 cc O
        Hamas Hamas PROPN NNP -2 conj B-ORG
        . . PUNCT . -6 punct O
        """,
        [('Egypt', 'hosted', 'talks between Israel and Hamas', 'svo', False)],
    ),
    (
        """
        Putin Putin PROPN NNP 1 nsubj B-PERSON
        met meet VERB VBD 0 ROOT O
        with with ADP IN -1 prep O
        Xi Xi PROPN NNP -1 pobj B-PERSON
        in in ADP IN -3 prep O
        Beijing Beijing PROPN NNP -1 pobj B-GPE
        . . PUNCT . -5 punct O
        """,
        [('Putin', 'met with', 'Xi', 'prep', False)],
    ),
    (
        """
        Turkey Turkey PROPN NNP 2 poss B-GPE
        's 's PART POS -1 case O
        annexation annexation NOUN NN 4 nsubj O
        of of ADP IN -1 prep O
        the the DET DT 1 det O
        region region NOUN NN -2 pobj O
        angered anger VERB VBD 0 ROOT O
        Greece Greece PROPN NNP -1 dobj B-GPE
        . . PUNCT . -2 punct O
        """,
        [("Turkey's annexation of the region", 'angered', 'Greece', 'svo', False)],
    ),
    (
        """
        The the DET DT 1 det O
        rebels rebel NOUN NNS 1 nsubj O
        seized seize VERB VBD 0 ROOT O
        the the DET DT 1 det O
        town town NOUN NN -2 dobj O
        and and CCONJ CC -3 cc O
        killed kill VERB VBD -4 conj O
        the the DET DT 1 det O
        mayor mayor NOUN NN -2 dobj O
        . . PUNCT . -7 punct O
        """,
        [('The rebels', 'seized', 'the town', 'svo', False), ('The rebels', 'killed', 'the mayor', 'svo-inherited', False)],
    ),
    (
        """
        The the DET DT 1 det O
        envoy envoy NOUN NN 4 nsubj O
        who who PRON WP 1 nsubj O
        visited visit VERB VBD -2 relcl O
        Kenya Kenya PROPN NNP -1 dobj B-GPE
        praised praise VERB VBD 0 ROOT O
        Ethiopia Ethiopia PROPN NNP -1 dobj B-GPE
        . . PUNCT . -2 punct O
        """,
        [('The envoy', 'visited', 'Kenya', 'relcl', False), ('The envoy', 'praised', 'Ethiopia', 'svo', False)],
    ),
    (
        """
        The the DET DT 1 det O
        sanctions sanction NOUN NNS 2 nsubjpass O
        were be AUX VBD 1 auxpass O
        imposed impose VERB VBN 0 ROOT O
        on on ADP IN -1 prep O
        Iran Iran PROPN NNP -1 pobj B-GPE
        . . PUNCT . -3 punct O
        """,
        [('The sanctions', 'were imposed', None, 'passive', False)],
    ),
]


@pytest.mark.parametrize("table,expected", CASES)
def test_verbal_frames(table_doc, table, expected):
    doc = table_doc(table)
    got = [(*describe(f), f.pattern, f.negated) for f in frames(doc[:])]
    assert got == expected
