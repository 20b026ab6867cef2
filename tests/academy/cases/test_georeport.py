"""GeoReport v2 as the specification shapes it: XML and JSON for every method, the discovery
document, service definitions with a category's extra fields, jurisdiction_id, list defaults and
filters, a grid found from lat/long, Chinese names, status notes in words, FixMyStreet's updates,
and bad input answered in the request's format without a trace."""
from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from academy.cases import clock
from academy.cases import operations as ops
from academy.cases.models import Case, CaseMedia, FieldType
from academy.extensions import db
from academy.registry.models import Grid

BASE = "/open311/v2"


@pytest.fixture
def key():
    return ops.create_api_client(None, "City app")[1]


@pytest.fixture
def lamp_fields(cases_world):
    category = cases_world.category
    ops.add_category_field(category, None, code="pole", description="灯杆编号", datatype=FieldType.STRING,
                           required=True, position=1, choices=None)
    ops.add_category_field(category, None, code="kind", description="问题类型", datatype=FieldType.SINGLE,
                           required=False, position=2, choices=[["1", "不亮"], ["2", "闪烁"]])
    return category


def post(client, key, world, fmt="json", headers=None, **fields):
    data = {"api_key": key, "service_code": world.category.code, "description": "路灯不亮",
            "lat": "32.05", "long": "118.79", **fields}
    return client.post(f"{BASE}/requests.{fmt}", data=data, headers=headers)


def xml(response) -> ElementTree.Element:
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.data)


def cases() -> int:
    return db.session.scalar(sa.select(sa.func.count(Case.id)))


