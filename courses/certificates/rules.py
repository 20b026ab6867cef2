"""Does a worker meet a rule, and on what evidence? The earning rule of a type and the renewal rule
of a certificate, each as a list of checks the worker (and HR) can read.

Evidence counts only from ``since`` on: for a first certificate from ever; for the next one of the
same type (after a lapse or a revocation), only what came after the previous one was issued, so one
passed exam never earns the same certificate twice. Hours are the hours credited on enrollments
begun since then; renewal hours only those of in-service and refresher courses.

The assessment score is the indicators' score of the worker in the latest quarter whose results
are stored (``flask academy indicators-refresh``), else the previous quarter computed live.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.database import city_today
from academy.extensions import db
from academy.indicators import queries
from academy.indicators.models import SnapshotPeriod
from academy.indicators.periods import Period, parse_period
from academy.registry.models import Worker
from courses.certificates.models import Certificate, CertificateType, Requirement, RequirementKind
from courses.enrollment.models import Course, CourseKind, Enrollment, EnrollmentState
from courses.exams.models import Attempt
from courses.exams.queries import attempt_evidence, passed_final_attempts

RENEWAL_KINDS = (CourseKind.IN_SERVICE, CourseKind.REFRESHER)
COUNTED_STATES = (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED)


@dataclass
class Check:
    """One line of a rule: what is asked, whether it is met, and the figure behind the answer."""

    kind: str  # course, exam, hours, score
    label: str
    met: bool
    detail: str = ""


@dataclass
class Evaluation:
    checks: list[Check] = field(default_factory=list)
    attempt: Attempt | None = None  # the best attempt of the first exam requirement
    attempts: list[Attempt] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    hours: Decimal = Decimal("0")
    score: float | None = None
    period: str = ""

    @property
    def met(self) -> bool:
        """Met when every check is met; a rule without any check is never met (a type not set up yet)."""
        return bool(self.checks) and all(check.met for check in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [check for check in self.checks if not check.met]

    def evidence(self) -> dict:
        """The facts the certificate keeps: courses, the exam attempts, hours, score."""
        return {"courses": [course.code for course in self.courses],
                "attempts": [attempt_evidence(a) for a in self.attempts],
                "hours": str(self.hours), "score": self.score, "period": self.period}


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# ---- the pieces ------------------------------------------------------------------------------


def _course_check(requirement: Requirement, worker: Worker, since: datetime | None, result: Evaluation) -> Check:
    query = sa.select(Enrollment).where(Enrollment.course_id == requirement.course_id, Enrollment.worker_id == worker.id,
                                        Enrollment.state == EnrollmentState.COMPLETED)
    if since is not None:
        query = query.where(Enrollment.finished_at >= since)
    done = db.session.scalar(query)
    course = requirement.course
    if done is not None:
        result.courses.append(course)
    return Check("course", _("Course %(code)s %(title)s completed", code=course.code, title=course.title),
                 done is not None, _("completed") if done is not None else _("not yet"))


def _exam_check(requirement: Requirement, worker: Worker, since: datetime | None, result: Evaluation) -> Check:
    attempts = [a for a in passed_final_attempts(worker.id, course_id=requirement.course_id,
                                                 min_percent=requirement.min_percent, pre_service_only=False)
                if since is None or (a.graded_at is not None and a.graded_at >= since)]
    course = requirement.course
    if requirement.min_percent is not None:
        label = _("Final exam of %(code)s passed with at least %(p)s %%", code=course.code, p=requirement.min_percent)
    else:
        label = _("Final exam of %(code)s passed", code=course.code)
    if not attempts:
        return Check("exam", label, False, _("not yet"))
    best = attempts[0]
    result.attempts.append(best)
    result.attempt = result.attempt or best
    if course not in result.courses:
        result.courses.append(course)
    return Check("exam", label, True, _("%(p)s %%", p=best.percent))


def hours_since(worker: Worker, since: datetime | None, kinds: tuple[CourseKind, ...] | None = None) -> Decimal:
    """Hours credited on the worker's enrollments begun since ``since`` (of courses of ``kinds``)."""
    query = sa.select(Enrollment).where(Enrollment.worker_id == worker.id, Enrollment.state.in_(COUNTED_STATES))
    if since is not None:
        query = query.where(Enrollment.enrolled_at >= since)
    if kinds is not None:
        query = query.join(Enrollment.course).where(Course.kind.in_(kinds))
    return sum((e.hours_credited for e in db.session.scalars(query)), Decimal("0"))


