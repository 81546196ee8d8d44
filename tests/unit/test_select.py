"""Event selection helpers on hand-made events (no model)."""

from dataclasses import replace

import pytest
import spacy
from spacy.tokens import Doc

from kg.extraction.arguments import clause_depths
from kg.extraction.nominal import MUTUAL_PATTERN
from kg.extraction.select import dedupe, select_events
from kg.types import Event, Evidence, Mention


def _event(subj: Mention, obj: Mention | None, lemma: str = "be", confidence: float = 0.5,
           cameo: str | None = None, start: int | None = None) -> Event:
    return Event(subject=subj, relation=lemma, lemma=lemma, object=obj, evidence=Evidence("d", 0, 0, 40),
                 confidence=confidence, cameo=cameo, relation_start=start)


def test_dedupe_drops_facts_between_an_entity_and_itself():
    lavrov = Mention("d", 0, 0, 12, "Sergei Lavrov", "PERSON", "sergei-lavrov")
    title = Mention("d", 0, 14, 30, "the minister", None, "sergei-lavrov")
    russia = Mention("d", 0, 34, 40, "Russia", "GPE", "russia")
    kept = dedupe([_event(lavrov, title), _event(lavrov, russia, "visit")])
    assert [(e.subject.text, e.lemma, e.object.text) for e in kept] == [("Sergei Lavrov", "visit", "Russia")]


def test_dedupe_keeps_the_most_confident_reading():
    a = Mention("d", 0, 0, 5, "China", "GPE", "china")
    b = Mention("d", 0, 10, 15, "Japan", "GPE", "japan")
    kept = dedupe([_event(a, b, "criticise", 0.4), _event(a, b, "criticise", 0.9)])
    assert [e.confidence for e in kept] == [0.9]


GHANA = Mention("d", 0, 0, 5, "Ghana", "GPE", "ghana")
TOGO = Mention("d", 0, 20, 24, "Togo", "GPE", "togo")
REBELS = Mention("d", 0, 30, 36, "Rebels", "NORP", None)
BENIN = Mention("d", 0, 40, 45, "Benin", "GPE", "benin")


def test_main_clause_act_wins_over_an_embedded_one():
    # "Ghanaian officials condemned an attack by Rebels on Togo": without the parse the better
    # named source wins; with it, the root verb is the event
    officials = Mention("d", 0, 0, 18, "Ghanaian officials", None, None)
    condemn = _event(officials, TOGO, "condemn", 0.5, "111", start=19)
    attack = _event(REBELS, TOGO, "attack", 0.9, "190", start=35)
    assert [e.lemma for e in select_events([attack, condemn])] == ["attack"]
    picked = select_events([attack, condemn], depth={19: 0, 35: 1})
    assert [e.lemma for e in picked] == ["condemn"]


def test_coordinated_main_verbs_of_one_subject_are_both_kept():
    condemn = _event(GHANA, TOGO, "condemn", 0.5, "111", start=6)
    praise = _event(GHANA, BENIN, "praise", 0.5, "051", start=30)
    assert len(select_events([condemn, praise], depth={6: 0, 30: 0})) == 2
    # a second act on the same target is not another event
    hit = _event(GHANA, TOGO, "wound", 0.5, "182", start=30)
    assert len(select_events([condemn, hit], depth={6: 0, 30: 0})) == 1
    # nor is an act of an embedded clause
    assert len(select_events([condemn, praise], depth={6: 0, 30: 1})) == 1


def _doc(words, heads, deps, pos, lemmas):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_clause_depths_skip_reporting_verbs_and_coordination():
    # "Ghana attacked Togo and seized Lome , officials said ."  (parsed with "said" on top)
    doc = _doc(["Ghana", "attacked", "Togo", "and", "seized", "Lome", ",", "officials", "said", "."],
               [1, 8, 1, 1, 1, 4, 8, 8, 8, 8],
               ["nsubj", "ccomp", "dobj", "cc", "conj", "dobj", "punct", "nsubj", "ROOT", "punct"],
               ["PROPN", "VERB", "PROPN", "CCONJ", "VERB", "PROPN", "PUNCT", "NOUN", "VERB", "PUNCT"],
               ["Ghana", "attack", "Togo", "and", "seize", "Lome", ",", "official", "say", "."])
    depth = clause_depths(doc)
    assert depth[doc[1].idx] == 0 and depth[doc[4].idx] == 0   # reported and coordinated acts
    assert depth[doc[8].idx] == 0
    assert depth[doc[2].idx] == 1 and depth[doc[5].idx] == 1   # arguments under one verb


def test_the_partner_side_of_a_symmetric_act_is_the_same_event():
    """ "Ghana's meeting with Togo": the graph reads it both ways, the coded event once, with
    its subject as source."""
    meeting = replace(_event(GHANA, TOGO, "meet", 0.6, "040", start=8), pattern="nominal")
    mutual = replace(meeting, subject=TOGO, object=GHANA, pattern=MUTUAL_PATTERN)
    picked = select_events([meeting, mutual])
    assert [(e.subject.text, e.object.text) for e in picked] == [("Ghana", "Togo")]
    assert len(dedupe([meeting, mutual])) == 2  # open relations keep both


@pytest.mark.parametrize("title,person", [
    (("Nigerian", "nigeria"), ("Nigerian President Bola Tinubu", "bola-tinubu")),
    (("Kenyan", "kenya"), ("Kenyan President William Ruto", "william-ruto")),
    (("Malian", "mali"), ("Malian junta leader Assimi Goita", "assimi-goita")),
    (("French", "france"), ("French Foreign Minister Jean Barrot", "jean-barrot")),
    (("Peruvian", "peru"), ("Peruvian President Dina Boluarte", "dina-boluarte")),
])
def test_the_nation_in_a_targets_title_is_no_second_target(title, person):
    # "Ghana pardoned Nigerian President X": one act on X, not another on Nigeria
    whole = Mention("d", 0, 20, 20 + len(person[0]), person[0], "PERSON", person[1])
    word = Mention("d", 0, 20, 20 + len(title[0]), title[0], "NORP", title[1])
    readings = [_event(GHANA, whole, "pardon", 0.8, "0353", start=6),
                _event(GHANA, word, "pardon", 0.8, "0353", start=6)]
    assert [e.object.text for e in select_events(readings)] == [person[0]]
    # two named targets side by side stay two events
    benin = Mention("d", 0, 80, 85, "Benin", "GPE", "benin")
    assert len(select_events([readings[0], _event(GHANA, benin, "pardon", 0.8, "0353", start=6)])) == 2
