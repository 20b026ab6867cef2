"""Every transition and rule of the case workflow, through the operations."""
from datetime import timedelta

import pytest

from academy.audit import AuditEntry
from academy.cases import clock, queries
from academy.cases import operations as ops
from academy.cases.models import Case, CaseState, ExtensionState, Level, Notification, Satisfaction, TaskState
from academy.cases.workflow import CASE_TRANSITIONS
from academy.extensions import db
from tests.fixtures.cases import MONDAY_10, report


def at(hours: float):
    return clock.frozen_time(MONDAY_10 + timedelta(hours=hours))


def dispatched(w, level=Level.COMMUNITY, **kwargs):
    with at(0):
        case = report(w, **kwargs)
        ops.accept_case(case, w.dispatcher)
        if level == Level.DEPARTMENT:
            ops.dispatch_case(case, w.dispatcher, ops.Dispatch(level, [(w.dept, None)]))
        else:
            ops.dispatch_case(case, w.dispatcher, ops.Dispatch(level))
    return case


def handled(w, **kwargs):
    case = dispatched(w, Level.DEPARTMENT, **kwargs)
    task = case.tasks[0]
    with at(1):
        ops.sign_task(task, w.handler)
        ops.start_task(task, w.handler)
        ops.finish_task(task, w.handler, "Done")
    return case


def test_every_state_change_is_an_event_with_actor_and_an_audit_entry(cases_world):
    case = handled(cases_world)
    events = case.events
    assert all(e.actor_name for e in events)
    moves = [e for e in events if e.from_state and not e.task_id]
    assert [(e.action, e.from_state, e.to_state) for e in moves][:3] == [
        ("submit", "draft", "reported"), ("accept", "reported", "accepted"), ("dispatch", "accepted", "dispatched")]
    audited = db.session.query(AuditEntry).filter(AuditEntry.action.like("case.%")).count()
    assert audited == len(events)


def test_case_number_is_district_date_serial_and_unique(cases_world):
    with at(0):
        first, second = report(cases_world), report(cases_world, title="Another")
    assert first.number == "320102202603020001"
    assert second.number == "320102202603020002"


def test_a_step_not_allowed_from_the_state_is_refused_and_changes_nothing(cases_world):
    with at(0):
        case = report(cases_world)
        with pytest.raises(ops.CaseError):
            ops.verify_case(case, cases_world.dispatcher, True)
        ops.accept_case(case, cases_world.dispatcher)
        with pytest.raises(ops.CaseError):
            ops.accept_case(case, cases_world.dispatcher)  # accepted twice
    assert case.state == CaseState.ACCEPTED
    assert [e.action for e in case.events] == ["submit", "accept"]


def test_accepting_sets_the_category_deadline(cases_world):
    with at(0):
        case = report(cases_world)
        assert case.stage_due_at is not None  # the accept stage has its own clock
        ops.accept_case(case, cases_world.dispatcher)
    # three working days from Monday 10:00 in Shanghai: Thursday 17:00 = 09:00 UTC
    assert case.due_at == MONDAY_10.replace(day=5, hour=9)


def test_self_handling_on_the_spot_closes_a_simple_case(cases_world):
    with at(0):
        case = report(cases_world, category=cases_world.simple, handled_on_spot=True)
    assert case.state == CaseState.CLOSED and case.level == Level.SELF and case.closed_on_time
    assert [e.action for e in case.events] == ["submit", "accept", "self_handle", "close_self"]


def test_self_handling_is_refused_for_categories_that_do_not_allow_it(cases_world):
    with at(0), pytest.raises(ops.CaseError):
        report(cases_world, handled_on_spot=True)


def test_dispatch_to_the_grid_worker_for_self_handling(cases_world):
    case = dispatched(cases_world, Level.SELF, category=cases_world.simple)
    assert case.tasks[0].handler_user_id == cases_world.trainee.id
    with pytest.raises(ops.CaseError):
        dispatched(cases_world, Level.SELF)  # category without self-handling


def test_community_and_street_levels_go_to_the_area(cases_world):
    assert dispatched(cases_world, Level.COMMUNITY).tasks[0].area_code == "320102001001"
    assert dispatched(cases_world, Level.STREET).tasks[0].area_code == "320102001"


def test_whistle_to_two_departments_each_with_its_deadline(cases_world):
    w = cases_world
    with at(0):
        case = report(w)
        ops.accept_case(case, w.dispatcher)
        with pytest.raises(ops.CaseError):
            ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, []))
        with pytest.raises(ops.CaseError):
            ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, 1), (w.dept, 2)]))
        ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, 1), (w.dept2, 5)]))
    one, five = case.tasks
    assert one.due_at < five.due_at and case.due_at == five.due_at
    assert {n.user_id for n in db.session.query(Notification)} == {w.handler.id, w.handler2.id}


