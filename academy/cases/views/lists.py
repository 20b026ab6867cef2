"""Reading cases: the filtered list and supervision board, "my cases", one case, its photos."""
from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request, send_file
from flask_login import current_user

from academy.cases import access, photos, queries
from academy.cases.forms import FilterForm
from academy.cases.labels import LEVEL_LABELS, STATE_LABELS
from academy.cases.models import Case, CasePhoto, CaseTask, Category, Notification
from academy.cases.people import department_ids_of, own_area_codes
from academy.cases.views import bp
from academy.cases.views.panels import case_page
from academy.extensions import db
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.registry.models import Department
from academy.registry.queries import worker_of_user
from academy.web.paging import paginate

PER_PAGE = 50


def _filter_form() -> tuple[FilterForm, queries.CaseFilter]:
    form = FilterForm(request.args)
    categories = db.session.scalars(sa.select(Category).order_by(Category.code))
    form.category.choices = [("", "—")] + [(str(c.id), c.full_name) for c in categories]
    form.level.choices = [("", "—")] + [(k, v) for k, v in LEVEL_LABELS.items()]
    form.state.choices = [("", "—")] + [(k.value, v) for k, v in STATE_LABELS.items()]
    departments = db.session.scalars(sa.select(Department).where(Department.active).order_by(Department.name))
    form.department.choices = [("", "—")] + [(str(d.id), d.name) for d in departments]
    filters = queries.CaseFilter()
    if form.validate():
        filters = queries.CaseFilter(
            area=(form.area.data or "").strip(), text=(form.q.data or "").strip(),
            category_id=int(form.category.data) if (form.category.data or "").isdigit() else None,
            level=form.level.data or "", light=form.light.data or "", state=form.state.data or "",
            department_id=int(form.department.data) if (form.department.data or "").isdigit() else None,
            supervised=form.supervised.data, open_only=not form.state.data,
            handler_id=_user_id(form.handler.data) if form.handler.data else None)
    return form, filters


def _user_id(username: str) -> int:
    from academy.accounts.models import User

    return db.session.scalar(sa.select(User.id).where(User.username == username.strip().lower())) or -1


@bp.get("/cases")
@require_role(*access.ANY_ROLE)
def index():
    form, filters = _filter_form()
    cases = paginate(queries.case_query(current_user, filters), PER_PAGE)
    return render_template("cases/index.html", form=form, cases=cases, board=False)


@bp.get("/cases/board")
@require_role(Role.DISPATCHER, Role.VIEWER)
def board():
    form, filters = _filter_form()
    counts, counted = queries.board_counts(current_user, filters)
    # Without a light or state filter the list shows exactly the counted cases: reuse that total
    # instead of counting them a second time for the pager.
    same_set = not filters.light and not filters.state
    cases = paginate(queries.case_query(current_user, filters), PER_PAGE, total=counted if same_set else None)
    return render_template("cases/index.html", form=form, cases=cases, board=True, counts=counts)


@bp.get("/cases/mine")
@require_role(*access.ANY_ROLE)
def mine():
    """What waits for me: tasks of my units, cases of my grids, cases I reported, and my messages."""
    worker = worker_of_user(current_user)
    tasks_query = sa.select(CaseTask.case_id).where(sa.or_(
        CaseTask.handler_user_id == current_user.id,
        CaseTask.department_id.in_(department_ids_of(current_user) or [-1]),
        CaseTask.area_code.in_(own_area_codes(current_user) or ["-"])))
    mine_clause = sa.or_(Case.reporter_id == current_user.id, Case.id.in_(tasks_query))
    if worker is not None:
        mine_clause = sa.or_(mine_clause, Case.reporter_worker_id == worker.id)
    query = sa.select(Case).where(mine_clause, access.visible_clause(current_user)).order_by(
        Case.state.in_(queries.OPEN_STATES).desc(), Case.stage_due_at.is_(None), Case.stage_due_at, Case.id.desc())
    cases = paginate(query, PER_PAGE)
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == current_user.id)
                               .order_by(Notification.id.desc()).limit(20)).all()
    return render_template("cases/mine.html", cases=cases, notifications=notes, worker=worker)


@bp.get("/cases/<int:case_id>")
@require_role(*access.ANY_ROLE)
def show(case_id: int):
    case = get_or_404(Case, case_id)
    ensure(access.can_view(current_user, case))
    return case_page(case)


@bp.get("/cases/<int:case_id>/photos/<int:photo_id>")
@require_role(*access.ANY_ROLE)
def photo(case_id: int, photo_id: int):
    item = get_or_404(CasePhoto, photo_id)
    ensure(item.case_id == case_id and access.can_view(current_user, item.case))
    path = photos.path_of(item.stored_name)
    if not path.exists():
        from flask import abort

        abort(404)
    return send_file(path, mimetype=item.content_type, max_age=0)
