"""Reads of the Open311 API: its clients, the services it offers, the requests it publishes (only
those that came in through Open311, never a resident's call to the hotline) and the places it knows."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from academy.cases.models import ApiClient, Case, CaseState, Category, Channel
from academy.extensions import db
from academy.registry.models import Area, Grid

LIST_LIMIT = 200
CLOSED = (CaseState.CLOSED, CaseState.VISITED, CaseState.VOIDED)


def active_client(key_hash: str) -> ApiClient | None:
    """The civic app whose key hashes to ``key_hash``, while its key is active."""
    return db.session.scalar(sa.select(ApiClient).where(ApiClient.key_hash == key_hash, ApiClient.active))


def services() -> list[Category]:
    """The services a civic app may ask for: active categories without subcategories, by code."""
    rows = db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.code))
    return [c for c in rows if not c.children]


def active_service(code: str) -> Category | None:
    return db.session.scalar(sa.select(Category).where(Category.code == code, Category.active))


def _published():
    return sa.select(Case).where(Case.channel == Channel.OPEN311, Case.state != CaseState.DRAFT)


def published_request(number: str) -> Case | None:
    """One published request by its number."""
    return db.session.scalar(_published().where(Case.number == number))


def published_requests(numbers: list[str], codes: list[str], start: datetime | None, end: datetime | None,
                       status: str) -> list[Case]:
    """Published requests matching GeoReport's filters (each optional), the newest first."""
    query = _published()
    if numbers:
        query = query.where(Case.number.in_(numbers[:LIST_LIMIT]))
    if codes:
        query = query.join(Category).where(Category.code.in_(codes))
    if start:
        query = query.where(Case.reported_at >= start)
    if end:
        query = query.where(Case.reported_at <= end)
    if status:
        query = query.where(Case.state.in_(CLOSED) if status == "closed" else Case.state.not_in(CLOSED))
    return list(db.session.scalars(query.order_by(Case.id.desc()).limit(LIST_LIMIT)))


def current_grid(code: str) -> Grid | None:
    return db.session.scalar(sa.select(Grid).where(Grid.code == code, Grid.valid_to.is_(None)))


def area_exists(code: str) -> bool:
    return db.session.scalar(sa.select(Area.id).where(Area.code == code)) is not None