def test_department_return_needs_a_reason_and_goes_back_to_the_dispatcher(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    task = case.tasks[0]
    with at(1):
        with pytest.raises(ops.CaseError):
            ops.return_task(task, cases_world.handler, "  ")
        ops.return_task(task, cases_world.handler, "Not our responsibility: private property")
    assert task.state == TaskState.RETURNED and case.state == CaseState.ACCEPTED
    assert case.return_count == 1 and case.level is None


def test_case_waits_for_every_department(cases_world):
    w = cases_world
    with at(0):
        case = report(w)
        ops.accept_case(case, w.dispatcher)
        ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, None), (w.dept2, None)]))
        ops.sign_task(case.tasks[0], w.handler)
        assert case.state == CaseState.DISPATCHED
        ops.sign_task(case.tasks[1], w.handler2)
        assert case.state == CaseState.SIGNED
        ops.start_task(case.tasks[0], w.handler)
        ops.finish_task(case.tasks[0], w.handler, "Ours done")
        assert case.state == CaseState.HANDLING
        ops.return_task(case.tasks[1], w.handler2, "Not ours")
    assert case.state == CaseState.VERIFYING  # the only unit left is done


def test_failed_verification_is_rework_for_the_same_unit(cases_world):
    case = handled(cases_world)
    with at(2):
        with pytest.raises(ops.CaseError):
            ops.verify_case(case, cases_world.trainee, False, "")
        ops.verify_case(case, cases_world.trainee, False, "Cover still loose")
    task = case.tasks[0]
    assert case.state == CaseState.HANDLING and case.rework_count == 1
    assert task.state == TaskState.HANDLING and task.rework_count == 1 and task.on_time is True
    with at(3):
        ops.finish_task(task, cases_world.handler, "Fixed properly")
        ops.verify_case(case, cases_world.trainee, True)
    assert case.state == CaseState.CLOSED
    assert [v.passed for v in db.session.query(ops.verify_case.__globals__["Verification"])] == [False, True]


