"""Numbers handed to people (worker, case, certificate numbers), allocated without collisions.

One counter row per series; ``UPDATE ... RETURNING`` takes the row lock on PostgreSQL and the
write lock on SQLite, so concurrent requests queue for the next value instead of colliding.
The counter moves inside the caller's transaction: a rolled-back request gives its number back.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.extensions import db


class Counter(db.Model):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def next_value(series: str) -> int:
    """Return the next value of ``series`` (1, 2, 3 ...), creating the series on first use."""
    return reserve(series, 1).start


def reserve(series: str, count: int) -> range:
    """Take ``count`` consecutive values of ``series`` at once (for batch imports); one round trip."""
    bump = (
        sa.update(Counter)
        .where(Counter.name == series)
        .values(value=Counter.value + count)
        .returning(Counter.value)
        # The counter row is never an object in the session: skip scanning the identity map for
        # it, which made batch imports (thousands of numbers, thousands of objects) quadratic.
        .execution_options(synchronize_session=False)
    )
    value = db.session.execute(bump).scalar()
    if value is None:
        dialect = db.session.get_bind().dialect.name
        insert = (
            sa.dialects.postgresql.insert(Counter)
            if dialect == "postgresql"
            else sa.dialects.sqlite.insert(Counter)
        )
        db.session.execute(
            insert.values(name=series, value=0).on_conflict_do_nothing(index_elements=["name"])
        )
        value = db.session.execute(bump).scalar_one()
    return range(value - count + 1, value + 1)
