"""Builds the demo city's cases through the operations, at backdated times.

Categories and holidays first, then for each grid worker a few weeks of patrols and visits and
a stream of cases that stop at every stage of the loop (some late, some reworked, some reopened),
so that lists, lights, the board and the indicators have something true to show.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from academy.accounts.models import User
from academy.cases import clock, operations
from academy.cases.models import Category, Channel, ClockKind, Level, Satisfaction, VisitPurpose
from academy.cases.people import grids_of
from academy.extensions import db
from academy.registry.models import WorkerStatus

CATEGORIES = [
    ("DIS", "矛盾纠纷", "community", False, 5, ClockKind.WORKING_DAYS,
     [("DIS-NB", "邻里纠纷", True), ("DIS-FAM", "家庭纠纷", True), ("DIS-PROP", "物业纠纷", False)]),
    ("HAZ", "安全隐患", "street", False, 24, ClockKind.NATURAL_HOURS,
     [("HAZ-FIRE", "消防隐患", False), ("HAZ-GAS", "燃气隐患", False), ("HAZ-BLD", "房屋安全", False)]),
    ("OPN", "社情民意", "community", False, 3, ClockKind.WORKING_DAYS,
     [("OPN-SUG", "意见建议", True), ("OPN-CPL", "投诉反映", False)]),
    ("SRV", "公共服务", "community", False, 16, ClockKind.WORKING_HOURS,
     [("SRV-ELD", "养老服务", False), ("SRV-SOC", "社保办理", False)]),
    ("CTY", "城市管理", "department", False, 2, ClockKind.WORKING_DAYS,
     [("CTY-LIT", "乱堆乱放", True), ("CTY-ROAD", "道路破损", False), ("CTY-LGT", "路灯损坏", False),
      ("CTY-PARK", "违章停车", False)]),
]
TITLES = {
    "DIS-NB": "楼上漏水引发邻里纠纷", "DIS-FAM": "老人赡养问题家庭矛盾", "DIS-PROP": "物业费争议",
    "HAZ-FIRE": "楼道堆放杂物堵塞消防通道", "HAZ-GAS": "居民家中燃气管老化", "HAZ-BLD": "外墙瓷砖脱落",
    "OPN-SUG": "居民建议增设健身器材", "OPN-CPL": "夜间施工噪音扰民", "SRV-ELD": "独居老人需要助餐服务",
    "SRV-SOC": "咨询医保异地备案", "CTY-LIT": "小区门口乱堆建筑垃圾", "CTY-ROAD": "人行道地砖破损",
    "CTY-LGT": "路灯不亮", "CTY-PARK": "消防通道违章停车",
}
HOLIDAYS = [(date(2026, 1, 1), "元旦", False), (date(2026, 2, 16), "春节", False), (date(2026, 2, 17), "春节", False),
            (date(2026, 2, 18), "春节", False), (date(2026, 2, 19), "春节", False), (date(2026, 2, 20), "春节", False),
            (date(2026, 2, 14), "春节调休上班", True), (date(2026, 4, 6), "清明节", False),
            (date(2026, 5, 1), "劳动节", False), (date(2026, 6, 19), "端午节", False),
            (date(2026, 9, 25), "中秋节", False), (date(2026, 10, 1), "国庆节", False), (date(2026, 10, 2), "国庆节", False),
            (date(2026, 10, 5), "国庆节", False), (date(2026, 10, 6), "国庆节", False),
            (date(2026, 10, 10), "国庆调休上班", True)]
# How far each demo case goes along the loop, with weights.
ENDINGS = [("reported", 4), ("accepted", 3), ("dispatched", 5), ("handling", 6), ("verifying", 4), ("closed", 5),
           ("visited", 12), ("self", 6), ("returned", 2), ("suspended", 1), ("voided", 1), ("rework", 3),
           ("reopened", 1), ("extended", 3)]

STAYS_OPEN = {"reported", "accepted", "dispatched", "handling", "verifying", "returned", "suspended", "extended"}


def _values(items) -> list:
    return list(items.values()) if isinstance(items, dict) else list(items or [])


def build(demo: dict, cases_per_worker: int = 8, seed: int = 4) -> None:
    """Categories, holidays, department members, patrols, visits and cases for the demo city."""
    rng = random.Random(seed)
    users = demo["users"]
    leaves = _categories()
    for day, name, working in HOLIDAYS:
        operations.set_holiday(None, day, name, working)
    departments = [d for d in _values(demo["departments"]) if d.active]
    for dept in departments:
        if users.get("department") is not None:
            operations.add_department_member(None, users["department"], dept)
    # 持证上岗: only workers on duty file cases (part-time helpers and trainees hold grids but report nothing).
    workers = [w for w in _values(demo["workers"]) if w.status == WorkerStatus.ON_DUTY and grids_of(w)]
    actors = {"dispatcher": users.get("dispatcher") or users.get("admin"), "approver": users.get("admin"),
              "leader": users.get("viewer"), "department": users.get("department") or users.get("admin")}
    cases_per_worker = max(cases_per_worker, min(60, 400 // max(len(workers), 1)))
    made = []
    for worker in workers:
        _fieldwork(worker, rng)
        for _ in range(cases_per_worker):
            made.append(_one_case(worker, leaves, departments, actors, rng))
    demo["cases"] = made
    db.session.flush()


def _categories() -> list[Category]:
    leaves = []
    for code, name, level, self_ok, limit, kind, children in CATEGORIES:
        root = operations.save_category(None, None, code=code, name=name, parent_id=None, default_level=level,
                                 allow_self_handling=self_ok, time_limit=limit, clock=kind,
                                 accept_criteria="事实清楚、属于本类别", close_criteria="问题解决，现场核查通过", active=True)
        for sub_code, sub_name, sub_self in children:
            leaves.append(operations.save_category(
                None, None, code=sub_code, name=sub_name, parent_id=root.id, default_level=level,
                allow_self_handling=sub_self, time_limit=limit, clock=kind, accept_criteria="事实清楚、属于本类别",
                close_criteria="问题解决，现场核查通过，附处置照片", active=True))
    return leaves


def _fieldwork(worker, rng: random.Random) -> None:
    """Two weeks of patrols (mostly two a day) and household visits."""
    grids = grids_of(worker)
    user = _user(worker)
    today = clock.now().replace(hour=1, minute=0, second=0, microsecond=0)  # 09:00 in Shanghai
    for days_ago in range(14, 0, -1):
        morning = today - timedelta(days=days_ago)
        for start_hour in ([0, 6] if rng.random() < 0.8 else [0])[: rng.choice([1, 2, 2, 2])]:
            grid = rng.choice(grids)
            with clock.frozen_time(morning + timedelta(hours=start_hour)):
                patrol = operations.start_patrol(worker, grid, user)
            with clock.frozen_time(morning + timedelta(hours=start_hour, minutes=rng.randint(50, 120))):
                operations.end_patrol(patrol, user, "巡查正常")
        for n in range(rng.randint(0, 3)):
            with clock.frozen_time(morning + timedelta(hours=3, minutes=20 * n)):
                operations.record_visit(worker, rng.choice(grids), user, f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}0{n + 1}室",
                                 rng.choice(list(VisitPurpose)), "入户走访，了解家庭情况")


def _user(worker):
    return db.session.get(User, worker.user_id) if worker.user_id else None


def _one_case(worker, leaves, departments, actors, rng: random.Random):
    ending = rng.choices([e for e, _w in ENDINGS], weights=[w for _e, w in ENDINGS])[0]
    category = rng.choice([c for c in leaves if c.allow_self_handling] if ending == "self" else leaves)
    grid = rng.choice(grids_of(worker))
    now = clock.now()
    # Cases still open started lately (a mix of lights); finished ones spread over six weeks.
    start = now - timedelta(hours=rng.randint(1, 24 * 7) if ending in STAYS_OPEN else rng.randint(24, 24 * 45))
    steps = _Steps(start, now, rng)
    channel = Channel.HOTLINE if rng.random() < 0.25 and ending != "self" else Channel.WORKER
    reporter = actors["dispatcher"] if channel == Channel.HOTLINE else _user(worker)
    with steps.next(0):
        case = operations.report_case(operations.Report(
            category=category, title=TITLES[category.code], description=f"{TITLES[category.code]}，位于{grid.name}，请及时处理。",
            channel=channel, grid=grid, worker=worker if channel == Channel.WORKER else None,
            resident_name="王女士" if channel == Channel.HOTLINE else "", location=f"{grid.name}{rng.randint(1, 30)}栋附近",
            resident_phone="13800000000" if channel == Channel.HOTLINE else "", handled_on_spot=ending == "self"),
            reporter)
    if ending in ("reported", "self"):
        return case
    _advance(case, ending, departments, actors, steps, rng)
    return case


class _Steps:
    """Backdated moments for a case's steps, never past the present."""

    def __init__(self, start, now, rng):
        self.moment, self.now, self.rng = start, now, rng

    def next(self, max_hours: float):
        self.moment = min(self.moment + timedelta(hours=self.rng.uniform(0, max_hours)), self.now)
        return clock.frozen_time(self.moment)


