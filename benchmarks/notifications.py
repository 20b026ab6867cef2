"""Notifications (issue 21): the renewal-window reminder for 3,500 workers by SMS and e-mail to
local peers (an aiosmtpd SMTP server and an HTTP server playing Alibaba Cloud's SendSms), end to
end (messages made, jobs run, every delivery sent), with peak memory; and the inbox page of a person
with 10,000 messages (test client, in-process), p95.

Works in ``--scratch-url`` (default: a SQLite file under a temporary folder), which it empties.

    .venv/bin/python benchmarks/notifications.py
    .venv/bin/python benchmarks/notifications.py --json --scratch-url postgresql+psycopg://postgres@127.0.0.1:5432/notify_bench
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from academy import create_app  # noqa: E402
from academy.accounts.models import User  # noqa: E402
from academy.config import TestConfig  # noqa: E402
from academy.database import utcnow  # noqa: E402
from academy.extensions import db  # noqa: E402
from academy.jobs import run_pending_jobs  # noqa: E402
from academy.notifications.models import Delivery, DeliveryStatus, InboxMessage, Preference, Urgency  # noqa: E402
from academy.notifications.operations import notify  # noqa: E402
from academy.permissions import Role  # noqa: E402
from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402
from tests.academy.notifications.peers import http_peer, peer_settings, smtp_server  # noqa: E402
from tests.fixtures.registry import create_worker  # noqa: E402
from tests.support import PASSWORD, ensure_postgres_database, log_in  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(app, workers: int) -> list[int]:
    """``workers`` trainees with a log-in, a worker record (phone) and an e-mail address."""
    from academy.accounts.operations import create_user, grant_role

    with app.app_context():
        db.drop_all()
        db.create_all()
        ids = []
        for n in range(workers):
            user = create_user(f"t{n:05d}", PASSWORD, by=None)
            grant_role(user, Role.TRAINEE, by=None)
            create_worker("320102", user=user)
            db.session.add(Preference(user_id=user.id, email=f"t{n:05d}@example.org", channels={}))
            ids.append(user.id)
            if n % 500 == 499:
                db.session.commit()
                say(f"  {n + 1} workers")
        db.session.commit()
        return ids


def renewal_reminder(app, user_ids: list[int], mailbox, peer) -> dict:
    """The reminder to every worker, then the delivery jobs until every delivery has ended."""
    start, before = time.perf_counter(), rss_mb()
    with app.app_context(), app.test_request_context():
        for first in range(0, len(user_ids), 500):
            users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids[first:first + 500]))).all()
            for user in users:
                notify("certificate.renewal_window", [user], {"number": f"SG-{user.id:06d}", "until": "2026-12-31"},
                       key=f"bench.window:{user.id}", link="/certificates/mine")
            db.session.commit()
            db.session.expunge_all()
        made = time.perf_counter() - start
        jobs = run_pending_jobs(app)
        counts = dict(db.session.execute(sa.select(Delivery.status, sa.func.count()).group_by(Delivery.status)).all())
    elapsed = time.perf_counter() - start
    sent = counts.get(DeliveryStatus.SENT, 0)
    expected = len(user_ids) * 3  # inbox, SMS, e-mail
    note = (f"{len(user_ids)} workers, {jobs} jobs, {sent}/{expected} deliveries sent "
            f"({len(mailbox.messages)} e-mails, {sum(1 for n, _ in peer.received if n == 'sms')} SMS at the peers); "
            f"messages made in {made:.1f} s; peak RSS {before:.0f} -> {rss_mb():.0f} MB")
    say(note)
    return result(f"notifications: renewal reminder ({len(user_ids)} workers, SMS + e-mail)", "< 60 s, all sent", "s",
                  [elapsed], met=elapsed < 60 and sent == expected, peak_rss_mb=rss_mb(), note=note)


def inbox_page(app, messages: int, requests: int) -> dict:
    """One person with ``messages`` messages opens his inbox ``requests`` times."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).order_by(User.id).limit(1))
        now = utcnow()
        rows = [{"user_id": user.id, "kind": "certificate.renewal_window", "urgency": Urgency.NORMAL,
                 "event_key": f"bench.inbox:{n}", "title": f"您的证书 SG-{n:06d} 已进入复审期",
                 "body": "请在 2026-12-31 前复审换证。", "link": "/certificates/mine", "created_at": now,
                 "read_at": None if n % 3 else now} for n in range(messages)]
        for first in range(0, len(rows), 5000):
            db.session.execute(sa.insert(InboxMessage), rows[first:first + 5000])
        db.session.commit()
        username = user.username
    client = app.test_client()
    log_in(client, username)
    times = []
    for n in range(requests):
        path = "/inbox" if n % 2 else "/inbox?show=unread"
        start = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return result(f"notifications: inbox page ({messages} messages)", "p95 < 100 ms", "ms", times, limit=100,
                  note=f"{requests} requests, all and unread alternately, in-process")


def main() -> None:
    parser = runner_arguments(__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None, help="workers to remind (3,500 x scale)")
    parser.add_argument("--messages", type=int, default=10000)
    args, _unknown = parser.parse_known_args()
    workers = args.workers or round(3500 * args.scale)
    folder = Path(tempfile.mkdtemp(prefix="notify-bench-"))
    url = args.scratch_url or f"sqlite:///{folder / 'bench.db'}"
    if url.startswith("postgresql"):
        ensure_postgres_database(url)
    controller, mailbox = smtp_server()
    server = http_peer()
    from tests.academy.notifications.peers import Peer

    app = create_app(TestConfig(url, folder, JOB_RUNNER="manual", **peer_settings(controller.port, server.server_port)))
    say(f"building {workers} workers in {url}")
    user_ids = build(app, workers)
    results = [renewal_reminder(app, user_ids, mailbox, Peer), inbox_page(app, args.messages, 200)]
    server.shutdown()
    controller.stop()
    emit(results, args.json)


if __name__ == "__main__":
    main()
