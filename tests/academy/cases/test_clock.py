"""Deadlines and lights on the three clocks, across a weekend, a public holiday and a make-up day."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from academy.cases import clock
from academy.cases.models import ClockKind

SH = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def calendar(overrides=None) -> clock.Calendar:
    return clock.Calendar("Asia/Shanghai", time(9), time(17), {5, 6}, overrides or {})


def test_natural_hours_run_through_the_night_and_weekend():
    start = local(2026, 3, 6, 16, 0)  # a Friday
    assert clock.deadline(calendar(), start, 24, ClockKind.NATURAL_HOURS) == local(2026, 3, 7, 16, 0)


def test_working_hours_skip_the_night_and_the_weekend():
    start = local(2026, 3, 6, 15, 0)  # Friday 15:00: two hours left that day
    due = clock.deadline(calendar(), start, 4, ClockKind.WORKING_HOURS)
    assert due.astimezone(SH) == local(2026, 3, 9, 11, 0)  # Monday 11:00


def test_working_hours_reported_at_night_start_next_morning():
    due = clock.deadline(calendar(), local(2026, 3, 3, 22, 0), 2, ClockKind.WORKING_HOURS)
    assert due.astimezone(SH) == local(2026, 3, 4, 11, 0)


def test_working_days_skip_weekend_and_public_holiday():
    holidays = {date(2026, 10, 1): False, date(2026, 10, 2): False, date(2026, 10, 5): False}
    start = local(2026, 9, 30, 10, 0)  # Wednesday before the National Day holiday
    due = clock.deadline(calendar(holidays), start, 2, ClockKind.WORKING_DAYS)
    # Thu 1, Fri 2 holidays; Sat, Sun weekend; Mon 5 holiday; so Tue 6 and Wed 7.
    assert due.astimezone(SH) == local(2026, 10, 7, 17, 0)


def test_make_up_working_day_counts_on_a_weekend():
    start = local(2026, 10, 9, 10, 0)  # Friday
    plain = clock.deadline(calendar(), start, 1, ClockKind.WORKING_DAYS)
    made_up = clock.deadline(calendar({date(2026, 10, 10): True}), start, 1, ClockKind.WORKING_DAYS)
    assert plain.astimezone(SH) == local(2026, 10, 12, 17, 0)
    assert made_up.astimezone(SH) == local(2026, 10, 10, 17, 0)


def test_working_hours_across_a_holiday():
    cal = calendar({date(2026, 3, 4): False})
    due = clock.deadline(cal, local(2026, 3, 3, 16, 0), 3, ClockKind.WORKING_HOURS)
    assert due.astimezone(SH) == local(2026, 3, 5, 11, 0)


def test_yellow_point_is_eighty_percent_of_working_time():
    cal = calendar()
    start, due = local(2026, 3, 6, 9, 0), local(2026, 3, 9, 17, 0)  # Friday 9:00 to Monday 17:00: 16 working hours
    yellow = clock.point_in_limit(cal, start, due, 0.8, ClockKind.WORKING_DAYS)
    assert yellow.astimezone(SH) == local(2026, 3, 9, 13, 48)  # 12.8 h: 8 on Friday, 4.8 on Monday
    assert clock.used_fraction(cal, start, due, local(2026, 3, 8, 12, 0), ClockKind.WORKING_DAYS) == 0.5


def test_frozen_time_sets_now():
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with clock.frozen_time(moment):
        assert clock.now() == moment
    assert clock.now() != moment
