"""The demo city's certificate types, and certificates held by its workers: most valid, some in the
renewal window, some expired. The held ones are written as records carried over from the paper
register (issued by hand before the academy went online, with that reason), since the demo city
has no exam history behind them; new certificates are earned through the rules.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from academy.extensions import db
from academy.registry.models import Employment, WorkerStatus
from courses.certificates import core, lifecycle, types
from courses.certificates.models import Certificate, CertificateKind, CertificateStatus, RequirementKind

PAPER = "历史纸质证书录入"
# code, prefix, name, English name, kind, months, min hours, min score, renewal hours, renewal score
TYPES = [
    ("ONDUTY", "SG", "网格员上岗资格证", "Grid worker on-duty qualification", CertificateKind.ON_DUTY, 36, "0", None, "24", None),
    ("DISPUTE", "JY", "矛盾纠纷排查调解专题结业证书", "Dispute mediation course certificate", CertificateKind.COMPLETION,
     None, "0", None, "0", None),
    ("MEDIATOR", "TJ", "网格调解员专项证书", "Grid mediator specialist certificate", CertificateKind.SPECIALIST, 24, "8",
     80.0, "12", 80.0),
]
RULES = {"ONDUTY": [(RequirementKind.EXAM, "GA-PRE-2026-01")], "DISPUTE": [(RequirementKind.COURSE, "GA-ON-DISPUTE")],
         "MEDIATOR": [(RequirementKind.COURSE, "GA-SP-MEDIATOR")]}


def _types(by, courses: dict) -> dict:
    made = {}
    for code, prefix, name, name_en, kind, months, hours, score, r_hours, r_score in TYPES:
        cert_type = types.save_type(
            None, by, code=code, prefix=prefix, name=name, name_en=name_en, kind=kind, validity_months=months,
            min_hours=Decimal(hours), min_score=score, renewal_hours=Decimal(r_hours), renewal_min_score=r_score,
            renewal_window_days=90, automatic=True, pdf_template="default", active=True)
        for requirement, course_code in RULES[code]:
            if course_code in courses:
                types.add_requirement(cert_type, by, kind=requirement, course=courses[course_code])
        made[code] = cert_type
    return made


def _paper_certificate(cert_type, worker, by, issued_on: date, branch) -> Certificate:
    valid_until = core.add_months(issued_on, cert_type.validity_months) if cert_type.validity_months else None
    number = core.allocate_number(cert_type, branch, worker, issued_on)
    certificate = Certificate(number=number, type=cert_type, worker=worker, branch=branch, status=CertificateStatus.VALID,
                              issued_on=issued_on, valid_until=valid_until, manual=True, reason=PAPER,
                              evidence={"source": PAPER}, created_by_id=getattr(by, "id", None))
    db.session.add(certificate)
    db.session.flush()
    lifecycle.record_transition(certificate, None, CertificateStatus.VALID, by, PAPER)
    return certificate


def create_demo_certificates(demo: dict) -> None:
    """Types on the demo courses; on-duty workers' certificates (valid, due for renewal), two expired."""
    courses, branches = demo.get("courses") or {}, demo.get("branches") or {}
    if not courses:
        return
    by = demo.get("users", {}).get("hr")
    cert_types = _types(by, courses)
    demo["certificate_types"] = cert_types
    workers = list((demo.get("workers") or {}).values()) if isinstance(demo.get("workers"), dict) else \
        list(demo.get("workers") or [])
    today = date.today()
    on_duty = [w for w in workers if w.status == WorkerStatus.ON_DUTY]
    # 持证上岗: every worker on duty holds a valid on-duty qualification (the registry put them on duty
    # before this step ran; these are the paper certificates that did it).
    for index, worker in enumerate(on_duty):
        # three of them were certified 34 months ago: inside the 90-day renewal window now
        issued = today - timedelta(days=34 * 30 + 10 * index) if index < 3 else date(2025, 3, 1) - timedelta(days=7 * index)
        _paper_certificate(cert_types["ONDUTY"], worker, by, issued, branches.get(worker.area.code[:6]))
    helpers = [w for w in workers if w.employment == Employment.PART_TIME and w.status != WorkerStatus.EXITED]
    for worker in helpers[:2]:  # certified long ago, never renewed: lapsed (they are not on duty)
        certificate = _paper_certificate(cert_types["ONDUTY"], worker, by, today - timedelta(days=40 * 30),
                                         branches.get(worker.area.code[:6]))
        lifecycle.end_certificate(certificate, CertificateStatus.EXPIRED, by, "超过有效期未复审")
    for worker in on_duty[:2]:
        _paper_certificate(cert_types["DISPUTE"], worker, by, date(2025, 11, 20), branches.get("320102"))