def _advance(case, ending, departments, actors, steps, rng) -> None:
    dispatcher, approver = actors["dispatcher"], actors["approver"]
    with steps.next(3):
        operations.accept_case(case, dispatcher)
    if ending == "accepted":
        return
    if ending == "voided":
        return _void(case, dispatcher, approver, steps)
    level = _dispatch(case, departments, dispatcher, steps, rng)
    if ending == "dispatched":
        return
    handler = actors["department"] if level == Level.DEPARTMENT else dispatcher
    tasks = list(case.active_tasks)
    if ending == "returned":
        with steps.next(5):
            for task in tasks:
                operations.return_task(task, handler, "不属于本单位职责")
        return
    if ending == "suspended":
        with steps.next(5):
            operations.suspend_case(case, dispatcher, "等待司法鉴定结果")
        return
    with steps.next(6):
        for task in tasks:
            operations.start_task(task, handler, "已到现场")
    if ending == "extended":
        with steps.next(6):
            ext = operations.request_extension(tasks[0], handler, 2, "需要协调多方")
        with steps.next(3):
            operations.decide_extension(ext, dispatcher, True, "同意延期")
        return
    if ending == "handling":
        if rng.random() < 0.3:
            with steps.next(8):
                operations.supervise_case(case, actors["leader"] or dispatcher, "群众反映强烈，请加快处置")
        return
    _finish(case, tasks, ending, handler, dispatcher, steps, rng)


