"""Reading cases: the filtered list and supervision board, "my cases", one case, its photos."""
from __future__ import annotations

from flask import abort, render_template, request, send_file
from flask_login import current_user

from academy.cases import access, photos, queries
from academy.cases.forms import FilterForm
from academy.cases.models import Case, CasePhoto
from academy.cases.views import bp
from academy.cases.views.panels import case_page
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.registry.queries import worker_of_user
from academy.web import pickers
from academy.web.errors import json_endpoint
from academy.web.paging import paginate
from academy.web.sorting import sort_status

PER_PAGE = 50


def _filter_form() -> tuple[FilterForm, queries.CaseFilter]:
    form = FilterForm(queries.categories(), queries.departments(active_only=True), request.args)
    if not form.validate():
        return form, queries.CaseFilter()
    handler_id = None
    if form.handler.data:
        handler = queries.user_by_username(form.handler.data)
        handler_id = handler.id if handler else -1  # an unknown handler keeps no case, not every case
    return form, form.case_filter(handler_id)


@bp.get("/cases")
@require_role(*access.ANY_ROLE)
def index():
    form, filters = _filter_form()
    cases = paginate(queries.case_query(current_user, filters), PER_PAGE)
    return render_template("cases/index.html", form=form, cases=cases, board=False), sort_status(form)


@bp.get("/cases/board")
@require_role(Role.DISPATCHER, Role.VIEWER)
def board():
    form, filters = _filter_form()
    counts, counted = queries.board_counts(current_user, filters)
    # Without a light or state filter the list shows exactly the counted cases: reuse that total
    # instead of counting them a second time for the pager.
    same_set = not filters.light and not filters.state
    cases = paginate(queries.case_query(current_user, filters), PER_PAGE, total=counted if same_set else None)
    return render_template("cases/index.html", form=form, cases=cases, board=True, counts=counts), sort_status(form)


@bp.get("/cases/pick/handlers")
@require_role(Role.DISPATCHER, Role.DEPARTMENT, Role.VIEWER)
@json_endpoint
def pick_handlers():
    """The board's handler picker: people who may hold a case, by log-in or name (academy/web/pickers.py)."""
    query = pickers.read_query(request.args)
    users = queries.picker_handlers(search=query.q.data, username=query.code.data or "")
    return pickers.answer([pickers.item(id=user.id, code=user.username, label=user.display_name or user.username,
                                        detail=user.username) for user in users])


@bp.get("/cases/mine")
@require_role(*access.ANY_ROLE)
def mine():
    """What waits for me: tasks of my units, cases of my grids, cases I reported, and my messages."""
    worker = worker_of_user(current_user)
    to_handle = request.args.get("to_handle") == "1"  # only what the user's units still have in hand
    cases = paginate(queries.mine_query(current_user, worker, to_handle=to_handle), PER_PAGE)
    return render_template("cases/mine.html", cases=cases, notifications=queries.notifications_of(current_user),
                           worker=worker, to_handle=to_handle)


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
        abort(404)
    return send_file(path, mimetype=item.content_type, max_age=0)
