"""The events of the academy side, heard through their signals: a case dispatched, a task returned,
a red card escalated, a background job ended. Each receiver works inside the sender's transaction and only calls ``notify``.
(The teaching side calls ``notify`` from its own operations: ``academy`` never imports ``courses``.)"""
from __future__ import annotations

from academy.accounts.models import User
from academy.cases import clock
from academy.cases.models import TaskState
from academy.cases.people import handler_user_ids
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


RECEIVERS = {"dispatch": _dispatched, "task_return": _returned, "supervise": _red_card}


def on_case_changed(_app, *, case, action: str, by=None, **_data) -> None:
    """``cases.signals.case_changed``: the case events that reach people."""
    receiver = RECEIVERS.get(action)
    if receiver is not None:
        receiver(case)


def on_job_ended(_app, *, job: Job, label=None, **_data) -> None:
    """``jobs.signals.job_ended``: the person who started a labelled job (an import, a batch of letters or
    certificates, a refresh) hears it finished, or failed (a refused import too), once per job."""
    if label is None or job.created_by_id is None:
        return
    failed = job.status == JobStatus.FAILED or job.refused
    notify("job.failed" if failed else "job.finished", users([job.created_by_id]), {"what": label, "message": job.message},
           key=f"job.ended:{job.id}", link=link_to("web.job_page", job_id=job.id))
