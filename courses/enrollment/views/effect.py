"""The training effect page: each course's completers against the district's other workers, before
and after, from the nightly snapshot (``effect.refresh``), with a chart of the course chosen; each
trainer's teaching hours and the effect of his courses (each of his completers once); and all of it
as an .xlsx workbook."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from academy import charts
from academy.exports import Table, download, xlsx_bytes
from academy.indicators import settings
from academy.permissions import area_scopes, require_role
from academy.web.i18n import local_datetime
from courses.enrollment import annual, effect, labels, queries
from courses.enrollment.views import bp
from courses.enrollment.views.hr import STATS_ROLES


def _year() -> int:
    year = request.args.get("year", annual.current_year(), type=int)
    if not 2000 <= year <= 2100:
        abort(400)
    return year


def _figures(year: int):
    """The courses' effects and the trainers' rows (user, classroom hours taught in ``year``, effect or
    None) in the viewer's areas."""
    scopes = area_scopes(current_user, *STATS_ROLES)
    trainers = effect.by_trainer(scopes)
    hours = effect.teaching_hours(*annual.year_bounds(year))
    users = {u.id: u for u in queries.users_by_ids(set(trainers) | set(hours))}
    rows = sorted(((users[uid], hours.get(uid, 0.0), trainers.get(uid)) for uid in users),
                  key=lambda row: row[0].username)
    return effect.summary(scopes), rows


def _group(pair, side: effect.Side) -> str:
    """A group's name with its sample (its cases due to close), short enough for a phone's legend."""
    return _("%(group)s n = %(cases)d", group=labels.EFFECT_COHORT_LABELS[pair], cases=side.counts["due_to_close"])


def _chart(chosen: effect.Effect) -> charts.Chart:
    """Before and after, completers and the others, per indicator, for one course."""
    pairs = list(labels.EFFECT_COHORT_LABELS)
    rows = [(str(label), [chosen.sides[pair].rate(key) for pair in pairs])
            for key, label in labels.EFFECT_RATE_LABELS.items()]
    return charts.bars("effect", _("%(course)s: before and after", course=chosen.key.title), rows,
                       [_group(pair, chosen.sides[pair]) for pair in pairs], unit="%", value_title=_("Rate"),
                       category_title=_("Indicator"), decimals=1, maximum=100.0,
                       wrap_labels=True,
                       note=_("n: the group's cases due to close; its workers are in the table below. A missing "
                              "bar: too few cases for a rate (fewer than %(n)d).", n=settings.min_sample()))


@bp.get("/training/effect")
@require_role(*STATS_ROLES)
def effect_page():
    year = _year()
    effects, trainers = _figures(year)
    chosen_id = request.args.get("course", type=int)
    chosen = next((e for e in effects if e.key.id == chosen_id), effects[0] if effects else None)
    return render_template("enrollment/effect.html", effects=effects, trainers=trainers, year=year,
                           chosen=chosen, chart=_chart(chosen) if chosen else None,
                           months=effect.MONTHS, minimum=settings.min_sample(), refreshed_at=effect.refreshed_at(),
                           rates=labels.EFFECT_RATE_LABELS, cohorts=labels.EFFECT_COHORT_LABELS)


def _cells(e: effect.Effect | None) -> list[list]:
    """One row per group: its name, workers, cases due to close and each rate (empty: too few cases)."""
    if e is None:
        return [[None] * (3 + len(labels.EFFECT_RATE_LABELS))]
    return [[str(label), e.sides[pair].workers, e.sides[pair].counts["due_to_close"],
             *[None if (v := e.sides[pair].rate(key)) is None else round(v, 1) for key in labels.EFFECT_RATE_LABELS]]
            for pair, label in labels.EFFECT_COHORT_LABELS.items()]


@bp.get("/training/effect.xlsx")
@require_role(*STATS_ROLES)
def effect_export():
    year = _year()
    effects, trainers = _figures(year)
    common = [_("Group"), _("Workers"), _("Cases due to close"),
              *[charts.with_unit(str(label), "%") for label in labels.EFFECT_RATE_LABELS.values()]]
    courses = Table(_("By course"), [_("Course"), _("Code"), *common],
                    [[e.key.title, e.key.code, *row] for e in effects for row in _cells(e)])
    taught = _("Classroom hours taught in %(year)d", year=year)
    people = Table(_("By trainer"), [_("Trainer"), taught, *common],
                   [[user.display_name or user.username, round(hours, 1), *row]
                    for user, hours, e in trainers for row in _cells(e)])
    when = effect.refreshed_at()
    notes = Table(_("How to read"), [_("Note")], [[line] for line in (
        _("For each course linked to case categories (through its syllabus units), the cases of its completers in those categories in the %(n)d months before the month they completed and the %(n)d months after, against the district's workers who did not take it in the same months.", n=effect.MONTHS),
        _("A trainer's figures count each worker who completed one or more of his courses once, from the month of his first such completion, in the case categories of all his measured courses; the comparison is the district's workers who completed none of them."),
        _("What this can show: whether the completers' work changed more than their colleagues' did over the same time. What it cannot show: that the course caused it. Those who take a course are not chosen at random (the weakest may be sent first, the keenest may enrol), cases differ from month to month, and small numbers move a lot by chance."),
        _("A rate over fewer than %(n)d cases is not shown.", n=settings.min_sample()),
        _("Figures as of %(when)s.", when=local_datetime(when)) if when else _("Not computed yet: the nightly refresh fills this page."),
    )])
    return download(xlsx_bytes([courses, people, notes]), f"training-effect-{year}.xlsx")
