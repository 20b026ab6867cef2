"""The dispatched part of a benchmark case's life: tasks, signing, handling, extensions,
verification (with rework) and the return visit, in the order ``academy.cases.operations`` takes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from academy.cases import clock
from academy.cases.models import CaseTask, ClockKind, Extension

SATISFACTION = (("satisfied", 80), ("basically_satisfied", 15), ("dissatisfied", 5))


def _level(life, place) -> str:
    roll = life.rng.random()
    if roll < 0.2 and place.departments:
        return "department"
    if roll < 0.5 or len(place.area_code) < 12:
        return "street"
    return "community"


def _new_tasks(life, level: str, place, at: datetime, category) -> list[tuple[dict, tuple]]:
    """(task row, handler) per handling unit: one community or street, or one or two departments."""
    if level == "department":
        chosen = life.rng.sample(place.departments, 2 if life.rng.random() < 0.15 and len(place.departments) > 1 else 1)
        units = [({"department_id": dept_id}, handler) for dept_id, handler in chosen]
    else:
        code = place.area_code[:12 if level == "community" else 9]
        units = [({"area_code": code}, place.handlers[level])]
    due = clock.deadline(life.calendar, at, category[1], category[2])
    tasks = []
    for fields, handler in units:
        row = {"id": life.city.writer.ids(CaseTask.__table__, 1).start, "case_id": life.row["id"], "level": level,
               "state": "dispatched", "instruction": "请按时限办理并反馈", "dispatched_by_id": place.dispatcher[0],
               "dispatched_at": at, "due_at": due, "area_code": "", **fields}
        tasks.append((row, handler))
    return tasks


def dispatch_and_handle(life, category, place) -> None:
    """Dispatch, then each step while it falls before the end of the history."""
    row = life.row
    at = life.later(row["accepted_at"], 5, 120)
    if at > life.end:
        return life._stop_and_write("accepted")
    level = _level(life, place)
    tasks = _new_tasks(life, level, place, at, category)
    life.event("dispatch", at, place.dispatcher, "accepted", "dispatched", "请按时限办理并反馈")
    row.update(level=level, dispatched_at=at, due_at=max([row["due_at"], *(t["due_at"] for t, _h in tasks)]))
    life.stage = life.stage_for(row["accepted_at"], row["due_at"], category[2])
    state = _work(life, tasks, category, place, at)
    for task, _handler in tasks:
        life.city.writer.add(life.tables["task"], task)
    life.city.count("case tasks", len(tasks))
    if state in ("closed", "visited"):
        life.city.writer.add(life.tables["case"], row)
    else:
        life._stop_and_write(state)


def _task_step(life, tasks, action: str, at: datetime, before: str, after: str, field: str | None = None) -> None:
    for task, handler in tasks:
        life.event(f"task_{action}", at, handler, before, after, task_id=task["id"])
        task["state"] = after
        if field:
            task[field] = at


def _work(life, tasks, category, place, dispatched: datetime) -> str:
    """Sign, start, maybe extend, finish, verify (maybe rework once), visit; returns the state reached."""
    signed = life.later(dispatched, 10, 240)
    if signed > life.end:
        return "dispatched"
    _task_step(life, tasks, "sign", signed, "dispatched", "signed", "signed_at")
    life.event("sign", signed, tasks[-1][1], "dispatched", "signed")
    started = life.later(signed, 10, 600)
    if started > life.end:
        return "signed"
    _task_step(life, tasks, "start", started, "signed", "handling", "started_at")
    life.event("start", started, tasks[0][1], "signed", "handling")
    if life.rng.random() < 0.05:
        _extend(life, tasks, category, started)
    for attempt in range(2):
        share = life.rng.uniform(0.15, 1.25)
        finished = max(life.last_at + timedelta(minutes=10), dispatched + (tasks[0][0]["due_at"] - dispatched) * share)
        if finished > life.end:
            return "handling"
        verified = _finish(life, tasks, finished, place)
        if verified is None:
            return "verifying"
        rework = attempt == 0 and life.rng.random() < 0.04
        if not _verify(life, tasks, verified, place, passed=not rework):
            continue
        return _return_visit(life, verified)
    return "handling"  # not reached: the second verification always passes


def _extend(life, tasks, category, at: datetime) -> None:
    """A granted extension of two units of the category's clock for the first task."""
    task, handler = tasks[0]
    asked, decided = life.later(at, 30, 300), life.later(at, 330, 600)
    if decided > life.end:
        return
    old_due = task["due_at"]
    task["due_at"] = clock.deadline(life.calendar, old_due, 2, category[2])
    life.city.writer.add(Extension.__table__, {
        "case_id": life.row["id"], "task_id": task["id"], "amount": 2, "reason": "需协调多方，申请延期", "state": "granted",
        "requested_by_id": handler[0], "requested_at": asked, "decided_by_id": life.row_dispatcher[0],
        "decided_at": decided, "old_due_at": old_due, "new_due_at": task["due_at"]})
    life.event("request_extension", asked, handler, None, None, "需协调多方，申请延期", task_id=task["id"])
    life.row.update(extended=True, due_at=max(life.row["due_at"], task["due_at"]))
    life.stage = life.stage_for(life.row["accepted_at"], life.row["due_at"], category[2])
    life.event("grant_extension", decided, life.row_dispatcher, None, None, "同意延期", task_id=task["id"])
    life.city.count("case extensions")


