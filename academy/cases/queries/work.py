"""What waits for dispatchers, departments and leaders (their workbenches and the navigation's
badges): each number counts exactly what its list shows, with the same query and filters."""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.queries.lists import CaseFilter, case_query, mine_query
from academy.extensions import db


def count_cases(user, filters: CaseFilter) -> int:
    """How many cases the list (or board) with ``filters`` shows ``user``."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(case_query(user, filters).order_by(None).subquery()))


def to_handle_count(user) -> int:
    """Open cases with a task of ``user``'s units still in hand ("my cases", to handle)."""
    query = mine_query(user, None, to_handle=True).order_by(None)
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
