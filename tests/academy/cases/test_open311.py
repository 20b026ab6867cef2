"""Open311 GeoReport v2 driven by an HTTP client: services, submitting, following, and errors
in GeoReport's JSON format that leave nothing behind."""
import sqlalchemy as sa

from academy.cases import operations as ops
from academy.cases.models import Case
from academy.extensions import db

URL = "/open311/v2/requests.json"


def api_key() -> str:
    return ops.create_api_client(None, "City app")[1]


def cases() -> int:
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_services_list_the_categories(client, cases_world):
    services = client.get("/open311/v2/services.json").get_json()
    assert {s["service_code"] for s in services} >= {cases_world.category.code, cases_world.simple.code}
    assert services[0]["type"] == "realtime" and services[0]["metadata"] is False


def test_submit_then_follow_a_request(client, cases_world):
    key = api_key()
    response = client.post(URL, data={"api_key": key, "service_code": cases_world.category.code,
                                      "description": "Pothole in front of No. 5", "lat": "32.04", "long": "118.78",
                                      "jurisdiction_id": cases_world.grid.code, "email": "a@b.cn"})
    assert response.status_code == 201
    number = response.get_json()[0]["service_request_id"]
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    assert case.channel == "open311" and case.grid_id == cases_world.grid.id
    detail = client.get(f"/open311/v2/requests/{number}.json").get_json()[0]
    assert detail["status"] == "open" and detail["service_code"] == cases_world.category.code
    listed = client.get(URL, query_string={"service_code": cases_world.category.code, "status": "open"}).get_json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert client.get(URL, query_string={"status": "closed"}).get_json() == []


def test_submit_as_json(client, cases_world):
    response = client.post(URL, json={"api_key": api_key(), "service_code": cases_world.category.code,
                                      "description": "Graffiti", "address_string": "Zhongshan Road 1"})
    assert response.status_code == 201 and cases() == 1


def test_errors_are_georeport_json_and_change_nothing(client, cases_world):
    key = api_key()
    code = cases_world.category.code
    bad = [
        ({"service_code": code, "description": "x", "lat": "1", "long": "1"}, 403),
        ({"api_key": "wrong", "service_code": code, "description": "x", "lat": "1", "long": "1"}, 403),
        ({"api_key": key, "description": "x", "lat": "1", "long": "1"}, 400),
        ({"api_key": key, "service_code": "NOPE", "description": "x", "lat": "1", "long": "1"}, 404),
        ({"api_key": key, "service_code": code, "lat": "1", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x"}, 400),
        ({"api_key": key, "service_code": code, "description": "x", "lat": "100", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x", "lat": "nan", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x" * 5000, "lat": "1", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x", "lat": "sNaN", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x", "lat": "1e400", "long": "1"}, 400),
        ({"api_key": key, "service_code": code, "description": "x", "lat": "1", "long": "9" * 400}, 400),
    ]
    for data, status in bad:
        response = client.post(URL, data=data)
        assert response.status_code == status, data
        body = response.get_json()
        assert body[0]["code"] == status and body[0]["description"]
    assert client.post(URL, json=["not", "an", "object"], headers={"X-Api-Key": key}).status_code == 400
    assert client.post(URL, data="{broken", content_type="application/json", headers={"X-Api-Key": key}).status_code == 400
    assert client.get(URL, query_string={"start_date": "yesterday"}).status_code == 400
    assert client.get("/open311/v2/requests/nope.json").get_json()[0]["code"] == 404
    assert cases() == 0


def test_repeated_submit_with_idempotency_key_files_once(client, cases_world):
    data = {"api_key": api_key(), "service_code": cases_world.category.code, "description": "Broken bench",
            "address_string": "Park", "idempotency_key": "abc-123"}
    first, second = client.post(URL, data=data), client.post(URL, data=data)
    assert first.get_json() == second.get_json() and cases() == 1


def test_hotline_cases_are_not_published(client, cases_world):
    from tests.fixtures.cases import report

    report(cases_world)
    assert client.get(URL).get_json() == []


def test_open311_over_real_http(live_app, make_user, cases_server):
    """A civic app's view: plain HTTP requests to a running server, JSON in and out."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    from tests.fixtures.cases import build_world

    with live_app.app_context():
        world = build_world(make_user)
        code, key = world.category.code, api_key()
        db.session.commit()
    body = urllib.parse.urlencode({"api_key": key, "service_code": code, "description": "Blocked drain",
                                   "address_string": "Hanzhong Road 8"}).encode()
    with urllib.request.urlopen(f"{cases_server}{URL}", data=body, timeout=30) as response:
        assert response.status == 201
        number = json.load(response)[0]["service_request_id"]
    with urllib.request.urlopen(f"{cases_server}/open311/v2/requests/{number}.json", timeout=30) as response:
        assert json.load(response)[0]["status"] == "open"
    try:
        urllib.request.urlopen(f"{cases_server}{URL}", data=b"service_code=" + code.encode(), timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 403 and json.load(error)[0]["code"] == 403
    else:
        raise AssertionError("a request without api_key was accepted")
