"""CPU time and queries per request of taking an exam, in-process (no server, no load generator).

The exam scenario is CPU-bound on this 2-core machine, and the machine is shared, so the figure
to trust is the Python CPU time one request costs (``time.process_time``) and the number of SQL
statements it sends, not the wall latency of a loaded run. For each of ``--trainees`` trainees
(``benchtrainee<n>`` of ``exam_load.py setup``) the test client logs in (untimed), then opens the
exam page, starts, loads the attempt page, autosaves ``--saves`` times and submits; each request
(and the result page the submit leads to) is timed and its statements counted (SQLAlchemy's ``before_cursor_execute``). A fresh exam is
made for the run (``exam_load.make_exam``), so the trainees can start again.

    export ACADEMY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_examperf
    .venv/bin/python benchmarks/exam_load.py setup --trainees 500      # once
    .venv/bin/python benchmarks/exam_profile.py --trainees 100
    .venv/bin/python benchmarks/exam_profile.py --trainees 30 --profile save   # cProfile of one kind

With ``--profile``: ``PROFILE_SORT`` (pstats order, default cumulative), ``PROFILE_LINES`` (default
40) and ``PROFILE_DUMP=file`` (the raw stats, for pstats or snakeviz).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.exam_load import CSRF, ITEM, PASSWORD, Trainee, make_exam  # noqa: E402

KINDS = ("exam page", "start", "attempt page", "save", "submit", "result page")


class Meter:
    """Per kind of request: CPU ms, wall ms, statements; optionally a cProfile of one kind."""

    def __init__(self, profile: str | None) -> None:
        self.cpu, self.wall, self.queries = defaultdict(list), defaultdict(list), defaultdict(list)
        self.statements, self.sql, self.last_sql = 0, [], {}
        self.profile_kind = profile
        self.profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits

    def count(self, _conn, _cursor, statement, *_args) -> None:
        self.statements += 1
        self.sql.append(" ".join(statement.split())[:160])

    def __call__(self, kind: str, action, *args, **kwargs):
        self.statements, self.sql = 0, []
        profiling = self.profiler is not None and kind == self.profile_kind
        if profiling:
            self.profiler.enable()
        cpu, wall = time.process_time(), time.perf_counter()
        response = action(*args, **kwargs)
        self.cpu[kind].append((time.process_time() - cpu) * 1000)
        self.wall[kind].append((time.perf_counter() - wall) * 1000)
        if profiling:
            self.profiler.disable()
        self.queries[kind].append(self.statements)
        self.last_sql[kind] = self.sql
        return response


def sit(client, meter: Meter, exam_id: int, saves: int, rng: random.Random) -> None:
    page = meter("exam page", client.get, f"/exams/{exam_id}")
    assert page.status_code == 200, page.status_code
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    started = meter("start", client.post, f"/exams/{exam_id}/start", data={"csrf_token": token})
    assert started.status_code == 302, started.status_code
    location = started.headers["Location"]
    attempt_id = int(re.search(r"/attempts/(\d+)$", location).group(1))
    page = meter("attempt page", client.get, f"/attempts/{attempt_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "correct" not in html
    token = re.search(r'data-csrf="([^"]+)"', html).group(1)
    items = ITEM.findall(html)
    person = Trainee("", "")
    for seq in range(1, saves + 1):
        changed = {item: person.answer(kind, rng) for item, kind in rng.sample(items, max(1, len(items) // 3))}
        reply = meter("save", client.post, f"/attempts/{attempt_id}/save", data=json.dumps({"seq": seq, "answers": changed}),
                      content_type="application/json", headers={"X-CSRFToken": token})
        assert reply.status_code == 200 and reply.get_json()["status"] == "saved", reply.get_data(as_text=True)[:200]
        token = reply.get_json()["csrf_token"]
    done = meter("submit", client.post, f"/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert done.status_code == 302, done.status_code
    shown = meter("result page", client.get, done.headers["Location"])
    assert shown.status_code == 200, shown.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trainees", type=int, default=100)
    parser.add_argument("--saves", type=int, default=4)
    parser.add_argument("--warm-up", type=int, default=3, help="trainees run first and not counted")
    parser.add_argument("--profile", choices=KINDS, help="print a cProfile of this kind of request")
    parser.add_argument("--sql", action="store_true", help="print the statements of the last request of each kind")
    args = parser.parse_args()

    import sqlalchemy as sa

    from academy import create_app
    from academy.extensions import db

    app = create_app()
    meter = Meter(args.profile)
    with app.app_context():
        exam_id = make_exam()
        sa.event.listen(db.engine, "before_cursor_execute", meter.count)
        db.session.remove()
    print(f"exam {exam_id} on {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}", file=sys.stderr)
    total = args.warm_up + args.trainees
    for n in range(total):
        client = app.test_client()
        reply = client.get("/login")
        token = CSRF.search(reply.get_data(as_text=True)).group(1)
        reply = client.post("/login", data={"username": f"benchtrainee{n}", "password": PASSWORD, "csrf_token": token})
        assert reply.status_code == 302, f"log-in of benchtrainee{n}: {reply.status_code}"
        if n == args.warm_up:  # the first requests of a process compile templates and fill caches
            for store in (meter.cpu, meter.wall, meter.queries):
                store.clear()
        sit(client, meter, exam_id, args.saves, random.Random(n))
    print(f"{args.trainees} trainees, {args.saves} saves each (after {args.warm_up} not counted)")
    print(f"{'request':<14}{'CPU ms mean':>12}{'median':>8}{'p95':>8}{'wall ms':>9}{'queries':>9}")
    for kind in KINDS:
        cpu = meter.cpu[kind]
        p95 = statistics.quantiles(cpu, n=20)[-1] if len(cpu) > 1 else cpu[0]
        print(f"{kind:<14}{statistics.mean(cpu):>12.1f}{statistics.median(cpu):>8.1f}{p95:>8.1f}"
              f"{statistics.median(meter.wall[kind]):>9.1f}{statistics.mean(meter.queries[kind]):>9.1f}")
    for kind in KINDS if args.sql else ():
        print(f"-- {kind}", *meter.last_sql[kind], sep="\n   ")
    if meter.profiler and os.environ.get("PROFILE_DUMP"):  # for pstats / snakeviz
        meter.profiler.dump_stats(os.environ["PROFILE_DUMP"])
    if meter.profiler:
        pstats.Stats(meter.profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(int(os.environ.get("PROFILE_LINES", "40")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
