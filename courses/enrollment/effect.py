"""The training effect: did a course improve the work it was meant to improve?

A course is linked to case categories through its syllabus units (``SyllabusUnit.case_categories``,
the same link the training needs use); each code counts as its top-level category, the level the
indicator snapshots keep. For each completer, his monthly worker snapshots in those categories in the
``months`` months before the month he completed and the ``months`` after it are added up ("trained");
for the same months and the same districts, so are the snapshots of the district's workers who did
not complete the course ("others"). Red cards (cases put under supervision, by the reporting worker's
month of supervision) come from the cases, which the snapshots do not count.

``refresh`` stores the sums, per course and district, in ``TrainingEffect`` (nightly, ``flask academy
training-effect-refresh``), so the page reads a few hundred rows; ``summary`` adds them up for a
viewer's areas. A trainer's figures are not the sum of his courses' (a worker who completed two of
them would count twice): ``TrainerEffect`` holds each trainer's completers once each, from the month
of his first completion of one of the trainer's courses, in the categories of all of them. Rates are computed when shown, with the indicators' minimum sample.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from academy.cases.models import Case, Category
from academy.database import city_zone, utcnow
from academy.extensions import db
from academy.indicators import settings
from academy.indicators.compute import category_roots
from academy.indicators.definitions import evaluate
from academy.indicators.models import IndicatorSnapshot
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker
from courses.enrollment.models import (
    ClassSession,
    Course,
    Enrollment,
    EnrollmentState,
    TrainerEffect,
    TrainingEffect,
    course_instructors,
)

MONTHS = 3
COUNTS = ("due_to_close", "closed_on_time", "rework", "return_visits", "satisfied", "basic", "red_cards")
RATES = ("on_time_closure_rate", "rework_rate", "satisfaction_rate", "red_card_rate")


def _shift(key: str, n: int) -> str:
    index = int(key[:4]) * 12 + int(key[5:7]) - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def windows(month: str, months: int = MONTHS) -> dict[str, list[str]]:
    """The months before (not the month of completion itself: half of it was before) and after."""
    return {"before": [_shift(month, -n) for n in range(months, 0, -1)],
            "after": [_shift(month, n) for n in range(1, months + 1)]}


def course_roots() -> dict[int, set[str]]:
    """Each course whose units name case categories, with their top-level category codes."""
    roots = category_roots()
    by_code = {code: roots[cid] for cid, code in db.session.execute(sa.select(Category.id, Category.code))}
    found: dict[int, set[str]] = {}
    for course in db.session.scalars(sa.select(Course)):
        codes = {by_code[c] for unit in course.units for c in (unit.case_categories or []) if c in by_code}
        if codes:
            found[course.id] = codes
    return found


def _month(moment) -> str:
    return moment.astimezone(city_zone()).strftime("%Y-%m")


def _start(month: str) -> datetime:
    """The UTC instant the city's month ``month`` ("2026-05") begins."""
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=city_zone()).astimezone(UTC)


def _counts(months: set[str], categories: set[str]) -> dict[tuple[int, str, str], list[int]]:
    """(worker id, month, top-level category) -> counts, from the worker snapshots and the red cards."""
    found: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0] * len(COUNTS))
    columns = [getattr(IndicatorSnapshot, name) for name in COUNTS[:-1]]
    for unit_key, month, category, *values in db.session.execute(
            sa.select(IndicatorSnapshot.unit_key, IndicatorSnapshot.period_key, IndicatorSnapshot.category, *columns)
            .where(IndicatorSnapshot.unit_kind == "worker", IndicatorSnapshot.period_key.in_(months),
                   IndicatorSnapshot.category.in_(categories))):
        found[(int(unit_key), month, category)][:-1] = [int(v or 0) for v in values]
    roots = category_roots()
    first, last = min(months), _shift(max(months), 1)
    for worker_id, category_id, at in db.session.execute(
            sa.select(Case.reporter_worker_id, Case.category_id, Case.supervised_at)
            .where(Case.supervised_at >= _start(first), Case.supervised_at < _start(last),
                   Case.reporter_worker_id.is_not(None))):
        month, root = _month(at), roots.get(category_id, "")
        if first <= month < last and month in months and root in categories:
            found[(worker_id, month, root)][-1] += 1
    return found


def _add(target: list[int], values: list[int]) -> None:
    for n, value in enumerate(values):
        target[n] += value


def refresh(months: int = MONTHS) -> int:
    """Recompute every course's and every trainer's effect rows (replacing the old ones). Flushes;
    returns the rows written."""
    linked = course_roots()
    completions = db.session.execute(
        sa.select(Enrollment.course_id, Enrollment.worker_id, Enrollment.finished_at, Area.code)
        .join(Enrollment.worker).join(Worker.area)
        .where(Enrollment.state == EnrollmentState.COMPLETED, Enrollment.finished_at.is_not(None),
               Enrollment.course_id.in_(list(linked)))).all()
    needed = {m for *_rest, at, _code in completions for w in windows(_month(at), months).values() for m in w}
    every = set().union(*linked.values()) if linked else set()
    counts = _counts(needed, every) if needed else {}
    districts = {wid: code[:6] for wid, code in db.session.execute(sa.select(Worker.id, Area.code).join(Worker.area))}
    by_place: dict[tuple[str, str, str], dict[int, list[int]]] = defaultdict(dict)  # (district, month, category)
    for (worker_id, month, category), values in counts.items():
        by_place[(districts.get(worker_id, ""), month, category)][worker_id] = values
    db.session.execute(sa.delete(TrainingEffect))
    db.session.execute(sa.delete(TrainerEffect))
    per_course: dict[int, list] = defaultdict(list)
    for course_id, worker_id, at, code in completions:
        per_course[course_id].append((worker_id, _month(at), code[:6]))
    written, now = 0, utcnow()
    for course_id, done in per_course.items():
        written += _write(TrainingEffect, {"course_id": course_id}, now, months,
                          _course_rows(done, linked[course_id], counts, by_place, months))
    for user_id, (done, categories) in _trainer_completions(per_course, linked).items():
        written += _write(TrainerEffect, {"user_id": user_id}, now, months,
                          _course_rows(done, categories, counts, by_place, months))
    db.session.flush()
    return written


