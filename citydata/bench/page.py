"""What a timed page is, and the districts its examples are picked from: the piece every layer's
``pages`` uses, below ``pages.py`` which lists them all."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from academy.extensions import db
from academy.registry.models import Area, AreaLevel


@dataclass(frozen=True)
class BenchPage:
    name: str
    username: str | None  # None: a public page, no log-in
    path: str


def sample_districts(city_code: str, samples: int) -> list[str]:
    """The first ``samples`` districts of the city, in code order."""
    return list(db.session.scalars(sa.select(Area.code).where(Area.level == AreaLevel.DISTRICT,
                                                              Area.code.startswith(city_code))
                                   .order_by(Area.code).limit(samples)))
