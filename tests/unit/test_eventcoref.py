"""Event coreference: mentions of one event in a document share its most precise date."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Literal

from kg.extraction.eventcoref import merge_event_mentions
from kg.namespaces import KG
from kg.rdf import event_iri, to_triples
from kg.types import Document, Entity, Event, Evidence, Extraction, Mention, Sentence

PUBLISHED = "2024-11-11"


def ev(sent: int, subj: str | None, obj: str | None, cameo: str | None, date: str | None,
       source: str = "text", **fields) -> Event:
    """An event of sentence ``sent``; ``source="document"`` dates it by the publication."""
    subject = Mention("d", sent, 0, 1, subj or "someone", None, subj)
    target = Mention("d", sent, 2, 3, obj or "something", None, obj)
    return Event(subject=subject, relation="r", lemma="r", object=target,
                 evidence=Evidence("d", sent, 0, 10), cameo=cameo, date=date,
                 date_text=None if source == "document" else f"text of {date}",
                 date_source=source, **fields)


def dates(events):
    return [e.date for e in merge_event_mentions(events)]


@pytest.mark.parametrize(
    "events, expected",
    [
        # a day inside the reported week: both mentions take the day
        ([ev(0, "a", "b", "041", "2024-11-04/2024-11-10"), ev(5, "a", "b", "040", "2024-11-07")],
         ["2024-11-07", "2024-11-07"]),
        # an undated mention ("the call") of the week's only call takes its day
        ([ev(0, "a", "b", "041", "2024-11-07"), ev(3, "a", "b", "041", PUBLISHED, "document")],
         ["2024-11-07", "2024-11-07"]),
        # a day inside a month, a month inside a year
        ([ev(0, "a", "b", "190", "2024"), ev(1, "a", "b", "193", "2024-03"), ev(2, "a", "b", "190", "2024-03-02")],
         ["2024-03-02", "2024-03-02", "2024-03-02"]),
        # two different days are two events: each keeps its date, the undated mention stays
        ([ev(0, "a", "b", "041", "2024-11-05"), ev(1, "a", "b", "041", "2024-11-07"),
          ev(2, "a", "b", "041", PUBLISHED, "document")],
         ["2024-11-05", "2024-11-07", PUBLISHED]),
        # another CAMEO root, another target or another actor is another event
        ([ev(0, "a", "b", "041", "2024-11-07"), ev(1, "a", "b", "190", "2024-11-04/2024-11-10"),
          ev(2, "a", "c", "041", "2024-11-04/2024-11-10"), ev(3, "c", "b", "041", "2024-11-04/2024-11-10")],
         ["2024-11-07", "2024-11-04/2024-11-10", "2024-11-04/2024-11-10", "2024-11-04/2024-11-10"]),
        # an undated mention does not join an event of years ago ("fighting" is not the 2022 invasion)
        ([ev(0, "a", "b", "190", "2022-02-24"), ev(1, "a", "b", "190", PUBLISHED, "document")],
         ["2022-02-24", PUBLISHED]),
        # a denial is another claim; an uncoded fact or one without a target entity is left alone
        ([ev(0, "a", "b", "041", "2024-11-07"), ev(1, "a", "b", "041", "2024-11-04/2024-11-10", negated=True),
          ev(2, "a", "b", None, "2024-11-04/2024-11-10"), ev(3, "a", None, "041", "2024-11-04/2024-11-10")],
         ["2024-11-07", "2024-11-04/2024-11-10", "2024-11-04/2024-11-10", "2024-11-04/2024-11-10"]),
        # a plan is not the act: "will meet" next week and "met" last week stay apart
        ([ev(0, "a", "b", "040", "2024-11-07", modality="intended"), ev(1, "a", "b", "040", "2024-11-04/2024-11-10")],
         ["2024-11-07", "2024-11-04/2024-11-10"]),
        # a week holding two different days: either could be meant, so the week stays
        ([ev(0, "a", "b", "041", "2024-11-05"), ev(1, "a", "b", "041", "2024-11-07"),
          ev(2, "a", "b", "041", "2024-11-04/2024-11-10")],
         ["2024-11-05", "2024-11-07", "2024-11-04/2024-11-10"]),
    ],
)
def test_mentions_of_one_event_share_its_most_precise_date(events, expected):
    assert dates(events) == expected


def test_the_merged_mention_takes_the_date_text_and_source_of_the_precise_one():
    week = ev(0, "a", "b", "041", "2024-11-04/2024-11-10")
    day = ev(4, "a", "b", "041", "2024-11-07")
    undated = ev(6, "a", "b", "040", PUBLISHED, "document")
    merged = merge_event_mentions([week, day, undated])
    assert [(e.date_text, e.date_source) for e in merged] == [("text of 2024-11-07", "text")] * 3
    assert [e.evidence.sent for e in merged] == [0, 4, 6]  # order and evidence kept


def test_the_graph_holds_one_event_node_with_every_mention_sentence():
    texts = ["Alpha spoke to Beta last week.", "The call lasted an hour.", "Alpha called Beta on Thursday."]
    sentences, offset = [], 0
    for i, text in enumerate(texts):
        sentences.append(Sentence(i, offset, offset + len(text), text))
        offset += len(text) + 1
    def mention(i, name, start):
        return Mention("d", i, sentences[i].start + start, sentences[i].start + start + 5, name, None, name.lower())
    def event(i, cameo, when, source):
        return Event(mention(i, "Alpha", 0), "r", "call", mention(i, "Beta", 10),
                     Evidence("d", i, sentences[i].start, sentences[i].end), cameo=cameo, date=when,
                     date_source=source)
    events = merge_event_mentions([event(0, "040", "2024-11-04/2024-11-10", "text"),
                                   event(1, "041", "2024-11-11", "document"),
                                   event(2, "041", "2024-11-07", "text")])
    extraction = Extraction(
        Document("d", " ".join(texts), published=date(2024, 11, 11)), tuple(sentences), (),
        (Entity("alpha", "Alpha", "Country"), Entity("beta", "Beta", "Country")), tuple(events))
    triples = to_triples(extraction)
    nodes = {event_iri(e) for e in events}
    assert len(nodes) == 1
    node = nodes.pop()
    assert {o for s, p, o in triples if s == node and p == KG.mentionText} == {Literal(t) for t in texts}
    assert [str(o) for s, p, o in triples if s == node and p == KG.date] == ["2024-11-07"]
