"""The worker's report from a phone, server side: where the phone is (the grid, its area and an address,
in words, from a grid boundary, a grid centre, an earlier report nearby or his only grid), the report
filed once per submission key however often it arrives, and bad input answered clearly with nothing changed."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from academy.cases.models import Case, CasePhoto
from academy.extensions import db
from tests.fixtures.cases import report
from tests.fixtures.registry import assign, create_grid
from tests.hostile.conftest import changed_tables, fingerprint
from tests.support import csrf_token, log_in

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
IGNORED_TABLES = ("login_failures", "rate_counters")
# A square of about 1.1 km around (32.05, 118.78), and one next to it.
SQUARE = {"type": "Polygon", "coordinates": [[[118.775, 32.045], [118.785, 32.045], [118.785, 32.055],
                                              [118.775, 32.055], [118.775, 32.045]]]}
EAST = {"type": "Polygon", "coordinates": [[[118.785, 32.045], [118.795, 32.045], [118.795, 32.055],
                                            [118.785, 32.055], [118.785, 32.045]]]}


@pytest.fixture
def worker_client(client, cases_world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, "worker")
    return client


def place(client, lat, lon):
    response = client.get("/cases/report/place", query_string={"lat": lat, "lon": lon},
                          headers={"Accept": "application/json"})
    return response.status_code, response.get_json()


def test_a_boundary_polygon_tells_the_grid_and_its_area(worker_client, cases_world):
    east = create_grid("320102001001", name="East lane")
    assign(cases_world.worker, east)
    cases_world.grid.boundary_geojson, east.boundary_geojson = SQUARE, EAST
    db.session.flush()
    status, answer = place(worker_client, "32.05", "118.79")
    assert status == 200 and answer["found"] and answer["how"] == "polygon"
    assert answer["grid_id"] == east.id and answer["grid"] == "East lane"
    assert answer["area"] == east.community.full_name and answer["area"]
    assert answer["message"] == "Inside the boundary of East lane."
    assert "32.05" not in answer["message"]  # a place in words, never the numbers


def test_without_a_polygon_around_the_point_the_nearest_centre_within_3_km(worker_client, cases_world):
    cases_world.grid.boundary_geojson = SQUARE
    db.session.flush()
    status, answer = place(worker_client, "32.05", "118.80")  # ~1.9 km east of the square's centre
    assert status == 200 and answer["how"] == "centre" and answer["grid_id"] == cases_world.grid.id
    assert "about 1" in answer["message"] and "m away" in answer["message"]
    _status, far = place(worker_client, "32.30", "118.80")  # ~28 km away: not his grid as far as we know
    assert far["how"] == "only" and far["grid_id"] == cases_world.grid.id  # ... but he holds just this one


def test_an_earlier_report_nearby_gives_the_grid_and_the_address(worker_client, cases_world):
    second = create_grid("320102001001", name="Second")
    assign(cases_world.worker, second)
    report(cases_world, grid=second, location="Building 5, unit 2", latitude=32.0501, longitude=118.7801)
    status, answer = place(worker_client, "32.05", "118.78")
    assert status == 200 and answer["how"] == "case" and answer["grid_id"] == second.id
    assert answer["address"] == "Building 5, unit 2"
    _status, away = place(worker_client, "32.06", "118.78")  # 1.1 km off: no earlier report near, two grids
    assert away["found"] is False and away["grid_id"] is None and "choose the grid" in away["message"]


def test_the_place_page_is_a_workers_only(client, cases_world, make_user):
    from academy.permissions import Role

    make_user("learner", Role.TRAINEE)  # a trainee without a worker record
    log_in(client, "learner")
    assert client.get("/cases/report/place?lat=32&lon=118").status_code == 403


@pytest.mark.parametrize("query", [
    {"lat": "NaN", "lon": "118.78"}, {"lat": "32.05", "lon": "inf"}, {"lat": "1e400", "lon": "118"},
    {"lat": "9" * 400, "lon": "118"}, {"lat": "91", "lon": "118"}, {"lat": "32", "lon": "-181"},
    {"lat": "32"}, {"lat": "", "lon": ""}, {"lat": "三十二", "lon": "118"},
    {"lat": "32\x00", "lon": "118"}, {"lat": "32", "lon": "\x1b[31m"},
])
def test_bad_points_are_answered_in_json_and_change_nothing(worker_client, query):
    before = fingerprint(exclude=IGNORED_TABLES)
    response = worker_client.get("/cases/report/place", query_string=query, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert response.get_json()["message"]
    assert not changed_tables(before, fingerprint(exclude=IGNORED_TABLES))


def test_a_lone_surrogate_in_the_query_is_refused(worker_client):
    response = worker_client.get("/cases/report/place?lat=%ED%A0%80&lon=118", headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/json"


def report_data(client, world, **overrides):
    data = {"csrf_token": csrf_token(client, "/cases/report"), "category": str(world.category.id),
            "grid": str(world.grid.id), "title": "Water leak", "description": "Water runs down the stairwell",
            "location": "Building 5", "latitude": "32.05", "longitude": "118.78", "submission_key": "d" * 32}
    data.update(overrides)
    return data


def cases_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_the_same_key_twice_files_one_case_with_its_photos_once(worker_client, cases_world):
    first = worker_client.post("/cases/report", content_type="multipart/form-data", data=report_data(
        worker_client, cases_world, photos=[(io.BytesIO(JPEG), "a.jpg"), (io.BytesIO(JPEG), "b.jpg")]))
    assert first.status_code == 302
    # The phone sends its draft again (the first answer was lost on the way): same key, the same case.
    again = worker_client.post("/cases/report", content_type="multipart/form-data", data=report_data(
        worker_client, cases_world, title="Water leak (sent again)", photos=[(io.BytesIO(JPEG), "a.jpg")]))
    assert again.status_code == 302 and again.location == first.location
    assert cases_count() == 1
    case = db.session.scalar(sa.select(Case))
    assert case.title == "Water leak" and case.latitude == 32.05
    assert db.session.scalar(sa.select(sa.func.count(CasePhoto.id))) == 2
    shown = worker_client.get(again.location).get_data(as_text=True)
    assert f"already filed as case {case.number}" in shown


@pytest.mark.parametrize("overrides", [
    {"latitude": "NaN"}, {"longitude": "inf"}, {"latitude": "1e308"}, {"latitude": "9" * 400},
    {"latitude": "91"}, {"longitude": "-181"}, {"submission_key": "short"}, {"submission_key": "k" * 65},
    {"title": "Leak\x00"}, {"description": "a\x1b[31mred"}, {"location": "x\x7f"},
])
def test_bad_report_input_is_answered_and_files_nothing(worker_client, cases_world, overrides):
    before = fingerprint(exclude=IGNORED_TABLES)
    response = worker_client.post("/cases/report", data=report_data(worker_client, cases_world, **overrides))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert any(mark in text for mark in ("cannot be stored", "invalid-feedback", "text-danger", "key-error"))
    assert cases_count() == 0
    assert not changed_tables(before, fingerprint(exclude=IGNORED_TABLES))


def test_the_form_shows_the_place_not_latitude_and_longitude(worker_client):
    page = worker_client.get("/cases/report").get_data(as_text=True)
    assert 'type="hidden" name="latitude"' in page.replace("id=\"latitude\" ", "") or 'name="latitude" type="hidden"' in page
    assert ">Latitude<" not in page and ">Longitude<" not in page
    assert 'data-testid="place"' in page and "Use my position" in page


def test_a_draft_sent_by_the_phone_learns_its_case_in_json_once(worker_client, cases_world):
    headers = {"X-Academy-Draft": "1"}
    first = worker_client.post("/cases/report", data=report_data(worker_client, cases_world), headers=headers)
    assert first.status_code == 200 and first.get_json()["filed"] is True
    url = first.get_json()["url"]
    again = worker_client.post("/cases/report", data=report_data(worker_client, cases_world), headers=headers)
    assert again.get_json() == {"filed": True, "url": url} and cases_count() == 1
    assert "filed" in worker_client.get(url).get_data(as_text=True)  # the message waits for the case page
    refused = worker_client.post("/cases/report", headers=headers,
                                 data=report_data(worker_client, cases_world, title="", submission_key="e" * 32))
    assert refused.status_code == 400 and refused.mimetype == "text/html" and cases_count() == 1
