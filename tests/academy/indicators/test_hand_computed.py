"""Each indicator computed by hand on a small fixed history (March 2026, local time).

March 2026 has 22 working days (Mon 2 to Tue 31, no holidays in the test calendar). The cases:

c1  dispute  reported 03-02, due 03-05, closed 03-04          -> due, closed on time
c2  dispute  reported 03-03, due 03-06, closed 03-09          -> due, closed late
c3  fire     reported 03-30, due 04-02, closed 03-31 (self)   -> due (closed early), on time, self-handled
c4  hazard   reported 02-25, due 03-02, closed 03-03          -> crosses the boundary: due in March, late
c5  hazard   reported 03-25, due 04-03, open                  -> pending at the end, not due in March
c6  dispute  reported 03-10, due 03-13, open                  -> due, not closed, pending and overdue
c7  dispute  reported 03-11, due 03-20 (extended), closed 03-19 -> due, on time, extended
c8  dispute  reported 03-12, due 03-16, rework, closed 03-17  -> due, late, rework
c9  dispute  reported 03-05, voided                           -> reported only
c10 dispute  reported 01-10, reopened, due 03-25, closed 03-24 -> due (latest cycle), on time, reopened
c11 hazard   reported 03-15, not accepted                     -> reported only
c12 hazard   reported 02-01, due 02-05, closed 03-10          -> due in February (open at its end), not in March
"""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from academy.cases.models import CaseState, Level, Satisfaction
from academy.indicators import queries
from academy.indicators.compute import compute
from academy.indicators.definitions import evaluate
from academy.indicators.periods import parse_period
from tests.fixtures.indicators import (
    at,
    make_case,
    make_patrols,
    make_return_visit,
    make_task,
    make_verification,
    make_visit,
)

AS_OF = datetime(2026, 4, 15, tzinfo=UTC)


@pytest.fixture
def history(city):
    w, g = city.workers[0], city.grids[0]
    d, h, f = city.dispute, city.hazard, city.fire

    def case(category, reported, due=None, closed=None, **kw):
        accepted = kw.pop("accepted", at(reported) if due else None)
        return make_case(grid=g, worker=w, category=category, reported=at(reported), accepted=accepted,
                         due=at(due, 17) if due else None, closed=at(closed) if closed else None, **kw)

    c = {}
    c[1] = case(d, "2026-03-02", "2026-03-05", "2026-03-04", level=Level.COMMUNITY)
    c[2] = case(d, "2026-03-03", "2026-03-06", "2026-03-09", level=Level.DEPARTMENT)
    c[3] = case(f, "2026-03-30", "2026-04-02", "2026-03-31", level=Level.SELF)
    c[4] = case(h, "2026-02-25", "2026-03-02", "2026-03-03", level=Level.COMMUNITY)
    c[5] = case(h, "2026-03-25", "2026-04-03")
    c[6] = case(d, "2026-03-10", "2026-03-13")
    c[7] = case(d, "2026-03-11", "2026-03-20", "2026-03-19", extended=True, level=Level.DEPARTMENT)
    c[8] = case(d, "2026-03-12", "2026-03-16", "2026-03-17", rework=1, level=Level.DEPARTMENT)
    c[9] = case(d, "2026-03-05", "2026-03-08", state=CaseState.VOIDED)
    c[10] = case(d, "2026-01-10", "2026-03-25", "2026-03-24", reopen=1, accepted=at("2026-03-20"), level=Level.STREET)
    c[11] = case(h, "2026-03-15")
    c[12] = case(h, "2026-02-01", "2026-02-05", "2026-03-10", level=Level.COMMUNITY)
    # A hotline case placed on the community, with no grid and no worker.
    make_case(category=d, reported=at("2026-03-04"), accepted=at("2026-03-04"), due=at("2026-03-10", 17),
              closed=at("2026-03-09"), area_code="320102001001", level=Level.COMMUNITY)
    for case_no, day, rating in ((1, "2026-03-06", Satisfaction.SATISFIED), (2, "2026-03-10", Satisfaction.BASIC),
                                 (7, "2026-03-21", Satisfaction.DISSATISFIED), (8, "2026-03-20", Satisfaction.SATISFIED),
                                 (10, "2026-03-26", Satisfaction.SATISFIED)):
        make_return_visit(c[case_no], at(day), rating)
    make_verification(c[1], w, at("2026-03-04"))
    make_verification(c[2], w, at("2026-03-09"), on_time=False)
    make_verification(c[8], w, at("2026-03-17"))
    make_verification(c[12], w, at("2026-02-28"))
    for day, n in (("2026-03-02", 2), ("2026-03-03", 2), ("2026-03-04", 1), ("2026-03-07", 2)):
        make_patrols(w, g, day, n)
    for day in ("2026-03-02", "2026-03-09", "2026-03-20"):
        make_visit(w, g, at(day))
    make_task(c[6], city.dept, dispatched=at("2026-03-10"), due=at("2026-03-13", 17), handled=at("2026-03-12"))
    make_task(c[2], city.dept, dispatched=at("2026-03-03"), due=at("2026-03-06", 17), handled=at("2026-03-09"))
    make_task(c[5], city.dept, dispatched=at("2026-03-25"), due=at("2026-04-03", 17))
    make_task(c[8], city.dept, dispatched=at("2026-03-12"), due=at("2026-03-16", 17), returned=at("2026-03-13"))
    make_task(c[7], city.dept, dispatched=at("2026-03-11"), due=at("2026-03-20", 17), handled=at("2026-03-19"),
              extended=True)
    return c


