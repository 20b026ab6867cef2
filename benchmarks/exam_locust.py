"""The exam scenario of the exams issue (locust, headless): 500 trainees start the same exam within
10 s, autosave every 20 s, submit at the end. Target: autosave p95 < 300 ms, 0 errors, and every
attempt and answer accounted for in the database afterwards.

Before the timed window the script makes sure the trainees and a fresh exam are in the database
(``exam_load.make_trainees`` / ``make_exam``: ``benchtrainee<n>`` enrolled in ``BENCH-EXAMS``) and
logs every trainee in, untimed (argon2 is slow by design; people are logged in and waiting before
an exam opens). Then locust spawns ``--users`` simulated trainees at ``--spawn-rate`` per second;
each one, in its own browser session: opens the exam page, starts (the form's CSRF token), loads
the attempt page, autosaves ``--saves`` times every ``--interval`` s (± 1 s; each save changes a
third of the answers with a rising ``seq`` and the ``X-CSRFToken`` the previous save returned, as
the page's script does), submits and follows the redirect to the result page, and stops. The
database is then checked as ``exam_load.check_database`` does: every attempt there, closed, each
item holding the last answer sent. It prints p50/p95/p99 per kind of request, the autosaves' p95
per round (round 4 meets the burst of submits), every error, and the CPU seconds the server, its
PostgreSQL backends, the load generator and the rest of the machine used meanwhile (the machine is
shared); or with ``--json`` one line for ``benchmarks/run_all.py`` (``benchmarks/README.md``).
For the CPU one request costs, without a server, see ``exam_profile.py``.

    export ACADEMY_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_examperf
    .venv/bin/flask --app wsgi.py db upgrade                      # once, on an empty database
    .venv/bin/gunicorn -b 127.0.0.1:8000 wsgi:app                 # reads ./gunicorn.conf.py
    .venv/bin/python benchmarks/exam_locust.py --base-url http://127.0.0.1:8000 --users 500 --spawn-rate 50
"""
from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# Before the application and its database drivers: locust patches sockets for gevent on import.
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, quantile, result, runner_arguments, say  # noqa: E402
from benchmarks.exam_load import CSRF, ITEM, Trainee, check_database, make_exam, make_trainees  # noqa: E402

TARGET_MS = 300
KINDS = ("exam page", "start", "attempt page", "save", "submit", "result page")
TIMES: dict[str, list[float]] = defaultdict(list)
ERRORS: list[str] = []
ROUNDS: dict[int, list[float]] = defaultdict(list)  # autosave ms by its round (seq)
TOKEN = re.compile(r'data-csrf="([^"]+)"')


class Failed(Exception):
    """A request that locust has already counted as failed: the trainee stops there."""


