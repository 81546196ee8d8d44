"""Verbal frame rules on hand-built parses (no model)."""

import pytest

from kg.extraction.clauses import describe, frames

CASES = [
    (
        # an inner adverb belongs to the relation; a governing verb of the same subject belongs
        # to its infinitive's relation
        """
        Nissan Nissan PROPN NNP 3 nsubj B-ORG
        has have AUX VBZ 2 aux O
        also also ADV RB 1 advmod O
        had have VERB VBN 0 ROOT O
        to to PART TO 1 aux O
        close close VERB VB -2 xcomp O
        two two NUM CD 1 nummod O
        plants plant NOUN NNS -2 dobj O
        . . PUNCT . -5 punct O
        """,
        [('Nissan', 'has also had', 'to close two plants', 'svo', False),
         ('Nissan', 'has also had to close', 'two plants', 'control', False)],
    ),
    (
        # with object control the governing verb is not the infinitive's subject's act
        """
        Turkey Turkey PROPN NNP 1 nsubj B-GPE
        urged urge VERB VBD 0 ROOT O
        Sweden Sweden PROPN NNP -1 dobj B-GPE
        to to PART TO 1 aux O
        extradite extradite VERB VB -3 xcomp O
        suspects suspect NOUN NNS -1 dobj O
        . . PUNCT . -5 punct O
        """,
        [('Turkey', 'urged', 'Sweden', 'svo', False),
         ('Sweden', 'to extradite', 'suspects', 'control', False)],
    ),
    (
        # a purpose clause takes its verb's subject
        """
        Putin Putin PROPN NNP 1 nsubj B-PERSON
        travelled travel VERB VBD 0 ROOT O
        to to ADP IN -1 prep O
        Beijing Beijing PROPN NNP -1 pobj B-GPE
        to to PART TO 1 aux O
        meet meet VERB VB -4 advcl O
        Xi Xi PROPN NNP -1 dobj B-PERSON
        . . PUNCT . -6 punct O
        """,
        [('Putin', 'travelled to', 'Beijing', 'prep', False),
         ('Putin', 'to meet', 'Xi', 'control', False)],
    ),
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
        [('The sanctions', 'were imposed on', 'Iran', 'passive-prep', False)],
    ),
    (
        # the subject stops before an apposition (its own frame is nominal)
        """
        Lavrov Lavrov PROPN NNP 6 nsubj B-PERSON
        , , PUNCT , -1 punct O
        Russia Russia PROPN NNP 3 poss B-GPE
        's 's PART POS -1 case O
        foreign foreign ADJ JJ 1 amod O
        minister minister NOUN NN -5 appos O
        met meet VERB VBD 0 ROOT O
        Wang Wang PROPN NNP -1 dobj B-PERSON
        . . PUNCT . -2 punct O
        """,
        [('Lavrov', 'met', 'Wang', 'svo', False)],
    ),
    (
        # reduced passive with an agent: the by-phrase acts on the noun
        """
        Armenia Armenia PROPN NNP 5 nsubj B-GPE
        , , PUNCT , -1 punct O
        backed back VERB VBN -2 acl O
        by by ADP IN -1 agent O
        France France PROPN NNP -1 pobj B-GPE
        rejected reject VERB VBD 0 ROOT O
        it it PRON PRP -1 dobj O
        . . PUNCT . -2 punct O
        """,
        [('France', 'be backed by', 'Armenia', 'reduced-passive', False), ('Armenia', 'rejected', 'it', 'svo', False)],
    ),
    (
        # reduced passive without an agent: the noun undergoes the act
        """
        a a DET DT 1 det O
        school school NOUN NN 0 ROOT O
        founded found VERB VBN -1 acl O
        in in ADP IN -1 prep O
        1851 1851 NUM CD -1 pobj B-DATE
        """,
        [('a school', 'be founded in', '1851', 'reduced-passive', False)],
    ),
    (
        # predicative complement of a full verb
        """
        He he PRON PRP 1 nsubj O
        became become VERB VBD 0 ROOT O
        a a DET DT 1 det O
        judge judge NOUN NN -2 attr O
        . . PUNCT . -3 punct O
        """,
        [('He', 'became', 'a judge', 'svo', False)],
    ),
    (
        # "including" hung on the nearest noun still lists members of the plural argument
        """
        He he PRON PRP 1 nsubj O
        spoke speak VERB VBD 0 ROOT O
        with with ADP IN -1 prep O
        leaders leader NOUN NNS -1 pobj O
        since since ADP IN -3 prep O
        May May PROPN NNP -1 pobj B-DATE
        , , PUNCT , -1 punct O
        including include VERB VBG -2 prep O
        Modi Modi PROPN NNP -1 pobj B-PERSON
        . . PUNCT . -8 punct O
        """,
        [('He', 'spoke with', 'leaders', 'prep', False), ('He', 'spoke with', 'Modi', 'example', False)],
    ),
    (
        # a named receiver after a thing given
        """
        Iran Iran PROPN NNP 1 nsubj B-GPE
        supplies supply VERB VBZ 0 ROOT O
        drones drone NOUN NNS -1 dobj O
        to to ADP IN -2 prep O
        Russia Russia PROPN NNP -1 pobj B-GPE
        . . PUNCT . -4 punct O
        """,
        [('Iran', 'supplies', 'drones', 'svo', False), ('Iran', 'supplies to', 'Russia', 'recipient', False)],
    ),
    (
        # object control parsed as a clause: its subject is the controller's object
        """
        Egypt Egypt PROPN NNP 3 nsubj B-GPE
        will will AUX MD 2 aux O
        not not PART RB 1 neg O
        allow allow VERB VB 0 ROOT O
        Israel Israel PROPN NNP 2 nsubj B-GPE
        to to PART TO 1 aux O
        pass pass VERB VB -3 ccomp O
        . . PUNCT . -4 punct O
        """,
        [('Egypt', 'will not allow', 'Israel', 'svo', True), ('Israel', 'to pass', None, 'intransitive', False)],
    ),
    (
        # a purpose clause of a passive takes the agent as its subject
        """
        aid aid NOUN NN 0 ROOT O
        sent send VERB VBN -1 acl O
        by by ADP IN -1 agent O
        Japan Japan PROPN NNP -1 pobj B-GPE
        to to PART TO 1 aux O
        help help VERB VB -4 advcl O
        Manila Manila PROPN NNP -1 dobj B-GPE
        """,
        [('Japan', 'be sent by', 'aid', 'reduced-passive', False), ('Japan', 'to help', 'Manila', 'control', False)],
    ),
    (
        # an agentless passive with no prepositional object keeps no object
        """
        The the DET DT 1 det O
        talks talk NOUN NNS 2 nsubjpass O
        were be AUX VBD 1 auxpass O
        postponed postpone VERB VBN 0 ROOT O
        . . PUNCT . -1 punct O
        """,
        [('The talks', 'were postponed', None, 'passive', False)],
    ),
    (
        # a title before a name and a place after a named thing stay in the arguments
        """
        Chancellor chancellor PROPN NNP 1 compound O
        Merz Merz PROPN NNP 1 nsubj B-PERSON
        visited visit VERB VBD 0 ROOT O
        the the DET DT 2 det O
        Newton Newton PROPN NNP 1 compound B-ORG
        Foundation Foundation PROPN NNP -3 dobj I-ORG
        in in ADP IN -1 prep O
        Berlin Berlin PROPN NNP -1 pobj B-GPE
        """,
        [('Chancellor Merz', 'visited', 'the Newton Foundation in Berlin', 'svo', False)],
    ),
    (
        # a form of address is no title
        """
        Mr. Mr. PROPN NNP 1 compound O
        Boyd Boyd PROPN NNP 1 nsubj B-PERSON
        resigned resign VERB VBD 0 ROOT O
        """,
        [('Mr. Boyd', 'resigned', None, 'intransitive', False)],
    ),
    (
        # a main verb parsed as a modifier of the first name ("Trump, called Putin") is its act
        """
        Trump Trump PROPN NNP 0 ROOT B-PERSON
        called call VERB VBN -1 acl O
        Putin Putin PROPN NNP -1 oprd B-PERSON
        on on ADP IN -2 prep O
        Thursday Thursday PROPN NNP -1 pobj B-DATE
        . . PUNCT . -5 punct O
        """,
        [('Trump', 'called', 'Putin', 'svo', False)],
    ),
    (
        # a real reduced passive keeps its reading: set off by a comma, or read with a by-phrase
        """
        Kyiv Kyiv PROPN NNP 0 ROOT B-GPE
        , , PUNCT , -1 punct O
        shelled shell VERB VBN -2 acl O
        by by ADP IN -1 agent O
        Russia Russia PROPN NNP -1 pobj B-GPE
        """,
        [('Russia', 'be shelled by', 'Kyiv', 'reduced-passive', False)],
    ),
]


@pytest.mark.parametrize("table,expected", CASES)
def test_verbal_frames(table_doc, table, expected):
    doc = table_doc(table)
    got = [(*describe(f), f.pattern, f.negated) for f in frames(doc[:])]
    assert got == expected

