"""Reads of the certification module: a worker's certificates, HR's lists and batch selections, the
public look-up, and what other packages ask through slots (``certificate_held``, ``coverage_findings``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from academy.database import city_today, ordered
from academy.extensions import db
from academy.jobs import Job
from academy.permissions import Role, area_scopes, scope_clause
from academy.registry.coverage import listed_workers
from academy.registry.models import Area, Worker, WorkerStatus
from courses.certificates.core import NUMBER_PATTERN, normal_number
from courses.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateType,
    VerificationKey,
)
from courses.enrollment.models import Course, CourseStatus
from courses.exams.models import Exam
from courses.syllabus.models import Branch

MAX_BATCH = 5000  # certificates in one printing batch
_LATIN = re.compile(r"^[A-Za-z .'-]+$")


def certificates_of(worker: Worker) -> list[Certificate]:
    return db.session.scalars(sa.select(Certificate).where(Certificate.worker_id == worker.id)
                              .order_by(Certificate.issued_on.desc(), Certificate.id.desc())).all()


def all_types(active_only: bool = False) -> list[CertificateType]:
    query = sa.select(CertificateType).order_by(CertificateType.code)
    if active_only:
        query = query.where(CertificateType.active.is_(True))
    return db.session.scalars(query).all()


def by_number(number: str) -> Certificate | None:
    """The certificate of a well-formed number, or None (malformed numbers are never looked up).
    Full-width characters, other hyphens and spaces are read as the number's own (``normal_number``)."""
    number = normal_number(number[:200] if number else "")
    if len(number) > 40 or not NUMBER_PATTERN.match(number):
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.number == number))


def mask_name(name: str) -> str:
    """A name as the public page shows it: 王小芳 -> 王*芳, 王芳 -> 王*, Wang Fang -> W*** F***."""
    name = (name or "").strip()
    if _LATIN.match(name):
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split() if part)
    if len(name) <= 2:
        return name[:1] + "*" * max(1, len(name) - 1)
    return name[0] + "*" * (len(name) - 2) + name[-1]


def same_name(typed: str, name: str) -> bool:
    """The search's name check: spaces and case do not matter."""
    def plain(text: str) -> str:
        return re.sub(r"\s+", "", text or "").casefold()
    return bool(plain(typed)) and plain(typed) == plain(name)


def holds_certificate(worker: Worker, type_code: str) -> bool:
    """The ``certificate_held`` slot: does the worker hold a valid certificate of this type today?"""
    today = city_today()
    rows = db.session.scalars(sa.select(Certificate).join(Certificate.type).where(
        Certificate.worker_id == worker.id, CertificateType.code == type_code, Certificate.status == CertificateStatus.VALID))
    return any(c.is_valid_on(today) for c in rows)


def holder_ids(type_code: str, day: date):
    """The ``certificate_holders`` slot: a select of the ids of workers holding a valid certificate of
    the type on ``day`` (standing mandatory rules that ask for one or for its absence)."""
    return sa.select(Certificate.worker_id).join(Certificate.type).where(
        CertificateType.code == type_code, Certificate.status == CertificateStatus.VALID,
        sa.or_(Certificate.valid_until.is_(None), Certificate.valid_until >= day))


def type_choices() -> list[tuple[str, str]]:
    """The ``certificate_type_choices`` slot: (code, name) of every active certificate type."""
    english = str(get_locale()).startswith("en")
    return [(t.code, (t.name_en if english and t.name_en else t.name)) for t in all_types(active_only=True)]


def _valid_duty_clause(today: date):
    return sa.select(Certificate.worker_id).join(Certificate.type).where(
        CertificateType.kind == CertificateKind.ON_DUTY, Certificate.status == CertificateStatus.VALID,
        sa.or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today))


def duty_holder_ids(day: date):
    """The ``duty_certificate_holders`` slot: a select of the ids of workers holding a valid on-duty
    qualification on ``day`` (the certificate-holding rate of the training statistics)."""
    return _valid_duty_clause(day)


def coverage_finding(scopes) -> list[dict]:
    """The ``coverage_findings`` slot: workers on duty without a valid on-duty qualification."""
    finding = listed_workers("uncertified", _("Workers on duty without a valid qualification certificate"),
                             [scope_clause(Area.code, scopes), Worker.status == WorkerStatus.ON_DUTY,
                              Worker.id.not_in(_valid_duty_clause(city_today()))])
    return [{"key": finding.key, "title": finding.title, "count": finding.count, "rows": finding.rows}]


