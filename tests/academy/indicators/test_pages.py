"""The pages as their users see them: figures, "too few cases", scopes, exports, bad input."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import sqlalchemy as sa
from openpyxl import load_workbook

from academy.cases.models import Level
from academy.extensions import db
from academy.indicators.models import AssessmentScheme
from academy.indicators.operations import ensure_scheme, refresh_period
from academy.indicators.periods import parse_period
from academy.permissions import Role
from tests.fixtures.indicators import at, make_case
from tests.support import log_in, post_form, read_chart

AS_OF = datetime(2026, 4, 15, tzinfo=UTC)


def _cases(city, n_on_time: int, n_late: int, worker_index: int = 0, category=None):
    grid = city.grids[0 if worker_index == 0 else 2]
    for n in range(n_on_time + n_late):
        make_case(grid=grid, worker=city.workers[worker_index], category=category or city.dispute,
                  reported=at("2026-03-02"), accepted=at("2026-03-02"), due=at("2026-03-05", 17),
                  closed=at("2026-03-04" if n < n_on_time else "2026-03-09"), level=Level.COMMUNITY)


def _refreshed(city):
    ensure_scheme()
    refresh_period(parse_period("2026-03"), as_of=AS_OF)


def test_the_trainee_sees_his_own_page_with_targets_chart_and_weak_categories(client, city):
    _cases(city, 3, 3)
    _refreshed(city)
    log_in(client, "ind-worker1")
    page = client.get(f"/indicators/workers/{city.workers[0].id}?period=2026-03").get_data(as_text=True)
    assert "Wang Fang" in page
    assert "50.0 %" in page  # on-time closure 3 / 6
    data, head, rows = read_chart(page, "trend")  # the last 12 months, 2026-03 the last; on-time closure second
    assert head[2] == "按期办结率" and rows[-1][0] == "2026-03" and rows[-1][2] == "50.0"
    assert data["categories"][-1] == "2026-03" and data["series"][1]["values"][-1] == 50.0
    assert [row[2] for row in rows[:-1]] == ["—"] * 11  # no snapshot before March: gaps, not zeros
    assert "按期办结数 / 应办结数" in page  # the formula is on the screen (in Chinese, the default language)
    weak = page.split('data-testid="weak-categories"')[1].split("</ul>")[0]
    assert "Dispute" in weak
    assert client.get(f"/indicators/workers/{city.workers[1].id}?period=2026-03").status_code == 403


def test_a_small_sample_shows_too_few_cases(client, city, app):
    _cases(city, 2, 1)
    _refreshed(city)
    log_in(client, "ind-worker1")
    post_form(client, "/language", {"language": "en"}, token_from="/account")
    page = client.get(f"/indicators/workers/{city.workers[0].id}?period=2026-03").get_data(as_text=True)
    assert "too few cases" in page
    assert "66.7 %" not in page


def test_a_custom_range_is_computed_live(client, city, make_user):
    _cases(city, 4, 1)
    make_user("ind-leader", Role.VIEWER, area="320102")
    log_in(client, "ind-leader")
    page = client.get(f"/indicators/workers/{city.workers[0].id}?period=2026-03-01..2026-03-31").get_data(as_text=True)
    assert "80.0 %" in page
    assert client.get("/indicators/areas/320102?period=2026-03-01..2026-03-31").status_code == 200


def test_leaders_and_hr_of_another_district_are_refused(client, city, make_user):
    _refreshed(city)
    make_user("ind-hr-other", Role.HR, area="320104")
    log_in(client, "ind-hr-other")
    assert client.get(f"/indicators/workers/{city.workers[0].id}").status_code == 403
    assert client.get("/indicators/areas/320102").status_code == 403
    assert client.get("/indicators/areas/320102/ranking.csv").status_code == 403
    assert client.get(f"/indicators/departments/{city.dept.id}").status_code == 403
    assert client.get(f"/indicators/workers/{city.other_worker.id}").status_code == 200
    assert client.get("/indicators/areas/320104").status_code == 200


def test_area_dashboard_ranks_children_and_lists_stars(client, city, make_user):
    _cases(city, 10, 0, worker_index=0)
    _cases(city, 5, 5, worker_index=1)
    _refreshed(city)
    make_user("ind-leader", Role.VIEWER, area="320102")
    log_in(client, "ind-leader")
    page = client.get("/indicators/areas/320102001?period=2026-03").get_data(as_text=True)
    ranking = page.split('data-testid="worker-ranking"')[1]
    assert ranking.index("Wang Fang") < ranking.index("Li Lei")
    children = page.split('data-testid="children"')[1].split("</table>")[0]
    assert "/indicators/areas/320102001001" in children and "/indicators/areas/320102001002" in children
    assert "Dispute" in page.split('data-testid="area-categories"')[1].split("</table>")[0]


def test_ranking_exports_neutralise_formulas(client, city, make_user):
    city.workers[0].name = "=HYPERLINK(\"http://evil\")"
    _cases(city, 6, 0)
    _refreshed(city)
    make_user("ind-leader", Role.VIEWER, area="320102")
    log_in(client, "ind-leader")
    response = client.get("/indicators/areas/320102/ranking.xlsx?period=2026-03")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "=HYPERLINK(\"http://evil\")" in names  # read back as typed, stored as text (checked below)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    text = client.get("/indicators/areas/320102/ranking.csv?period=2026-03&kind=grid").data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:]  # grids ranked
    assert client.get("/indicators/areas/320102/ranking.pdf").status_code == 404
    assert client.get("/indicators/areas/320102/ranking.csv?kind=<script>").status_code == 400


def test_hostile_periods_get_a_clear_400(client, city, make_user):
    make_user("ind-leader", Role.VIEWER, area="320102")
    log_in(client, "ind-leader")
    for bad in ("2026-13", "2026-02-30..2026-03-01", "x" * 5000, "2026-03-10..2026-03-01", "'; DROP TABLE cases;--",
                "1900-01-01..2026-01-01"):
        response = client.get("/indicators/areas/320102", query_string={"period": bad})
        assert response.status_code == 400, bad
        assert "2026-Q1" in response.get_data(as_text=True)


def test_a_scheme_is_versioned_and_bad_schemes_are_refused(client, make_user, count_rows):
    admin = make_user("ind-admin", Role.ADMIN)
    ensure_scheme(admin)
    log_in(client, "ind-admin")
    base = {"name": "Standard assessment", "deduction_per_overdue": "1", "deduction_per_dissatisfied": "2",
            "excellent_top_n": "5", "excellent_min_score": "", "min_sample": "3", "note": ""}
    before = count_rows(AssessmentScheme)
    for items in ("closure_rate 50 90\nsatisfaction_rate 40 90",  # adds up to 90
                  "nonsense 100 90", "closure_rate 100 abc", "closure_rate 50 90\nclosure_rate 50 90",
                  "reported 100 10", "closure_rate 100 90 100:100,abc", "closure_rate 100 90\n" * 2000):
        response = post_form(client, "/indicators/schemes", {**base, "items": items}, token_from="/indicators/schemes")
        assert response.status_code == 400, items[:40]
    assert count_rows(AssessmentScheme) == before
    response = post_form(client, "/indicators/schemes", {**base, "items": "on_time_closure_rate 60 90\nrework_rate 40 5 100:100,50:50"},
                         token_from="/indicators/schemes")
    assert response.status_code == 302
    versions = db.session.scalars(sa.select(AssessmentScheme).order_by(AssessmentScheme.id)).all()
    assert [v.version for v in versions] == [1, 2] and [v.active for v in versions] == [False, True]
    assert versions[1].items[1]["bands"] == [[100.0, 100.0], [50.0, 50.0]]


def test_results_keep_the_scheme_version_they_were_computed_with(city):
    _cases(city, 6, 0)
    first = ensure_scheme()
    refresh_period(parse_period("2026-03"), as_of=AS_OF)
    from academy.indicators.models import AssessmentResult
    from academy.indicators.operations import save_scheme

    save_scheme(None, "Standard assessment", [{"indicator": "closure_rate", "weight": 100, "target": 90}],
                excellent_top_n=3)
    scheme_ids = set(db.session.scalars(sa.select(AssessmentResult.scheme_id)))
    assert scheme_ids == {first.id}
    refresh_period(parse_period("2026-02"), as_of=AS_OF)
    assert len(set(db.session.scalars(sa.select(AssessmentResult.scheme_id)))) == 2


def test_department_dashboard_for_its_members(client, city, make_user):
    from tests.fixtures.cases import add_member

    handler = make_user("ind-handler", Role.DEPARTMENT, area="320102")
    add_member(handler, city.dept)
    log_in(client, "ind-handler")
    assert client.get("/indicators/").headers["Location"].endswith("/indicators/departments")
    page = client.get("/indicators/departments").get_data(as_text=True)
    assert "Housing" in page
    assert client.get(f"/indicators/departments/{city.dept.id}?period=2026-03").status_code == 200
