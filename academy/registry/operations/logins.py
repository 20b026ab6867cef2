"""Worker log-ins tied to the record: create them in bulk, and let them follow the worker's status.

A worker has at most one log-in (``Worker.user_id`` is unique); its username is the worker number,
it holds the trainee role, and it has no usable password until the worker activates it. The
account follows the record: an exit disables it and ends its sessions, a return enables it.
Accounts sit below the registry, so the registry calls their operations directly.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.accounts.models import User
from academy.accounts.operations import create_account, grant_role, set_active
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Worker, WorkerStatus

# Why a worker got no new log-in; the keys of ``AccountCounts.skipped``.
HAS_ACCOUNT, EXITED, NAME_TAKEN = "has_account", "exited", "name_taken"
PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")


def skip_reason_labels() -> dict[str, str]:
    return {HAS_ACCOUNT: _("already has a log-in"), EXITED: _("exited"),
            NAME_TAKEN: _("the worker number is another account's username")}


@dataclass
class AccountCounts:
    """What ``create_worker_accounts`` did (or, on a dry run, would do)."""

    created: int = 0
    skipped: Counter = field(default_factory=Counter)
    dry_run: bool = False

    def summary(self) -> str:
        labels = skip_reason_labels()
        parts = [_("%(n)d log-ins created", n=self.created)]
        parts += [_("%(n)d skipped (%(why)s)", n=n, why=labels[why]) for why, n in sorted(self.skipped.items())]
        text = _("; ").join(parts)
        return _("Dry run, nothing written: %(text)s", text=text) if self.dry_run else text


def _skip_reason(worker: Worker, taken: set[str]) -> str | None:
    if worker.user_id is not None:
        return HAS_ACCOUNT
    if worker.status == WorkerStatus.EXITED:
        return EXITED
    if worker.number.lower() in taken:
        return NAME_TAKEN
    return None


def create_worker_accounts(workers, by, dry_run: bool = False) -> AccountCounts:
    """Give each worker without one a log-in (username: the worker number; role: trainee; no usable
    password until activation). Idempotent: workers with a log-in, exited workers and workers whose
    number is already someone's username are skipped and counted. A dry run writes nothing.
    Flushes; audits each account and one summary entry."""
    workers = list(workers)
    names = [worker.number.lower() for worker in workers]
    # One read for the whole batch instead of one per worker.
    taken = set(db.session.scalars(sa.select(User.username).where(User.username.in_(names)))) if names else set()
    counts = AccountCounts(dry_run=dry_run)
    for worker in workers:
        reason = _skip_reason(worker, taken)
        if reason:
            counts.skipped[reason] += 1
            continue
        counts.created += 1
        taken.add(worker.number.lower())
        if not dry_run:
            _create_one(worker, by)
    if not dry_run and counts.created:
        audit.record(by, "worker.accounts_create", None, summary=counts.summary(),
                     after={"created": counts.created, "skipped": dict(counts.skipped)})
    return counts


def _create_one(worker: Worker, by) -> User:
    user = create_account(worker.number, by, display_name=worker.name)
    grant_role(user, Role.TRAINEE, by)
    worker.user_id = user.id
    db.session.flush()
    audit.record(by, "worker.account_link", worker, summary=f"{worker.number} -> {user.username}")
    return user


def follow_status(worker: Worker, before, after, by) -> None:
    """The log-in follows the record (``change_status`` calls this on every step). An exit disables it and
    ends its sessions; a return from exit enables it; a suspension keeps it open (learning goes
    on; the cases refuse case work). Each change is audited by ``set_active``."""
    if worker.user_id is None:
        return
    user = db.session.get(User, worker.user_id)
    if after == WorkerStatus.EXITED:
        set_active(user, False, by, reason=_("Worker exited"))
    elif before == WorkerStatus.EXITED:
        set_active(user, True, by, reason=_("Worker returned"))


def usernames_for_phone(name: str) -> set[str]:
    """"login_names" contribution: the log-ins of the workers registered with phone ``name``
    (several when a phone is shared, which the log-in refuses as ambiguous)."""
    if not PHONE.match(name):
        return set()
    digits = re.sub(r"[ -]", "", name)
    query = (sa.select(User.username).join(Worker, Worker.user_id == User.id)
             .where(sa.func.replace(sa.func.replace(Worker.phone, " ", ""), "-", "") == digits))
    return set(db.session.scalars(query))
