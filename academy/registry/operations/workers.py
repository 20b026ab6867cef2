"""Operations on grid workers: records, national ID numbers, and the status lifecycle.

The lifecycle (recruited -> in training -> on duty -> suspended ... -> exited) lives in one
table, ``TRANSITIONS``. ``on duty`` is reached only through ``put_on_duty``, which the
certificates module calls when a worker holds a valid qualification.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit, crypto, numbers
from academy.database import city_today
from academy.extensions import db
from academy.registry import idnumbers, labels
from academy.registry.models import Area, AreaLevel, Worker, WorkerStatus, WorkerStatusChange
from academy.registry.operations.areas import RegistryError
from academy.registry.operations.assignments import sync_held_assignments
from academy.registry.operations.logins import follow_status
from academy.registry.signals import worker_record_changed, worker_status_changed
from academy.signals import send

# from-status -> the statuses a worker may move to from it (one table for the whole workflow).
TRANSITIONS: dict[WorkerStatus, set[WorkerStatus]] = {
    WorkerStatus.RECRUITED: {WorkerStatus.IN_TRAINING, WorkerStatus.ON_DUTY, WorkerStatus.EXITED},
    WorkerStatus.IN_TRAINING: {WorkerStatus.ON_DUTY, WorkerStatus.SUSPENDED, WorkerStatus.EXITED},
    WorkerStatus.ON_DUTY: {WorkerStatus.IN_TRAINING, WorkerStatus.SUSPENDED, WorkerStatus.EXITED},
    WorkerStatus.SUSPENDED: {WorkerStatus.IN_TRAINING, WorkerStatus.ON_DUTY, WorkerStatus.EXITED},
    # A return (rehire) starts in training: back on duty only through a valid qualification again.
    WorkerStatus.EXITED: {WorkerStatus.IN_TRAINING},
}
# What HR may choose by hand; on duty is granted by put_on_duty, exit by exit_worker.
MANUAL_STATUSES = (WorkerStatus.IN_TRAINING, WorkerStatus.SUSPENDED)
WORKER_FIELDS = ["name", "gender", "birth_date", "phone", "education", "political_status", "employment",
                 "area_id", "hired_on"]
NUMBER_SERIES = "registry.worker"
# What mandatory-training audiences match on (besides the status, announced by worker_status_changed).
MATCHED_FIELDS = ("area_id", "employment", "hired_on")


def worker_number(value: int) -> str:
    return f"W{value:08d}"


def find_worker_by_id_number(id_number: str) -> Worker | None:
    """The worker with this national ID number, found through its keyed hash."""
    normalised = idnumbers.normalise(id_number)
    return db.session.scalar(sa.select(Worker).where(Worker.id_number_hash == crypto.keyed_hash(normalised)))


def _check_worker_values(values: dict) -> None:
    area = values.get("area")
    if area is not None and area.level == AreaLevel.CITY:
        raise RegistryError(_("A worker is employed by a district, street or community."))
    if values.get("hired_on") and values["hired_on"] > city_today():
        raise RegistryError(_("The hiring date cannot be in the future."))
    if values.get("birth_date") and values.get("hired_on") and values["birth_date"] >= values["hired_on"]:
        raise RegistryError(_("The hiring date must come after the date of birth."))


def id_number_columns(id_number: str) -> dict:
    """The encrypted, hashed and masked forms of a valid national ID number."""
    number = idnumbers.normalise(id_number)
    return {"id_number_encrypted": crypto.encrypt(number), "id_number_hash": crypto.keyed_hash(number),
            "id_number_masked": idnumbers.mask(number)}


def create_worker(by, *, id_number: str, area: Area, **values) -> Worker:
    """Record a recruited worker with a generated number; the ID number is checked. Flushes."""
    number = idnumbers.normalise(id_number)
    if not idnumbers.is_valid(number):
        raise RegistryError(_("The national ID number is not valid (length, date of birth or check digit)."))
    if find_worker_by_id_number(number) is not None:
        raise RegistryError(_("A worker with this national ID number is already recorded."))
    values.setdefault("birth_date", idnumbers.birth_date_of(number))
    if values["birth_date"] != idnumbers.birth_date_of(number):
        raise RegistryError(_("The date of birth differs from the one in the national ID number."))
    _check_worker_values(values | {"area": area})
    worker = Worker(number=worker_number(numbers.next_value(NUMBER_SERIES)), area=area,
                    status=WorkerStatus.RECRUITED, **id_number_columns(number), **values)
    db.session.add(worker)
    db.session.flush()
    db.session.add(WorkerStatusChange(worker=worker, from_status=None, to_status=WorkerStatus.RECRUITED,
                                      reason=_("Recorded"), by_id=getattr(by, "id", None)))
    audit.record(by, "worker.create", worker, summary=f"{worker.number} {worker.name}",
                 after={"name": worker.name, "area": area.code})
    send(worker_record_changed, worker=worker, changed=set(MATCHED_FIELDS), by=by)
    return worker


def update_worker(worker: Worker, by, **values) -> dict:
    """Change a worker's record (not the ID number, which is its key). Flushes."""
    if "area" in values:
        values["area_id"] = values.pop("area").id
    merged = {name: getattr(worker, name) for name in WORKER_FIELDS} | values
    area = db.session.get(Area, merged["area_id"])
    _check_worker_values(merged | {"area": area})
    if merged["birth_date"] != idnumbers.birth_date_of(reveal_id_number(worker, None, log=False)):
        raise RegistryError(_("The date of birth differs from the one in the national ID number."))
    changed = audit.apply_changes(by, "worker.update", worker, WORKER_FIELDS, values, summary=worker.number)
    if set(changed) & set(MATCHED_FIELDS):
        send(worker_record_changed, worker=worker, changed=set(changed) & set(MATCHED_FIELDS), by=by)
    return changed