def _trainer_completions(per_course: dict[int, list], linked: dict[int, set[str]]) -> dict[int, tuple]:
    """user id -> (his completers, each once: (worker id, month of his first completion of one of the
    trainer's measured courses, district), the case categories of all those courses). A worker who
    completed two of a trainer's courses is one worker of that trainer, not two."""
    found: dict[int, tuple[dict, set]] = defaultdict(lambda: ({}, set()))
    for user_id, course_id in db.session.execute(
            sa.select(course_instructors.c.user_id, course_instructors.c.course_id)
            .where(course_instructors.c.course_id.in_(list(per_course)))):
        first, categories = found[user_id]
        categories.update(linked[course_id])
        for worker_id, month, district in per_course[course_id]:
            if worker_id not in first or month < first[worker_id][0]:
                first[worker_id] = (month, district)
    return {user_id: ([(wid, month, district) for wid, (month, district) in first.items()], categories)
            for user_id, (first, categories) in found.items()}


def _write(model, owner: dict, now, months: int, rows: dict) -> int:
    for (district, cohort, window), (workers, values) in rows.items():
        db.session.add(model(**owner, district=district, cohort=cohort, window=window, workers=len(workers),
                             months=months, refreshed_at=now, **dict(zip(COUNTS, values, strict=True))))
    return len(rows)


def _course_rows(done, categories, counts, by_place, months) -> dict:
    """(district, cohort, window) -> (workers counted, summed counts) for one course's completions."""
    completers = {worker_id for worker_id, _m, _d in done}
    rows: dict = defaultdict(lambda: (set(), [0] * len(COUNTS)))
    places = set()
    for worker_id, month, district in done:
        places.add((district, month))
        for window, keys in windows(month, months).items():
            workers, total = rows[(district, "trained", window)]
            workers.add(worker_id)
            for key in keys:
                for category in categories:
                    _add(total, counts.get((worker_id, key, category), [0] * len(COUNTS)))
    for district, month in places:
        for window, keys in windows(month, months).items():
            workers, total = rows[(district, "others", window)]
            for key in keys:
                for category in categories:
                    for worker_id, values in by_place.get((district, key, category), {}).items():
                        if worker_id not in completers:
                            workers.add(worker_id)
                            _add(total, values)
    return rows


@dataclass
class Side:
    """One cohort in one window: workers, counts, and the rates (None: too few cases)."""

    workers: int = 0
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))

    def rate(self, key: str) -> float | None:
        minimum = settings.min_sample()
        if key == "red_card_rate":
            due = self.counts["due_to_close"]
            return None if due < max(minimum, 1) else 100.0 * self.counts["red_cards"] / due
        return evaluate(key, self.counts, minimum, settings.basic_weight()).value


@dataclass
class Effect:
    key: object  # a course or a trainer
    sides: dict = field(default_factory=lambda: defaultdict(Side))  # (cohort, window) -> Side

    @property
    def sample(self) -> int:
        return self.sides[("trained", "after")].counts["due_to_close"]


def _sum(model, group, scopes):
    query = (sa.select(group, model.cohort, model.window, sa.func.sum(model.workers),
                       *[sa.func.sum(getattr(model, name)) for name in COUNTS])
             .where(scope_clause(model.district, scopes)).group_by(group, model.cohort, model.window))
    found: dict = {}
    for key, cohort, window, workers, *values in db.session.execute(query):
        side = found.setdefault(key, Effect(key)).sides[(cohort, window)]
        side.workers = int(workers or 0)
        side.counts = {name: int(v or 0) for name, v in zip(COUNTS, values, strict=True)}
    return found


def summary(scopes) -> list[Effect]:
    """The effect of every course with completers in ``scopes``' districts, courses by code."""
    found = _sum(TrainingEffect, TrainingEffect.course_id, scopes)
    courses = {c.id: c for c in db.session.scalars(sa.select(Course).where(Course.id.in_(list(found))))}
    for effect in found.values():
        effect.key = courses[effect.key]
    return sorted(found.values(), key=lambda e: e.key.code)


def by_trainer(scopes) -> dict[int, Effect]:
    """The effect of each instructor's courses together (user id -> Effect): each of his completers once
    (``TrainerEffect``), however many of his courses he completed."""
    return _sum(TrainerEffect, TrainerEffect.user_id, scopes)


def teaching_hours(start, end) -> dict[int, float]:
    """Classroom session hours each instructor's courses held in [start, end) (UTC instants): every
    instructor of a course is credited with its sessions."""
    return {user_id: float(hours or 0) for user_id, hours in db.session.execute(
        sa.select(course_instructors.c.user_id, sa.func.sum(ClassSession.hours))
        .join(course_instructors, course_instructors.c.course_id == ClassSession.course_id)
        .where(ClassSession.starts_at >= start, ClassSession.starts_at < end)
        .group_by(course_instructors.c.user_id))}


def refreshed_at():
    return db.session.scalar(sa.select(sa.func.max(TrainingEffect.refreshed_at)))
