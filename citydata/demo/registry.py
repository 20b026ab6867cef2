"""The demo city's registry: Nanjing, three districts, streets, communities, 40+ grids, workers.

Built through the registry's operations, with real failures on purpose so the coverage page has
findings: a grid without a full-time worker, a worker holding two comprehensive grids, a grid
too large, an ended grid still held, and a worker on duty without a grid. The demo trainee is
linked to a worker in 玄武区 (in training, auxiliary on the uncovered grid).
"""
from __future__ import annotations

import random
from datetime import date

from academy.registry import operations
from academy.registry.idnumbers import make_number
from academy.registry.models import (
    AssignmentRole,
    Education,
    Employment,
    Gender,
    GridKind,
    PoliticalStatus,
    UnitType,
    WorkerStatus,
)

CITY = ("3201", "南京市")
TREE = {
    ("320102", "玄武区"): {
        ("320102002", "梅园新村街道"): [("320102002001", "大行宫社区"), ("320102002002", "长江路社区")],
        ("320102003", "新街口街道"): [("320102003001", "洪武北路社区"), ("320102003002", "丰富路社区")],
        ("320102005", "玄武门街道"): [("320102005001", "百子亭社区"), ("320102005002", "香铺营社区")],
    },
    ("320104", "秦淮区"): {
        ("320104001", "夫子庙街道"): [("320104001001", "贡院社区"), ("320104001002", "钞库街社区")],
        ("320104003", "朝天宫街道"): [("320104003001", "王府园社区"), ("320104003002", "清凉山社区")],
    },
    ("320105", "建邺区"): {
        ("320105001", "南苑街道"): [("320105001001", "吉庆社区"), ("320105001002", "莫愁湖社区")],
        ("320105002", "兴隆街道"): [("320105002001", "奥体社区"), ("320105002002", "华新城社区")],
        ("320105003", "沙洲街道"): [("320105003001", "新河社区"), ("320105003002", "江东社区")],
    },
}
EXCLUSIVE = [  # community, name, unit type, responsible unit
    ("320102002001", "南京市第九中学专属网格", UnitType.SCHOOL, "南京市第九中学"),
    ("320102003001", "江苏省人民医院专属网格", UnitType.HOSPITAL, "江苏省人民医院"),
    ("320104001001", "夫子庙步行街专属网格", UnitType.MARKET, "夫子庙商圈管理办公室"),
    ("320105002001", "奥体中心专属网格", UnitType.INSTITUTION, "南京奥林匹克体育中心"),
    ("320105003001", "河西金融城专属网格", UnitType.PARK, "河西金融集聚区管委会"),
    ("320105001002", "苏宁环球企业专属网格", UnitType.ENTERPRISE, "苏宁环球集团"),
]
STREET_NAMES = ["中山路", "太平北路", "长江路", "珠江路", "汉中路", "建邺路", "江东中路", "应天大街", "集庆路", "莫愁路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["芳", "伟", "静", "磊", "敏", "军", "丽", "强", "婷", "洋", "晨", "霞", "杰", "娟", "涛", "燕", "鹏", "琳",
         "明轩", "子涵", "雨桐", "浩然", "思远", "欣怡", "建国", "秀英", "志强", "海燕"]
DEPARTMENTS = [
    ("XW-CG", "玄武区城市管理局", "320102"), ("XW-SCJG", "玄武区市场监督管理局", "320102"),
    ("XW-ZJ", "玄武区住房和城乡建设局", "320102"), ("XW-PCS-XJK", "新街口派出所", "320102003"),
    ("QH-CG", "秦淮区城市管理局", "320104"), ("QH-SCJG", "秦淮区市场监督管理局", "320104"),
    ("JY-ZJ", "建邺区住房和城乡建设局", "320105"), ("JY-PCS-SZ", "沙洲派出所", "320105003"),
]


def build_demo_registry(demo: dict) -> None:
    """Build the demo registry and record it in ``demo`` (areas, grids, workers, departments)."""
    rng = random.Random(3201)
    by = demo.get("users", {}).get("admin")
    areas = _build_areas(by)
    grids = _build_grids(by, areas, rng)
    workers = _build_workers(by, areas, grids, rng)
    demo["areas"], demo["grids"], demo["workers"] = areas, grids, workers
    demo["departments"] = [operations.create_department(by, code=code, name=name, area=areas[area])
                           for code, name, area in DEPARTMENTS]
    _link_users(demo, workers)


def _build_areas(by) -> dict:
    city = operations.create_area(*CITY, by)
    return {CITY[0]: city, **build_area_tree(by, TREE, city)}


def build_area_tree(by, tree: dict, city) -> dict:
    """Districts, streets and communities of ``tree`` under ``city``, by code."""
    areas = {}
    for (d_code, d_name), streets in tree.items():
        areas[d_code] = operations.create_area(d_code, d_name, by, parent=city)
        for (s_code, s_name), communities in streets.items():
            areas[s_code] = operations.create_area(s_code, s_name, by, parent=areas[d_code])
            for c_code, c_name in communities:
                areas[c_code] = operations.create_area(c_code, c_name, by, parent=areas[s_code])
    return areas


