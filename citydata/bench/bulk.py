"""Bulk inserts for the benchmark city: COPY on PostgreSQL, executemany in big transactions on SQLite.

Rows are plain dicts keyed by column name; columns a row leaves out get the column's Python-side
default, exactly as an ORM insert would. Ids are handed out by the writer (``ids``) so that rows
can point at each other before they are written; after each step the PostgreSQL sequences are
moved past them, so the operations that run later (and the live site) allocate fresh ids.
"""
from __future__ import annotations

import enum
import json
from collections import defaultdict

import sqlalchemy as sa

from academy.backup import _reset_sequences
from academy.extensions import db

BATCH = 20000


def _defaults(columns: list[sa.Column]) -> tuple[dict, dict]:
    """Scalar defaults (the same for every row) and callable ones (called once per row, e.g. a token)."""
    scalars, callables = {}, {}
    for column in columns:
        default = column.default
        if default is not None and default.is_callable:
            callables[column.name] = default.arg  # SQLAlchemy wraps plain callables to take the context
        else:
            scalars[column.name] = default.arg if default is not None and default.is_scalar else None
    return scalars, callables


class BulkWriter:
    """Buffers rows per table and writes them in batches of ``batch`` rows."""

    def __init__(self, batch: int = BATCH) -> None:
        self.batch = batch
        self.buffers: dict[sa.Table, list[dict]] = defaultdict(list)
        self.next_id: dict[sa.Table, int] = {}
        self.written: dict[str, int] = defaultdict(int)
        self.postgres = db.session.get_bind().dialect.name == "postgresql"

    def ids(self, table: sa.Table, count: int) -> range:
        """``count`` fresh primary keys of ``table`` (after every id already in the database)."""
        if table not in self.next_id:
            self.next_id[table] = (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1
        start = self.next_id[table]
        self.next_id[table] = start + count
        return range(start, start + count)

    def add(self, table: sa.Table, row: dict) -> None:
        """Buffer a row (the dict may still change until it is written)."""
        self.buffers[table].append(row)

    def maybe_flush(self) -> None:
        """At a point where every buffered row is complete: write all when a buffer is full."""
        if any(len(rows) >= self.batch for rows in self.buffers.values()):
            self.flush()

    def flush(self) -> None:
        """Write every buffered row, parent tables first (foreign keys are checked at once)."""
        for current in [t for t in db.metadata.sorted_tables if t in self.buffers]:
            rows = self.buffers.pop(current, [])
            if rows:
                self._write(current, rows)
                self.written[current.name] += len(rows)

    def _write(self, table: sa.Table, rows: list[dict]) -> None:
        columns = list(table.columns)
        scalars, callables = _defaults(columns)
        full = []
        for row in rows:
            values = {name: row.get(name, default) for name, default in scalars.items()}
            for name, make in callables.items():
                values[name] = row[name] if name in row else make(None)
            full.append(values)
        # Ids not given are left to the table's sequence, as an INSERT without them would.
        columns = [c for c in columns if not (c.primary_key and all(row[c.name] is None for row in full))]
        if self.postgres:
            self._copy(table, columns, full)
        else:
            self._executemany(table, columns, full)

    def _copy(self, table: sa.Table, columns: list[sa.Column], rows: list[dict]) -> None:
        """PostgreSQL's COPY through psycopg, inside the session's transaction."""
        json_columns = {c.name for c in columns if isinstance(c.type, sa.JSON)}
        names = [c.name for c in columns]
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY {table.name} ({", ".join(names)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([_copy_value(row[name], name in json_columns) for name in names])

    def _executemany(self, table: sa.Table, columns: list[sa.Column], rows: list[dict]) -> None:
        """SQLite: one executemany on the session's connection, values bound by each column's own
        type (the same text SQLAlchemy would store), without its per-statement machinery."""
        dialect = db.session.get_bind().dialect
        processors = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in columns]
        sql = f'INSERT INTO {table.name} ({", ".join(c.name for c in columns)}) VALUES ({", ".join("?" * len(columns))})'
        data = [tuple(process(row[name]) if process else row[name] for name, process in processors) for row in rows]
        db.session.connection().connection.driver_connection.executemany(sql, data)

    def commit(self) -> None:
        """Write everything buffered, commit, and move the id sequences past the new rows."""
        self.flush()
        reset_sequences()
        db.session.commit()


def _copy_value(value, is_json: bool):
    if is_json:
        return None if value is None else json.dumps(value, ensure_ascii=False)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def reset_sequences() -> None:
    """PostgreSQL: every serial sequence after its table's highest id (rows were given explicit ids)."""
    _reset_sequences()
