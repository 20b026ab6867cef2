"""Helpers of the activation tests: a worker with a fresh activation code, as a letter would carry it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from academy import crypto
from academy.activation import codes, operations
from academy.database import utcnow


def issue_code(worker, *, days: int = 30, now=None) -> str:
    """A new activation code for ``worker`` kept through the real operation; returns it in clear."""
    now = now or utcnow()
    code = codes.new_activation_code()
    operations.store_activation_codes({worker.id: code}, None, now, now + timedelta(days=days))
    return code


def id_tail(worker) -> str:
    return crypto.decrypt(worker.id_number_encrypted)[-6:]


@pytest.fixture
def coded_worker(make_worker):
    """A worker without a log-in and the code of his letter."""
    worker = make_worker("320102", name="孙悦")
    return worker, issue_code(worker)
