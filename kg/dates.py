"""ISO 8601 date values as typed bounds: first day, last day and the precision as written.

The extractor writes dates as ISO text (a day ``2024-11-07``, a month ``2024-09``, a year
``2014``, an interval ``2024-11-04/2024-11-10``, an open interval ``2014/..``); the graph
states their bounds as ``xsd:date`` values so that SPARQL can compare and sort them, and the
explorer and the exports filter on the same bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

#: every precision a date can have, finest first
PRECISIONS = ("day", "week", "month", "year", "decade", "interval")


@dataclass(frozen=True, slots=True)
class DateBounds:
    """First and last day of a date value (``end`` None for an open interval) and its precision."""

    start: date
    end: date | None
    precision: str


def _single(text: str) -> DateBounds | None:
    """Bounds of a day, a month or a year; None when ``text`` is none of them."""
    try:
        numbers = [int(p) for p in text.split("-")]
        if len(numbers) == 1 and len(text) == 4:
            return DateBounds(date(numbers[0], 1, 1), date(numbers[0], 12, 31), "year")
        if len(numbers) == 2:
            year, month = numbers
            following = date(year + month // 12, month % 12 + 1, 1)
            return DateBounds(date(year, month, 1), following - timedelta(days=1), "month")
        if len(numbers) == 3:
            day = date(*numbers)
            return DateBounds(day, day, "day")
    except ValueError:
        return None
    return None


def _span_precision(first: DateBounds, last: DateBounds) -> str:
    """The precision of an interval: a Monday-to-Sunday week, ten years of a decade, or neither."""
    if first.precision == last.precision == "day" and first.start.weekday() == 0:
        if last.start - first.start == timedelta(days=6):
            return "week"
    if first.precision == last.precision == "year" and first.start.year % 10 == 0:
        if last.start.year == first.start.year + 9:
            return "decade"
    return "interval"


def date_bounds(value: Any) -> DateBounds | None:
    """The typed bounds of an ISO date, month, year or ``start/end`` interval; None if unreadable.

    Example:
        >>> date_bounds("2024-11-04/2024-11-10")
        DateBounds(start=datetime.date(2024, 11, 4), end=datetime.date(2024, 11, 10), precision='week')
    """
    if value is None:
        return None
    if isinstance(value, date):
        return DateBounds(value, value, "day")
    text = str(value).strip()
    if "/" not in text:
        return _single(text)
    start, _, end = text.partition("/")
    first = _single(start)
    if first is None:
        return None
    if end == "..":
        return DateBounds(first.start, None, first.precision)
    last = _single(end)
    if last is None or last.end < first.start:
        return None
    return DateBounds(first.start, last.end, _span_precision(first, last))


def date_interval(value: Any) -> tuple[date, date] | None:
    """First and last day of an ISO date, month, year or closed ``start/end`` interval.

    Example:
        >>> date_interval("2024-09")
        (datetime.date(2024, 9, 1), datetime.date(2024, 9, 30))
    """
    bounds = date_bounds(value)
    if bounds is None or bounds.end is None:
        return None
    return bounds.start, bounds.end