def fmt_hours(value) -> str:
    """Hours as people read them, one decimal: 7.0."""
    return str(Decimal(value or 0).quantize(Decimal("0.1")))


def _hours_check(needed: Decimal, hours: Decimal, label: str) -> Check:
    return Check("hours", label, hours >= needed, _("%(h)s of %(n)s hours", h=fmt_hours(hours), n=fmt_hours(needed)))


def assessment_period() -> Period:
    """The quarter whose assessment score counts: the latest one stored, else the previous quarter."""
    key = db.session.scalar(sa.select(sa.func.max(SnapshotPeriod.period_key)).where(SnapshotPeriod.kind == "quarter"))
    if key:
        return parse_period(key)
    today = city_today()
    first_of_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous = first_of_quarter - timedelta(days=1)
    return parse_period(f"{previous.year}-Q{(previous.month - 1) // 3 + 1}")


def _score_check(needed: float, worker: Worker, result: Evaluation) -> Check:
    period = assessment_period()
    area = worker.area.code if worker.area else ""
    score = queries.score_of(period, "worker", str(worker.id), area)
    result.score, result.period = score, period.key
    label = _("Assessment score at least %(n)s", n=needed)
    if score is None:
        return Check("score", label, False, _("no score for %(period)s yet", period=period.key))
    return Check("score", label, score >= needed, _("%(s).1f in %(period)s", s=score, period=period.key))


# ---- the rules -------------------------------------------------------------------------------


def evaluate(cert_type: CertificateType, worker: Worker, since: datetime | None = None,
             exams_only: bool = False) -> Evaluation:
    """The earning rule of ``cert_type`` for ``worker``, counting evidence from ``since`` on.

    ``exams_only`` checks the exam requirements alone (to see whether a regrade undid a certificate)."""
    result = Evaluation()
    for requirement in cert_type.requirements:
        if requirement.kind == RequirementKind.EXAM:
            result.checks.append(_exam_check(requirement, worker, since, result))
        elif not exams_only:
            result.checks.append(_course_check(requirement, worker, since, result))
    if exams_only:
        return result
    if cert_type.min_hours:
        result.hours = hours_since(worker, since)
        result.checks.append(_hours_check(cert_type.min_hours, result.hours,
                                          _("At least %(n)s hours of training", n=fmt_hours(cert_type.min_hours))))
    if cert_type.min_score is not None:
        result.checks.append(_score_check(cert_type.min_score, worker, result))
    return result


def evaluate_renewal(certificate: Certificate) -> Evaluation:
    """The renewal rule of ``certificate``'s type: in-service hours since it was issued, the score."""
    cert_type, worker = certificate.type, certificate.worker
    result = Evaluation()
    if cert_type.renewal_hours:
        result.hours = hours_since(worker, start_of(certificate.issued_on), RENEWAL_KINDS)
        result.checks.append(_hours_check(cert_type.renewal_hours, result.hours,
                                          _("At least %(n)s in-service hours since %(d)s", n=fmt_hours(cert_type.renewal_hours),
                                            d=certificate.issued_on)))
    if cert_type.renewal_min_score is not None:
        result.checks.append(_score_check(cert_type.renewal_min_score, worker, result))
    return result


def evidence_cutoff(cert_type: CertificateType, worker: Worker) -> datetime | None:
    """From when evidence counts for a new certificate: the issuing of the worker's latest one of the type."""
    return db.session.scalar(sa.select(sa.func.max(Certificate.created_at)).where(
        Certificate.type_id == cert_type.id, Certificate.worker_id == worker.id))
