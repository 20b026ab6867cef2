"""Benchmark of the indicators at city scale (not a test: run it by hand and record the figures).

    .venv/bin/python benchmarks/indicators_refresh.py --cases 100000            # SQLite in a temp dir
    .venv/bin/python benchmarks/indicators_refresh.py --cases 100000 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_indicators
    .venv/bin/python benchmarks/indicators_refresh.py --scale 1.0               # the issue's full city

It builds a city through bulk inserts that keep the case module's rules (milestones in order,
states matching them, closed_on_time = closed by the deadline, unique case numbers, department
tasks for whistled cases, verifications and return visits for closed cases, two patrols a working
day for most workers, household visits), then times: refreshing one month's snapshots for the
whole city, a district's dashboard for that month, and a worker's page.
Full scale (``--scale 1``) is 3,000 grids, 3,500 workers, 1,000,000 cases and 3,000,000 patrol and
visit logs; ``--cases`` overrides the number of cases. The database is emptied first.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from academy import create_app  # noqa: E402
from academy.config import TestConfig  # noqa: E402
from academy.extensions import db  # noqa: E402

BATCH = 20000
CATEGORY_TREE = [("DISPUTE", "Dispute", False, 5), ("HAZARD", "Safety hazard", True, 3), ("OPINION", "Public opinion", True, 5),
                 ("SERVICE", "Public service", True, 3), ("CITY", "City management", False, 4)]


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(table.insert(), rows[start:start + BATCH])


def build_areas(grids_wanted: int) -> tuple[list[str], list[int], list[str]]:
    """City 3201 -> districts -> 10 streets -> 5 communities -> 5 grids each, until enough grids."""
    from academy.registry.models import Area, Grid

    per_district = 250
    districts = max(1, -(-grids_wanted // per_district))
    area_rows, ids, next_id = [], {}, 1

    def add(code, level, parent):
        nonlocal next_id
        ids[code] = next_id
        area_rows.append({"id": next_id, "code": code, "name": f"{level} {code}", "level": level, "parent_id": ids.get(parent)})
        next_id += 1

    add("3201", "city", None)
    grid_rows, district_codes = [], []
    for d in range(districts):
        district = f"32{d + 1:04d}"
        district_codes.append(district)
        add(district, "district", "3201")
        for s in range(10):
            street = f"{district}{s + 1:03d}"
            add(street, "street", district)
            for c in range(5):
                community = f"{street}{c + 1:03d}"
                add(community, "community", street)
                for g in range(5):
                    if len(grid_rows) < grids_wanted:
                        grid_rows.append({"id": len(grid_rows) + 1, "code": f"{community}{g + 1:03d}", "name": f"Grid {g + 1}",
                                          "kind": "comprehensive", "community_id": ids[community], "households": 300,
                                          "residents": 900, "valid_from": date(2024, 1, 1)})
    _insert(Area.__table__, area_rows)
    _insert(Grid.__table__, grid_rows)
    return [row["code"] for row in grid_rows], [row["id"] for row in grid_rows], district_codes


def build_workers(count: int, grid_ids: list[int], grid_codes: list[str]) -> list[tuple[int, int, str]]:
    """Workers employed in their grid's district, each holding one grid (some grids two workers)."""
    from academy.registry.models import Area, Assignment, Worker

    area_ids = {code: aid for aid, code in db.session.execute(sa.select(Area.id, Area.code))}
    rows, assignments, placed = [], [], []
    for n in range(count):
        g = n % len(grid_ids)
        district = grid_codes[g][:6]
        rows.append({"id": n + 1, "number": f"B{n + 1:08d}", "name": f"Worker {n + 1}", "gender": "female" if n % 2 else "male",
                     "birth_date": date(1990, 1, 1), "id_number_encrypted": "bench", "id_number_hash": f"bench{n:059d}",
                     "id_number_masked": "320102********0000", "phone": "", "education": "bachelor",
                     "political_status": "masses", "employment": "full_time", "status": "on_duty",
                     "area_id": area_ids[district], "hired_on": date(2024, 3, 1), "exit_reason": "", "created_at": datetime.now(UTC)})
        assignments.append({"worker_id": n + 1, "grid_id": grid_ids[g], "role": "full_time", "starts_on": date(2024, 3, 1),
                            "end_reason": ""})
        placed.append((n + 1, grid_ids[g], grid_codes[g]))
    _insert(Worker.__table__, rows)
    _insert(Assignment.__table__, assignments)
    return placed