def _finish(life, tasks, at: datetime, place) -> datetime | None:
    """Every unit reports its task done; the case waits for verification. Returns the check's time."""
    for task, handler in tasks:
        life.event("task_finish", at, handler, "handling", "handled", "已处置完毕", task_id=task["id"])
        task.update(state="handled", handled_at=at, result="已处置完毕，现场恢复正常")
        if task.get("on_time") is None:
            task["on_time"] = at <= task["due_at"]
    life.event("finish", at, tasks[-1][1], "handling", "handled")
    life.event("request_verification", at, tasks[-1][1], "handled", "verifying")
    life.row["handled_at"] = at
    due = life.calendar.end_of_working_day(at, life.verify_days)
    life.stage = life.stage_for(at, due, ClockKind.WORKING_HOURS)
    verified = life.later(at, 30, 1500)
    return None if verified > life.end else verified


def _verify(life, tasks, at: datetime, place, passed: bool) -> bool:
    row = life.row
    checker = (place.reporter_user_id, life.city.state["usernames"].get(place.reporter_user_id)) \
        if place.reporter_worker_id and place.reporter_user_id else place.dispatcher
    life.city.writer.add(life.tables["check"], {
        "case_id": row["id"], "by_id": checker[0], "worker_id": place.reporter_worker_id, "at": at,
        "due_at": life.stage.due, "on_time": at <= life.stage.due, "passed": passed,
        "reason": "" if passed else "现场仍有问题，需返工"})
    if passed:
        life.event("verify_pass", at, checker, "verifying", "closed", still_open=False)
        row.update(closed_at=at, closed_on_time=at <= row["due_at"], state="closed")
        life.stage = None
        return True
    life.event("verify_fail", at, checker, "verifying", "handling", "现场仍有问题，需返工")
    row["rework_count"] = row.get("rework_count", 0) + 1
    for task, _handler in tasks:
        life.event("task_rework", at, checker, "handled", "handling", "现场仍有问题，需返工", task_id=task["id"])
        task.update(state="handling", rework_count=task.get("rework_count", 0) + 1)
    life.stage = life.stage_for(row["accepted_at"], row["due_at"], life.category_clock)
    return False


def _return_visit(life, closed: datetime) -> str:
    at = closed + timedelta(days=life.rng.uniform(1, 3))
    if life.rng.random() > 0.6 or at > life.end:
        return "closed"
    rating = life.rng.choices([s for s, _w in SATISFACTION], [w for _s, w in SATISFACTION])[0]
    life.city.writer.add(life.tables["visit"], {"case_id": life.row["id"], "by_id": life.row_dispatcher[0], "at": at,
                                                "satisfaction": rating, "comment": "", "reopened": False})
    life.event("return_visit", at, life.row_dispatcher, "closed", "visited", still_open=False)
    life.row.update(state="visited", satisfaction=rating, visited_at=at)
    return "visited"
