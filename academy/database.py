"""Database plumbing shared by every package: UTC timestamps, SQLite tuning, write locks.

SQLite is the embedded default, so it is tuned to behave under a handful of concurrent
writers: WAL, a generous busy timeout, foreign keys on, and ``BEGIN IMMEDIATE`` for
transactions that write. A deferred transaction that reads and then writes cannot wait for the
write lock (SQLite answers "database is locked" at once), so requests that may write start
immediate transactions; pure reads (GET) stay deferred so they never queue behind writers.
A third mode, ``READ ONLY`` (background jobs' read phase), begins deferred and refuses writes on
both backends, so work that was meant only to read can never take the write lock by accident.

It also keeps the city's clock: ``city_today()`` is the calendar day in the city's zone (the
``CITY_TIMEZONE`` setting), the one "today" of due dates, expiry, renewal windows and annual hours.
"""
from __future__ import annotations

import contextlib
import contextvars
import enum
from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

_sqlite_begin = contextvars.ContextVar("sqlite_begin", default="IMMEDIATE")


def value_enum(cls: type[enum.Enum], length: int = 20) -> sa.Enum:
    """An Enum column stored as its members' values ("on_duty"), as text with a check: readable in
    the database and in exports, and portable between SQLite and PostgreSQL."""
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


def utcnow() -> datetime:
    return datetime.now(UTC)


DEFAULT_CITY_TIMEZONE = "Asia/Shanghai"


def city_zone() -> ZoneInfo:
    """The city's time zone (the ``CITY_TIMEZONE`` setting): its calendar is the one due dates,
    expiry, renewal windows, annual hours and statistics count in, whatever the server's zone."""
    return ZoneInfo(current_app.config.get("CITY_TIMEZONE", DEFAULT_CITY_TIMEZONE) if has_app_context()
                    else DEFAULT_CITY_TIMEZONE)


def city_now() -> datetime:
    """Now, on the city's clock (aware, in ``city_zone()``); follows ``utcnow`` so tests freeze one place."""
    return utcnow().astimezone(city_zone())


def city_today() -> date:
    """Today in the city: a server in UTC is a day behind Shanghai from 16:00 to midnight UTC."""
    return city_now().date()


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite keeps naive UTC text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


READ_ONLY = "READ ONLY"
BEGIN_MODES = ("DEFERRED", "IMMEDIATE", READ_ONLY)


def set_sqlite_begin_mode(mode: str) -> contextvars.Token:
    """Choose how the next transaction in this context begins: DEFERRED, IMMEDIATE (both SQLite
    only) or READ ONLY (both backends: a write in it fails instead of waiting for or taking a lock)."""
    if mode not in BEGIN_MODES:
        raise ValueError(f"unknown transaction mode {mode!r}")
    return _sqlite_begin.set(mode)


def current_begin_mode() -> str:
    """How a transaction begun now in this context would begin (measurements of write-lock holds read it)."""
    return _sqlite_begin.get()


def reset_sqlite_begin_mode(token: contextvars.Token) -> None:
    _sqlite_begin.reset(token)


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Install the SQLite pragmas and the explicit BEGIN; other backends only get READ ONLY."""
    if engine.dialect.name != "sqlite":
        @event.listens_for(engine, "begin")
        def _read_only_begin(connection):
            if _sqlite_begin.get() == READ_ONLY:  # the first statement of the transaction, as PostgreSQL wants
                connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling would hide our BEGIN and break SAVEPOINTs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = _sqlite_begin.get()
        read_only = mode == READ_ONLY
        # query_only is a flag of the connection, not of the transaction: switched only when it
        # changes, so a pooled connection never carries a job's read-only phase into a request.
        if connection.info.get("query_only", False) != read_only:
            connection.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
            connection.info["query_only"] = read_only
        connection.exec_driver_sql(f"BEGIN {'DEFERRED' if read_only else mode}")


@contextlib.contextmanager
def read_only_transaction(session):
    """Run slow reads (a password hash check, a file parse) in their own deferred transaction.

    On SQLite a request that may write begins ``IMMEDIATE`` and so holds the write lock from its
    first query; slow work done there makes every other writer wait. Inside this block the
    transaction begins deferred and ends when the block ends, so the lock is taken only by the
    short write transaction that follows. Nothing may be written inside the block.
    """
    session.commit()  # whatever came before is finished (a no-op when nothing is open)
    token = set_sqlite_begin_mode("DEFERRED")
    try:
        yield
    finally:
        session.rollback()  # ends the read; there is nothing to keep
        reset_sqlite_begin_mode(token)


def lock_for_update(query, session, **options):
    """Add FOR UPDATE where the backend has it; SQLite already holds the write lock.
    ``options`` go to ``with_for_update`` (``of=Model`` locks that table's rows only, ``read=True`` shares)."""
    if session.get_bind().dialect.name == "sqlite":
        return query
    return query.with_for_update(**options)


def ping(session) -> None:
    """One round trip to the database (the health check): raises if it cannot be reached."""
    session.execute(sa.text("SELECT 1"))


def ordered(query, orders: Mapping[str, tuple], key: str | None):
    """``query`` in the order ``key`` names (a list's sort select), or in the first of ``orders`` when
    ``key`` is none of them: the forms refuse an unknown key, and a query never sorts by what it was told."""
    columns = orders.get(key or "") or next(iter(orders.values()))
    return query.order_by(None).order_by(*columns)