def comprehensive_grid(community, by, rng: random.Random, serial: int, households: int | None = None):
    """A comprehensive grid of ``community`` bounded by four of the city's streets."""
    households = households or rng.randint(220, 560)
    roads = rng.sample(STREET_NAMES, 4)
    return operations.create_grid(
        community, by, name=f"{community.name}第{serial}网格", kind=GridKind.COMPREHENSIVE,
        households=households, residents=households * rng.randint(25, 32) // 10,
        boundary_east=roads[0], boundary_south=roads[1], boundary_west=roads[2], boundary_north=roads[3],
        responsible_unit=f"{community.name}居民委员会", valid_from=date(2023, 1, 1))


def _build_grids(by, areas: dict, rng: random.Random) -> list:
    grids = []
    communities = [code for code in areas if len(code) == 12]
    for index, code in enumerate(communities):
        for serial in range(1, 3 + (index % 2)):
            households = 980 if (index, serial) == (5, 1) else rng.randint(220, 560)
            grids.append(comprehensive_grid(areas[code], by, rng, serial, households))
    for code, name, unit_type, unit in EXCLUSIVE:
        grids.append(operations.create_grid(areas[code], by, name=name, kind=GridKind.EXCLUSIVE, unit_type=unit_type,
                                     households=0, residents=rng.randint(800, 3000), responsible_unit=unit,
                                     boundary_east="单位围墙", boundary_south="单位围墙", boundary_west="单位围墙",
                                     boundary_north="单位围墙", valid_from=date(2023, 1, 1)))
    return grids


def new_worker(by, areas, rng, n: int, district: str, employment=Employment.FULL_TIME):
    born = date(rng.randint(1972, 2000), rng.randint(1, 12), rng.randint(1, 28))
    number = make_number(district, born, 100 + n)
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return operations.create_worker(
        by, id_number=number, area=areas[district], name=rng.choice(SURNAMES) + rng.choice(GIVEN), gender=gender,
        phone=f"139{rng.randint(10000000, 99999999)}", education=rng.choice(list(Education)),
        political_status=rng.choice([PoliticalStatus.PARTY_MEMBER, PoliticalStatus.MASSES,
                                     PoliticalStatus.LEAGUE_MEMBER]),
        employment=employment, hired_on=date(rng.randint(2019, 2024), rng.randint(1, 12), 1))


def _build_workers(by, areas: dict, grids: list, rng: random.Random) -> list:
    workers, start = [], date(2025, 3, 1)
    uncovered, double = grids[3], (grids[7], grids[8])  # 长江路社区第2网格 stays without a full-time worker
    for n, grid in enumerate(grids):
        if grid is uncovered or grid is double[1]:
            continue
        worker = new_worker(by, areas, rng, n, grid.code[:6])
        operations.put_on_duty(worker, by, "持证上岗")
        operations.assign_worker(worker, grid, by, role=AssignmentRole.FULL_TIME, starts_on=start)
        if grid is double[0]:
            operations.assign_worker(worker, double[1], by, role=AssignmentRole.FULL_TIME, starts_on=start)
        workers.append(worker)
    for n, grid in enumerate(grids[:12:3]):  # community police and volunteers, part-time on some grids
        helper = new_worker(by, areas, rng, 200 + n, grid.code[:6], Employment.PART_TIME)
        operations.assign_worker(helper, grid, by, role=AssignmentRole.PART_TIME, starts_on=start)
        workers.append(helper)
    leader = new_worker(by, areas, rng, 300, "320102")
    operations.put_on_duty(leader, by, "持证上岗")
    operations.assign_worker(leader, grids[0], by, role=AssignmentRole.LEADER, starts_on=start)
    idle = new_worker(by, areas, rng, 301, "320104")
    operations.put_on_duty(idle, by, "持证上岗")  # on duty, but no grid: a finding
    trainee = new_worker(by, areas, rng, 302, "320102")
    operations.change_status(trainee, WorkerStatus.IN_TRAINING, by, "参加岗前培训")
    operations.assign_worker(trainee, uncovered, by, role=AssignmentRole.AUXILIARY, starts_on=start)
    leaver = new_worker(by, areas, rng, 303, "320105")
    operations.exit_worker(leaver, by, on=date(2025, 6, 30), reason="个人原因辞职")
    operations.update_grid(grids[-8], by, valid_to=date(2025, 12, 31))  # ended on paper, still held: a finding
    workers += [leader, idle, trainee, leaver]
    return workers


def _link_users(demo: dict, workers: list) -> None:
    users = demo.get("users", {})
    if "trainee" in users:
        trainee_worker = next(w for w in workers if w.status == WorkerStatus.IN_TRAINING)
        trainee_worker.user_id = users["trainee"].id
