"""One "today" for the city: the calendar day in the city's zone (the CITY_TIMEZONE setting, Asia/Shanghai
by default), not the server's UTC date, which lags Shanghai's from 16:00 to midnight UTC."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfoNotFoundError

import pytest

from academy import database
from academy.config import Config
from academy.database import city_now, city_today

NEW_YEAR_MORNING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January 2027 in Shanghai


@pytest.fixture
def new_year_morning(monkeypatch):
    monkeypatch.setattr(database, "utcnow", lambda: NEW_YEAR_MORNING)


def test_the_citys_day_turns_at_its_own_midnight(app, new_year_morning):
    assert city_today() == date(2027, 1, 1)
    assert (city_now().hour, city_now().minute) == (7, 30)
    assert app.config["CITY_TIMEZONE"] == "Asia/Shanghai"


def test_the_citys_zone_is_one_setting(app, new_year_morning, monkeypatch):
    monkeypatch.setitem(app.config, "CITY_TIMEZONE", "Europe/London")
    assert city_today() == date(2026, 12, 31)


def test_the_setting_comes_from_the_environment_and_sets_the_zone_times_are_shown_in(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_CITY_TIMEZONE", "Asia/Urumqi")
    config = Config(tmp_path)
    assert (config.CITY_TIMEZONE, config.BABEL_DEFAULT_TIMEZONE) == ("Asia/Urumqi", "Asia/Urumqi")


def test_an_unknown_zone_stops_the_start_not_the_first_page_that_counts_days(monkeypatch, tmp_path):
    monkeypatch.setenv("ACADEMY_CITY_TIMEZONE", "Mars/Olympus_Mons")
    with pytest.raises(ZoneInfoNotFoundError):
        Config(tmp_path)
