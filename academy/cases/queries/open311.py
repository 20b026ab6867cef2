"""Reads of the Open311 API: its clients, the services it offers with their extra fields, the
requests it publishes (only those that came in through Open311, never a resident's call to the
hotline), their steps as updates, their media, and the places it knows (a grid found by a point
inside its boundary polygon)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.cases.models import (
    ApiClient,
    Case,
    CaseEvent,
    CaseMedia,
    CaseState,
    Category,
    CategoryField,
    Channel,
    MediaState,
)
from academy.extensions import db
from academy.registry.geometry import holds
from academy.registry.models import Area, Grid

LIST_LIMIT = 1000  # GeoReport's default: the first 1,000 requests
CLOSED = (CaseState.CLOSED, CaseState.VISITED, CaseState.VOIDED)


def active_client(key_hash: str) -> ApiClient | None:
    """The civic app whose key hashes to ``key_hash``, while its key is active."""
    return db.session.scalar(sa.select(ApiClient).where(ApiClient.key_hash == key_hash, ApiClient.active))


def services() -> list[Category]:
    """The services a civic app may ask for: active categories without subcategories, by code."""
    rows = db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.code))
    return [c for c in rows if not c.children]


def categories_with_fields() -> set[int]:
    """Ids of the categories that ask extra fields (their services carry ``metadata: true``)."""
    return set(db.session.scalars(sa.select(CategoryField.category_id).where(CategoryField.active).distinct()))


def active_service(code: str) -> Category | None:
    return db.session.scalar(sa.select(Category).where(Category.code == code, Category.active))


def fields_of(category: Category, *, retired: bool = False) -> list[CategoryField]:
    """A category's extra fields in their order (the retired ones too when asked, for the admin page)."""
    query = sa.select(CategoryField).where(CategoryField.category_id == category.id)
    if not retired:
        query = query.where(CategoryField.active)
    return list(db.session.scalars(query.order_by(CategoryField.position, CategoryField.id)))


def category_field(category: Category, field_id: int) -> CategoryField | None:
    return db.session.scalar(sa.select(CategoryField).where(CategoryField.id == field_id,
                                                            CategoryField.category_id == category.id))


def _published():
    return (sa.select(Case).where(Case.channel == Channel.OPEN311, Case.state != CaseState.DRAFT)
            .options(selectinload(Case.events), selectinload(Case.tasks), selectinload(Case.category)))


def published_request(number: str) -> Case | None:
    """One published request by its number."""
    return db.session.scalar(_published().where(Case.number == number))


def published_requests(numbers: list[str], codes: list[str], start: datetime | None, end: datetime | None,
                       statuses: list[str]) -> list[Case]:
    """Published requests by GeoReport's filters, the newest first: ``numbers`` when given (the
    other filters then do not apply), else the codes, the time span and the statuses asked."""
    query = _published()
    if numbers:
        query = query.where(Case.number.in_(numbers[:LIST_LIMIT]))
    else:
        if codes:
            query = query.join(Category, Case.category_id == Category.id).where(Category.code.in_(codes))
        if start:
            query = query.where(Case.reported_at >= start)
        if end:
            query = query.where(Case.reported_at <= end)
        if statuses and set(statuses) != {"open", "closed"}:
            query = query.where(Case.state.in_(CLOSED) if statuses == ["closed"] else Case.state.not_in(CLOSED))
    return list(db.session.scalars(query.order_by(Case.id.desc()).limit(LIST_LIMIT)))


def first_media(cases: list[Case]) -> dict[int, str]:
    """The first media URL each case was sent with, by case id."""
    rows = db.session.execute(sa.select(CaseMedia.case_id, CaseMedia.url)
                              .where(CaseMedia.case_id.in_([c.id for c in cases])).order_by(CaseMedia.id))
    found: dict[int, str] = {}
    for case_id, url in rows:
        found.setdefault(case_id, url)
    return found


def media_of(case: Case) -> list[CaseMedia]:
    return list(db.session.scalars(sa.select(CaseMedia).where(CaseMedia.case_id == case.id).order_by(CaseMedia.id)))


def pending_media(case_id: int) -> list[CaseMedia]:
    return list(db.session.scalars(sa.select(CaseMedia).where(CaseMedia.case_id == case_id,
                                                              CaseMedia.state == MediaState.PENDING)))


def updates(start: datetime, end: datetime) -> list[tuple[CaseEvent, Case]]:
    """The steps (state changes) of published requests between ``start`` and ``end``, oldest first."""
    query = (sa.select(CaseEvent, Case).join(Case, CaseEvent.case_id == Case.id)
             .where(Case.channel == Channel.OPEN311, Case.state != CaseState.DRAFT, CaseEvent.to_state.is_not(None),
                    CaseEvent.to_state != CaseState.DRAFT.value, CaseEvent.at >= start, CaseEvent.at <= end)
             .order_by(CaseEvent.at, CaseEvent.id).limit(LIST_LIMIT))
    return [(event, case) for event, case in db.session.execute(query)]


def current_grid(code: str) -> Grid | None:
    return db.session.scalar(sa.select(Grid).where(Grid.code == code, Grid.valid_to.is_(None)))


def area_exists(code: str) -> bool:
    return db.session.scalar(sa.select(Area.id).where(Area.code == code)) is not None


def grid_at(latitude: float, longitude: float) -> Grid | None:
    """The current grid whose boundary polygon holds the point, if one does."""
    grids = db.session.scalars(sa.select(Grid).where(Grid.valid_to.is_(None), Grid.boundary_geojson.is_not(None))
                               .order_by(Grid.code))
    return next((g for g in grids if holds(g.boundary_geojson, longitude, latitude)), None)


def answers_of(case: Case) -> list[tuple[str, str]]:
    """A case's attribute answers as (question, answer) in words: a list's keys by their names."""
    if not case.attributes:
        return []
    fields = {f.code: f for f in fields_of(case.category, retired=True)}
    answers = []
    for code, value in case.attributes.items():
        field = fields.get(code)
        names = dict((str(k), n) for k, n in (field.choices or [])) if field else {}
        values = value if isinstance(value, list) else [value]
        answers.append((field.description if field else code, "、".join(names.get(str(v), str(v)) for v in values)))
    order = {f.description: f.position for f in fields.values()}
    return sorted(answers, key=lambda pair: order.get(pair[0], 999))
