"""Reads of the sign-in: the worker a claim names, and that worker's account."""
from __future__ import annotations

import sqlalchemy as sa

from academy import crypto
from academy.accounts.models import User
from academy.extensions import db
from academy.registry import idnumbers
from academy.registry.models import Worker


def worker_by_number(number: str) -> Worker | None:
    """The worker with this worker number (outer spaces and case ignored), or None."""
    return db.session.scalar(sa.select(Worker).where(Worker.number == number.strip().upper()))


def worker_by_id_number(id_number: str) -> Worker | None:
    """The worker whose national ID number this is, found by its keyed hash (the number is not kept)."""
    return db.session.scalar(sa.select(Worker).where(
        Worker.id_number_hash == crypto.keyed_hash(idnumbers.normalise(id_number))))


def account_of(worker: Worker) -> User | None:
    """The log-in linked to ``worker``, if any."""
    return db.session.get(User, worker.user_id) if worker.user_id is not None else None