def march(city):
    return compute(parse_period("2026-03"), AS_OF)


def test_worker_counts_in_march(city, history):
    counts = march(city).counts("worker", str(city.workers[0].id))
    assert counts["reported"] == 9  # c1-3, c5-9, c11
    assert counts["accepted"] == 8  # all but c11
    assert counts["due_to_close"] == 8  # c1-4, c6-8, c10
    assert counts["closed"] == 7
    assert counts["closed_on_time"] == 4  # c1, c3, c7, c10
    assert counts["self_handled"] == 1
    assert (counts["extended"], counts["rework"], counts["reopened"]) == (1, 1, 1)
    assert (counts["pending"], counts["overdue_pending"]) == (2, 1)  # c5 and c6; c6 is late
    assert (counts["verifications"], counts["verifications_on_time"]) == (3, 2)
    assert (counts["return_visits"], counts["satisfied"], counts["basic"], counts["dissatisfied"]) == (5, 3, 1, 1)
    assert (counts["working_days"], counts["compliant_days"]) == (22, 2)  # Saturday's two patrols do not count
    assert (counts["patrols"], counts["patrol_minutes"], counts["visits"]) == (7, 630, 3)


def test_worker_rates_in_march(city, history):
    counts = march(city).counts("worker", str(city.workers[0].id))
    assert evaluate("closure_rate", counts).value == pytest.approx(87.5)
    assert evaluate("on_time_closure_rate", counts).value == pytest.approx(50.0)
    assert evaluate("extension_rate", counts).value == pytest.approx(12.5)
    assert evaluate("rework_rate", counts).value == pytest.approx(12.5)
    assert evaluate("self_handled_share", counts).value == pytest.approx(100 / 7)
    assert evaluate("satisfaction_rate", counts).value == pytest.approx(70.0)  # (3 + 0.5) / 5
    assert evaluate("satisfaction_rate", counts, basic_weight=0).value == pytest.approx(60.0)
    assert evaluate("patrol_compliance", counts).value == pytest.approx(100 * 2 / 22)
    assert evaluate("patrol_hours", counts).value == pytest.approx(10.5)
    too_few = evaluate("overdue_pending_rate", counts)  # 1 of 2: below the minimum sample of 5
    assert too_few.too_few and too_few.value is None
    assert evaluate("overdue_pending_rate", counts, min_sample=2).value == pytest.approx(50.0)


