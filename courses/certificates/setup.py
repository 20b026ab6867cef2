"""Wire certification in: blueprint, navigation, the slots it fills and listens to, the sweep command,
the batch job, and its settings.

Slots filled: ``certificate_held`` (course prerequisites), ``coverage_findings`` (the registry's
coverage page), ``worker_sections`` (a worker's page), ``home_sections`` (the trainee's home).
Signals received: ``worker_status_changed`` (registry), ``attempt_graded`` (exams),
``training_recorded`` (enrollment and lessons).
"""
from __future__ import annotations

import os

import click
from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.cli import academy_cli
from academy.contributions import JobKind, NavItem, Tally, WorkCount, contribute
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role, has_role, in_scope
from academy.registry.queries import worker_of_user
from academy.registry.signals import worker_status_changed
from academy.signals import connect
from academy.web.shell import has_tab_bar
from courses.certificates import (  # noqa: F401  (api: its route joins bp before bp is registered; batch: job handler)
    api,
    batch,
    issuing,
    lifecycle,
    next_step,
    notices,
    queries,
    renewal,
    sweep,
)
from courses.certificates.labels import WORDS
from courses.certificates.views import bp
from courses.enrollment.signals import training_recorded
from courses.exams.signals import attempt_graded


def _certificates_html(worker, viewer, template: str) -> str:
    today = city_today()
    certificates = queries.certificates_of(worker)
    states = {c.id: renewal.renewal_state(c, today) for c in certificates if c.is_valid_on(today)}
    return render_template(template, worker=worker, certificates=certificates, states=states, today=today,
                           manage=in_scope(viewer, worker.area.code, Role.HR) if has_role(viewer, Role.HR) else False)


def worker_section(worker, viewer) -> dict:
    """The certificates section of a worker's page (whoever may see the page sees it)."""
    return {"title": _("Certificates"), "html": Markup(_certificates_html(worker, viewer, "certificates/_section.html"))}


def home_section(user) -> Markup:
    """A worker's certificates on his home page, with what a renewal still needs. A trainee's card
    "valid certificates" says it already, and leads to his certificates."""
    worker = worker_of_user(user)
    if worker is None or has_tab_bar(user):
        return Markup("")
    return Markup(_certificates_html(worker, user, "certificates/_home_section.html"))


def expiring_tally(user) -> Tally:
    """HR's workbench: valid certificates in its scope whose renewal window has opened (the
    reminders page lists exactly them)."""
    window = renewal.in_window_query(queries.hr_scopes(user), city_today())
    return Tally(len(window), url_for("certificates.reminders", _anchor="in-window"))


@click.command("certificates-sweep")
def sweep_command() -> None:
    """Expire certificates past their date, issue and renew what was missed, count the reminders."""
    result = sweep.sweep()
    db.session.commit()
    click.echo(f"{result.expired} expired, {len(result.issued)} issued or renewed"
               f"{' (' + ', '.join(result.issued[:20]) + ')' if result.issued else ''}, {result.failed} failed; "
               f"{result.in_window} in the renewal window, {result.lapsed} lapsed.")


def _settings(app: Flask) -> None:
    app.config.setdefault("CERTIFICATES_RENEWAL_WINDOW_DAYS", int(os.environ.get("ACADEMY_RENEWAL_WINDOW_DAYS", "90")))
    app.config.setdefault("CERTIFICATES_ACADEMY_NAME", os.environ.get("ACADEMY_ACADEMY_NAME", "网格学院"))
    app.config.setdefault("CERTIFICATES_ACADEMY_NAME_EN", os.environ.get("ACADEMY_ACADEMY_NAME_EN", "Grid Academy"))
    app.config.setdefault("RATELIMIT_VERIFY", os.environ.get("ACADEMY_RATELIMIT_VERIFY", "30/600"))


def init_app(app: Flask) -> None:
    _settings(app)
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "job_kinds", JobKind(batch.KIND, _l("Certificate batch"), "certificates.batch_page"))
    contribute(app, "notify_due", notices.notify_due_certificates)
    # The badge: certificates in HR's areas whose renewal window has opened, what HR acts on (reminds,
    # renews) before they lapse and their holders go off duty.
    contribute(app, "nav", NavItem("certificates.certificate_list", _l("Certificates"), (Role.HR,),
               group="certificates", icon="award", badge="certificates.expiring"), order=450)
    contribute(app, "nav", NavItem("certificates.mine", _l("My certificates"), (Role.TRAINEE,), personal=True,
               group="certificates", icon="patch-check"), order=455)
    contribute(app, "nav", NavItem("certificates.verification_keys", _l("Verification keys"), (Role.ADMIN,),
               group="system", icon="key"), order=940)
    contribute(app, "certificate_held", queries.holds_certificate)
    contribute(app, "certificate_holders", queries.holder_ids)
    contribute(app, "duty_certificate_holders", queries.duty_holder_ids)
    contribute(app, "certificate_type_choices", queries.type_choices)
    contribute(app, "coverage_findings", queries.coverage_finding)
    contribute(app, "worker_sections", worker_section, order=50)
    contribute(app, "home_sections", home_section, order=5)
    contribute(app, "next_steps", next_step.my_certificates, order=40)
    contribute(app, "work", WorkCount("certificates.expiring", _l("Certificates in the renewal window"), (Role.HR,),
                                      expiring_tally, group="certificates", icon="award", tone="warning"), order=450)
    connect(app, worker_status_changed, lifecycle.on_worker_status_changed)
    connect(app, attempt_graded, issuing.on_attempt_graded)
    connect(app, training_recorded, issuing.on_training_recorded)
    if "certificates-sweep" not in academy_cli.commands:
        academy_cli.add_command(sweep_command)
