"""Snapshots equal the indicators computed straight from the raw rows, over random case histories."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from academy.cases.models import CaseState, Level, Satisfaction, TaskState
from academy.extensions import db
from academy.indicators.compute import calendar
from academy.indicators.models import IndicatorSnapshot
from academy.indicators.operations import refresh_period
from academy.indicators.periods import parse_period
from academy.registry.models import Grid, Worker
from tests.academy.indicators.oracle import case_oracle, patrol_oracle, working_days
from tests.fixtures.indicators import make_case, make_patrols, make_return_visit, make_task, make_verification

BASE = datetime(2026, 2, 20, tzinfo=UTC)
AS_OF = datetime(2026, 3, 20, 4, tzinfo=UTC)  # the month is still running
HOURS = st.integers(min_value=0, max_value=24 * 45)

history = st.fixed_dictionaries({
    "report": HOURS, "accept_after": st.one_of(st.none(), st.integers(0, 48)), "limit": st.integers(1, 24 * 10),
    "close_after": st.one_of(st.none(), st.integers(0, 24 * 20)), "grid": st.integers(0, 2),
    "worker": st.one_of(st.none(), st.integers(0, 1)), "category": st.integers(0, 2),
    "voided": st.booleans(), "extended": st.booleans(), "rework": st.integers(0, 2), "reopen": st.integers(0, 1),
    "self": st.booleans(), "rating": st.one_of(st.none(), st.sampled_from(list(Satisfaction))),
    "task": st.one_of(st.none(), st.tuples(st.integers(0, 24 * 5), st.booleans(), st.booleans())),
    "verify": st.one_of(st.none(), st.booleans()),
})


def _write(city, spec) -> None:
    reported = BASE + timedelta(hours=spec["report"])
    accepted = reported + timedelta(hours=spec["accept_after"]) if spec["accept_after"] is not None else None
    due = accepted + timedelta(hours=spec["limit"]) if accepted else None
    closed = accepted + timedelta(hours=spec["close_after"]) if accepted and spec["close_after"] is not None else None
    state = CaseState.VOIDED if spec["voided"] else None
    worker = city.workers[spec["worker"]] if spec["worker"] is not None else None
    category = (city.dispute, city.hazard, city.fire)[spec["category"]]
    case = make_case(grid=city.grids[spec["grid"]], worker=worker, category=category, reported=reported,
                     accepted=accepted, due=due, closed=closed, state=state, extended=spec["extended"] and bool(accepted),
                     rework=spec["rework"], reopen=spec["reopen"], level=Level.SELF if spec["self"] else Level.COMMUNITY)
    if closed and spec["rating"]:
        make_return_visit(case, closed + timedelta(hours=30), spec["rating"])
    if closed and spec["verify"] is not None:
        make_verification(case, city.workers[0], closed, on_time=spec["verify"])
    if accepted and spec["task"]:
        offset, handled, returned = spec["task"]
        dispatched = accepted + timedelta(hours=1)
        make_task(case, city.dept, dispatched=dispatched, due=dispatched + timedelta(hours=offset + 1),
                  handled=dispatched + timedelta(hours=offset // 2 + 2 * offset % 7) if handled and not returned else None,
                  returned=dispatched + timedelta(hours=2) if returned else None,
                  state=TaskState.WITHDRAWN if spec["voided"] and not returned else None, extended=offset % 3 == 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cases=st.lists(history, min_size=0, max_size=12),
       patrol_days=st.lists(st.tuples(st.integers(0, 30), st.integers(1, 3), st.integers(0, 1)), max_size=8))
def test_snapshot_equals_direct_computation(city, cases, patrol_days):
    savepoint = db.session.begin_nested()
    try:
        for spec in cases:
            _write(city, spec)
        for day, count, who in patrol_days:
            make_patrols(city.workers[who], city.grids[who * 2], f"{(BASE + timedelta(days=day)).date()}", count)
        period = parse_period("2026-03")
        refresh_period(period, as_of=AS_OF)
        stored = {(r.unit_kind, r.unit_key, r.category): {k: v for k, v in r.counts().items() if v}
                  for r in db.session.scalars(sa.select(IndicatorSnapshot).where(IndicatorSnapshot.period_key == "2026-03"))}
        cal = calendar()
        s, e = period.bounds(cal.timezone)
        expected = case_oracle(s, e)
        days = working_days(period.first, period.end, AS_OF.astimezone(cal.zone).date(), cal.is_working_day)
        field_rows = patrol_oracle(s, e, days, cal.zone)
        for worker in db.session.scalars(sa.select(Worker)):  # every worker on duty, with the working days
            field_rows[("worker", str(worker.id))]["working_days"] = sum(1 for d in days if d >= worker.hired_on)
        for grid in db.session.scalars(sa.select(Grid)):
            field_rows[("grid", grid.code)]["working_days"] = sum(1 for d in days if d >= grid.valid_from)
        for (kind, key), counts in list(field_rows.items()):
            if kind == "grid":  # an area adds up its grids
                for n in (4, 6, 9, 12):
                    field_rows[("area", key[:n])].update(counts)
        for unit, counts in field_rows.items():
            expected.setdefault((*unit, ""), Counter()).update(counts)
        fields = set().union(*(c.keys() for c in expected.values())) if expected else set()
        for key, counts in expected.items():
            got = stored.get(key, {})
            assert {k: got.get(k, 0) for k in fields} == {k: counts.get(k, 0) for k in fields}, key
        for key, got in stored.items():  # nothing stored that the oracle does not know
            assert not {k: v for k, v in got.items() if k in fields and v} or key in expected, key
    finally:
        savepoint.rollback()
