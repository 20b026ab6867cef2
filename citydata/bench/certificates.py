"""Certificates' part of the benchmark city (the ``bench_data`` slot, order 50).

Types go through ``types``: each district's on-duty qualification (上岗资格证, prefix SG, 36
months, renewed with 24 in-service hours), earned by passing the final exam of the district's
pre-service course, so a trainee now in training who passes it is certified (and put on duty) by
the module's own trigger; and a completion certificate for each in-service course (prefixes JY
and AQ, no expiry), earned by completing the course with its final exam passed.

The many certificates are written in bulk (``BulkWriter``) as ``issuing`` makes them, numbered
``<prefix>-<year>-<branch district>-<serial>`` from one ``academy.numbers`` reservation per series
(serials in the order of issue), so numbers issued later continue each series:

- every worker on duty holds his on-duty qualification. The registry's history puts him on duty
  after the pre-service course, before the academy's records begin, so these are the records
  carried over from the paper register (by hand, with that reason, as the demo writes them), issued
  the day he went on duty and renewed in each renewal window since, the old one superseded by its
  successor (valid until the old date plus 36 months); some are in their renewal window now;
- a trainee who completed an in-service course with its final exam passed (the exams' step graded
  it) holds the course's completion certificate, issued when both were done, with the evidence
  (course, attempt) ``rules.Evaluation.evidence`` records.

Then the few certificates that end go through the module's operations, which write their
transitions, audit entries and the worker's status as they do on the site: a few qualifications
not renewed before their date are expired by ``lifecycle.expire_due`` (the nightly sweep), which
takes their holders off duty; HR suspends a few workers (``registry.change_status``: their
qualifications are suspended by the module's listener) and revokes a few qualifications
(``lifecycle.revoke_certificate``: the holder goes off duty).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy import numbers
from academy.accounts.models import User
from academy.extensions import db
from academy.registry import operations
from academy.registry.models import Area, Worker, WorkerStatus, WorkerStatusChange
from citydata.bench.page import BenchPage, sample_districts
from citydata.bench.people import username
from citydata.demo.certificates import PAPER
from courses.certificates import lifecycle, types
from courses.certificates.core import add_months
from courses.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTransition,
    RequirementKind,
)
from courses.enrollment.models import Course
from courses.exams.models import Attempt, Exam
from courses.syllabus.models import Branch

VALIDITY_MONTHS = 36
WINDOW_DAYS = 90
# in-service course key -> (code part, prefix, name, English name)
COMPLETIONS = {
    "DISPUTE": ("DISPUTE", "JY", "矛盾纠纷排查调解专题结业证书", "Dispute mediation course certificate"),
    "HAZARD": ("HAZARD", "AQ", "安全隐患识别与应急处置专题结业证书", "Hazard and emergency course certificate"),
}
LAPSED_SHARE = 0.3  # of the qualifications whose date passed in the last LAPSED_DAYS: not renewed in time
LAPSED_DAYS = 60
SUSPENDED_SHARE, REVOKED_SHARE = 0.01, 0.005  # of the workers on duty
SUSPENSION_REASON = "停职审查"
REVOCATION_REASON = "经核查，持证人上岗资格材料不实，予以撤销"


# ---- types -----------------------------------------------------------------------------------


def _save_type(code: str, prefix: str, name: str, name_en: str, kind, months, renewal_hours: str):
    return types.save_type(
        None, None, code=code, prefix=prefix, name=name, name_en=name_en, kind=kind, validity_months=months,
        min_hours=Decimal("0"), min_score=None, renewal_hours=Decimal(renewal_hours), renewal_min_score=None,
        renewal_window_days=WINDOW_DAYS, automatic=True, pdf_template="default", active=True)


def make_types(city) -> tuple[dict[str, int], dict[int, int]]:
    """District -> its on-duty type id; in-service course id -> its completion type id."""
    prefix, courses = f"B{city.state['city_code']}", city.state["course_kinds"]
    pre = {db.session.get(Course, cid).branch.area.code: cid for cid, kind in courses.items() if kind == "PRE"}
    duty, completion = {}, {}
    for district in city.state["districts"]:
        cert_type = _save_type(f"{prefix}-ONDUTY-{district}", "SG", f"网格员上岗资格证（{district}）",
                               f"Grid worker on-duty qualification ({district})", CertificateKind.ON_DUTY,
                               VALIDITY_MONTHS, "24")
        types.add_requirement(cert_type, None, kind=RequirementKind.EXAM, course=db.session.get(Course, pre[district]))
        duty[district] = cert_type.id
    for course_id, kind in courses.items():
        if kind in COMPLETIONS:
            part, number_prefix, name, name_en = COMPLETIONS[kind]
            cert_type = _save_type(f"{prefix}-{part}", number_prefix, name, name_en, CertificateKind.COMPLETION, None, "0")
            course = db.session.get(Course, course_id)
            types.add_requirement(cert_type, None, kind=RequirementKind.COURSE, course=course)
            types.add_requirement(cert_type, None, kind=RequirementKind.EXAM, course=course)
            completion[course_id] = cert_type.id
    city.count("certificate types", len(duty) + len(completion))
    return duty, completion


# ---- the rows --------------------------------------------------------------------------------


class Certificates:
    """The certificates of the step before they are numbered and written."""

    def __init__(self, city) -> None:
        self.city, self.rows, self.steps = city, [], defaultdict(list)  # steps: id of a row -> its transitions
        self.places: dict[int, str] = {}  # branch id -> its district code

    def add(self, type_id: int, prefix: str, branch_id: int, issued: datetime, by_id: int | None, **values) -> dict:
        row = {"type_id": type_id, "branch_id": branch_id, "status": CertificateStatus.VALID, "issued_on": issued.date(),
               "status_since": issued, "created_at": issued, "created_by_id": by_id, "evidence_since": None,
               "valid_until": None, **values}
        row["_series"] = f"certificates.{prefix}.{issued.year}.{self.places[branch_id]}"  # as allocate_number names it
        self.rows.append(row)
        return row

    def step(self, row: dict, before, after, at: datetime, by_id: int | None, reason: str) -> None:
        self.steps[id(row)].append({"from_status": before, "to_status": after, "at": at, "by_id": by_id,
                                    "reason": reason})

    def write(self) -> None:
        """Ids, numbers (per series, in the order of issue), then the rows and their transitions."""
        writer, city = self.city.writer, self.city
        for row, certificate_id in zip(self.rows, writer.ids(Certificate.__table__, len(self.rows)), strict=True):
            row["id"] = certificate_id
        by_series = defaultdict(list)
        for row in self.rows:
            by_series[row["_series"]].append(row)
        for series, rows in sorted(by_series.items()):
            rows.sort(key=lambda r: (r["created_at"], r["id"]))
            for row, serial in zip(rows, numbers.reserve(series, len(rows)), strict=True):
                _c, prefix, year, place = series.split(".")
                row["number"] = f"{prefix}-{year}-{place}-{serial:06d}"
        for row in sorted(self.rows, key=lambda r: r["id"]):  # a successor points at its predecessor's id
            if "_previous" in row:
                row["previous_id"] = row.pop("_previous")["id"]
            for transition in self.steps.pop(id(row), []):
                writer.add(CertificateTransition.__table__, {**transition, "certificate_id": row["id"]})
                city.count("certificate transitions")
            writer.add(Certificate.__table__, {k: v for k, v in row.items() if not k.startswith("_")})
            writer.maybe_flush()
        city.count("certificates", len(self.rows))


def _on_duty_at(hired: date) -> datetime:
    """When the registry's history put the worker on duty (``registry._lifecycle``: hired + 60 days)."""
    return datetime(hired.year, hired.month, hired.day, 1, tzinfo=UTC) + timedelta(days=60)


