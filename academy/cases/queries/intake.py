"""Reads of intake: the categories a report may take, the places a hotline operator may file in,
and the case a submission key already filed."""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.models import Case, Category
from academy.extensions import db
from academy.permissions import Role, area_scopes, scope_clause
from academy.registry.models import Area, AreaLevel, Grid

MAX_PLACES = 1000


def case_by_submission_key(key: str | None) -> Case | None:
    """The case a submission (or Open311 idempotency) key already filed, if any."""
    return db.session.scalar(sa.select(Case).where(Case.submission_key == key)) if key else None


def active_categories() -> list[Category]:
    """The categories a report may take: active ones without active subcategories."""
    rows = list(db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.code)))
    parents = {c.parent_id for c in rows if c.parent_id}
    return [c for c in rows if c.id not in parents]


def hotline_places(user) -> list[tuple[str, str]]:
    """Grids, communities and streets in the operator's area, as choices "g:<id>" / "a:<code>"."""
    scopes = area_scopes(user, Role.DISPATCHER)
    areas = db.session.scalars(sa.select(Area).where(
        Area.level.in_([AreaLevel.STREET, AreaLevel.COMMUNITY]), scope_clause(Area.code, scopes)
    ).order_by(Area.code).limit(MAX_PLACES))
    grids = db.session.scalars(sa.select(Grid).where(Grid.valid_to.is_(None), scope_clause(Grid.code, scopes))
                               .order_by(Grid.code).limit(MAX_PLACES))
    return [(f"a:{a.code}", f"{a.code} {a.name}") for a in areas] + [(f"g:{g.id}", f"{g.code} {g.name}") for g in grids]
