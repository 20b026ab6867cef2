"""Training counts days by the city's calendar: at 23:30 UTC on 31 December it is 1 January in
Shanghai, so an assignment due on 31 December is overdue on HR's list, and the hours year is 2027."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from academy import database
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.enrollment import annual, training
from courses.enrollment import operations as ops
from tests.support import log_in

NEW_YEAR_MORNING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January 2027 in Shanghai


@pytest.fixture
def new_year_morning(monkeypatch):
    monkeypatch.setattr(database, "utcnow", lambda: NEW_YEAR_MORNING)


def test_an_assignment_due_on_new_years_eve_is_overdue_on_new_years_morning(client, make_user, make_worker,
                                                                            make_course, new_year_morning):
    course = make_course()
    hr = make_user("hr-night", Role.HR, area="320102")
    late = make_worker("320102", status=WorkerStatus.RECRUITED, name="Zhang Wanle")
    in_time = make_worker("320102", status=WorkerStatus.RECRUITED, name="Li Zhunshi")
    training.assign_training(late, course, hr, due_on=date(2026, 12, 31))
    training.assign_training(in_time, course, hr, due_on=date(2027, 1, 1))
    assert ops.today() == date(2027, 1, 1)
    log_in(client, "hr-night")
    page = client.get("/training/overdue").get_data(as_text=True)
    assert "Zhang Wanle" in page and "Li Zhunshi" not in page


def test_the_hours_year_is_the_citys(new_year_morning):
    assert annual.current_year() == 2027
