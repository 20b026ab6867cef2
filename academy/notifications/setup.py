"""Wire the notifications into an application: blueprint, navigation and badge, the case events,
the delivery job, and ``flask academy notify-due`` (cron)."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.cases.signals import case_changed
from academy.cli import academy_cli
from academy.contributions import NavItem, WorkCount, contribute, contributions
from academy.database import city_today
from academy.extensions import db, on_session
from academy.jobs.signals import job_ended
from academy.notifications import delivery, digest, events, labels, models, operations, queries  # noqa: F401  (models: the tables; delivery: the job)
from academy.notifications.views import bp
from academy.permissions import Role
from academy.signals import connect

EVERYONE = tuple(Role)


@click.command("notify-due")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="The day to act for (today).")
def notify_due(day) -> None:
    """Send what falls due today (training due or overdue, certificates expiring), once a day however
    often it runs, make the daily digests whose hour has come, and hand over retries and deliveries held
    by quiet hours (cron, every 10 minutes)."""
    today = day.date() if day else city_today()
    made = sum(len(step(today)) for step in contributions("notify_due"))
    db.session.commit()
    digests = digest.make_digests()
    db.session.commit()
    handed = delivery.hand_over_due()
    db.session.commit()
    click.echo(f"{made} notifications made, {digests} digests made, {handed} deliveries handed over.")


def _badge_context():
    def inbox_unread() -> int:
        return queries.unread_once(current_user) if current_user.is_authenticated else 0

    return {"inbox_unread": inbox_unread}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(_badge_context)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "work", WorkCount("notifications.unread", _l("Unread messages"), EVERYONE, queries.unread_tally,
                                      group="system", icon="bell"))
    contribute(app, "nav", NavItem("notifications.inbox", _l("Messages"), EVERYONE, group="system", icon="bell",
                                   badge="notifications.unread"), order=5)
    contribute(app, "nav", NavItem("notifications.deliveries", _l("Notification deliveries"), (Role.ADMIN,),
                                   group="system", icon="send-check"), order=990)
    connect(app, case_changed, events.on_case_changed)
    connect(app, job_ended, events.on_job_ended)
    contribute(app, "notify_due", events.notify_case_lights)
    on_session("before_commit", operations.enqueue_pending)
    on_session("after_soft_rollback", operations.forget_pending)
    academy_cli.add_command(notify_due)
