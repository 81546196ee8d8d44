"""Event coreference: the mentions of one event in a document share its most precise date.

An article tells of one phone call in several sentences ("X spoke to Y on Thursday", "the
call", "their conversation last week"). Mentions with the same actor and target entities, the
same CAMEO root and compatible dates (one date inside the other: a day inside a reported week)
are one event; each mention takes the most precise date among them, so the graph, whose event
identity is (actor, target, CAMEO root, date), makes them one event node. A mention dated only
by the publication date joins the event when the text dates of its group tell of one event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Iterable

from kg.dates import date_interval
from kg.extraction.vocab import FACTUAL_MODALITIES
from kg.types import Event

__all__ = ["merge_event_mentions"]

_Key = tuple[str, str, str, str]
_RECENT_DAYS = 7


def _key(event: Event) -> _Key | None:
    """(actor, target, CAMEO root, stance) of an affirmative coded event between two entities."""
    target = event.object.entity if event.object is not None else None
    if event.negated or not (event.subject.entity and target and event.cameo and len(event.cameo) >= 2):
        return None
    stance = "factual" if event.modality in FACTUAL_MODALITIES else event.modality
    return event.subject.entity, target, event.cameo[:2], stance


def _nested(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def _recent(event: Event, undated: Event) -> bool:
    """Whether ``event`` ended in the week before the publication date ``undated`` carries:
    an undated mention ("the call") tells of the recent event, not of one years ago."""
    span, published = date_interval(event.date), date_interval(undated.date)
    if span is None or published is None:
        return False
    return 0 <= (published[0] - span[1]).days <= _RECENT_DAYS


def _clusters(events: list[Event]) -> list[list[Event]]:
    """Text-dated mentions grouped so that every two dates of a group are nested."""
    spans = {id(e): date_interval(e.date) for e in events}
    ordered = sorted((e for e in events if spans[id(e)] is not None),
                     key=lambda e: (spans[id(e)][1] - spans[id(e)][0], e.evidence.sent))
    clusters: list[list[Event]] = []
    for event in ordered:
        span = spans[id(event)]
        home = [c for c in clusters if all(_nested(span, spans[id(m)]) for m in c)]
        if len(home) == 1:
            home[0].append(event)
        elif not home:
            clusters.append([event])
        # nested in two different events' dates: it could be either, so it stays as it is
    return clusters


def merge_event_mentions(events: Iterable[Event]) -> list[Event]:
    """The events of one document, in order, each mention dated like the event it is a
    mention of (see the module docstring); other events unchanged.

    Example:
        >>> merged = merge_event_mentions(extraction.events)  # doctest: +SKIP
    """
    events = list(events)
    groups: dict[_Key, list[Event]] = {}
    for event in events:
        key = _key(event)
        if key is not None and event.date:
            groups.setdefault(key, []).append(event)
    dated: dict[int, Event] = {}
    for members in groups.values():
        texts = [e for e in members if e.date_source != "document"]
        clusters = _clusters(texts)
        if len(clusters) == 1:
            # an undated mention refers back ("the call"): it comes after the event is told
            first = min(e.evidence.sent for e in clusters[0])
            clusters[0].extend(e for e in members if e.date_source == "document"
                               and e.evidence.sent > first and _recent(clusters[0][0], e))
        for cluster in clusters:
            best = cluster[0]  # the most precise date comes first
            for event in cluster[1:]:
                dated[id(event)] = replace(event, date=best.date, date_text=best.date_text,
                                           date_source=best.date_source)
    return [dated.get(id(e), e) for e in events]
