"""The indicators read what the case module's own operations write: an extension granted, a
verification, and a reopening after a dissatisfied return visit, all in March 2026."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from academy.cases import clock
from academy.cases import operations as ops
from academy.cases.models import Level, Satisfaction
from academy.indicators.compute import compute
from academy.indicators.periods import parse_period
from tests.fixtures.cases import MONDAY_10, report


def test_extension_verification_and_reopening(cases_world):
    world = cases_world
    moments = iter(MONDAY_10 + timedelta(hours=h) for h in range(0, 400, 2))
    with clock.frozen_time(next(moments)):
        case = report(world)
    with clock.frozen_time(next(moments)):
        ops.accept_case(case, world.dispatcher)
    with clock.frozen_time(next(moments)):
        ops.dispatch_case(case, world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(world.dept, None)]))
    task = case.tasks[0]
    with clock.frozen_time(next(moments)):
        ops.sign_task(task, world.handler)
    with clock.frozen_time(next(moments)):
        extension = ops.request_extension(task, world.handler, 2, "Parts on order")
    with clock.frozen_time(next(moments)):
        ops.decide_extension(extension, world.dispatcher2, True)
    with clock.frozen_time(next(moments)):
        ops.finish_task(task, world.handler, "Cover replaced")
    with clock.frozen_time(next(moments)):
        ops.verify_case(case, world.trainee, True)
    assert case.closed_on_time and case.extended
    with clock.frozen_time(next(moments)):
        ops.record_return_visit(case, world.dispatcher, Satisfaction.DISSATISFIED, "Still loose", reopen=True)
    comp = compute(parse_period("2026-03"), datetime(2026, 4, 10, tzinfo=UTC))
    counts = comp.counts("worker", str(world.worker.id))
    assert counts["reported"] == 1 and counts["accepted"] == 1
    # Reopened: counted with its new deadline (in March), no longer closed, still pending at the end.
    assert (counts["due_to_close"], counts["closed"], counts["reopened"], counts["extended"]) == (1, 0, 1, 1)
    assert (counts["pending"], counts["overdue_pending"]) == (1, 1)
    assert (counts["return_visits"], counts["dissatisfied"]) == (1, 1)
    assert (counts["verifications"], counts["verifications_on_time"]) == (1, 1)
    dept = comp.counts("department", str(world.dept.id))
    # The task was withdrawn by the reopening, but it had been handled in time: that still counts.
    assert (dept["due_to_handle"], dept["handled_on_time"], dept["task_extended"]) == (1, 1, 1)
    assert dept["task_pending"] == 0