def reveal_id_number(worker: Worker, by, *, log: bool = True) -> str:
    """The whole ID number; callers check the hr role first. Each reveal is audited."""
    number = crypto.decrypt(worker.id_number_encrypted)
    if log:
        audit.record(by, "worker.reveal_id_number", worker, summary=f"{worker.number} {worker.name}")
    return number


def change_status(worker: Worker, to_status: WorkerStatus, by, reason: str = "") -> WorkerStatusChange:
    """Move ``worker`` along the lifecycle table; every step is logged and audited. Flushes."""
    if to_status not in TRANSITIONS[worker.status]:
        raise RegistryError(_("A worker cannot go from %(old)s to %(new)s.",
                              old=_status_label(worker.status), new=_status_label(to_status)))
    change = WorkerStatusChange(worker=worker, from_status=worker.status, to_status=to_status,
                                reason=(reason or "").strip()[:200], by_id=getattr(by, "id", None))
    db.session.add(change)
    before = worker.status
    worker.status = to_status
    if before == WorkerStatus.EXITED:
        worker.exited_on, worker.exit_reason = None, ""  # the exit stays in the status history
    db.session.flush()
    audit.record(by, "worker.status", worker, summary=f"{worker.number}: {before.value} -> {to_status.value}",
                 before={"status": before}, after={"status": to_status, "reason": reason})
    if to_status != WorkerStatus.EXITED:  # an exit ends the assignments instead (exit_worker)
        sync_held_assignments(worker, by, reason)
    follow_status(worker, before, to_status, by)
    send(worker_status_changed, worker=worker, before=before, after=to_status, by=by)
    return change


def _status_label(status: WorkerStatus) -> str:
    return labels.label(status)


def put_on_duty(worker: Worker, by=None, reason: str = "") -> bool:
    """Put a worker on duty (上岗); called by the certificates module. False if already on duty."""
    if worker.status == WorkerStatus.ON_DUTY:
        return False
    if worker.status == WorkerStatus.EXITED:
        raise RegistryError(_("An exited worker cannot go on duty."))
    change_status(worker, WorkerStatus.ON_DUTY, by, reason)
    return True


def take_off_duty(worker: Worker, by=None, reason: str = "") -> bool:
    """Suspend a worker on duty (e.g. the certificate lapsed). False if the worker was not on duty."""
    if worker.status != WorkerStatus.ON_DUTY:
        return False
    change_status(worker, WorkerStatus.SUSPENDED, by, reason)
    return True


def exit_worker(worker: Worker, by, *, on: date, reason: str) -> None:
    """The worker leaves: status exited, the date and reason kept, assignments ended. Flushes."""
    if not (reason or "").strip():
        raise RegistryError(_("Give a reason for the exit."))
    if on > city_today():
        raise RegistryError(_("The exit date cannot be in the future."))
    if on < worker.hired_on:
        raise RegistryError(_("The exit date cannot come before the hiring date."))
    change_status(worker, WorkerStatus.EXITED, by, reason)
    worker.exited_on, worker.exit_reason = on, reason.strip()[:200]
    for assignment in worker.assignments:
        if assignment.ends_on is None or assignment.ends_on > on:
            assignment.ends_on = max(on, assignment.starts_on)
            assignment.end_reason = _("Worker exited")
    db.session.flush()
