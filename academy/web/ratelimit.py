"""A small rate limiter for public pages, keyed by the client's address, shared by every worker.

Fixed windows: at most ``count`` requests per ``seconds`` from one address for one limit name.
Counters live in Redis when ``ACADEMY_REDIS_URL`` is set (``INCR`` + ``EXPIRE``), else in the
database (one row per name and address, upserted), so every gunicorn worker and host sees the same
figures. When Redis is configured but unreachable the database takes over, so a Redis outage never
opens the gate. Limits are set as ``RATELIMIT_<NAME> = "count/seconds"`` in the configuration.

Use ``@rate_limited("verify", "30/600", refused=...)`` on a view: the counter moves before the view
reads anything (on SQLite its write then takes the lock first), in a transaction of its own. Every
answer of a limited view carries ``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset``
(seconds) and ``RateLimit-Policy`` (``30;w=600``: the quota and its window, as
draft-ietf-httpapi-ratelimit-headers words them), and a refusal ``Retry-After`` too, so a client can
pace itself. ``key=`` counts by something other than the address (Open311 counts a valid API key's
requests under the key); ``tier=`` picks the limit itself per request (the certificate
verification's integrators have a quota of their own under their key).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

import sqlalchemy as sa
from flask import after_this_request, current_app, request
from sqlalchemy.orm import Mapped, mapped_column

from academy.database import UTCDateTime, utcnow
from academy.extensions import db

log = logging.getLogger(__name__)


class RateCounter(db.Model):
    """The database's counters: hits of one address for one limit in the current window."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)  # name:address
    window: Mapped[int] = mapped_column(sa.BigInteger)  # the window's index (epoch seconds // length)
    hits: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int

    @classmethod
    def configured(cls, name: str, default: str) -> Limit:
        text = str(current_app.config.get(f"RATELIMIT_{name.upper()}", default))
        count, _sep, seconds = text.partition("/")
        return cls(name, max(1, int(count)), max(1, int(seconds or 60)))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    hits: int
    retry_after: int  # seconds until the window ends
    limit: int = 0  # the count the window allows
    window: int = 0  # the window's length in seconds

    def headers(self) -> dict[str, str]:
        """The RateLimit header fields of this verdict, plus Retry-After when it refuses."""
        headers = {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(max(0, self.limit - self.hits)),
                   "RateLimit-Reset": str(self.retry_after), "RateLimit-Policy": f"{self.limit};w={self.window}"}
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


def client_address() -> str:
    """The client's address (``ACADEMY_PROXY_COUNT`` makes it the one the proxy saw)."""
    return (request.remote_addr or "unknown")[:64]


def _hits_in_redis(url: str, key: str, window: int, seconds: int) -> int | None:
    try:
        from redis import Redis  # only where Redis is configured

        connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        name = f"academy:rate:{key}:{window}"
        pipe = connection.pipeline()
        pipe.incr(name)
        pipe.expire(name, seconds + 1)
        return int(pipe.execute()[0])
    except Exception:  # noqa: BLE001 (the database keeps counting while Redis is away)
        log.warning("rate limiter: Redis unreachable, counting in the database")
        return None


def _hits_in_database(key: str, window: int, seconds: int) -> int:
    table = RateCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = sa.dialects.postgresql.insert if dialect == "postgresql" else sa.dialects.sqlite.insert
    expires = datetime.fromtimestamp((window + 1) * seconds, UTC)
    statement = insert(table).values(key=key, window=window, hits=1, expires_at=expires)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"hits": sa.case((table.c.window == window, table.c.hits + 1), else_=1), "window": window,
              "expires_at": expires},
    ).returning(table.c.hits)
    return int(db.session.execute(statement).scalar_one())


def hit(limit: Limit, address: str, now: float | None = None) -> Verdict:
    """Count one request of ``address`` against ``limit``. Commits the counter in the database case."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    key = f"{limit.name}:{address}"[:120]
    url = current_app.config.get("REDIS_URL")
    hits = _hits_in_redis(url, key, window, limit.seconds) if url else None
    if hits is None:
        db.session.commit()  # end whatever read came before: the counter's write goes first
        hits = _hits_in_database(key, window, limit.seconds)
        db.session.commit()
    retry_after = max(1, int((window + 1) * limit.seconds - now))
    return Verdict(hits <= limit.count, hits, retry_after, limit.count, limit.seconds)


def rate_limited(name: str, default: str, *, refused: Callable[[Verdict], object],
                 key: Callable[[], str] | None = None,
                 tier: Callable[[], tuple[str, str, str] | None] | None = None,
                 methods: tuple[str, ...] | None = None) -> Callable:
    """View decorator: answer ``refused(verdict)`` once the client has used up the limit.

    ``methods`` counts only those (a blank form read with GET costs nothing; sending it does).
    The client is its address, or what ``key()`` returns (called before the view). ``tier()`` may
    return ``(name, default, client)`` to count this request under another limit (None: the usual
    one). Both the view's answer and the refusal carry the verdict's headers."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if methods is not None and request.method not in methods:
                return view(*args, **kwargs)
            chosen = tier() if tier else None
            if chosen is None:
                chosen = (name, default, key() if key else client_address())
            verdict = hit(Limit.configured(chosen[0], chosen[1]), chosen[2])

            @after_this_request
            def _headers(response):
                # after_this_request: error pages the view raises (abort(404)) carry them too.
                response.headers.update(verdict.headers())
                return response

            return view(*args, **kwargs) if verdict.allowed else refused(verdict)

        wrapped.rate_limit = name  # tests find the limited views by this mark
        wrapped.rate_limit_methods = methods
        return wrapped

    return decorator


def purge_stale(now: datetime | None = None) -> int:
    """Delete the database's counters of windows that have ended (the certificates sweep calls it)."""
    limit = (now or utcnow()) - timedelta(seconds=1)
    return db.session.execute(sa.delete(RateCounter).where(RateCounter.expires_at < limit)).rowcount