def _void(case, dispatcher, approver, steps) -> None:
    with steps.next(2):
        operations.request_void(case, dispatcher, "重复上报")
    with steps.next(4):
        operations.decide_void(case, approver, True, "同意")


def _dispatch(case, departments, dispatcher, steps, rng) -> Level:
    """Send the case to its category's level; a whistle calls one or two departments."""
    level = Level(case.category.default_level)
    if level == Level.SELF or (level == Level.DEPARTMENT and not departments):
        level = Level.COMMUNITY
    chosen = rng.sample(departments, k=min(len(departments), rng.choice([1, 1, 2]))) if level == Level.DEPARTMENT else None
    with steps.next(4):
        operations.dispatch_case(case, dispatcher, operations.Dispatch(level, [(d, None) for d in chosen] if chosen else None, "请按时处置"))
    return level


def _finish(case, tasks, ending, handler, dispatcher, steps, rng) -> None:
    slow = 60 if rng.random() < 0.2 else 20  # some units run late
    with steps.next(slow):
        for task in tasks:
            operations.finish_task(task, handler, "已处置完毕，附现场照片")
    if ending == "verifying":
        return
    if ending == "rework":
        with steps.next(10):
            operations.verify_case(case, dispatcher, False, "现场核查未整改到位")
        with steps.next(20):
            for task in tasks:
                operations.finish_task(task, handler, "已重新整改")
    with steps.next(10):
        operations.verify_case(case, dispatcher, True, "现场核查通过")
    if ending in ("closed", "rework") and rng.random() < 0.5:
        return
    satisfaction = rng.choices(list(Satisfaction), weights=[8, 3, 1])[0]
    reopen = ending == "reopened"
    with steps.next(24):
        operations.record_return_visit(case, dispatcher, Satisfaction.DISSATISFIED if reopen else satisfaction,
                                "回访群众", reopen=reopen)
