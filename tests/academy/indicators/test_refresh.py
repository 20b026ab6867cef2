"""Refreshing snapshots: the CLI command, the background job, the trigger when cases change, and
the "training_needs" slot the academy reads."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from academy.cases.models import Level
from academy.cases.operations import link_report, start_patrol
from academy.contributions import contributions
from academy.extensions import db
from academy.indicators.models import IndicatorSnapshot, SnapshotPeriod
from academy.indicators.operations import ensure_scheme, refresh_period
from academy.indicators.periods import current_month, parse_period
from academy.indicators.refresh import JOB_KIND, request_refresh
from academy.jobs import Job, JobStatus
from tests.fixtures.indicators import at, make_case


def changed_case(city, reported):
    """A case changed by a case operation (a second report of it), which sends ``case_changed``."""
    case = make_case(grid=city.grids[0], worker=city.workers[0], category=city.dispute, reported=reported)
    return link_report(case, None, "reported again")


def test_refresh_replaces_a_periods_rows(city, count_rows):
    make_case(grid=city.grids[0], worker=city.workers[0], category=city.dispute, reported=at("2026-03-02"),
              accepted=at("2026-03-02"), due=at("2026-03-05", 17))
    refresh_period(parse_period("2026-03"), as_of=datetime(2026, 4, 1, tzinfo=UTC))
    rows = count_rows(IndicatorSnapshot)
    refresh_period(parse_period("2026-03"), as_of=datetime(2026, 4, 1, tzinfo=UTC))
    assert count_rows(IndicatorSnapshot) == rows
    assert db.session.scalar(sa.select(SnapshotPeriod.period_key)) == "2026-03"


def test_the_job_refreshes_the_periods_it_names(app, city, run_jobs):
    job = request_refresh(None, ["2026-03", "2026-Q1"])
    db.session.commit()
    assert run_jobs() == 1
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.DONE
    assert set(db.session.scalars(sa.select(SnapshotPeriod.period_key))) == {"2026-03", "2026-Q1"}


def test_the_cli_command_refreshes_and_refuses_nonsense(app, city):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["academy", "indicators-refresh", "2026-02"])
    assert result.exit_code == 0, result.output
    assert "2026-02: refreshed" in result.output
    result = runner.invoke(args=["academy", "indicators-refresh", "2026-99"])
    assert result.exit_code != 0 and "Not a month" in result.output


def test_a_changed_case_queues_one_refresh_of_the_current_month(app, city, monkeypatch):
    from academy.indicators import refresh

    monkeypatch.setitem(app.config, "INDICATORS_AUTO_REFRESH", True)
    monkeypatch.setattr(refresh, "_last_queued", {})
    for _n in range(3):
        changed_case(city, at("2026-03-02"))
        db.session.commit()
    jobs = db.session.scalars(sa.select(Job).where(Job.kind == JOB_KIND)).all()
    assert len(jobs) == 1  # debounced: one job for the burst
    assert jobs[0].params["periods"] == [current_month().key]


def test_a_patrol_queues_a_refresh(app, city, monkeypatch):
    from academy.indicators import refresh

    monkeypatch.setitem(app.config, "INDICATORS_AUTO_REFRESH", True)
    monkeypatch.setattr(refresh, "_last_queued", {})
    start_patrol(city.workers[0], city.grids[0], None)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(Job.kind == JOB_KIND)) == 1


def test_a_case_written_outside_the_operations_queues_nothing(app, city, monkeypatch):
    """The trigger is the operations' ``case_changed``: a row written by hand (an import, a test
    fixture) announces nothing, and a rolled-back change queues nothing either."""
    from academy.indicators import refresh

    monkeypatch.setitem(app.config, "INDICATORS_AUTO_REFRESH", True)
    monkeypatch.setattr(refresh, "_last_queued", {})
    make_case(grid=city.grids[0], worker=city.workers[0], category=city.dispute, reported=at("2026-03-02"))
    db.session.commit()
    changed_case(city, at("2026-03-03"))
    db.session.rollback()
    city.workers[0].phone = "13900000000"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(Job.kind == JOB_KIND)) == 0


def test_nothing_is_queued_when_no_case_changes(app, city, monkeypatch):
    from academy.indicators import refresh

    monkeypatch.setitem(app.config, "INDICATORS_AUTO_REFRESH", True)
    monkeypatch.setattr(refresh, "_last_queued", {})
    city.workers[0].phone = "13900000000"
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(Job.kind == JOB_KIND)) == 0


def test_training_needs_slot_gives_the_weak_categories(app, city):
    for _n in range(6):
        make_case(grid=city.grids[0], worker=city.workers[0], category=city.hazard, reported=at("2026-03-02"),
                  accepted=at("2026-03-02"), due=at("2026-03-05", 17), closed=at("2026-03-09"), level=Level.COMMUNITY)
    ensure_scheme()
    refresh_period(parse_period("2026-03"), as_of=datetime(2026, 4, 2, tzinfo=UTC))
    providers = contributions("training_needs", app)
    assert providers
    needs = [need for provider in providers for need in provider(city.workers[0])]
    assert [code for code, _reason in needs].count("HAZARD") >= 1
    assert any("2026-03" in reason and "0.0" in reason for _code, reason in needs)
    assert [need for provider in providers for need in provider(city.workers[1])] == []


def test_a_stuck_refresh_does_not_stop_new_ones_being_queued(app, city, monkeypatch):
    """A refresh queued long ago that never ran (its runner gone) is not "already queued": the next
    case change queues one that will run. A fresh one still stands for the burst."""
    from datetime import timedelta

    from academy.database import utcnow
    from academy.indicators import refresh
    from academy.jobs import enqueue_job

    monkeypatch.setitem(app.config, "INDICATORS_AUTO_REFRESH", True)
    monkeypatch.setattr(refresh, "_last_queued", {})
    stuck = enqueue_job(JOB_KIND, {"periods": [current_month().key]})
    stuck.created_at = utcnow() - timedelta(seconds=app.config["JOB_QUEUE_TIMEOUT_SECONDS"] + 60)
    db.session.commit()
    changed_case(city, at("2026-03-02"))
    db.session.commit()
    queued = db.session.scalars(sa.select(Job).where(Job.kind == JOB_KIND, Job.status == JobStatus.QUEUED)).all()
    assert len(queued) == 2, "the stuck refresh must not swallow the new one"
    monkeypatch.setattr(refresh, "_last_queued", {})  # past the debounce: only the fresh job dedups now
    changed_case(city, at("2026-03-03"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(Job.kind == JOB_KIND)) == 2
