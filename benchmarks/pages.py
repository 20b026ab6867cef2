"""The twelve pages people use most, with 50 concurrent users (locust, headless): p95 < 150 ms each.

The pages and who opens them come from the benchmark city itself (``citydata.bench.pages``,
where each layer's module names its pages): sample trainees, district dispatchers,
HR, viewers and the public notice board of several districts. Each simulated user logs in as one
of those people (log-ins are not timed), then opens that person's pages in turn with a pause of
0.5-2 s, as a person would. A page no layer provides is reported as "not run". Beside the twelve,
HR's list of the district's certificates is timed (``ALSO_TIMED``).

    .venv/bin/gunicorn -w 4 --threads 4 -b 127.0.0.1:8000 wsgi:app      # on the city's database
    .venv/bin/python benchmarks/pages.py --city-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_city \\
        --base-url http://127.0.0.1:8000 --users 50 --duration 60
"""
from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from pathlib import Path

# Before the application and its database drivers: locust patches sockets for gevent on import.
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

TARGET_MS = 150
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TIMES: dict[str, list[float]] = defaultdict(list)
FAILURES: dict[str, int] = defaultdict(int)
ERRORS: dict[str, set] = defaultdict(set)  # a few kinds of failure per page, for the note
READY: list[str] = []  # users past their log-in
RECORDING = [False]  # only the timed window counts (not the log-ins, not requests cut off at the end)


def city_pages(city_url: str, samples: int) -> tuple[dict[str | None, list], str, str]:
    """{username: [pages]} from the city's database, its city code and the log-in password."""
    import os

    from academy import create_app
    from academy.config import Config
    from academy.extensions import db
    from academy.registry.models import Area
    from citydata.bench.pages import pages

    os.environ["ACADEMY_DATABASE_URL"] = city_url
    app = create_app(Config())
    with app.app_context():
        import sqlalchemy as sa

        code = db.session.scalar(sa.select(Area.code).where(Area.level == "city").order_by(Area.code).limit(1))
        found = pages(code, samples)
        db.session.rollback()
        db.engine.dispose()
    people: dict[str | None, list] = defaultdict(list)
    for page in found:
        people[page.username].append(page)
    return people, code, app.config["DEMO_PASSWORD"]


class Person(HttpUser):
    """One person at a browser: logs in once, then opens their pages in turn."""

    wait_time = between(2, 8)  # reading a page before the next click; --think changes it
    people: list = []  # [(username, [pages])], set before the run
    password = ""
    count = 0

    def on_start(self) -> None:
        self.username, self.pages = self.people[Person.count % len(self.people)]
        Person.count += 1
        self.index = 0
        if self.username:
            page = self.client.get("/login", name="log-in")
            token = CSRF.search(page.text).group(1)
            self.client.post("/login", data={"username": self.username, "password": self.password, "csrf_token": token},
                             name="log-in", allow_redirects=False)
        READY.append(self.username)

    @task
    def open_next_page(self) -> None:
        page = self.pages[self.index % len(self.pages)]
        self.index += 1
        with self.client.get(page.path, name=page.name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


def _record(request_type, name, response_time, response_length, exception, **_kwargs) -> None:
    if name == "log-in" or not RECORDING[0]:
        return
    if exception is not None:
        FAILURES[name] += 1
        if len(ERRORS[name]) < 3:
            ERRORS[name].add(str(exception)[:60])
    else:
        TIMES[name].append(response_time)


def interleaved(people: dict) -> list:
    """People ordered so that the first few users already cover every kind of page (a trainee,
    a dispatcher, HR, a viewer, the public, then the next of each)."""
    kinds: dict[str, list] = defaultdict(list)
    for username, pages in sorted(people.items(), key=lambda kv: kv[0] or ""):
        kinds[pages[0].name].append((username, pages))
    order, queues = [], list(kinds.values())
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    return order


def run_load(base_url: str, people: dict, password: str, users: int, duration: float) -> float:
    """Run the load; returns the seconds it ran for."""
    import gevent
    from locust.env import Environment

    Person.people, Person.password, Person.host = interleaved(people), password, base_url
    env = Environment(user_classes=[Person], host=base_url, events=events)
    env.events.request.add_listener(_record)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / 10, 1))
    for _n in range(600):  # log-ins first (argon2 is slow on purpose): the timed window starts after them
        if len(READY) >= users:
            break
        gevent.sleep(0.5)
    TIMES.clear()
    FAILURES.clear()
    RECORDING[0] = True
    began = time.monotonic()
    gevent.sleep(duration)
    RECORDING[0] = False
    seconds = time.monotonic() - began
    runner.quit()
    return seconds


def main() -> None:
    from citydata.bench.pages import ALSO_TIMED, MOST_USED

    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load after every user logged in")
    parser.add_argument("--samples", type=int, default=10, help="people of each kind (districts, trainees)")
    parser.add_argument("--think", default="2,8", help="seconds a person pauses between pages: low,high")
    args, _unknown = parser.parse_known_args()
    if not args.city_url or not args.base_url:
        parser.error("--city-url and --base-url are needed")
    low, high = (float(x) for x in args.think.split(","))
    Person.wait_time = between(low, high)
    people, code, password = city_pages(args.city_url, args.samples)
    say(f"city {code}: {sum(len(p) for p in people.values())} pages of {len(people)} people; "
        f"{args.users} users pausing {low:g}-{high:g} s, for {args.duration:.0f} s against {args.base_url}")
    seconds = run_load(args.base_url.rstrip("/"), people, password, args.users, args.duration)
    provided = {page.name for pages in people.values() for page in pages}
    results = []
    for name in MOST_USED + ALSO_TIMED:
        label = f"page: {name} ({args.users} users, {low:g}-{high:g} s pauses)"
        if name not in provided:
            results.append(result(label, f"p95 < {TARGET_MS} ms", "ms", [], note="not run: no layer provides this page yet"))
            continue
        if not TIMES.get(name):
            results.append(result(label, f"p95 < {TARGET_MS} ms", "ms", [], met=False,
                                  note=f"no answer within the run ({FAILURES.get(name, 0)} failed)"))
            continue
        failures = FAILURES.get(name, 0)
        line = result(label, f"p95 < {TARGET_MS} ms", "ms", TIMES[name], limit=TARGET_MS,
                      rps=len(TIMES[name]) / seconds,
                      note=f"{len(TIMES[name])} requests, {failures} failed" + (f" ({'; '.join(sorted(ERRORS[name]))})" if failures else ""))
        if failures:
            line["met"] = False
        results.append(line)
    emit(results, args.json)


if __name__ == "__main__":
    main()