def build_categories() -> list[tuple[int, bool, int]]:
    from academy.cases.models import Category

    rows, out = [], []
    for n, (code, name, self_ok, limit) in enumerate(CATEGORY_TREE, start=1):
        rows.append({"id": n, "code": code, "name": name, "parent_id": None, "allow_self_handling": self_ok, "time_limit": limit,
                     "clock": "natural_hours", "default_level": "community", "accept_criteria": "", "close_criteria": "",
                     "active": True})
        out.append((n, self_ok, limit))
    for n, (code, name, self_ok, limit) in enumerate(CATEGORY_TREE, start=len(CATEGORY_TREE) + 1):
        rows.append({"id": n, "code": f"{code}-1", "name": f"{name} (sub)", "parent_id": n - len(CATEGORY_TREE),
                     "allow_self_handling": self_ok, "time_limit": limit, "clock": "natural_hours",
                     "default_level": "community", "accept_criteria": "", "close_criteria": "", "active": True})
        out.append((n, self_ok, limit))
    _insert(Category.__table__, rows)
    return out


class _CaseWriter:
    """Case rows for one batch, with their tasks, verifications and return visits."""

    def __init__(self, rng, placed, categories, start, end, dept_ids) -> None:
        self.rng, self.placed, self.categories, self.start, self.end = rng, placed, categories, start, end
        self.span, self.dept_ids = int((end - start).total_seconds()), dept_ids
        self.cases, self.tasks, self.checks, self.visits = [], [], [], []

    def reported(self, case_id: int) -> tuple[dict, int | None, int, int, bool]:
        rng = self.rng
        worker_id, grid_id, grid_code = rng.choice(self.placed)
        hotline = rng.random() < 0.2
        cat_id, self_ok, limit = rng.choice(self.categories)
        reported = self.start + timedelta(seconds=rng.randrange(self.span))
        row = {"id": case_id, "number": f"{grid_code[:6]}{reported:%Y%m%d}{case_id:08d}", "title": "Bench case",
               "description": "", "category_id": cat_id, "channel": "hotline" if hotline else "worker",
               "grid_id": None if hotline and rng.random() < 0.5 else grid_id,
               "area_code": grid_code if not hotline or rng.random() < 0.5 else grid_code[:12],
               "reporter_worker_id": None if hotline else worker_id, "created_at": reported, "reported_at": reported,
               "location": "", "resident_name": "", "resident_phone": "", "resident_email": "", "supervision_note": "",
               "rework_count": 0, "reopen_count": 0, "return_count": 0, "report_count": 1, "extended": False,
               "level": None, "state": "reported", "accepted_at": None, "due_at": None, "closed_at": None,
               "closed_on_time": None, "voided_at": None, "satisfaction": None, "visited_at": None, "handled_at": None}
        self.cases.append(row)
        return row, None if hotline else worker_id, limit, case_id, self_ok

    def write(self, case_id: int) -> None:
        """One case through its life: accepted, then voided, self-closed, or handled and maybe closed."""
        rng = self.rng
        row, worker_id, limit, case_id, self_ok = self.reported(case_id)
        age = (self.end - row["reported_at"]).total_seconds()
        if age < 6 * 3600 and rng.random() < 0.5:
            return  # not accepted yet
        accepted = row["reported_at"] + timedelta(seconds=rng.randrange(4 * 3600))
        row.update(accepted_at=accepted, due_at=accepted + timedelta(days=limit), state="handling", level="community")
        if rng.random() < 0.03:
            row.update(state="voided", voided_at=accepted + timedelta(hours=2), level=None)
        elif self_ok and rng.random() < 0.3:
            closed = accepted + timedelta(hours=1)
            row.update(level="self", state="closed", handled_at=closed, closed_at=closed, closed_on_time=True)
        else:
            self.handled(row, worker_id, age)

    def handled(self, row: dict, worker_id: int | None, age: float) -> None:
        rng, accepted = self.rng, row["accepted_at"]
        row["level"] = rng.choice(("community", "street", "department"))
        if rng.random() < 0.05:
            row.update(due_at=row["due_at"] + timedelta(days=2), extended=True)
        closed = accepted + (row["due_at"] - accepted) * rng.uniform(0.2, 1.4)
        if closed < self.end and (age > 30 * 86400 or rng.random() < 0.6):
            self.closed(row, worker_id, closed)
        if row["level"] == "department":
            handled = row["closed_at"] - timedelta(hours=1) if row["closed_at"] else None
            self.tasks.append({"case_id": row["id"], "level": "department", "department_id": rng.choice(self.dept_ids),
                               "area_code": "", "state": "handled" if handled else "handling", "instruction": "",
                               "dispatched_at": accepted + timedelta(hours=1), "due_at": row["due_at"],
                               "handled_at": handled, "on_time": (handled <= row["due_at"]) if handled else None,
                               "result": "", "return_reason": "", "rework_count": 0})

    def closed(self, row: dict, worker_id: int | None, closed: datetime) -> None:
        rng = self.rng
        row.update(closed_at=closed, closed_on_time=closed <= row["due_at"], state="closed",
                   handled_at=closed - timedelta(hours=1), rework_count=int(rng.random() < 0.04),
                   reopen_count=int(rng.random() < 0.02))
        if worker_id and rng.random() < 0.9:
            self.checks.append({"case_id": row["id"], "worker_id": worker_id, "at": closed, "due_at": closed,
                                "on_time": rng.random() < 0.9, "passed": True, "reason": ""})
        if rng.random() < 0.6 and closed + timedelta(days=1) < self.end:
            rating = rng.choices(("satisfied", "basically_satisfied", "dissatisfied"), (80, 15, 5))[0]
            self.visits.append({"case_id": row["id"], "at": closed + timedelta(days=1), "satisfaction": rating,
                                "comment": "", "reopened": False})
            row.update(state="visited", satisfaction=rating, visited_at=closed + timedelta(days=1))