class ExamTrainee(FastHttpUser):
    """One trainee at one phone, already logged in: sits the exam once, then stops."""

    wait_time = constant(0)
    waiting: list[Trainee] = []  # logged in before the run; each user takes one
    finished: list[Trainee] = []
    exam_id = 0
    saves, interval = 4, 20.0

    def on_start(self) -> None:
        self.person = ExamTrainee.waiting.pop()
        for cookie in self.person.jar:  # the session the log-in made
            self.client.cookiejar.set_cookie(cookie)
        self.rng = random.Random(self.person.username)

    @task
    def sit(self) -> None:
        try:
            self._sit()
        except Failed:
            pass
        except Exception as error:  # counted, never raised: the run goes on
            self.person.errors.append(f"{type(error).__name__}: {error}")
        ExamTrainee.finished.append(self.person)
        raise StopUser()

    def _get(self, path: str, name: str, expect: int = 200):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code}")
                raise Failed(name)
            return response

    def _post(self, path: str, name: str, expect: int, **kwargs):
        with self.client.post(path, name=name, catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code}: {(response.text or '')[:80]}")
                raise Failed(name)
            return response

    def _sit(self) -> None:
        person, exam = self.person, ExamTrainee.exam_id
        page = self._get(f"/exams/{exam}", "exam page")
        form = {"csrf_token": CSRF.search(page.text).group(1)}
        started = self._post(f"/exams/{exam}/start", "start", 302, data=form)
        location = started.headers["Location"]
        person.attempt_id = int(re.search(r"/attempts/(\d+)$", location).group(1))
        page = self._get(f"/attempts/{person.attempt_id}", "attempt page")
        token, items = TOKEN.search(page.text).group(1), ITEM.findall(page.text)
        for seq in range(1, ExamTrainee.saves + 1):
            time.sleep(ExamTrainee.interval + self.rng.uniform(-1, 1))  # gevent's sleep: locust patched time
            changed = {item: person.answer(kind, self.rng) for item, kind in self.rng.sample(items, max(1, len(items) // 3))}
            began = time.perf_counter()
            reply = self._post(f"/attempts/{person.attempt_id}/save", "save", 200,
                               data=json.dumps({"seq": seq, "answers": changed}),
                               headers={"Content-Type": "application/json", "X-CSRFToken": token})
            ROUNDS[seq].append((time.perf_counter() - began) * 1000)
            body = json.loads(reply.text)
            if body.get("status") != "saved":
                raise RuntimeError(f"save {seq}: {reply.text[:80]}")
            person.sent.update(changed)
            token = body["csrf_token"]  # as the page's script does: the next request carries the fresh token
        done = self._post(f"/attempts/{person.attempt_id}/submit", "submit", 302, data={"csrf_token": token})
        person.submitted = True
        self._get(done.headers["Location"].removeprefix(self.host), "result page")


def _record(request_type, name, response_time, response_length, exception, **_kwargs) -> None:
    if exception is not None:
        ERRORS.append(f"{name}: {str(exception)[:100]}")
    else:
        TIMES[name].append(response_time)


def log_in_everyone(base_url: str, users: int) -> list[Trainee]:
    """Every trainee logged in, 8 at a time and untimed; their cookie jars go to the locust users."""
    people = [Trainee(base_url, f"benchtrainee{n}") for n in range(users)]
    for person in people:
        person.jar = next(h.cookiejar for h in person.opener.handlers if hasattr(h, "cookiejar"))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(Trainee.log_in, people))
    failed = [p for p in people if p.errors]
    if failed:
        raise SystemExit(f"{len(failed)} log-ins failed, e.g. {failed[0].username}: {failed[0].errors[0]}")
    return people


def run_load(base_url: str, people: list[Trainee], exam_id: int, spawn_rate: float) -> float:
    """Spawn one locust user per trainee and wait until every one has submitted (or failed)."""
    import gevent
    from locust.env import Environment

    ExamTrainee.waiting, ExamTrainee.finished, ExamTrainee.exam_id = list(reversed(people)), [], exam_id
    ExamTrainee.host = base_url
    env = Environment(user_classes=[ExamTrainee], host=base_url, events=events)
    env.events.request.add_listener(_record)
    runner = env.create_local_runner()
    began = time.monotonic()
    runner.start(len(people), spawn_rate=spawn_rate)
    limit = began + len(people) / spawn_rate + (ExamTrainee.saves + 2) * (ExamTrainee.interval + 1) + 300
    while len(ExamTrainee.finished) < len(people) and time.monotonic() < limit:
        gevent.sleep(1)
    seconds = time.monotonic() - began
    runner.quit()
    return seconds


class CpuShare:
    """CPU seconds spent during the run by the server (gunicorn's master and workers, found by the
    port it listens on), by the PostgreSQL backends of the database under test, by this load
    generator, and by everything else on the machine (other people's work on a shared machine)."""

    def __init__(self, base_url: str, database: str) -> None:
        import psutil

        self.psutil, self.database = psutil, database
        port = int(base_url.rsplit(":", 1)[-1].split("/")[0]) if base_url.count(":") > 1 else 80
        listening = {c.pid for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port
                     and c.status == psutil.CONN_LISTEN and c.pid}
        self.server = psutil.Process(min(listening)) if listening else None
        # The socket may be reported as a worker's: gunicorn's master is the parent running the same command.
        while self.server is not None and self.server.parent() and self.server.parent().cmdline() == self.server.cmdline():
            self.server = self.server.parent()

    def _sample(self) -> dict[str, float]:
        ps = self.psutil

        def seconds(process) -> float:
            try:
                times = process.cpu_times()
                return times.user + times.system
            except (ps.NoSuchProcess, ps.AccessDenied):
                return 0.0

        server = 0.0
        if self.server is not None:
            server = seconds(self.server) + sum(seconds(child) for child in self.server.children(recursive=True))
        backends = 0.0
        for process in ps.process_iter(["name", "cmdline"]):
            if process.info["name"] == "postgres" and f" {self.database} " in " ".join(process.info["cmdline"] or []) + " ":
                backends += seconds(process)
        machine = ps.cpu_times()
        return {"server": server, "postgres": backends, "locust": seconds(ps.Process()),
                "busy": machine.user + machine.system + machine.nice + getattr(machine, "softirq", 0) + getattr(machine, "irq", 0)}

    def __enter__(self) -> CpuShare:
        self.began, self.start = time.monotonic(), self._sample()
        return self

    def __exit__(self, *_exc) -> None:
        end = self._sample()
        self.used = {key: end[key] - self.start[key] for key in end}
        self.used["others"] = self.used["busy"] - self.used["server"] - self.used["postgres"] - self.used["locust"]
        self.seconds = time.monotonic() - self.began

    def __str__(self) -> str:
        used = self.used
        return (f"CPU-s over {self.seconds:.0f} s on {self.psutil.cpu_count()} cores: server {used['server']:.0f}, "
                f"its PostgreSQL backends {used['postgres']:.0f}, load generator {used['locust']:.0f}, "
                f"everything else {max(used['others'], 0):.0f}")


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=500, help="trainees")
    parser.add_argument("--spawn-rate", type=float, default=50.0, help="trainees starting per second")
    parser.add_argument("--saves", type=int, default=4, help="autosaves per trainee before submitting")
    parser.add_argument("--interval", type=float, default=20.0, help="seconds between autosaves")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds between the last log-in and the exam's start (people wait for it to open)")
    args, _unknown = parser.parse_known_args()  # run_all.py passes options meant for other scripts too
    if args.city_url:
        os.environ["ACADEMY_DATABASE_URL"] = args.city_url
    base_url = (args.base_url or "http://127.0.0.1:8000").rstrip("/")
    ExamTrainee.saves, ExamTrainee.interval = args.saves, args.interval

    from academy import create_app
    from academy.extensions import db

    app = create_app()
    with app.app_context():
        say(f"making sure {args.users} trainees exist (the first time hashes their passwords: minutes)")
        make_trainees(args.users)
        exam_id = make_exam()
        db.engine.dispose()
    people = log_in_everyone(base_url, args.users)
    time.sleep(args.settle)  # the log-ins' hashing is over before the exam starts
    before = load_average()
    say(f"{args.users} trainees logged in; exam {exam_id}; load average {before}; "
        f"spawning {args.spawn_rate:g}/s against {base_url}")
    database = app.config["SQLALCHEMY_DATABASE_URI"].rsplit("/", 1)[-1].split("?")[0]
    with CpuShare(base_url, database) as cpu:
        seconds = run_load(base_url, people, exam_id, args.spawn_rate)
    say(str(cpu))
    after = load_average()
    problems = check_database(people, exam_id)
    errors = ERRORS + [f"{p.username}: {e}" for p in people for e in p.errors]
    not_done = [p.username for p in people if not p.submitted]
    saves = TIMES["save"]
    summary = (f"{args.users} trainees at {args.spawn_rate:g}/s, {len(saves)} autosaves in {seconds:.0f} s; "
               f"{len(errors)} errors; {len(not_done)} did not submit; database check: "
               + ("every attempt and answer accounted for" if not problems else f"{len(problems)} problems"))
    rounds = ", ".join(f"{quantile(ROUNDS[seq], 0.95):.0f}" for seq in sorted(ROUNDS))
    others = f"autosave p95 by round {rounds} ms; " + "; ".join(f"{kind} p95 {quantile(TIMES[kind], 0.95):.0f} ms" for kind in KINDS
                       if kind != "save" and TIMES[kind])
    line = result(f"exam: autosave ({args.users} trainees)", f"p95 < {TARGET_MS} ms, 0 errors, all answers kept", "ms",
                  saves, limit=TARGET_MS, rps=len(saves) / seconds if seconds else None,
                  note=f"{summary}; {others}; load average {before} before, {after} after; {cpu}")
    if errors or problems or not_done or not saves:
        line["met"] = False
    if not args.json:
        print(f"{'request':<14}{'n':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  ms")
        for kind in KINDS:
            values = TIMES[kind]
            if values:
                print(f"{kind:<14}{len(values):>6}{quantile(values, 0.5):>8.0f}{quantile(values, 0.95):>8.0f}"
                      f"{quantile(values, 0.99):>8.0f}{max(values):>8.0f}")
        print("autosave by round: " + "; ".join(
            f"{seq}: p50 {quantile(ROUNDS[seq], 0.5):.0f}, p95 {quantile(ROUNDS[seq], 0.95):.0f} ms"
            for seq in sorted(ROUNDS)))
        for message in (errors + problems)[:20]:
            print("  ", message)
    emit([line], args.json)
    return 0 if line["met"] or args.json else 1  # with --json the runner reads the line, missed or met


if __name__ == "__main__":
    raise SystemExit(main())