# The certificate list's orders: key -> ORDER BY, the list's own first. Those that never expire come last
# when sorted by expiry (NULLS LAST, written so that SQLite and PostgreSQL agree).
CERTIFICATE_ORDERS = {
    "number": (Certificate.number,),
    "holder": (Worker.name, Worker.number, Certificate.number),
    "issued_newest": (Certificate.issued_on.desc(), Certificate.number),
    "valid_until": (Certificate.valid_until.is_(None), Certificate.valid_until, Certificate.number),
}


@dataclass
class Selection:
    """What HR picks to list or print: any of type, status, course, exam, branch, area, issue dates."""

    type_id: int | None = None
    status: str = ""
    course_id: int | None = None
    exam_id: int | None = None
    branch_id: int | None = None
    area_code: str = ""
    issued_from: date | None = None
    issued_to: date | None = None
    search: str = ""

    def query(self, scopes, sort: str = ""):
        """The certificates chosen in ``scopes``, in the order ``sort`` names (``CERTIFICATE_ORDERS``)."""
        query = (sa.select(Certificate).join(Certificate.worker).join(Worker.area)
                 .where(scope_clause(Area.code, scopes)))
        for column, value in ((Certificate.type_id, self.type_id), (Certificate.course_id, self.course_id),
                              (Certificate.exam_id, self.exam_id), (Certificate.branch_id, self.branch_id)):
            if value:
                query = query.where(column == value)
        if self.status:
            query = query.where(Certificate.status == self.status)
        if self.area_code:
            query = query.where(Area.code.startswith(self.area_code, autoescape=True))
        if self.issued_from:
            query = query.where(Certificate.issued_on >= self.issued_from)
        if self.issued_to:
            query = query.where(Certificate.issued_on <= self.issued_to)
        if self.search:
            pattern = f"%{self.search}%"
            query = query.where(sa.or_(Certificate.number.ilike(pattern, escape="\\"),
                                       Worker.name.ilike(pattern, escape="\\"), Worker.number == self.search))
        return ordered(query, CERTIFICATE_ORDERS, sort)


def courses(include_archived: bool = True) -> list[Course]:
    """Courses by code, for the forms' choices (a requirement names a course not archived)."""
    query = sa.select(Course).order_by(Course.code)
    if not include_archived:
        query = query.where(Course.status != CourseStatus.ARCHIVED)
    return db.session.scalars(query).all()


def course(course_id: int) -> Course | None:
    return db.session.get(Course, course_id)


def final_exams() -> list[Exam]:
    return db.session.scalars(sa.select(Exam).options(joinedload(Exam.course)).where(Exam.is_final.is_(True))
                              .order_by(Exam.id)).all()


def branches() -> list[Branch]:
    return db.session.scalars(sa.select(Branch).order_by(Branch.code)).all()


def worker_by_number(number: str) -> Worker | None:
    return db.session.scalar(sa.select(Worker).where(Worker.number == number))


def recent_batches(user, kind: str) -> list[Job]:
    """The user's latest printing jobs, newest first."""
    return db.session.scalars(sa.select(Job).where(Job.kind == kind, Job.created_by_id == user.id)
                              .order_by(Job.created_at.desc()).limit(20)).all()


def hr_scopes(user):
    return area_scopes(user, Role.HR)


def batch_size(selection: Selection, scopes) -> int:
    """How many valid certificates a batch of ``selection`` would print."""
    selection.status = CertificateStatus.VALID.value
    return db.session.scalar(sa.select(sa.func.count()).select_from(selection.query(scopes).order_by(None).subquery()))


def batch_certificates(selection: Selection, scopes) -> list[Certificate]:
    """The valid certificates a batch prints, at most ``MAX_BATCH`` + 1 (so the caller can refuse more)."""
    selection.status = CertificateStatus.VALID.value
    return db.session.scalars(selection.query(scopes).limit(MAX_BATCH + 1)).all()


def public_facts(certificate) -> dict:
    """What anyone may learn about a certificate (the page and the JSON say the same)."""
    today = city_today()
    status = certificate.effective_status(today)
    since = certificate.valid_until if status.value == "expired" else certificate.status_since.date()
    return {"number": certificate.number, "status": status.value, "type": certificate.type.name,
            "type_en": certificate.type.name_en or certificate.type.name, "holder": mask_name(certificate.worker.name),
            "issued_on": certificate.issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
            "status_since": since.isoformat(), "checked_on": today.isoformat()}


def active_verification_key(key_hash: str) -> VerificationKey | None:
    """The integrator's key that hashes to ``key_hash``, while it is active."""
    return db.session.scalar(sa.select(VerificationKey).where(VerificationKey.key_hash == key_hash,
                                                              VerificationKey.active.is_(True)))


def verification_keys() -> list[VerificationKey]:
    """Every integrator's key, the active ones first, the newest first."""
    return list(db.session.scalars(sa.select(VerificationKey).order_by(VerificationKey.active.desc(),
                                                                       VerificationKey.id.desc())))