def test_discovery_and_service_list_in_both_formats(client, lamp_fields, cases_world):
    discovery = xml(client.get(f"{BASE}/discovery.xml"))
    assert discovery.tag == "discovery"
    endpoint = discovery.find("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]
    assert client.get(f"{BASE}/discovery.json").get_json()["endpoints"][0]["url"].endswith("/open311/v2")
    services = xml(client.get(f"{BASE}/services.xml"))
    by_code = {s.findtext("service_code"): s for s in services.findall("service")}
    assert by_code[lamp_fields.code].findtext("metadata") == "true"
    assert by_code[cases_world.simple.code].findtext("metadata") == "false"
    assert by_code[lamp_fields.code].findtext("type") == "realtime"
    listed = client.get(f"{BASE}/services.json").get_json()
    assert {s["service_code"]: s["metadata"] for s in listed}[lamp_fields.code] is True


def test_service_definition_gives_the_fields_as_attributes(client, lamp_fields):
    definition = xml(client.get(f"{BASE}/services/{lamp_fields.code}.xml"))
    assert definition.tag == "service_definition" and definition.findtext("service_code") == lamp_fields.code
    pole, kind = definition.findall("attributes/attribute")
    assert (pole.findtext("code"), pole.findtext("datatype"), pole.findtext("required")) == ("pole", "string", "true")
    assert pole.findtext("description") == "灯杆编号" and pole.findtext("variable") == "true"
    assert [(v.findtext("key"), v.findtext("name")) for v in kind.findall("values/value")] == [("1", "不亮"), ("2", "闪烁")]
    as_json = client.get(f"{BASE}/services/{lamp_fields.code}.json").get_json()
    assert as_json["attributes"][1]["values"] == [{"key": "1", "name": "不亮"}, {"key": "2", "name": "闪烁"}]
    missing = client.get(f"{BASE}/services/NOPE.xml")
    assert missing.status_code == 404 and xml(missing).findtext("error/code") == "404"


def test_a_request_in_xml_with_attributes_media_and_a_chinese_name(client, key, cases_world, lamp_fields):
    response = client.post(f"{BASE}/requests.xml", data={
        "api_key": key, "service_code": lamp_fields.code, "description": "路灯不亮", "lat": "32.05", "long": "118.79",
        "attribute[pole]": "A-17", "attribute[kind]": "2", "first_name": "芳", "last_name": "王",
        "media_url": ["https://example.org/a.jpg", "https://example.org/b.jpg"]})
    assert response.status_code == 201
    number = xml(response).findtext("request/service_request_id")
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    assert case.attributes == {"pole": "A-17", "kind": "2"} and case.resident_name == "王芳"
    assert [m.url for m in db.session.scalars(sa.select(CaseMedia).where(CaseMedia.case_id == case.id))] == [
        "https://example.org/a.jpg", "https://example.org/b.jpg"]
    detail = xml(client.get(f"{BASE}/requests/{number}.xml")).find("request")
    assert detail.findtext("status") == "open" and detail.findtext("status_notes") in ("已上报", "Reported")
    assert detail.findtext("media_url") == "https://example.org/a.jpg"
    assert detail.findtext("expected_datetime") == ""  # no deadline before it is accepted
    ops.accept_case(case, cases_world.dispatcher, "ok")
    db.session.flush()
    detail = xml(client.get(f"{BASE}/requests/{number}.xml")).find("request")
    assert detail.findtext("expected_datetime") == case.due_at.astimezone(ZoneInfo("Asia/Shanghai")).isoformat(
        timespec="seconds")
    assert detail.findtext("status_notes") in ("已受理", "Accepted")


def test_attributes_are_checked_against_the_service(client, key, cases_world, lamp_fields):
    english = {"Accept-Language": "en"}
    for fields, words in [({}, "attribute[pole] is required"), ({"attribute[pole]": "A", "attribute[kind]": "9"},
                                                                 "must be one of"),
                          ({"attribute[pole]": "A" * 300}, "at most 200")]:
        response = post(client, key, cases_world, fmt="xml", headers=english, **fields)
        assert response.status_code == 400 and words in xml(response).findtext("error/description")
    # A client that names no language reads the city's: the errors are in Chinese, like every other answer.
    chinese = post(client, key, cases_world, fmt="xml")
    assert xml(chinese).findtext("error/description") == "须填写 attribute[pole]：灯杆编号"
    assert cases() == 0


def test_english_names_keep_their_order(client, key, cases_world):
    number = post(client, key, cases_world, first_name="John", last_name="Smith").get_json()[0]["service_request_id"]
    assert db.session.scalar(sa.select(Case.resident_name).where(Case.number == number)) == "John Smith"


def test_jurisdiction_is_ignored_or_404_never_400(app, client, key, cases_world):
    assert post(client, key, cases_world, jurisdiction_id="fixmystreet.example").status_code == 201
    assert client.get(f"{BASE}/services.json", query_string={"jurisdiction_id": "anything"}).status_code == 200
    app.config["OPEN311_JURISDICTION_ID"] = "nanjing.gov.cn"
    try:
        assert post(client, key, cases_world, jurisdiction_id="nanjing.gov.cn").status_code == 201
        refused = post(client, key, cases_world, fmt="xml", jurisdiction_id="other.gov.cn")
        assert refused.status_code == 404 and "nanjing.gov.cn" in xml(refused).findtext("error/description")
        assert client.get(f"{BASE}/requests.json", query_string={"jurisdiction_id": "x"}).status_code == 404
    finally:
        app.config.pop("OPEN311_JURISDICTION_ID")
    assert cases() == 2


def test_a_grid_is_found_from_lat_and_long(client, key, cases_world):
    grid = db.session.get(Grid, cases_world.grid.id)
    grid.boundary_geojson = {"type": "Polygon", "coordinates": [[[118.78, 32.04], [118.80, 32.04], [118.80, 32.06],
                                                                 [118.78, 32.06], [118.78, 32.04]]]}
    db.session.flush()
    inside = post(client, key, cases_world).get_json()[0]["service_request_id"]
    outside = post(client, key, cases_world, lat="31.0").get_json()[0]["service_request_id"]
    placed = dict(db.session.execute(sa.select(Case.number, Case.grid_id).where(Case.number.in_([inside, outside]))).all())
    assert placed == {inside: grid.id, outside: None}


def test_list_defaults_and_filters(client, key, cases_world):
    numbers = [post(client, key, cases_world).get_json()[0]["service_request_id"] for _ in range(3)]
    old = db.session.scalar(sa.select(Case).where(Case.number == numbers[0]))
    old.reported_at = clock.now() - timedelta(days=120)
    db.session.flush()
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").get_json()]
    assert sorted(listed) == sorted(numbers[1:])  # the last 90 days by default
    asked = client.get(f"{BASE}/requests.json", query_string={"service_request_id": f"{numbers[0]},{numbers[1]}",
                                                             "status": "closed", "service_code": "NONE"}).get_json()
    assert sorted(r["service_request_id"] for r in asked) == sorted(numbers[:2])  # the ids override the rest
    both = client.get(f"{BASE}/requests.xml", query_string={"status": "open,closed"})
    assert len(xml(both).findall("request")) == 2
    start = (clock.now() - timedelta(days=200)).isoformat()
    assert len(client.get(f"{BASE}/requests.json", query_string={"start_date": start}).get_json()) == 1


def test_updates_follow_a_case_and_need_a_key(client, key, cases_world):
    number = post(client, key, cases_world).get_json()[0]["service_request_id"]
    case = db.session.scalar(sa.select(Case).where(Case.number == number))
    ops.accept_case(case, cases_world.dispatcher, "ok")
    db.session.flush()
    updates = xml(client.get(f"{BASE}/servicerequestupdates.xml", query_string={"api_key": key}))
    assert updates.tag == "service_requests_updates"
    steps = [(u.findtext("service_request_id"), u.findtext("status")) for u in updates.findall("request_update")]
    assert steps == [(number, "open"), (number, "investigating")]
    refused = client.get(f"{BASE}/servicerequestupdates.xml")
    assert refused.status_code == 403 and xml(refused).findtext("error/code") == "403"


FORM_AND_JSON = [{"description": "a\x00b"}, {"first_name": "x\x1b"}, {"lat": "sNaN"}, {"lat": "1" * 500},
                 {"long": "-1e309"}, {"media_url": "file:///etc/passwd"}]
JSON_ONLY = [{"description": "坏\ud800了"}, {"attribute[pole]": "\ud83d"}, {"lat": 1e308 * 10}]  # a form cannot carry these


@pytest.mark.parametrize("fields, as_json", [(f, False) for f in FORM_AND_JSON] + [(f, True) for f in FORM_AND_JSON + JSON_ONLY])
def test_hostile_input_is_refused_in_the_request_format_and_changes_nothing(client, key, cases_world, fields, as_json):
    data = {"api_key": key, "service_code": cases_world.category.code, "description": "路灯不亮",
            "lat": "32.05", "long": "118.79", **fields}
    response = client.post(f"{BASE}/requests.xml", **({"json": data} if as_json else {"data": data}))
    assert response.status_code == 400
    assert xml(response).findtext("error/code") == "400" and xml(response).findtext("error/description")
    assert cases() == 0


@pytest.mark.parametrize("edge", ["start_date=9999-12-30T00:00:00Z", "end_date=0001-01-02T00:00:00Z"])
def test_a_date_at_either_end_of_the_calendar_is_refused_by_name(client, edge):
    """90 days past either is beyond Python's dates: an answer in GeoReport's format, not a server error."""
    response = client.get(f"{BASE}/requests.xml?{edge}")
    assert response.status_code == 400
    assert edge.split("=")[0] in xml(response).findtext("error/description")


def test_unknown_format_and_method_answer_in_georeport_errors(client, key):
    assert client.get(f"{BASE}/services.yaml").get_json()[0]["code"] == 404
    wrong = client.delete(f"{BASE}/requests.xml")
    assert wrong.status_code == 405 and xml(wrong).findtext("error/code") == "405"
    assert client.get(f"{BASE}/tokens/abc.xml").status_code == 404


def test_a_list_stops_at_its_limit_newest_first(client, key, cases_world, monkeypatch):
    """GeoReport's default of at most 1,000 requests, lowered here to 2 so three requests pass it."""
    from academy.cases.queries import open311

    numbers = [post(client, key, cases_world).get_json()[0]["service_request_id"] for _ in range(3)]
    monkeypatch.setattr(open311, "LIST_LIMIT", 2)
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").get_json()] == numbers[:0:-1]
    assert len(xml(client.get(f"{BASE}/requests.xml", query_string={"status": "open"})).findall("request")) == 2
