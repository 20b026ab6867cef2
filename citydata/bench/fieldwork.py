"""Patrols (一日双巡: two on most working days) and household visits of every benchmark worker.

Working days come from the city's calendar (holidays off, make-up days on); patrols start in the
morning and the afternoon, local time, and last one to two hours; visits fall between them. The
number of patrols and visits a day is chosen so the whole comes to about ``--logs`` rows.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from academy.cases.models import Patrol, Visit
from academy.cases.operations import calendar_snapshot
from citydata.bench.city import BenchCity

PURPOSES = ["routine", "routine", "information", "care", "dispute", "policy", "follow_up"]


def build_fieldwork(city: BenchCity) -> None:
    cal, rng = calendar_snapshot(), city.rng
    first, last = city.state["history"]
    days = [first + timedelta(days=n) for n in range((last - first).days)]  # whole days before today
    working = [day for day in days if cal.is_working_day(day)]
    workers = city.state["workers"]
    per_worker_day = city.options.logs / max(len(workers) * len(working), 1)
    patrols_a_day = 2 if per_worker_day >= 2.5 else 1
    out_share = min(1.0, per_worker_day / patrols_a_day)  # share of working days a worker goes out at all
    visits_mean = max(per_worker_day - patrols_a_day * 0.93, 0)
    mornings = {day: datetime.combine(day, time(8, 30), cal.zone).astimezone(UTC) for day in working}
    for n, (worker_id, grid_id, _code, _user) in enumerate(workers):
        for day in working:
            morning = mornings[day]
            if rng.random() > out_share:
                continue
            for shift in range(patrols_a_day if rng.random() < 0.93 else 1):
                begin = morning + timedelta(hours=5 * shift, minutes=rng.randrange(60))
                minutes = rng.randrange(60, 120)
                city.count("patrols")
                city.writer.add(Patrol.__table__, {"worker_id": worker_id, "grid_id": grid_id, "started_at": begin,
                                                   "ended_at": begin + timedelta(minutes=minutes), "minutes": minutes,
                                                   "note": "巡查正常"})
            for visit in range(_visits(rng, visits_mean)):
                city.count("visits")
                city.writer.add(Visit.__table__, {
                    "worker_id": worker_id, "grid_id": grid_id, "visited_at": morning + timedelta(hours=2, minutes=40 * visit),
                    "household": f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
                    "purpose": rng.choice(PURPOSES), "notes": "入户走访，了解家庭情况"})
        city.writer.maybe_flush()
        city.progress("workers' patrols and visits", n + 1, len(workers))


def _visits(rng, mean: float) -> int:
    """A whole number of visits averaging ``mean`` (0 to about twice the mean)."""
    whole = int(mean)
    return whole + (1 if rng.random() < mean - whole else 0) + rng.choice((-1, 0, 1)) * (whole > 0)