def build_cases(rng, total, placed, categories, start, end, dept_ids) -> None:
    from academy.cases.models import Case, CaseTask, ReturnVisit, Verification

    for first in range(1, total + 1, BATCH):
        writer = _CaseWriter(rng, placed, categories, start, end, dept_ids)
        for case_id in range(first, min(first + BATCH, total + 1)):
            writer.write(case_id)
        _insert(Case.__table__, writer.cases)
        _insert(CaseTask.__table__, writer.tasks)
        _insert(Verification.__table__, writer.checks)
        _insert(ReturnVisit.__table__, writer.visits)
        db.session.commit()


def build_fieldwork(rng, placed, start, end, logs_wanted: int) -> int:
    """Patrols (two on most working days) and visits, until about ``logs_wanted`` rows."""
    from academy.cases.models import Patrol, Visit

    days = [start.date() + timedelta(days=n) for n in range((end - start).days)]
    working = [d for d in days if d.weekday() < 5]
    per_worker_day = logs_wanted / max(len(placed) * len(working), 1)
    patrols_each = min(2, max(1, round(per_worker_day * 0.6)))
    written, patrols, visits = 0, [], []
    for worker_id, grid_id, _code in placed:
        for day in working:
            morning = datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
            for n in range(patrols_each if rng.random() < 0.85 else 1):
                begin = morning + timedelta(hours=5 * n, minutes=rng.randrange(60))
                minutes = rng.randrange(60, 120)
                patrols.append({"worker_id": worker_id, "grid_id": grid_id, "started_at": begin,
                                "ended_at": begin + timedelta(minutes=minutes), "minutes": minutes, "note": ""})
            for _n in range(rng.choice((0, 1, 1, 2, 2, 3)) if per_worker_day > 2.5 else rng.choice((0, 1, 1, 2))):
                visits.append({"worker_id": worker_id, "grid_id": grid_id, "household": "Building 1",
                               "visited_at": morning + timedelta(hours=3), "purpose": "routine", "notes": ""})
        if len(patrols) + len(visits) > BATCH:
            _insert(Patrol.__table__, patrols)
            _insert(Visit.__table__, visits)
            written += len(patrols) + len(visits)
            patrols, visits = [], []
    _insert(Patrol.__table__, patrols)
    _insert(Visit.__table__, visits)
    db.session.commit()
    return written + len(patrols) + len(visits)


