"""The pages people use most, found in a benchmark city: who opens them and at which address.

Each layer names its own pages (``PROVIDERS``, this module's ``academy_pages`` and each course
module's ``pages``): a callable ``(city_code, samples) -> [BenchPage]`` that picks ``samples`` real examples from the data
(different districts, trainees, cases), so a load test does not hit one cached row. The pages
scenario (``benchmarks/pages.py``) and the bench-data test both read them from here.
"""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import User
from academy.cases.models import Case, Category
from academy.extensions import db
from academy.registry.models import Area, Grid, Worker
from citydata.bench import certificates, enrollment, exams, lessons
from citydata.bench.page import BenchPage, sample_districts

# The twelve, in its order; a name no layer provides is reported as "not run".
MOST_USED = ("trainee home", "course", "lesson", "exam page", "case list with filters", "case page",
             "supervision board", "coverage", "worker page", "district dashboard", "certificate verification",
             "notice board")
# Pages timed beside the twelve (the scenario reports them after the twelve).
ALSO_TIMED = ("certificates of a district",)  # HR's list of the district's valid certificates


def pages(city_code: str, samples: int = 1) -> list[BenchPage]:
    """Every layer's pages, ``samples`` examples of each, in the order of ``PROVIDERS``."""
    return [page for provider in PROVIDERS for page in provider(city_code, samples)]


def trainee_usernames(city_code: str, samples: int) -> list[str]:
    """Trainees of the city spread over its list (the first, then every n-th)."""
    names = list(db.session.scalars(sa.select(User.username).where(User.username.like(f"b{city_code}-t%"))
                                    .order_by(User.username)))
    step = max(len(names) // max(samples, 1), 1)
    return names[::step][:samples]


def _case_in(district: str):
    return db.session.scalar(sa.select(Case.id).where(Case.area_code.startswith(district), Case.state == "visited")
                             .order_by(Case.id.desc()).limit(1))


def academy_pages(city_code: str, samples: int) -> list[BenchPage]:
    """Trainee home, case list and page, board, coverage, worker page, dashboard, notice board."""
    result = [BenchPage("trainee home", name, "/") for name in trainee_usernames(city_code, samples)]
    category = db.session.scalar(sa.select(Category.id).where(Category.parent_id.is_not(None)).order_by(Category.id))
    prefix = f"b{city_code}"
    for district in sample_districts(city_code, samples):
        dispatcher, hr = f"{prefix}-dispatcher-{district}", f"{prefix}-hr-{district}"
        result.append(BenchPage("case list with filters", dispatcher, f"/cases?category={category}&level=community&light=green"))
        result.append(BenchPage("case page", dispatcher, f"/cases/{_case_in(district)}"))
        result.append(BenchPage("supervision board", dispatcher, "/cases/board"))
        result.append(BenchPage("coverage", hr, "/registry/coverage"))
        worker = db.session.scalar(sa.select(Worker.id).where(Worker.area_id.in_(_area_ids_under(district)))
                                   .order_by(Worker.id).limit(1))
        result.append(BenchPage("worker page", hr, f"/registry/workers/{worker}"))
        result.append(BenchPage("district dashboard", f"{prefix}-viewer-{district}", f"/indicators/areas/{district}"))
        grid = db.session.scalar(sa.select(Grid.code).where(Grid.code.startswith(district)).order_by(Grid.code).limit(1))
        result.append(BenchPage("notice board", None, f"/board/{grid}"))
    return result


def _area_ids_under(code: str):
    return sa.select(Area.id).where(Area.code.startswith(code))


PROVIDERS = (academy_pages, enrollment.pages, lessons.pages, exams.pages, certificates.pages)