def _dates(hired: date, today: date) -> tuple[datetime, list[date]]:
    """When a worker on duty was first certified, and the end dates of his qualifications since
    (each renewal runs on from the old end), up to the first that is still to come."""
    issued = _on_duty_at(hired) - timedelta(minutes=30)  # certified, then put on duty
    ends = [add_months(issued.date(), VALIDITY_MONTHS)]
    while ends[-1] < today:
        ends.append(add_months(ends[-1], VALIDITY_MONTHS))
    return issued, ends


def _lapsing(city, hired: dict[int, date], on_duty: list[int]) -> set[int]:
    """The workers who let their qualification run out lately (at least one in a city of ten on duty)."""
    today = city.end.date()
    candidates = [w for w in on_duty if len(_dates(hired[w], today)[1]) > 1
                  and _dates(hired[w], today)[1][-2] >= today - timedelta(days=LAPSED_DAYS)]
    if not candidates or len(on_duty) < 10:
        return set()
    return set(city.rng.sample(candidates, max(1, round(len(candidates) * LAPSED_SHARE))))


def qualifications(city, made: Certificates, duty: dict[str, int], hired: dict[int, date]) -> list[dict]:
    """Each worker on duty: his qualification since he went on duty, renewed in each window since.
    Returns the certificates whose date passed lately and that were not renewed (lapsed)."""
    rng, today, lapsed = city.rng, city.end.date(), []
    on_duty = [w[0] for w in city.state["workers"] if city.state["worker_status"][w[0]] == "on_duty"]
    lapsing = _lapsing(city, hired, on_duty)
    districts = {w[0]: w[2][:6] for w in city.state["workers"]}
    for worker_id in on_duty:
        district = districts[worker_id]
        hr = city.state["staff"][username(city, "hr", district)]
        branch = city.state["branch_ids"][district]
        issued, ends = _dates(hired[worker_id], today)
        row = made.add(duty[district], "SG", branch, issued, hr, worker_id=worker_id, valid_until=ends[0], manual=True,
                       reason=PAPER, evidence={"source": PAPER})
        made.step(row, None, CertificateStatus.VALID, issued, hr, PAPER)
        chain = [*ends, add_months(ends[-1], VALIDITY_MONTHS)]  # the current one may be renewed early already
        for until, successor_until in zip(chain, chain[1:], strict=False):
            if worker_id in lapsing and successor_until == ends[-1]:
                lapsed.append(row)  # its date passed lately and no renewal came: the sweep expires it
                break
            renewed_at = datetime.combine(until - timedelta(days=rng.randint(3, WINDOW_DAYS - 5)),
                                          datetime.min.time(), UTC) + timedelta(hours=rng.uniform(1, 9))
            if renewed_at >= city.end:
                break  # not renewed yet: valid, in its renewal window now or later
            successor = made.add(duty[district], "SG", branch, renewed_at, hr, worker_id=worker_id,
                                 valid_until=successor_until, manual=True, reason=f"{PAPER}（复审换证）",
                                 evidence={"source": PAPER}, evidence_since=datetime.combine(
                                     row["issued_on"], datetime.min.time(), UTC), _previous=row)
            made.step(successor, None, CertificateStatus.VALID, renewed_at, hr, f"{PAPER}（复审换证）")
            made.step(row, CertificateStatus.VALID, CertificateStatus.SUPERSEDED, renewed_at, hr, "复审换证")
            row.update(status=CertificateStatus.SUPERSEDED, status_since=renewed_at)
            row = successor
    return lapsed


