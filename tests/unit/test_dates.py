"""ISO date values as typed bounds with their precision."""

from __future__ import annotations

from datetime import date

import pytest

from kg.dates import PRECISIONS, DateBounds, date_bounds, date_interval


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-07", DateBounds(date(2024, 11, 7), date(2024, 11, 7), "day")),
        ("2024-02", DateBounds(date(2024, 2, 1), date(2024, 2, 29), "month")),
        ("2024", DateBounds(date(2024, 1, 1), date(2024, 12, 31), "year")),
        ("2024-11-04/2024-11-10", DateBounds(date(2024, 11, 4), date(2024, 11, 10), "week")),
        ("2024-11-05/2024-11-11", DateBounds(date(2024, 11, 5), date(2024, 11, 11), "interval")),
        ("2024-11-09/2024-11-10", DateBounds(date(2024, 11, 9), date(2024, 11, 10), "interval")),
        ("1990/1999", DateBounds(date(1990, 1, 1), date(1999, 12, 31), "decade")),
        ("2014/..", DateBounds(date(2014, 1, 1), None, "year")),
        ("2022-02/..", DateBounds(date(2022, 2, 1), None, "month")),
        (date(2022, 2, 24), DateBounds(date(2022, 2, 24), date(2022, 2, 24), "day")),
    ],
)
def test_date_bounds(value, expected):
    assert date_bounds(value) == expected
    assert expected.precision in PRECISIONS


@pytest.mark.parametrize("value", ["last week", "2024-13-01", "24", "2024-11-10/2024-11-04", "../2024", "", None])
def test_unreadable_dates_have_no_bounds(value):
    assert date_bounds(value) is None


def test_an_open_interval_has_no_closed_interval():
    assert date_interval("2014/..") is None
    assert date_interval("2024-11") == (date(2024, 11, 1), date(2024, 11, 30))
