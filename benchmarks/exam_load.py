"""Load test of exam taking: many trainees start the same exam, autosave, submit; nothing may be lost.

Superseded by ``exam_locust.py`` (the issue's locust scenario), which uses this file's setup
(``make_trainees``, ``make_exam``), its ``Trainee`` and its ``check_database``.

Threads with the standard library's HTTP client: one thread per
trainee, each with its own cookie jar, starting within ``--ramp`` seconds, saving every
``--interval`` seconds for ``--saves`` rounds (each round changes some answers), then submitting.
Afterwards the script reads the database and checks that every attempt exists, is closed, and
holds exactly the last answer each trainee sent. It reports p50/p95/p99 of autosave latency and
every error.

    # 1. a database and the data (users, workers, a course, a published exam)
    export ACADEMY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_exams
    .venv/bin/python benchmarks/exam_load.py setup --trainees 500
    # 2. the server, as in production
    .venv/bin/gunicorn -w 4 --threads 8 -b 127.0.0.1:8000 wsgi:app
    # 3. the run (reads the database named by ACADEMY_DATABASE_URL for the check)
    .venv/bin/python benchmarks/exam_load.py run --base-url http://127.0.0.1:8000 --trainees 500
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "Bench-Exam-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ITEM = re.compile(r'data-item="(\d+)" data-type="(\w+)"')


BANK = (("single", 12), ("multiple", 6), ("true_false", 10), ("fill_blank", 6), ("essay", 2))
BLUEPRINT = (("single", 8), ("multiple", 4), ("true_false", 6), ("fill_blank", 4), ("essay", 1))


def make_exam(opens_in: float = -300) -> int:
    """A fresh published exam of the benchmark course (23 questions drawn from the bank, which is
    topped up to ``BANK`` when it has fewer active questions of a type); returns its id.
    ``opens_in`` seconds from now (negative: already open)."""
    import sqlalchemy as sa

    from academy.database import utcnow
    from academy.extensions import db
    from courses.enrollment.models import Course
    from courses.exams import operations
    from courses.exams.grading import QuestionType
    from courses.exams.models import Question, QuestionStatus, ResultRelease
    from tests.fixtures.courses import create_course
    from tests.fixtures.exams import create_question

    course = db.session.scalar(sa.select(Course).where(Course.code == "BENCH-EXAMS"))
    course = course or create_course(capacity=10000, code="BENCH-EXAMS")
    for kind, count in BANK:
        have = db.session.scalar(sa.select(sa.func.count(Question.id)).where(
            Question.type == QuestionType(kind), Question.latest.is_(True), Question.status == QuestionStatus.ACTIVE))
        for _ in range(count - have):
            create_question(QuestionType(kind))
    now = utcnow()
    exam = operations.save_exam(
        None, None, course, title="Benchmark exam", is_final=True, opens_at=now + timedelta(seconds=opens_in),
        closes_at=now + timedelta(hours=6), time_limit_minutes=120, attempts_allowed=1, pass_mark=Decimal(60),
        grace_seconds=60, start_window_minutes=None, shuffle_questions=True, shuffle_options=True,
        show_score=True, show_answers=False, release=ResultRelease.MANUAL)
    for kind, count in BLUEPRINT:
        operations.add_rule(exam, None, type=QuestionType(kind), count=count, points=Decimal(2))
    operations.publish_exam(exam, None)
    db.session.commit()
    return exam.id


def make_trainees(trainees: int) -> None:
    """``benchtrainee0`` ... with worker records, enrolled in the benchmark course; made once and
    reused by later exams (hashing is slow on purpose)."""
    import sqlalchemy as sa

    from academy.accounts.models import User
    from academy.accounts.operations import create_user, grant_role
    from academy.extensions import db
    from academy.permissions import Role
    from courses.enrollment.models import Course
    from tests.fixtures.courses import create_course, enrol
    from tests.fixtures.registry import create_worker

    course = db.session.scalar(sa.select(Course).where(Course.code == "BENCH-EXAMS"))
    course = course or create_course(capacity=10000, code="BENCH-EXAMS")
    existing = set(db.session.scalars(sa.select(User.username).where(User.username.like("benchtrainee%"))))
    for n in range(trainees):
        if f"benchtrainee{n}" in existing:
            continue
        user = create_user(f"benchtrainee{n}", PASSWORD, by=None)
        grant_role(user, Role.TRAINEE, by=None)
        enrol(course, create_worker(user=user))
    db.session.commit()


def setup(trainees: int) -> None:
    """Create ``trainees`` log-ins with worker records, enrolled, and a fresh exam; prints the exam id."""
    from academy import create_app
    from academy.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
        make_trainees(trainees)
        print(make_exam())


class Trainee:
    """One person at one browser: cookie jar, CSRF token, the answers last sent."""

    def __init__(self, base: str, username: str) -> None:
        self.base, self.username = base, username
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.sent: dict[str, object] = {}
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.attempt_id: int | None = None
        self.submitted = False

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode(errors="replace")

    def form(self, path: str, fields: dict, token_from: str):
        status, _url, page = self.request(token_from)
        token = CSRF.search(page).group(1)
        body = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def answer(self, kind: str, rng: random.Random):
        if kind in ("single", "true_false"):
            return [rng.choice("AB") if kind == "single" else rng.choice("TF")]
        if kind == "multiple":
            return sorted(rng.sample("ABC", rng.randint(1, 2)))
        if kind == "fill_blank":
            return [rng.choice(["组织", "单位", "社区"])]
        return "网格员答题内容" * rng.randint(1, 20)

    def log_in(self) -> None:
        try:
            status, url, _page = self.form("/login", {"username": self.username, "password": PASSWORD}, "/login")
            if status != 200 or url.endswith("/login"):
                self.errors.append(f"log-in {status}")
        except Exception as error:  # reported, not raised: the run goes on and counts it
            self.errors.append(f"log-in {type(error).__name__}: {error}")

    def sit(self, exam_id: int, interval: float, saves: int, rng: random.Random) -> None:
        try:
            self._sit(exam_id, interval, saves, rng)
        except Exception as error:  # reported, not raised: the run goes on and counts it
            self.errors.append(f"{type(error).__name__}: {error}")

    def _sit(self, exam_id: int, interval: float, saves: int, rng: random.Random) -> None:
        status, url, page = self.form(f"/exams/{exam_id}/start", {}, f"/exams/{exam_id}")
        match = re.search(r"/attempts/(\d+)$", url)
        if status != 200 or not match:
            self.errors.append(f"start {status}")
            return
        self.attempt_id = int(match.group(1))
        token = re.search(r'data-csrf="([^"]+)"', page).group(1)
        items = ITEM.findall(page)
        for seq in range(1, saves + 1):
            time.sleep(interval * (0.5 if seq == 1 else 1) + rng.uniform(-1, 1))
            changed = {item: self.answer(kind, rng) for item, kind in rng.sample(items, max(1, len(items) // 3))}
            body = json.dumps({"seq": seq, "answers": changed}).encode()
            began = time.perf_counter()
            code, _u, text = self.request(f"/attempts/{self.attempt_id}/save", body,
                                          {"Content-Type": "application/json", "X-CSRFToken": token})
            self.latencies.append(time.perf_counter() - began)
            if code != 200 or json.loads(text).get("status") != "saved":
                self.errors.append(f"save {code} {text[:80]}")
                continue
            token = json.loads(text)["csrf_token"]
            self.sent.update(changed)
        body = urllib.parse.urlencode({"csrf_token": token}).encode()
        code, _u, _t = self.request(f"/attempts/{self.attempt_id}/submit", body,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        if code != 200:  # the redirect to the result page is followed
            self.errors.append(f"submit {code}")
        self.submitted = True


def check_database(people: list[Trainee], exam_id: int) -> list[str]:
    """Every attempt closed, every answer the last one sent."""
    import sqlalchemy as sa

    from academy import create_app
    from academy.extensions import db
    from courses.exams.models import Attempt, AttemptState

    problems = []
    app = create_app()
    with app.app_context():
        attempts = {a.id: a for a in db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam_id))}
        for person in people:
            attempt = attempts.get(person.attempt_id)
            if attempt is None:
                problems.append(f"{person.username}: no attempt")
                continue
            if attempt.state is AttemptState.IN_PROGRESS and person.submitted:
                problems.append(f"{person.username}: attempt still open")
            saved = {str(item.id): item.response for item in attempt.items}
            for item_id, value in person.sent.items():
                if saved.get(item_id) != value:
                    problems.append(f"{person.username}: item {item_id} holds {saved.get(item_id)!r}, sent {value!r}")
        if len(attempts) != len([p for p in people if p.attempt_id]):
            problems.append(f"{len(attempts)} attempts in the database for {len(people)} trainees")
    return problems


def run(base: str, exam_id: int, trainees: int, ramp: float, interval: float, saves: int) -> int:
    people = [Trainee(base, f"benchtrainee{n}") for n in range(trainees)]
    # Log-ins first, 16 at a time and untimed: argon2 is slow by design, and the scenario is the exam.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(Trainee.log_in, people))
    print(f"{trainees} trainees logged in")
    threads = []
    began = time.time()
    for n, person in enumerate(people):
        rng = random.Random(n)
        thread = threading.Thread(target=lambda p=person, r=rng: p.sit(exam_id, interval, saves, r), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(ramp / trainees)
    for thread in threads:
        thread.join()
    latencies = sorted(ms * 1000 for p in people for ms in p.latencies)
    errors = [f"{p.username}: {e}" for p in people for e in p.errors]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    print(f"trainees {trainees}, started within {ramp:.0f} s, {len(latencies)} autosaves in {time.time() - began:.0f} s")
    print(f"autosave latency ms: p50 {q[49]:.0f}  p95 {q[94]:.0f}  p99 {q[98]:.0f}  max {latencies[-1]:.0f}")
    print(f"errors: {len(errors)}")
    for line in errors[:20]:
        print("  ", line)
    problems = check_database(people, exam_id)
    print(f"database check: {'every attempt and answer accounted for' if not problems else f'{len(problems)} problems'}")
    for line in problems[:20]:
        print("  ", line)
    return 1 if errors or problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("setup")
    make.add_argument("--trainees", type=int, default=500)
    go = sub.add_parser("run")
    go.add_argument("--base-url", default="http://127.0.0.1:8000")
    go.add_argument("--exam", type=int, required=True)
    go.add_argument("--trainees", type=int, default=500)
    go.add_argument("--ramp", type=float, default=10.0, help="seconds over which everyone starts")
    go.add_argument("--interval", type=float, default=20.0, help="seconds between autosaves")
    go.add_argument("--saves", type=int, default=4, help="autosaves per trainee before submitting")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args.trainees)
        return 0
    return run(args.base_url.rstrip("/"), args.exam, args.trainees, args.ramp, args.interval, args.saves)


if __name__ == "__main__":
    raise SystemExit(main())
