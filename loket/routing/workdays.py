"""Dutch working-day arithmetic for answer terms: pure functions, no Django.

A working day is Monday to Friday and not a Dutch public holiday as the `holidays` package
defines them for NL: New Year, Good Friday, Easter (Sunday and Monday), King's Day (27 April,
26 April when that is a Sunday), Liberation Day only in lustrum years (2025, 2030, ...),
Ascension Day, Pentecost (Sunday and Monday) and Christmas (25 and 26 December). Government
collective agreements differ per municipality; `extra_closed_days` lets a caller add its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date, extra_closed_days: Iterable[date] = ()) -> bool:
    """Monday to Friday, not a Dutch public holiday and not one of `extra_closed_days`."""
    return day.weekday() < 5 and day not in _holidays(day.year) and day not in set(
        extra_closed_days)


def add_working_days(start: date, days: int, extra_closed_days: Iterable[date] = ()) -> date:
    """The date `days` working days after `start` (start itself does not count).

    A term of 10 working days given on a Friday ends two weeks later on Friday. With
    `days` == 0 the result is `start` moved forward to a working day if it is not one.
    Negative `days` count backwards (used for "two working days before the due date").
    """
    closed = frozenset(extra_closed_days)
    day = start
    if days == 0:
        while not is_working_day(day, closed):
            day += timedelta(days=1)
        return day
    step = timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    while remaining:
        day += step
        if is_working_day(day, closed):
            remaining -= 1
    return day


def working_days_between(start: date, end: date,
                         extra_closed_days: Iterable[date] = ()) -> int:
    """Working days in the half-open interval (start, end]: how many a clock lost.

    Paused on Monday and resumed on Wednesday of the same week: 2 (Tuesday and Wednesday).
    Zero when `end` is not after `start`.
    """
    closed = frozenset(extra_closed_days)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            count += 1
    return count
