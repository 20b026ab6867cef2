"""The training effect page: each course's completers against the district's other workers, before
and after, from the nightly snapshot (``effect.refresh``); and each trainer's teaching hours and the
effect of his courses."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from academy.indicators import settings
from academy.permissions import area_scopes, require_role
from courses.enrollment import annual, effect, labels, queries
from courses.enrollment.views import bp
from courses.enrollment.views.hr import STATS_ROLES


@bp.get("/training/effect")
@require_role(*STATS_ROLES)
def effect_page():
    year = request.args.get("year", annual.current_year(), type=int)
    if not 2000 <= year <= 2100:
        abort(400)
    scopes = area_scopes(current_user, *STATS_ROLES)
    trainers = effect.by_trainer(scopes)
    hours = effect.teaching_hours(*annual.year_bounds(year))
    users = {u.id: u for u in queries.users_by_ids(set(trainers) | set(hours))}
    rows = sorted(((users[uid], hours.get(uid, 0.0), trainers.get(uid)) for uid in users),
                  key=lambda row: row[0].username)
    return render_template("enrollment/effect.html", effects=effect.summary(scopes), trainers=rows, year=year,
                           months=effect.MONTHS, minimum=settings.min_sample(), refreshed_at=effect.refreshed_at(),
                           rates=labels.EFFECT_RATE_LABELS, cohorts=labels.EFFECT_COHORT_LABELS)
