"""Indicator operations: assessment scheme versions, and refreshing a period's snapshots and results.

Each takes the acting user ``by`` (None for the system: CLI, jobs), writes the audit log and
flushes; the caller commits.
"""
from __future__ import annotations

import time
from datetime import datetime

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _

from academy import audit
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.indicators import labels, queries, scoring, settings
from academy.indicators.compute import Computation, compute
from academy.indicators.definitions import COUNT_NAMES, INDICATORS
from academy.indicators.models import AssessmentResult, AssessmentScheme, IndicatorSnapshot, SnapshotPeriod
from academy.indicators.periods import Period

MAX_ITEMS = 20
SCORED_KINDS = ("worker", "grid")


class IndicatorError(DomainError):
    """A rule of the indicators refused the change; the message is for the user."""


def check_items(items: list[dict]) -> list[dict]:
    """Validate a scheme's items: known indicators once each, weights summing to 100, sane bands."""
    if not items or len(items) > MAX_ITEMS:
        raise IndicatorError(_("A scheme needs between 1 and %(n)d indicators.", n=MAX_ITEMS))
    keys = [item["indicator"] for item in items]
    if len(set(keys)) != len(keys):
        raise IndicatorError(_("An indicator is listed twice."))
    for item in items:
        if item["indicator"] not in INDICATORS or INDICATORS[item["indicator"]].denominator is None:
            raise IndicatorError(_("Unknown or unscorable indicator: %(key)s.", key=item["indicator"][:40]))
        if not 0 < item["weight"] <= 100 or not 0 <= item["target"] <= 100:
            raise IndicatorError(_("Weights lie between 1 and 100 and targets between 0 and 100."))
        for threshold, share in item.get("bands") or []:
            if not (0 <= threshold <= 1000 and 0 <= share <= 100):
                raise IndicatorError(_("A band is a threshold between 0 and 1000 and a share between 0 and 100."))
    if sum(item["weight"] for item in items) != 100:
        raise IndicatorError(_("The weights must add up to 100 (they add up to %(n)s).",
                               n=sum(item["weight"] for item in items)))
    return items


def save_scheme(by, name: str, items: list[dict], *, deduction_per_overdue: float = 0.0,
                deduction_per_dissatisfied: float = 0.0, excellent_top_n: int | None = None,
                excellent_min_score: float | None = None, min_sample: int = 5, note: str = "") -> AssessmentScheme:
    """Save a scheme as a new version (the previous versions stay, for the results that used them)
    and make it the active one."""
    name = name.strip()
    if not name:
        raise IndicatorError(_("Give the scheme a name."))
    check_items(items)
    if excellent_top_n is None and excellent_min_score is None:
        raise IndicatorError(_("Say who is excellent: the top N, a minimum score, or both."))
    latest = db.session.scalar(sa.select(sa.func.max(AssessmentScheme.version)).where(AssessmentScheme.name == name))
    db.session.execute(sa.update(AssessmentScheme).where(AssessmentScheme.active).values(active=False))
    scheme = AssessmentScheme(
        name=name[:100], version=(latest or 0) + 1, active=True, items=items,
        deduction_per_overdue=deduction_per_overdue, deduction_per_dissatisfied=deduction_per_dissatisfied,
        excellent_top_n=excellent_top_n, excellent_min_score=excellent_min_score, min_sample=min_sample,
        note=note.strip()[:500], created_by_id=getattr(by, "id", None), created_at=utcnow())
    db.session.add(scheme)
    db.session.flush()
    audit.record(by, "assessment_scheme.save", scheme, summary=f"{scheme.name} v{scheme.version}",
                 after={"items": items, "top_n": excellent_top_n, "min_score": excellent_min_score})
    return scheme


def ensure_scheme(by=None) -> AssessmentScheme:
    """The active scheme, or the standard one created as version 1 when none exists yet."""
    scheme = queries.active_scheme()
    if scheme is None:
        scheme = save_scheme(by, labels.STANDARD_SCHEME, scoring.DEFAULT_ITEMS, deduction_per_overdue=1.0,
                             deduction_per_dissatisfied=2.0, excellent_top_n=10, excellent_min_score=85.0,
                             note=labels.CREATED_AUTOMATICALLY)
    return scheme


def _snapshot_rows(comp: Computation) -> list[dict]:
    key = comp.period.key
    return [{"period_key": key, "unit_kind": kind, "unit_key": unit, "area_code": comp.areas.get((kind, unit), ""),
             "category": category, **{name: int(counts.get(name, 0)) for name in COUNT_NAMES}}
            for (kind, unit, category), counts in comp.rows.items()]


def _result_rows(comp: Computation, scheme: AssessmentScheme) -> list[dict]:
    rows, least, weight = [], settings.min_sample(), settings.basic_weight()
    for (kind, unit, category), counts in comp.rows.items():
        if category or kind not in SCORED_KINDS:
            continue
        result = scoring.score(counts, scheme, least, weight)
        rows.append({"period_key": comp.period.key, "scheme_id": scheme.id, "unit_kind": kind, "unit_key": unit,
                     "area_code": comp.areas.get((kind, unit), ""), "score": result.score,
                     "base_score": result.base, "deductions": result.deductions,
                     "sample": int(counts.get("due_to_close", 0))})
    return rows


def refresh_period(period: Period, by=None, as_of: datetime | None = None) -> SnapshotPeriod:
    """Recompute a month's, quarter's or year's snapshots and results from the raw rows."""
    started = time.perf_counter()
    return store_refresh(compute_refresh(period, as_of), by, started)


def compute_refresh(period: Period, as_of: datetime | None = None) -> Computation:
    """The reading half of a refresh: the counts of ``period``, nothing written (a job's read phase)."""
    if not period.storable:
        raise IndicatorError(_("Only months, quarters and years are kept as snapshots."))
    return compute(period, as_of)


def store_refresh(comp: Computation, by=None, started: float | None = None) -> SnapshotPeriod:
    """The writing half: replace the period's snapshots and results with ``comp``'s. Flushes."""
    period, started = comp.period, started if started is not None else time.perf_counter()
    scheme = ensure_scheme(by)
    db.session.execute(sa.delete(IndicatorSnapshot).where(IndicatorSnapshot.period_key == period.key))
    db.session.execute(sa.delete(AssessmentResult).where(AssessmentResult.period_key == period.key))
    snapshot_rows, result_rows = _snapshot_rows(comp), _result_rows(comp, scheme)
    if snapshot_rows:
        db.session.execute(sa.insert(IndicatorSnapshot), snapshot_rows)
    if result_rows:
        db.session.execute(sa.insert(AssessmentResult), result_rows)
    marker = db.session.scalar(sa.select(SnapshotPeriod).where(SnapshotPeriod.period_key == period.key))
    if marker is None:
        marker = SnapshotPeriod(period_key=period.key, kind=period.kind, first_day=period.first, end_day=period.end)
        db.session.add(marker)
    marker.refreshed_at, marker.as_of, marker.scheme_id = utcnow(), comp.as_of, scheme.id
    marker.seconds = round(time.perf_counter() - started, 3)
    db.session.flush()
    for name in ("indicator_markers", "indicator_live"):  # what this context read before is stale now
        g.pop(name, None)
    audit.record(by, "indicators.refresh", marker, summary=period.key,
                 after={"rows": len(snapshot_rows), "results": len(result_rows), "seconds": marker.seconds})
    return marker
