"""The whole loop through the operations: report, accept, whistle two departments, handle, verify, rate."""
from academy.cases import clock
from academy.cases import operations as ops
from academy.cases.models import CaseState, Level, Satisfaction, TaskState
from tests.fixtures.cases import MONDAY_10, report


def test_full_loop_with_two_departments(cases_world):
    w = cases_world
    with clock.frozen_time(MONDAY_10):
        case = report(w)
        assert case.state == CaseState.REPORTED
        ops.accept_case(case, w.dispatcher)
        ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, 2), (w.dept2, None)]))
        assert case.state == CaseState.DISPATCHED
        first, second = case.tasks
        assert first.due_at != second.due_at
        ops.sign_task(first, w.handler)
        ops.start_task(first, w.handler)
        ops.finish_task(first, w.handler, "Replaced the cover")
        assert case.state == CaseState.HANDLING  # the second department is not done
        ops.start_task(second, w.handler2)
        ops.finish_task(second, w.handler2, "Checked the building")
        assert case.state == CaseState.VERIFYING
        ops.verify_case(case, w.trainee, True)
        assert case.state == CaseState.CLOSED and case.closed_on_time
        ops.record_return_visit(case, w.dispatcher, Satisfaction.SATISFIED, "Fine")
    assert case.state == CaseState.VISITED
    assert [t.state for t in case.tasks] == [TaskState.HANDLED, TaskState.HANDLED]
    actions = [e.action for e in case.events]
    assert actions[:3] == ["submit", "accept", "dispatch"]
    assert actions[-3:] == ["request_verification", "verify_pass", "return_visit"]
