"""The syllabus's part of the benchmark city (the ``bench_data`` slot, order 40).

The city's unified syllabus is the demo's (seven modules, 18 units), reviewed by two committee
members and published through the operations; each district gets its branch academy and its
instructor a place in the trainer pool. When a current version exists (``--append``) it is kept:
a city has one syllabus.
"""
from __future__ import annotations

from academy.accounts.models import User
from academy.extensions import db
from academy.registry.models import Area
from citydata.bench.people import username
from citydata.demo.syllabus import _add_units
from courses.syllabus import operations
from courses.syllabus.models import ReviewDecision
from courses.syllabus.queries import current_version, is_committee_member

SPECIALTIES = ["M3.2", "M4.1", "M4.2", "M6.1"]


def _staff(city, *parts: str) -> User:
    return db.session.get(User, city.state["staff"][username(city, *parts)])


def _publish(city):
    version = operations.create_version(None, title="网格员统一教学大纲（基准版）",
                                 notes="全市统一教学大纲和考核标准，适用于岗前培训和在岗轮训。")
    _add_units(version)
    operations.submit_for_review(version, None)
    reviewers = [_staff(city, "admin"), _staff(city, "viewer")] + [_staff(city, "viewer", d) for d in city.state["districts"]]
    for reviewer in reviewers[:max(operations.required_approvals(), 1)]:
        if not is_committee_member(reviewer):
            operations.add_committee_member(reviewer, None, title="专家委员会委员")
        operations.review_version(version, reviewer, decision=ReviewDecision.APPROVE, comment="同意发布。")
    operations.publish_version(version, None)
    return version


def run(city) -> None:
    """Syllabus (kept if one is current), a branch per district, each district's instructor a trainer."""
    version = current_version() or _publish(city)
    branches = {}
    for district in city.state["districts"]:
        area = db.session.get(Area, city.state["area_ids"][district])
        branches[district] = operations.create_branch(None, code=f"FY-{district}", name=f"{area.name}分院", area=area)
        operations.add_trainer(_staff(city, "instructor", district), None, branch=branches[district],
                        qualifications="社会工作师；人民调解员", specialties=SPECIALTIES)
    city.state.update(syllabus_id=version.id, branch_ids={d: b.id for d, b in branches.items()})
    city.count("branches", len(branches))
