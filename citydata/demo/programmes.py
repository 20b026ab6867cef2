"""The demo city's programmes: the pre-service programme (岗前培训, then the dispute topic, before
the on-duty qualification) with the recruits of the first district in it, and the mediation track."""
from __future__ import annotations

from courses.programmes import operations
from courses.programmes.models import ProgrammeGoal

PROGRAMMES = [
    ("GP-PRE-2026", "新录用网格员岗前培训项目", ProgrammeGoal.PRE_SERVICE, ["GA-PRE-2026-01", "GA-ON-DISPUTE"],
     "新录用网格员依次完成岗前培训和矛盾纠纷排查调解专题，结业后申请网格员上岗资格证。"),
    ("GP-SP-MEDIATION", "网格调解员专项培训项目", ProgrammeGoal.SPECIALIST, ["GA-ON-DISPUTE", "GA-SP-MEDIATOR"],
     "承担调解任务的网格员先学矛盾纠纷排查调解专题，再参加调解员专项面授。"),
]


def create_demo_programmes(demo: dict) -> None:
    """The programmes above, and the recruits already on the pre-service course put in its programme."""
    courses = demo.get("courses") or {}
    if not courses:
        return
    hr = demo.get("users", {}).get("hr")
    programmes = {}
    for code, title, goal, codes, description in PROGRAMMES:
        programmes[code] = operations.save_programme(None, hr, code=code, title=title, goal=goal, description=description,
                                                     courses=[courses[c] for c in codes])
    demo["programmes"] = programmes
    recruits = [a.worker for a in demo.get("pre_service_assignments", []) if a is not None]
    for worker in recruits:
        operations.enrol_worker(programmes["GP-PRE-2026"], worker, hr)