def _passed_finals(city, course_ids) -> dict[tuple[int, int], tuple]:
    """(worker, course) -> the passed graded final attempt the exams' step wrote, with its exam."""
    workers = {w[0] for w in city.state["workers"]}
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.worker_id, Exam.course_id, Attempt.exam_id, Exam.title, Attempt.score,
                  Attempt.max_score, Attempt.percent, Attempt.graded_at)
        .join(Exam, Exam.id == Attempt.exam_id)
        .where(Exam.course_id.in_(course_ids), Exam.is_final.is_(True), Attempt.state == "graded",
               Attempt.passed.is_(True)).order_by(Attempt.percent.desc(), Attempt.graded_at)).all()
    found = {}
    for row in rows:
        if row.worker_id in workers:
            found.setdefault((row.worker_id, row.course_id), row)
    return found


def completions(city, made: Certificates, completion: dict[int, int]) -> None:
    """Each completed in-service enrolment whose final exam was passed: the course's certificate."""
    if not completion:
        return
    courses = {cid: db.session.get(Course, cid) for cid in completion}
    passed = _passed_finals(city, list(completion))
    prefixes = {cid: COMPLETIONS[city.state["course_kinds"][cid]][1] for cid in completion}
    for _id, course_id, worker_id, _user, outcome, _enrolled, finished in city.state["enrollments"]:
        attempt = passed.get((worker_id, course_id))
        if course_id not in completion or outcome != "completed" or attempt is None:
            continue
        course = courses[course_id]
        issued = max(finished, attempt.graded_at) + timedelta(seconds=1)  # the trigger of the later of the two
        evidence = {"courses": [course.code], "hours": "0", "score": None, "period": "", "attempts": [{
            "attempt_id": attempt.id, "exam_id": attempt.exam_id, "exam": attempt.title, "course_id": course_id,
            "course": course.code, "score": str(attempt.score), "max_score": str(attempt.max_score),
            "percent": str(attempt.percent), "passed": True, "graded_at": attempt.graded_at.isoformat()}]}
        row = made.add(completion[course_id], prefixes[course_id], course.branch_id, issued, None, worker_id=worker_id,
                       manual=False, reason="", attempt_id=attempt.id, exam_id=attempt.exam_id, course_id=course_id,
                       exam_percent=attempt.percent, evidence=evidence)
        made.step(row, None, CertificateStatus.VALID, issued, None, "达到发证条件")  # "Rule met", as issuing records it


# ---- the ends, through the operations --------------------------------------------------------


