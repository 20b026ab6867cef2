"""SQL helpers of the case module.

``rare(condition)``: a condition that few rows meet, although the column's statistics say otherwise.
SQLite's ANALYZE keeps only the average number of rows per value of an index; on skewed columns
(``cases.state``: about 1% of a city's cases are open, the rest closed or visited;
``case_tasks.handler_user_id``: NULL but for self-handled tasks) that average makes the planner
scan the whole table instead of using the index. On SQLite the condition is wrapped in
``likelihood(condition, 0.001)``, which tells the planner so; other databases get the condition
unchanged (PostgreSQL keeps per-value statistics).
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class rare(FunctionElement):  # noqa: N801 (used like a SQL function)
    # No Boolean type: SQLAlchemy would then write "likelihood(...) = 1" on SQLite, which hides the hint.
    type = sa.types.NullType()
    name = "rare"
    inherit_cache = True


@compiles(rare)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(rare, "sqlite")
def _likelihood(element, compiler, **kw):
    return f"likelihood({compiler.process(element.clauses, **kw)}, 0.001)"
