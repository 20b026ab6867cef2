"""Keeping certificate types: their settings, earning and renewal rules, and requirement lines.

A changed rule applies to certificates issued from then on; those already issued keep the
evidence they were issued on. Types are never deleted (certificates point at them): they are
made inactive, and inactive types are no longer issued.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.config import BASE_DIR
from academy.extensions import db
from courses.certificates.models import CertificateError, CertificateType, Requirement, RequirementKind
from courses.enrollment.models import Course

TYPE_FIELDS = ["code", "prefix", "name", "name_en", "kind", "validity_months", "min_hours", "min_score",
               "renewal_hours", "renewal_min_score", "renewal_window_days", "automatic", "pdf_template", "active"]
CODE = re.compile(r"^[A-Z][A-Z0-9_-]{1,39}$")
PREFIX = re.compile(r"^[A-Z]{1,6}$")
TEMPLATE = re.compile(r"^[a-z0-9_-]{1,40}$")
PDF_TEMPLATES = BASE_DIR / "templates" / "certificates" / "pdf"


def pdf_templates() -> list[str]:
    """The PDF templates that exist (``templates/certificates/pdf/<name>.html``), ``default`` always."""
    names = {path.stem for path in Path(PDF_TEMPLATES).glob("*.html")
             if TEMPLATE.match(path.stem) and not path.stem.startswith("_")}
    return sorted(names | {"default"})


def _check(values: dict, cert_type: CertificateType | None) -> None:
    if not CODE.match(values["code"]):
        raise CertificateError(_("The code is 2 to 40 capital letters, digits, - or _, starting with a letter."))
    if not PREFIX.match(values["prefix"]):
        raise CertificateError(_("The number prefix is 1 to 6 capital letters."))
    clash = db.session.scalar(sa.select(CertificateType.id).where(CertificateType.code == values["code"]))
    if clash is not None and (cert_type is None or clash != cert_type.id):
        raise CertificateError(_("Certificate type code %(code)s is taken.", code=values["code"]))
    if values["pdf_template"] not in pdf_templates():
        raise CertificateError(_("Choose one of the PDF templates."))
    months = values.get("validity_months")
    if months is not None and not 1 <= months <= 240:
        raise CertificateError(_("Validity is 1 to 240 months, or none."))
    for name in ("min_hours", "renewal_hours"):
        if not Decimal(0) <= Decimal(values[name]) <= Decimal(2000):
            raise CertificateError(_("Hours are 0 to 2000."))
    for name in ("min_score", "renewal_min_score"):
        if values.get(name) is not None and not 0 <= values[name] <= 100:
            raise CertificateError(_("A score is 0 to 100."))
    if not 1 <= values["renewal_window_days"] <= 730:
        raise CertificateError(_("The renewal window is 1 to 730 days."))


def save_type(cert_type: CertificateType | None, by, **values) -> CertificateType:
    """Create or change a certificate type. Flushes."""
    _check(values, cert_type)
    creating = cert_type is None
    before, after = ({}, values) if creating else audit.changes(cert_type, TYPE_FIELDS, values)
    if creating:
        cert_type = CertificateType()
        db.session.add(cert_type)
    for name, value in values.items():
        setattr(cert_type, name, value)
    db.session.flush()
    if creating or after:
        audit.record(by, "certificate_type.create" if creating else "certificate_type.update", cert_type,
                     summary=cert_type.code, before=before or None, after=after)
    return cert_type


def add_requirement(cert_type: CertificateType, by, *, kind: RequirementKind, course: Course,
                    min_percent: Decimal | None = None) -> Requirement:
    """Add a course line to the earning rule: the course completed, or its final exam passed. Flushes."""
    if kind != RequirementKind.EXAM:
        min_percent = None
    if min_percent is not None and not Decimal(0) <= min_percent <= Decimal(100):
        raise CertificateError(_("The minimum percentage is 0 to 100."))
    if any(r.kind == kind and r.course_id == course.id for r in cert_type.requirements):
        raise CertificateError(_("The rule already has this line."))
    requirement = Requirement(kind=kind, course_id=course.id, min_percent=min_percent)
    cert_type.requirements.append(requirement)
    db.session.flush()
    audit.record(by, "certificate_type.requirement_add", cert_type, summary=f"{cert_type.code} {kind.value} {course.code}",
                 after={"kind": kind, "course": course.code, "min_percent": min_percent})
    return requirement


def remove_requirement(requirement: Requirement, by) -> None:
    cert_type = requirement.type
    audit.record(by, "certificate_type.requirement_remove", cert_type, summary=cert_type.code,
                 before={"kind": requirement.kind, "course_id": requirement.course_id,
                         "min_percent": requirement.min_percent})
    cert_type.requirements.remove(requirement)
    db.session.flush()
