"""Real clients against a live server (the job words its findings in the default language, zh_CN): the ``georeport`` library from PyPI (JSON and XML), a
FixMyStreet-shaped XML exchange (form fields as its Open311.pm posts them, answers read as its
XML::Simple reads them), and the media job fetching from a local HTTP server the test starts."""
from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest
import requests
import sqlalchemy as sa
from georeport import GeoReport
from PIL import Image

from academy.cases import operations as ops
from academy.cases.models import Case, CaseMedia, Channel, FieldType, MediaState
from academy.extensions import db
from academy.jobs import Job, JobStatus
from tests.fixtures.cases import build_world
from tests.support import log_in


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


class MediaServer(BaseHTTPRequestHandler):
    """What a civic app's media host answers: a photo, a page, a huge file, a lie about its type."""

    routes = {"/photo.png": ("image/png", png()), "/page.html": ("text/html", b"<html></html>"),
              "/huge.jpg": ("image/jpeg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024)),
              "/fake.png": ("image/png", b"not an image at all")}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        kind, body = self.routes.get(self.path, ("text/plain", b"missing"))
        self.send_response(200 if self.path in self.routes else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def media_host():
    server = ThreadingHTTPServer(("127.0.0.1", 0), MediaServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def served(live_app, make_user, cases_server):
    """A committed case world, a lamp category with extra fields and an API key, on a live server."""
    with live_app.app_context():
        world = build_world(make_user)
        ops.add_category_field(world.category, None, code="pole", description="灯杆编号", datatype=FieldType.STRING,
                               required=True, position=1, choices=None)
        key = ops.create_api_client(None, "FixMyStreet")[1]
        code = world.category.code
        db.session.commit()
    return cases_server, code, key


def test_the_georeport_library_reads_every_method_in_json_and_xml(served, live_app):
    server, code, key = served
    number = requests.post(f"{server}/open311/v2/requests.json", data={
        "api_key": key, "service_code": code, "description": "路灯不亮", "address_string": "中山路 1 号",
        "attribute[pole]": "A-17"}, timeout=30).json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(f"{server}/open311/v2", jurisdiction="nanjing.gov.cn", api_key=key, output_format=fmt)
        services = client.get_service_list()
        services = services if isinstance(services, list) else [services]
        assert code in {s["service_code"] for s in services}
        definition = client.get_service_definition(code)
        attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
        attributes = attributes if isinstance(attributes, list) else [attributes]
        assert attributes[0]["code"] == "pole"
        listed = client.get_service_requests(service_request_id=number)
        listed = listed if isinstance(listed, list) else [listed]
        if fmt == "xml":
            listed = listed[0]["request"] if "request" in listed[0] else listed
            listed = listed if isinstance(listed, list) else [listed]
        assert listed[0]["service_request_id"] == number
        assert client.get_service_request(number)["status"] == "open"


def wait_for_jobs(seconds: float = 60) -> None:
    """The live server runs its jobs in a worker thread: wait until none is left unfinished."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        unfinished = db.session.scalar(sa.select(sa.func.count(Job.id)).where(
            Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING])))
        db.session.rollback()  # no transaction left open while the job writes
        if not unfinished:
            return
        time.sleep(0.2)
    left = db.session.execute(sa.select(Job.kind, Job.status, Job.created_at, Job.started_at)).all()
    db.session.rollback()
    raise AssertionError(f"the media job did not finish: {left}")


def fms_post(server: str, path: str, params: dict) -> requests.Response:
    """A POST as FixMyStreet's Open311.pm sends it: form fields, jurisdiction_id and api_key added."""
    return requests.post(f"{server}/open311/v2/{path}", data=params, timeout=30)


def test_a_fixmystreet_shaped_exchange(served, live_app, media_host):
    server, code, key = served
    live_app.config["OPEN311_MEDIA_PRIVATE_HOSTS"] = True  # the test's media host runs on this machine
    try:
        services = ElementTree.fromstring(requests.get(f"{server}/open311/v2/services.xml",
                                                       params={"jurisdiction_id": "fms"}, timeout=30).content)
        assert services.find("service/metadata") is not None
        answer = fms_post(server, "requests.xml", {
            "jurisdiction_id": "fms", "api_key": key, "service_code": code, "lat": "32.05", "long": "118.79",
            "description": "路灯不亮\n\nhttps://fms.example/report/1", "first_name": "王芳", "last_name": "",
            "email": "wf@example.cn", "attribute[pole]": "A-17",
            "media_url": [f"{media_host}/photo.png", f"{media_host}/page.html", f"{media_host}/huge.jpg",
                          f"{media_host}/fake.png"]})
        assert answer.status_code == 201
        number = ElementTree.fromstring(answer.content).findtext("request/service_request_id")
        with live_app.app_context():
            wait_for_jobs()
            case = db.session.scalar(sa.select(Case).where(Case.number == number))
            media = {m.url.rsplit("/", 1)[1]: m for m in db.session.scalars(sa.select(CaseMedia).where(
                CaseMedia.case_id == case.id))}
            assert media["photo.png"].state == MediaState.FETCHED and len(case.photos) == 1
            assert media["page.html"].state == MediaState.REFUSED and "JPEG、PNG 或 WebP" in media["page.html"].problem
            assert media["huge.jpg"].state == MediaState.REFUSED and "图片超过" in media["huge.jpg"].problem
            assert media["fake.png"].state == MediaState.REFUSED
            assert case.resident_name == "王芳" and case.attributes == {"pole": "A-17"}
            ops.accept_case(case, None, "ok")
            db.session.commit()
        updates = ElementTree.fromstring(requests.get(f"{server}/open311/v2/servicerequestupdates.xml", params={
            "jurisdiction_id": "fms", "api_key": key, "start_date": "2020-01-01T00:00:00Z",
            "end_date": "2100-01-01T00:00:00Z"}, timeout=30).content)
        assert [u.findtext("status") for u in updates.findall("request_update")] == ["open", "investigating"]
        requests_xml = ElementTree.fromstring(requests.get(f"{server}/open311/v2/requests.xml", params={
            "jurisdiction_id": "fms", "service_request_id": number}, timeout=30).content)
        assert requests_xml.findtext("request/status_notes") in ("已受理", "Accepted")
        refused = fms_post(server, "requests.xml", {"jurisdiction_id": "fms", "service_code": code, "description": "x",
                                                    "lat": "1", "long": "1"})
        assert refused.status_code == 403
        assert ElementTree.fromstring(refused.content).findtext("error/description") == "须提供 api_key。"  # no language asked: the city's
    finally:
        live_app.config.pop("OPEN311_MEDIA_PRIVATE_HOSTS")


def test_media_on_a_private_network_is_not_fetched(served, live_app, media_host):
    server, code, key = served
    number = fms_post(server, "requests.json", {"api_key": key, "service_code": code, "description": "x",
                                                "address_string": "y", "attribute[pole]": "1",
                                                "media_url": f"{media_host}/photo.png"}).json()[0]["service_request_id"]
    with live_app.app_context():
        wait_for_jobs()
        media = db.session.scalar(sa.select(CaseMedia).join(Case).where(Case.number == number))
        assert media.state == MediaState.REFUSED and "内部网络" in media.problem
        assert not media.case.photos


def test_the_case_page_shows_answers_and_media(client, cases_world):
    ops.add_category_field(cases_world.category, None, code="kind", description="问题类型", datatype=FieldType.SINGLE,
                           required=False, position=1, choices=[["1", "不亮"], ["2", "闪烁"]])
    case = ops.report_case(ops.Report(category=cases_world.category, title="路灯", description="路灯不亮",
                                      channel=Channel.OPEN311,
                                      location="中山路", grid=cases_world.grid, attributes={"kind": "2", "color": "red"},
                                      media_urls=["https://example.org/a.jpg"]), None)
    db.session.flush()
    log_in(client, cases_world.dispatcher.username)
    response = client.get(f"/cases/{case.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "问题类型" in page and "闪烁" in page and "color" in page and "red" in page
    assert "https://example.org/a.jpg" in page
