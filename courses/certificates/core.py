"""What issuing and renewal share: the number, the dates, the issuing branch, and making one certificate.

Numbers are ``<prefix>-<year>-<branch district>-<serial>``, e.g. ``SG-2026-320102-000123``, one
``academy.numbers`` counter per prefix, year and branch, so concurrent issuings never collide.
It sits below both ``issuing`` (which checks the rule first) and ``renewal`` (which supersedes the
old certificate), so neither imports the other for it.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit, numbers
from academy.database import city_today, utcnow
from academy.extensions import db
from academy.registry.models import Area, Worker
from courses.certificates import lifecycle, rules
from courses.certificates.models import Certificate, CertificateStatus, CertificateType
from courses.certificates.status_notices import certificate_status_changed
from courses.syllabus.models import Branch

NUMBER_PATTERN = re.compile(r"^[A-Z]{1,6}-\d{4}-\d{4,6}-\d{6}$")
# Hyphens as Chinese keyboards and word processors type them: full-width, dashes, the minus sign; a run
# of them (a Chinese input method's "——") is one hyphen.
HYPHENS = re.compile("[-\u2010-\u2015\u2212\uff0d\ufe63\u30fc\uff70]+")
MAX_REASON = 500


def normal_number(text: str) -> str:
    """A certificate number as typed or pasted, in its stored form: full-width letters and digits
    made ASCII, every kind of hyphen a hyphen, spaces (full-width too) and invisible format characters
    pasted from chat apps (zero-width space, soft hyphen, byte order mark) dropped, upper case."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return HYPHENS.sub("-", "".join(text.split())).upper()


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def issuing_branch(worker: Worker, evaluation: rules.Evaluation) -> Branch | None:
    """The branch academy of the course the evidence rests on, else the one serving the worker's district."""
    course = evaluation.attempt.exam.course if evaluation.attempt else (evaluation.courses or [None])[0]
    if course is not None:
        return course.branch
    district = worker.area.code[:6] if worker.area else ""
    return db.session.scalar(sa.select(Branch).join(Branch.area).where(Area.code == district).order_by(Branch.id))


def allocate_number(cert_type: CertificateType, branch: Branch | None, worker: Worker, day: date) -> str:
    """The next readable number of the type, year and branch; unique whatever runs at the same time."""
    place = branch.area.code if branch is not None and branch.area else (worker.area.code[:6] if worker.area else "0000")
    serial = numbers.next_value(f"certificates.{cert_type.prefix}.{day.year}.{place}")
    return f"{cert_type.prefix}-{day.year}-{place}-{serial:06d}"


def create_certificate(cert_type: CertificateType, worker: Worker, by, evaluation: rules.Evaluation, *,
                       since, manual: bool, reason: str, previous: Certificate | None = None,
                       valid_until: date | None = None) -> Certificate:
    """Make the certificate (valid from today), its first transition and audit entry, then follow
    it with the worker's duty status. Flushes. Callers check the rule first."""
    today = city_today()
    branch = issuing_branch(worker, evaluation)
    if valid_until is None and cert_type.validity_months:
        valid_until = add_months(today, cert_type.validity_months)
    attempt = evaluation.attempt
    certificate = Certificate(
        number=allocate_number(cert_type, branch, worker, today), type=cert_type, worker=worker, branch=branch,
        status=CertificateStatus.VALID, issued_on=today, valid_until=valid_until, status_since=utcnow(),
        manual=manual, reason=reason[:MAX_REASON], attempt_id=getattr(attempt, "id", None),
        exam_id=getattr(attempt, "exam_id", None), course_id=(evaluation.courses[0].id if evaluation.courses else None),
        hours=evaluation.hours if cert_type.min_hours or previous else None,
        exam_percent=getattr(attempt, "percent", None), score=evaluation.score, evidence=evaluation.evidence(),
        evidence_since=since, previous=previous, created_by_id=getattr(by, "id", None))
    db.session.add(certificate)
    db.session.flush()
    lifecycle.record_transition(certificate, None, CertificateStatus.VALID, by,
                                reason or (_("Renewed") if previous else _("Rule met")))
    audit.record(by, "certificate.issue", certificate, summary=f"{certificate.number} {worker.number}",
                 after={"type": cert_type.code, "worker": worker.number, "valid_until": valid_until,
                        "manual": manual, "evidence": certificate.evidence})
    certificate_status_changed(certificate, CertificateStatus.VALID, certificate.status_since)
    lifecycle.after_issue(certificate, by)
    return certificate
