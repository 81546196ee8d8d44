"""Event selection helpers on hand-made events (no model)."""

from kg.extract.select import dedupe
from kg.types import Event, Evidence, Mention


def _event(subj: Mention, obj: Mention | None, lemma: str = "be", confidence: float = 0.5) -> Event:
    return Event(subject=subj, relation=lemma, lemma=lemma, object=obj, evidence=Evidence("d", 0, 0, 40),
                 confidence=confidence)


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