def test_late_handling_and_late_closing_are_flagged(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    task = case.tasks[0]
    with at(24 * 7):  # a week later: past three working days
        ops.start_task(task, cases_world.handler)
        ops.finish_task(task, cases_world.handler, "Late")
        ops.verify_case(case, cases_world.trainee, True)
    assert task.on_time is False and case.closed_on_time is False


def test_return_visit_dissatisfied_can_reopen(cases_world):
    case = handled(cases_world)
    with at(2):
        ops.verify_case(case, cases_world.trainee, True)
        with pytest.raises(ops.CaseError):
            ops.record_return_visit(case, cases_world.dispatcher, Satisfaction.SATISFIED, reopen=True)
        ops.record_return_visit(case, cases_world.dispatcher, Satisfaction.DISSATISFIED, "Still smells", reopen=True)
    assert case.state == CaseState.ACCEPTED and case.reopen_count == 1 and case.closed_at is None
    assert case.tasks[0].state == TaskState.WITHDRAWN


def test_return_visit_records_satisfaction(cases_world):
    case = handled(cases_world)
    with at(2):
        ops.verify_case(case, cases_world.trainee, True)
        ops.record_return_visit(case, cases_world.dispatcher, Satisfaction.BASIC, "OK")
    assert case.state == CaseState.VISITED and case.satisfaction == Satisfaction.BASIC
    with at(3), pytest.raises(ops.CaseError):
        ops.record_return_visit(case, cases_world.dispatcher, Satisfaction.SATISFIED)  # visited already


def test_suspension_stops_the_clock_and_moves_deadlines(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    due, task_due = case.due_at, case.tasks[0].due_at
    with at(1):
        with pytest.raises(ops.CaseError):
            ops.suspend_case(case, cases_world.dispatcher, "")
        ops.suspend_case(case, cases_world.dispatcher, "Waiting for the court")
    assert case.state == CaseState.SUSPENDED and queries.light_of(case) is None
    with at(49):
        ops.resume_case(case, cases_world.dispatcher)
    assert case.state == CaseState.DISPATCHED
    assert case.due_at == due + timedelta(hours=48) and case.tasks[0].due_at == task_due + timedelta(hours=48)


def test_voiding_needs_another_persons_approval(cases_world):
    w = cases_world
    with at(0):
        case = report(w)
        ops.request_void(case, w.dispatcher, "Duplicate of an older case")
        with pytest.raises(ops.CaseError):
            ops.decide_void(case, w.dispatcher, True)
        ops.decide_void(case, w.dispatcher2, False, "Not a duplicate")
        assert case.state == CaseState.REPORTED
        ops.request_void(case, w.dispatcher, "Prank call")
        ops.decide_void(case, w.dispatcher2, True)
    assert case.state == CaseState.VOIDED and case.voided_at is not None


def test_extension_granted_moves_the_deadline(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    task = case.tasks[0]
    old_due = task.due_at
    with at(1):
        ext = ops.request_extension(task, cases_world.handler, 2, "Parts on order")
        with pytest.raises(ops.CaseError):
            ops.request_extension(task, cases_world.handler, 1, "Again")
        ops.decide_extension(ext, cases_world.dispatcher, True)
        with pytest.raises(ops.CaseError):
            ops.decide_extension(ext, cases_world.dispatcher, True)
    assert ext.state == ExtensionState.GRANTED and task.due_at > old_due and case.extended
    assert case.due_at >= task.due_at


def test_lights_turn_yellow_red_and_red_card(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)  # due Thursday 17:00 local, three working days
    assert queries.light_of(case, MONDAY_10 + timedelta(hours=1)) == "green"
    assert queries.light_of(case, case.stage_yellow_at) == "yellow"
    assert queries.light_of(case, case.due_at) == "red"
    assert queries.light_of(case, case.stage_red_card_at) == "red_card"
    for light, moment in (("green", MONDAY_10), ("red", case.due_at)):
        ids = db.session.scalars(queries.case_query(cases_world.dispatcher, queries.CaseFilter(light=light), moment)
                                 .with_only_columns(Case.id)).all()
        assert ids == [case.id]


def test_supervision_flags_and_notifies_the_handler(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    with at(1):
        ops.supervise_case(case, cases_world.viewer, "Residents keep calling")
    assert case.supervised_at is not None
    notes = db.session.query(Notification).filter_by(user_id=cases_world.handler.id).all()
    assert any("supervision" in n.message.lower() or "督办" in n.message for n in notes)


def test_link_report_counts_on_open_case_only(cases_world):
    case = handled(cases_world)
    with at(2):
        ops.link_report(case, cases_world.trainee, "Seen again")
        assert case.report_count == 2
        ops.verify_case(case, cases_world.trainee, True)
        with pytest.raises(ops.CaseError):
            ops.link_report(case, cases_world.trainee, "Again")


def test_worker_cannot_report_outside_his_grids(cases_world):
    from tests.fixtures.registry import create_grid

    other = create_grid("320102001002")
    with pytest.raises(ops.CaseError):
        report(cases_world, grid=other)


def test_similar_open_cases_are_found(cases_world):
    with at(0):
        case = report(cases_world, title="Broken manhole cover on Zhongshan Road")
        found = queries.similar_open_cases(cases_world.grid.id, cases_world.category.id,
                                           "Manhole cover broken on Zhongshan Road")
    assert found == [case]


def test_transition_table_has_one_entry_per_action():
    assert all(t.sources for t in CASE_TRANSITIONS.values())
    assert CaseState.CLOSED not in CASE_TRANSITIONS["verify_pass"].sources


def test_red_card_cases_are_escalated_once(cases_world):
    case = dispatched(cases_world, Level.DEPARTMENT)
    with clock.frozen_time(case.stage_red_card_at - timedelta(minutes=1)):
        assert ops.escalate_overdue() == []
    with clock.frozen_time(case.stage_red_card_at):
        assert ops.escalate_overdue() == [case]
        assert ops.escalate_overdue() == []
    assert case.supervised_at is not None
    assert db.session.query(Notification).filter_by(user_id=cases_world.handler.id).count() == 2  # dispatch + supervision


def test_escalate_command(app, cases_world):
    result = app.test_cli_runner().invoke(args=["academy", "cases-escalate"])
    assert result.exit_code == 0 and "0 cases" in result.output


def test_each_department_has_its_own_light(cases_world):
    w = cases_world
    with at(0):
        case = report(w)
        ops.accept_case(case, w.dispatcher)
        ops.dispatch_case(case, w.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(w.dept, 1), (w.dept2, 5)]))
    short, long = case.tasks
    moment = short.due_at + timedelta(minutes=1)
    assert queries.task_light(short, moment) == "red" and queries.task_light(long, moment) == "green"
