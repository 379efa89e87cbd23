"""Dutch working days: weekends and public holidays (holidays.NL) excluded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loket.routing.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 1, 1), False),   # Nieuwjaarsdag
    (date(2026, 1, 2), True),
    (date(2026, 4, 3), False),   # Goede Vrijdag (holidays.NL counts it)
    (date(2026, 4, 6), False),   # Tweede Paasdag
    (date(2026, 4, 27), False),  # Koningsdag
    (date(2025, 4, 26), False),  # Koningsdag 2025 is a Saturday (not moved in holidays.NL)
    (date(2025, 4, 25), True),   # the Friday before is an ordinary working day
    (date(2026, 5, 5), True),    # Bevrijdingsdag: only in lustrum years per holidays.NL
    (date(2025, 5, 5), False),   # ... such as 2025
    (date(2030, 5, 6), True),
    (date(2026, 5, 14), False),  # Hemelvaartsdag
    (date(2026, 5, 15), True),
    (date(2026, 5, 25), False),  # Tweede Pinksterdag
    (date(2026, 12, 25), False),
    (date(2026, 12, 24), True),
    (date(2026, 11, 21), False),  # Saturday
    (date(2026, 11, 22), False),  # Sunday
    (date(2026, 11, 23), True),
])
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_ten_working_days_from_a_plain_monday_is_two_weeks_later() -> None:
    assert add_working_days(date(2026, 11, 23), 10) == date(2026, 12, 7)


def test_friday_plus_one_is_monday() -> None:
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_term_over_christmas_and_new_year_crosses_the_year_boundary() -> None:
    # Wed 23 Dec 2026 + 5: 24 (Thu), [25 Fri, 26 Sat, 27 Sun], 28, 29, 30, 31 Dec.
    assert add_working_days(date(2026, 12, 23), 5) == date(2026, 12, 31)
    # ... + 6 skips New Year's Day (Friday 1 Jan 2027) and the weekend.
    assert add_working_days(date(2026, 12, 23), 6) == date(2027, 1, 4)


def test_easter_week_loses_good_friday_and_easter_monday() -> None:
    # Thu 2 April 2026 + 1 -> Tue 7 April (Fri 3 and Mon 6 are holidays).
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_kings_day_ascension_and_pentecost_are_skipped() -> None:
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)  # Koningsdag Mon 27
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)  # Hemelvaart Thu 14
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)  # Pinksteren Mon 25


def test_zero_days_moves_to_the_next_working_day_only_when_needed() -> None:
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 21), 0) == date(2026, 11, 23)


def test_negative_days_count_backwards_over_holidays() -> None:
    # Two working days before Tue 7 April 2026: Thu 2 April (Mon 6 and Fri 3 are holidays).
    assert add_working_days(date(2026, 4, 7), -2) == date(2026, 4, 1)


def test_extra_closed_days_of_a_municipality() -> None:
    assert add_working_days(date(2026, 11, 23), 1, [date(2026, 11, 24)]) == date(2026, 11, 25)


def test_working_days_between_counts_the_days_a_pause_took() -> None:
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 25)) == 2  # Mon -> Wed
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1  # Fri -> Mon
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 5  # 28-31 Dec, 4 Jan
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 23)) == 0


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
       st.integers(min_value=1, max_value=60))
def test_adding_then_counting_is_consistent(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert is_working_day(end)
    assert working_days_between(start, end) == days
    assert end - start >= timedelta(days=days)