def _hr(city, worker: Worker):
    return db.session.get(User, city.state["staff"][username(city, "hr", worker.area.code[:6])])


def end_some(city, lapsed: list[dict]) -> None:
    """Lapsed qualifications expired by the sweep; a few workers suspended and a few revoked by HR."""
    today = city.end.date()
    if lapsed:
        expired = lifecycle.expire_due(today)
        ids = [row["id"] for row in lapsed]
        _back_date(ids)
        city.count("certificates expired", expired)
        city.count("certificate transitions", expired)
    rng = city.rng
    standing = db.session.scalars(sa.select(Certificate).join(Worker, Worker.id == Certificate.worker_id).where(
        Certificate.status == CertificateStatus.VALID, Certificate.type_id.in_(city.state["certificate_duty_types"]),
        Worker.status == WorkerStatus.ON_DUTY).order_by(Certificate.id)).all()
    suspend = round(len(standing) * SUSPENDED_SHARE) or (1 if len(standing) >= 10 else 0)
    revoke = round(len(standing) * REVOKED_SHARE) or (1 if len(standing) >= 10 else 0)
    chosen = rng.sample(standing, min(len(standing), suspend + revoke))
    split = min(suspend, len(chosen))
    for certificate in chosen[:split]:
        operations.change_status(certificate.worker, WorkerStatus.SUSPENDED, _hr(city, certificate.worker),
                                 SUSPENSION_REASON)
        city.count("certificates suspended")
        city.count("certificate transitions")
    for certificate in chosen[split:]:
        lifecycle.revoke_certificate(certificate, _hr(city, certificate.worker), reason=REVOCATION_REASON)
        city.count("certificates revoked")
        city.count("certificate transitions")
    db.session.flush()
    for worker_id, status in db.session.execute(sa.select(Worker.id, Worker.status).where(
            Worker.id.in_([c.worker_id for c in chosen] + [row["worker_id"] for row in lapsed]))):
        city.state["worker_status"][worker_id] = status.value


def _back_date(certificate_ids: list[int]) -> None:
    """The sweep runs the night after a certificate's date: its expiry (and the worker's status change
    it made) is dated then, not when the city was built."""
    for certificate in db.session.scalars(sa.select(Certificate).where(Certificate.id.in_(certificate_ids))):
        night = datetime.combine(certificate.valid_until + timedelta(days=1), datetime.min.time(), UTC) + timedelta(hours=2)
        certificate.status_since = night
        for transition in certificate.transitions:
            if transition.to_status == CertificateStatus.EXPIRED:
                transition.at = night
        if certificate.off_duty_change_id:
            db.session.get(WorkerStatusChange, certificate.off_duty_change_id).at = night
    db.session.flush()


def run(city) -> None:
    """Types, the qualifications of the workers on duty and the completions earned, then the ends."""
    duty, completion = make_types(city)
    city.state["certificate_duty_types"] = list(duty.values())
    made = Certificates(city)

    made.places = {b.id: b.area.code for b in db.session.scalars(sa.select(Branch))}
    hired = dict(db.session.execute(sa.select(Worker.id, Worker.hired_on).where(
        Worker.id.in_([w[0] for w in city.state["workers"]]))).all())
    lapsed = qualifications(city, made, duty, hired)
    completions(city, made, completion)
    made.write()
    city.writer.commit()  # the rows in, the sequences past them: the operations below add their own
    end_some(city, lapsed)


# ---- the pages -------------------------------------------------------------------------------


def pages(city_code: str, samples: int) -> list:
    """The public verification page of sample certificates of the city (most valid, one of each other
    status), and HR's list of his district's certificates (the ``bench_pages`` slot)."""
    in_city = (sa.select(Certificate.number).join(Worker, Worker.id == Certificate.worker_id)
               .join(Area, Area.id == Worker.area_id).where(Area.code.startswith(city_code)))
    chosen = []
    for status in (CertificateStatus.EXPIRED, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        chosen += db.session.scalars(in_city.where(Certificate.status == status).order_by(Certificate.number).limit(1))
    valid = list(db.session.scalars(in_city.where(Certificate.status == CertificateStatus.VALID).order_by(Certificate.number)))
    step = max(len(valid) // max(samples, 1), 1)
    chosen = valid[::step][:max(samples - len(chosen), 1)] + chosen
    result = [BenchPage("certificate verification", None, f"/verify/{number}") for number in chosen[:max(samples, 1)]]
    for district in sample_districts(city_code, samples):
        result.append(BenchPage("certificates of a district", f"b{city_code}-hr-{district}",
                                f"/certificates?area={district}&status=valid"))
    return result