def test_categories_roll_up_to_the_top_level(city, history):
    comp = march(city)
    key = str(city.workers[0].id)
    dispute, hazard = comp.counts("worker", key, "DISPUTE"), comp.counts("worker", key, "HAZARD")
    assert (dispute["due_to_close"], dispute["closed"], dispute["closed_on_time"]) == (6, 5, 3)
    assert (hazard["due_to_close"], hazard["closed"], hazard["closed_on_time"]) == (2, 2, 1)  # c3 (fire exits) and c4
    assert comp.counts("worker", key, "HAZARD-FIRE") == {}
    assert evaluate("on_time_closure_rate", hazard).too_few


def test_february_sees_the_cases_open_at_its_end(city, history):
    counts = compute(parse_period("2026-02"), AS_OF).counts("worker", str(city.workers[0].id))
    assert (counts["due_to_close"], counts["closed"]) == (1, 0)  # c12, closed only in March
    assert (counts["pending"], counts["overdue_pending"]) == (2, 1)  # c4 and c12
    assert counts["verifications"] == 1


def test_quarter_spans_the_months(city, history):
    counts = compute(parse_period("2026-Q1"), AS_OF).counts("worker", str(city.workers[0].id))
    assert (counts["due_to_close"], counts["closed"]) == (9, 8)  # March's 8 and c12; c6 still open


def test_areas_grids_and_hotline_cases(city, history):
    comp = march(city)
    grid0, grid1 = city.grids[0].code, city.grids[1].code
    assert comp.counts("grid", grid0)["due_to_close"] == 8
    assert comp.counts("grid", grid1)["due_to_close"] == 0
    community = comp.counts("area", "320102001001")
    assert community["due_to_close"] == 9  # the hotline case sits on the community
    assert (community["working_days"], community["compliant_days"]) == (44, 2)  # two grids' days
    assert comp.counts("area", "320102")["due_to_close"] == 9
    assert comp.counts("area", "320104")["due_to_close"] == 0
    assert comp.counts("area", "3201")["reported"] == 10


def test_department_handling(city, history):
    counts = march(city).counts("department", str(city.dept.id))
    assert (counts["due_to_handle"], counts["handled_on_time"], counts["task_extended"]) == (3, 2, 1)
    assert (counts["task_pending"], counts["task_overdue"]) == (1, 0)  # the returned task is no longer theirs


def test_an_empty_period_has_rows_of_zeros_and_no_rates(city, history):
    comp = compute(parse_period("2026-06"), AS_OF)
    counts = comp.counts("worker", str(city.workers[1].id))
    assert counts["due_to_close"] == 0 and counts["working_days"] == 0  # June has not begun at AS_OF
    for key in ("closure_rate", "on_time_closure_rate", "satisfaction_rate", "patrol_compliance"):
        assert evaluate(key, counts).too_few
    idle = compute(parse_period("2026-03"), AS_OF).counts("worker", str(city.workers[1].id))
    assert idle["working_days"] == 22 and idle["compliant_days"] == 0
    assert evaluate("patrol_compliance", idle).value == 0.0


def test_a_running_month_counts_only_the_days_already_over(city, history):
    counts = compute(parse_period("2026-03"), at("2026-03-04", 12)).counts("worker", str(city.workers[0].id))
    assert counts["working_days"] == 2  # Mon 2 and Tue 3 are over; Wed 4 is not
    assert counts["compliant_days"] == 2


def test_training_profile_names_the_weak_category(app, city, history):
    from academy.indicators.operations import ensure_scheme, refresh_period

    ensure_scheme()
    refresh_period(parse_period("2026-03"), as_of=AS_OF)
    profile = queries.training_profile(city.workers[0], parse_period("2026-03"))
    weak = {(s.category, s.indicator) for s in profile.shortfalls}
    assert ("DISPUTE", "on_time_closure_rate") in weak  # 3 of 6 = 50 % against 90 %
    assert not any(s.category == "HAZARD" for s in profile.shortfalls)  # 2 cases: too few to judge
    assert profile.score is not None
