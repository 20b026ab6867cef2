"""The events of the academy side, heard through their signals: a case dispatched, a task returned,
an extension granted or refused, a red card escalated, a return visit rated dissatisfied, a background job ended; and from
``notify-due``, the yellow and red lights of cases. Each receiver works inside the sender's
transaction and only calls ``notify``.
(The teaching side calls ``notify`` from its own operations: ``academy`` never imports ``courses``.)"""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import User
from academy.cases import clock
from academy.cases.models import Case, CaseState, Extension, ExtensionState, Satisfaction, TaskState
from academy.cases.people import area_dispatcher_ids, handler_user_ids
from academy.cases.workflow import IN_HANDS
from academy.database import city_zone
from academy.extensions import db
from academy.jobs import Job, JobStatus
from academy.notifications import queries
from academy.notifications.operations import link_to, notify
from academy.permissions import Role
from academy.registry.queries import area_by_code


def users(ids) -> list[User]:
    return [user for user in (db.session.get(User, uid) for uid in dict.fromkeys(ids) if uid) if user is not None]


def _case_link(case) -> str:
    return link_to("cases.show", case_id=case.id)


def _dispatched(case) -> None:
    db.session.flush()  # the new tasks' ids name the events
    for task in case.active_tasks:
        if task.state == TaskState.DISPATCHED:
            notify("case.dispatched", users(handler_user_ids(task)), {"number": case.number, "title": case.title},
                   key=f"case.dispatched:{task.id}", link=_case_link(case))


def _returned(case) -> None:
    for task in case.tasks:
        if task.state == TaskState.RETURNED and task.dispatched_by_id:
            notify("case.returned", users([task.dispatched_by_id]), {"number": case.number, "title": case.title},
                   key=f"case.returned:{task.id}", link=_case_link(case))


def _red_card(case) -> None:
    """A red card under supervision: the leaders (viewers) of the case's street and district hear of it."""
    if case.stage_red_card_at is None or case.stage_red_card_at > clock.now():
        return
    codes = [case.area_code[:9], case.area_code[:6]]
    area = area_by_code(case.area_code[:9]) or area_by_code(case.area_code[:6])
    leaders = users(queries.users_with_role_in(Role.VIEWER, codes))
    notify("case.red_card", leaders, {"number": case.number, "area": area.name if area else case.area_code},
           key=f"case.red_card:{case.id}:{case.stage_red_card_at.isoformat()}", link=_case_link(case))


def _dissatisfied(case, by=None) -> None:
    """A return visit rated dissatisfied (reopened or not): the dispatchers who dispatched the case's
    tasks hear of it, else the dispatchers of its community or street; not the one who recorded it."""
    if case.satisfaction != Satisfaction.DISSATISFIED or case.visited_at is None:
        return
    dispatchers = [task.dispatched_by_id for task in case.tasks if task.dispatched_by_id]
    recipients = [uid for uid in dispatchers or area_dispatcher_ids(case.area_code) if uid != getattr(by, "id", None)]
    notify("case.dissatisfied", users(recipients),
           {"number": case.number, "title": case.title},
           key=f"case.dissatisfied:{case.id}:{case.visited_at.isoformat()}", link=_case_link(case))


def _extension_decided(case) -> None:
    """The one who asked for more time hears the dispatcher's decision (granted: the task's new deadline)."""
    ext = db.session.scalar(sa.select(Extension).where(Extension.case_id == case.id, Extension.decided_at.is_not(None))
                            .order_by(Extension.decided_at.desc(), Extension.id.desc()).limit(1))
    if ext is None:
        return
    granted = ext.state == ExtensionState.GRANTED
    due = ext.new_due_at.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M") if granted and ext.new_due_at else ""
    notify("case.extension_decided", users([ext.requested_by_id]),
           {"number": case.number, "title": case.title, "granted": granted, "due": due},
           key=f"case.extension_decided:{ext.id}", link=_case_link(case))


RECEIVERS = {"dispatch": _dispatched, "task_return": _returned, "supervise": _red_card,
             "grant_extension": _extension_decided, "refuse_extension": _extension_decided}
WITH_ACTOR = {"return_visit": _dissatisfied, "reopen": _dissatisfied}  # these leave out whoever acted
LIGHT_STATES = IN_HANDS | {CaseState.REPORTED, CaseState.ACCEPTED, CaseState.VERIFYING}


def on_case_changed(_app, *, case, action: str, by=None, **_data) -> None:
    """``cases.signals.case_changed``: the case events that reach people."""
    if action in WITH_ACTOR:
        WITH_ACTOR[action](case, by)
    elif action in RECEIVERS:
        RECEIVERS[action](case)


def current_handlers(case) -> list[User]:
    """Who holds the case now: its active tasks' handlers while in hands, else its area's dispatchers."""
    if case.state in IN_HANDS:
        return users(uid for task in case.active_tasks for uid in handler_user_ids(task))
    return users(area_dispatcher_ids(case.area_code))


def notify_case_lights(_day=None) -> list:
    """``notify-due``: a case whose stage shows a yellow light (near its time limit) or a red one (past
    it) tells its current handlers, once per stage and colour. Lights change by the hour, so this
    reads the cases' clock (``cases.clock.now``), not the day."""
    now = clock.now()
    cases = db.session.scalars(sa.select(Case).where(
        Case.state.in_(LIGHT_STATES), Case.stage_yellow_at <= now, Case.stage_started_at.is_not(None))
        .order_by(Case.id))
    made = []
    for case in cases:
        red = case.stage_due_at is not None and case.stage_due_at <= now
        kind = "case.red_light" if red else "case.yellow_light"
        due = case.stage_due_at.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M") if case.stage_due_at else "—"
        made += notify(kind, current_handlers(case), {"number": case.number, "title": case.title, "due": due},
                       key=f"{kind}:{case.id}:{case.stage_started_at.isoformat()}", link=_case_link(case))
    return made


def on_job_ended(_app, *, job: Job, label=None, **_data) -> None:
    """``jobs.signals.job_ended``: the person who started a labelled job (an import, a batch of letters or
    certificates, a refresh) hears it finished, or failed (a refused import too), once per job."""
    if label is None or job.created_by_id is None:
        return
    failed = job.status == JobStatus.FAILED or job.refused
    notify("job.failed" if failed else "job.finished", users([job.created_by_id]), {"what": label, "message": job.message},
           key=f"job.ended:{job.id}", link=link_to("web.job_page", job_id=job.id))