def build_departments(district_codes) -> list[int]:
    from academy.registry.models import Area, Department

    area_ids = {code: aid for aid, code in db.session.execute(sa.select(Area.id, Area.code))}
    rows = [{"id": n + 1, "code": f"D{n + 1:04d}", "name": f"Department {n + 1}", "area_id": area_ids[district_codes[n % len(district_codes)]],
             "active": True} for n in range(max(10, len(district_codes) * 5))]
    _insert(Department.__table__, rows)
    return [row["id"] for row in rows]


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median and best of ``repeat`` runs, in milliseconds (one warm-up run first)."""
    fn()
    runs = []
    for _n in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs), min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="share of the full city (3,000 grids, 3,500 workers)")
    parser.add_argument("--cases", type=int, help="number of cases (default: 1,000,000 x scale)")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trend-months", type=int, default=11, help="earlier months refreshed for the 12-month trend")
    args = parser.parse_args()
    grids, workers = max(25, int(3000 * args.scale)), max(25, int(3500 * args.scale))
    total_cases, logs = args.cases or int(1_000_000 * args.scale), int(3_000_000 * args.scale)
    folder = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    if url.startswith("postgresql"):
        from tests.support import ensure_postgres_database

        ensure_postgres_database(url)
    app = create_app(TestConfig(url, folder))
    with app.app_context():
        run(app, args.seed, grids, workers, total_cases, logs, args.trend_months)


def run(app, seed: int, grids: int, workers: int, total_cases: int, logs: int, trend_months: int = 11) -> None:
    from academy.accounts.operations import create_user, grant_role
    from academy.indicators.operations import ensure_scheme, refresh_period
    from academy.indicators.periods import month
    from academy.permissions import Role
    from tests.support import PASSWORD, log_in

    db.drop_all()
    db.create_all()
    rng = random.Random(seed)
    end = datetime(2026, 11, 1, tzinfo=UTC) - timedelta(hours=8)  # local midnight of 1 November
    start = end - timedelta(days=365)
    began = time.perf_counter()
    grid_codes, grid_ids, district_codes = build_areas(grids)
    placed = build_workers(workers, grid_ids, grid_codes)
    categories = build_categories()
    dept_ids = build_departments(district_codes)
    db.session.commit()
    build_cases(rng, total_cases, placed, categories, start, end, dept_ids)
    written = build_fieldwork(rng, placed, start, end, logs)
    print(f"database {db.engine.url.render_as_string(hide_password=True)}")
    print(f"generated {len(grid_codes)} grids, {len(placed)} workers, {total_cases} cases, {written} patrol and visit logs "
          f"in {time.perf_counter() - began:.1f} s")
    ensure_scheme()
    db.session.commit()
    target = month(date(2026, 10, 1))
    as_of = end + timedelta(days=10)
    began = time.perf_counter()
    refresh_period(target, as_of=as_of)
    db.session.commit()
    print(f"refresh of {target.key} for the whole city: {time.perf_counter() - began:.2f} s")
    began = time.perf_counter()
    current = target
    for _n in range(trend_months):  # the rest of the 12-month trend
        current = month(current.first - timedelta(days=1))
        refresh_period(current, as_of=as_of)
        db.session.commit()
    print(f"refresh of the {trend_months} months before: {time.perf_counter() - began:.1f} s")
    admin = create_user("bench-admin", PASSWORD, by=None)
    grant_role(admin, Role.ADMIN, by=None)
    db.session.commit()
    client = app.test_client()
    log_in(client, "bench-admin")
    district, worker_id = district_codes[0], placed[0][0]

    def dashboard():
        assert client.get(f"/indicators/areas/{district}?period={target.key}").status_code == 200

    def worker_page():
        assert client.get(f"/indicators/workers/{worker_id}?period={target.key}").status_code == 200

    median, best = timed(dashboard)
    print(f"district dashboard {district} {target.key}: median {median:.0f} ms, best {best:.0f} ms")
    median, best = timed(worker_page)
    print(f"worker page: median {median:.0f} ms, best {best:.0f} ms")


if __name__ == "__main__":
    main()
