"""The benchmark city's registry: area tree, grids, departments, workers and trainee log-ins.

Codes follow the registry's rules: a free 4-digit city code (3201, Nanjing, when free), district
codes of 6 digits under it (Nanjing's own eleven first), streets of 9, communities of 12, grids
of 15 whose serials are 001-899 for comprehensive grids and 901+ for exclusive ones (every fifth
community has one, with its unit type). Workers carry valid national ID numbers (region, birth
date, check digit; gender from the 17th digit), encrypted, hashed and masked as the registry
does, and numbers taken from ``academy.numbers`` in one reservation. Every grid gets one
full-time worker while there are workers; the others join grids part-time. Each worker's
lifecycle is recorded (recruited, in training, most of them on duty).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from academy import crypto, numbers
from academy.extensions import db
from academy.registry.idnumbers import make_number
from academy.registry.models import Area, Assignment, Department, Grid, Worker, WorkerStatusChange
from academy.registry.operations.workers import NUMBER_SERIES, id_number_columns, worker_number
from citydata.bench.city import BenchCity, BenchDataError
from citydata.bench.people import trainee_users

NANJING = ["02", "04", "05", "06", "11", "13", "14", "15", "16", "17", "18"]
STREETS, COMMUNITIES, GRIDS = 8, 6, 6  # per district, per street, per community
UNIT_TYPES = ["school", "enterprise", "park", "institution", "hospital", "market"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "芳伟静磊敏军丽强婷洋晨霞杰娟涛燕鹏琳明轩子涵雨桐浩然思远欣怡建国秀英志强海燕文博雅琴"
DEPARTMENTS = ["城市管理局", "市场监督管理局", "住房和城乡建设局", "生态环境局", "交通运输局", "消防救援大队"]


def free_city_code() -> str:
    """3201 when unused, else the first free 4-digit code after it (``--append`` adds a city)."""
    used = set(db.session.scalars(sa.select(Area.code).where(sa.func.length(Area.code) == 4)))
    for value in range(3201, 10000):
        if str(value) not in used:
            return str(value)
    raise BenchDataError("No free city code is left.")


def district_suffixes() -> list[str]:
    return NANJING + [f"{n:02d}" for n in range(1, 100) if f"{n:02d}" not in NANJING]


def plan_areas(city: str, grids: int) -> list[tuple[str, str, str | None]]:
    """(code, level, parent code) of the areas the city needs for ``grids`` grids, city first."""
    per_district = STREETS * COMMUNITIES * GRIDS
    districts = -(-grids // per_district)
    if districts > 99:
        raise BenchDataError(f"At most {99 * per_district:,} grids fit one city's codes.")
    rows, communities_needed = [(city, "city", None)], -(-grids // GRIDS)
    for suffix in district_suffixes()[:districts]:
        district = city + suffix
        rows.append((district, "district", city))
        for s in range(1, STREETS + 1):
            street = f"{district}{s:03d}"
            if communities_needed <= 0:
                break
            rows.append((street, "street", district))
            for c in range(1, COMMUNITIES + 1):
                if communities_needed <= 0:
                    break
                rows.append((f"{street}{c:03d}", "community", street))
                communities_needed -= 1
    return rows


def build_areas(city: BenchCity) -> None:
    code = free_city_code()
    plan = plan_areas(code, city.options.grids)
    ids = dict(zip((row[0] for row in plan), city.writer.ids(Area.__table__, len(plan)), strict=True))
    names = {"city": "市", "district": "区", "street": "街道", "community": "社区"}
    for area_code, level, parent in plan:
        label = "基准市" if level == "city" else f"{names[level]}{area_code[-3:] if len(area_code) > 6 else area_code[-2:]}"
        city.writer.add(Area.__table__, {"id": ids[area_code], "code": area_code, "name": label, "level": level,
                                         "parent_id": ids.get(parent)})
    city.state.update(city_code=code, area_ids=ids,
                      districts=[c for c, level, _p in plan if level == "district"],
                      communities=[c for c, level, _p in plan if level == "community"])
    city.count("areas", len(plan))


def build_grids(city: BenchCity) -> None:
    """Six grids per community; the sixth of every fifth community is an exclusive grid (serial 901)."""
    rng, wanted, rows = city.rng, city.options.grids, []
    for index, community in enumerate(city.state["communities"]):
        for serial in range(1, GRIDS + 1):
            if len(rows) == wanted:
                break
            exclusive = serial == GRIDS and index % 5 == 4
            households = 0 if exclusive else rng.randint(220, 560)
            rows.append({"code": f"{community}{901 if exclusive else serial:03d}", "community_id": city.state["area_ids"][community],
                         "name": f"社区{community[-3:]}{'专属' if exclusive else f'第{serial}'}网格",
                         "kind": "exclusive" if exclusive else "comprehensive",
                         "unit_type": rng.choice(UNIT_TYPES) if exclusive else None, "households": households,
                         "residents": households * 3 if households else rng.randint(800, 3000),
                         "boundary_east": "东路", "boundary_south": "南路", "boundary_west": "西路", "boundary_north": "北路",
                         "responsible_unit": f"社区{community[-3:]}居民委员会", "valid_from": date(2023, 1, 1)})
    for row, grid_id in zip(rows, city.writer.ids(Grid.__table__, len(rows)), strict=True):
        row["id"] = grid_id
        city.writer.add(Grid.__table__, row)
    city.state["grids"] = [(row["id"], row["code"]) for row in rows]
    city.count("grids", len(rows))


def build_departments(city: BenchCity) -> None:
    rows = []
    for district in city.state["districts"]:
        for n, name in enumerate(DEPARTMENTS, start=1):
            rows.append({"code": f"D{district}-{n:02d}", "name": f"区{district[-2:]}{name}",
                         "area_id": city.state["area_ids"][district], "active": True})
    for row, dept_id in zip(rows, city.writer.ids(Department.__table__, len(rows)), strict=True):
        row["id"] = dept_id
        city.writer.add(Department.__table__, row)
    city.state["departments"] = [(row["id"], row["code"]) for row in rows]
    city.count("departments", len(rows))


def _id_numbers(city: BenchCity, grid_codes: list[str]) -> list[str]:
    """One valid ID number per worker, registered in the district of the worker's grid, unique
    among themselves and against every worker already recorded (their keyed hashes)."""
    taken = set(db.session.scalars(sa.select(Worker.id_number_hash)))
    result = []
    for code in grid_codes:
        while True:
            born = date(city.rng.randint(1968, 2001), city.rng.randint(1, 12), city.rng.randint(1, 28))
            number = make_number(code[:6], born, city.rng.randrange(1000))
            hashed = crypto.keyed_hash(number)
            if hashed not in taken:
                taken.add(hashed)
                result.append(number)
                break
    return result


def build_workers(city: BenchCity) -> None:
    """Workers with their ID numbers, assignment and lifecycle; trainees get their log-ins first."""
    grids, count = city.state["grids"], city.options.workers
    placed = [grids[n % len(grids)] for n in range(count)]
    id_numbers = _id_numbers(city, [code for _gid, code in placed])
    serials = numbers.reserve(NUMBER_SERIES, count)
    user_ids = trainee_users(city, min(city.options.trainees, count))
    worker_ids = city.writer.ids(Worker.__table__, count)
    workers, statuses = [], {}
    for n, (worker_id, (grid_id, grid_code), number) in enumerate(zip(worker_ids, placed, id_numbers, strict=True)):
        full_time = n < len(grids)
        hired = date(city.rng.randint(2019, 2024), city.rng.randint(1, 12), 1)
        status = statuses[worker_id] = "on_duty" if city.rng.random() < 0.9 else "in_training"
        city.writer.add(Worker.__table__, {
            "id": worker_id, "number": worker_number(serials[n]), "name": _name(city), "birth_date": _born(number),
            "gender": "male" if int(number[16]) % 2 else "female", **id_number_columns(number),
            "phone": f"139{city.rng.randrange(10**8):08d}", "education": city.rng.choice(
                ["senior_high", "vocational", "junior_college", "bachelor", "bachelor", "master"]),
            "political_status": city.rng.choice(["party_member", "masses", "masses", "league_member"]),
            "employment": "full_time" if full_time else "part_time", "status": status,
            "area_id": city.state["area_ids"][grid_code[:9]], "hired_on": hired,
            "user_id": user_ids[n] if n < len(user_ids) else None})
        city.writer.add(Assignment.__table__, {"worker_id": worker_id, "grid_id": grid_id, "starts_on": hired,
                                               "role": "full_time" if full_time else "part_time"})
        _lifecycle(city, worker_id, hired, status)
        workers.append((worker_id, grid_id, grid_code, user_ids[n] if n < len(user_ids) else None))
        city.progress("workers", n + 1, count)
    city.state["workers"] = workers
    city.state["worker_status"] = statuses
    city.count("workers", count)
    city.count("assignments", count)


def _lifecycle(city: BenchCity, worker_id: int, hired: date, status: str) -> None:
    """recruited -> in training (at hiring) -> on duty (after the pre-service course)."""
    at = datetime(hired.year, hired.month, hired.day, 1, tzinfo=UTC)
    steps = [(None, "recruited", "录用"), ("recruited", "in_training", "岗前培训")]
    if status == "on_duty":
        steps.append(("in_training", "on_duty", "岗前培训合格，持证上岗"))
    for n, (before, after, reason) in enumerate(steps):
        city.writer.add(WorkerStatusChange.__table__, {"worker_id": worker_id, "from_status": before, "to_status": after,
                                                       "reason": reason, "at": at + timedelta(days=30 * n)})


def _name(city: BenchCity) -> str:
    given = city.rng.choice(GIVEN) + (city.rng.choice(GIVEN) if city.rng.random() < 0.6 else "")
    return city.rng.choice(SURNAMES) + given


def _born(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def run(city: BenchCity) -> None:
    """The registry's step: areas, grids, departments, workers (with trainee log-ins)."""
    build_areas(city)
    build_grids(city)
    build_departments(city)
    city.writer.flush()
    build_workers(city)
