"""Wire the assessment engine in: blueprint, navigation, the course page's exam list, CLI sweep."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from markupsafe import Markup

from academy.contributions import NavItem, Tab, Tally, WorkCount, contribute
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from courses.enrollment.access import can_edit_course
from courses.exams import (
    api,  # noqa: F401  (its routes join bp before bp is registered)
    completion,
    next_step,
    notices,
    queries,
)
from courses.exams.labels import WORDS
from courses.exams.operations import attempts, images
from courses.exams.views import bp


def course_section(course, user, enrollment) -> Markup:
    """The exams on a course page: trainees see published ones, instructors every one and a 'new' link."""
    editor = can_edit_course(user, course)
    exams = queries.exams_of_course(course, include_drafts=editor)
    if not exams and not editor:
        return Markup("")
    return Markup(render_template("exams/_course_section.html", course=course, exams=exams, editor=editor,
                                  enrolled=enrollment is not None))


def essays_tally(user) -> Tally:
    """Essays waiting for a mark, split by exam: each part opens that exam's grading queue."""
    exams = queries.essays_to_mark(user)
    parts = tuple((exam.title, url_for("exams.grading_queue", exam_id=exam.id), n) for exam, n in exams)
    url = parts[0][1] if len(parts) == 1 else url_for("exams.exam_list", show="to_mark")
    return Tally(sum(n for _exam, n in exams), url, parts[:MAX_PARTS])


def closing_tally(user) -> Tally:
    return Tally(len(queries.exams_closing(user, utcnow())), url_for("exams.exam_list", show="closing"))


MAX_PARTS = 5  # exams named on the workbench; the list behind the number shows every one


@click.command("exams-sweep")
def sweep_command() -> None:
    """Close every exam attempt whose time (and grace) has run out, and grade it."""
    closed = attempts.sweep_overdue()
    db.session.commit()
    click.echo(f"{closed} attempts closed.")


@click.command("exams-purge-images")
@click.option("--older-than-days", type=click.IntRange(1, 3650), default=7, show_default=True,
              help="Keep unused images uploaded more recently (their question may not be saved yet).")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def purge_images_command(older_than_days: int, dry_run: bool) -> None:
    """Delete stem images that no question version shows (uploads whose question was never saved)."""
    unused = images.purge_unused(None, older_than=timedelta(days=older_than_days), dry_run=dry_run)
    db.session.commit()
    for image in unused:
        click.echo(f"{image.key}  {image.size:>9} bytes  {image.created_at:%Y-%m-%d}  {image.original_name}")
    size = sum(image.size for image in unused)
    click.echo(f"{len(unused)} unused images, {size} bytes{' (dry run: nothing deleted)' if dry_run else ' deleted'}.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    app.cli.add_command(sweep_command)
    app.cli.add_command(purge_images_command)
    contribute(app, "completion_conditions", completion.completion_conditions, order=20)
    contribute(app, "nav", NavItem("exams.exam_list", _l("Exams"), (Role.TRAINEE, Role.INSTRUCTOR),
               group="exams", icon="pencil-square", badge="exams.essays"), order=430)
    contribute(app, "nav", NavItem("exams.bank", _l("Question bank"), (Role.INSTRUCTOR,),
               group="exams", icon="collection"), order=435)
    contribute(app, "course_sections", course_section, order=20)
    contribute(app, "next_steps", next_step.open_exams, order=20)
    contribute(app, "notify_due", notices.notify_due_exams)
    contribute(app, "tabs", Tab("exams.exam_list", lazy_pgettext("tab", "Exams"), "clipboard-check",
                                blueprints=("exams",)), order=200)
    contribute(app, "work", WorkCount("exams.essays", _l("Essays to mark"), (Role.INSTRUCTOR,), essays_tally,
                                      group="exams", icon="pencil-square", tone="warning"), order=430)
    contribute(app, "work", WorkCount("exams.closing", _l("Exams closing within a week"), (Role.INSTRUCTOR,),
                                      closing_tally, group="exams", icon="hourglass-split"), order=435)

