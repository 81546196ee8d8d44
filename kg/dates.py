"""ISO dates, months, years and intervals as first and last day: one reading for every stage."""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["date_interval"]


def date_interval(value: Any) -> tuple[date, date] | None:
    """First and last day of an ISO date, month, year or ``start/end`` interval; None if unreadable.

    Example:
        >>> date_interval("2024-09")
        (datetime.date(2024, 9, 1), datetime.date(2024, 9, 30))
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value, value
    text = str(value).strip()
    if "/" in text:
        start, _, end = text.partition("/")
        first, last = date_interval(start), date_interval(end)
        return (first[0], last[1]) if first and last else None
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
        if len(numbers) == 2:
            year, month = numbers
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
        if len(numbers) == 3:
            day = date(*numbers)
            return day, day
    except ValueError:
        return None
    return None
