"""Unstorable text (lone surrogates, NUL and other controls, DEL, C1) is refused at the door of every
endpoint, in query arguments, form fields and JSON bodies (keys too), with a 400 that says which
character, in the endpoint's own format, and nothing is stored."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from academy.cases.models import Case
from academy.permissions import Role
from academy.web.textguard import clean_text, first_unstorable
from courses.exams.grading import QuestionType as T
from courses.exams.models import AttemptItem
from tests.academy.web.endpoints import UNSAFE, every_endpoint
from tests.hostile.conftest import changed_tables, fingerprint
from tests.support import csrf_token, log_in, post_form

FORM_SAMPLES = ["\x00", "a\x01b", "\x1b[31m", "x\x7f", "\x85", "\x9f"]
JSON_SAMPLES = ["\ud800", "a\udfffb", "\x00", "\x01", "\x7f", "\x85"]
IGNORED_TABLES = ("login_failures", "rate_counters")


@pytest.fixture
def admin_client(app, make_user):
    make_user("root", Role.ADMIN)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, "root")
    return client


def _refused(endpoint, response, code: str) -> None:
    where = f"{response.request.method} {response.request.path}?{response.request.query_string.decode()[:40]}"
    assert response.status_code == 400, f"{where}: {response.status_code}"
    text = response.get_data(as_text=True)
    assert code in text and "cannot be stored" in text, f"{where}: {text[:200]}"
    if endpoint.json:
        assert response.mimetype == "application/json", f"{where} answered {response.mimetype}"


def test_every_endpoint_refuses_unstorable_text_and_stores_nothing(app, admin_client):
    token = csrf_token(admin_client, "/account")
    before = fingerprint(exclude=IGNORED_TABLES)
    walked = 0
    for n, endpoint in enumerate(every_endpoint(app)):
        form_sample, json_sample = FORM_SAMPLES[n % len(FORM_SAMPLES)], JSON_SAMPLES[n % len(JSON_SAMPLES)]
        headers = {"X-CSRFToken": token, **({"Accept": "application/json"} if endpoint.accept_json else {})}
        for method in endpoint.methods:
            walked += 1
            query = admin_client.open(endpoint.url(), method=method, query_string={"q": form_sample}, headers=headers)
            _refused(endpoint, query, first_unstorable(form_sample))
            if method not in UNSAFE:
                continue
            form = admin_client.open(endpoint.url(), method=method, headers=headers,
                                     data={"csrf_token": token, "name": "ok", f"k{form_sample}": "1"})
            _refused(endpoint, form, first_unstorable(form_sample))
            body = {"seq": 1, "answers": {"1": ["ok", {"deep": json_sample}]}}
            as_json = admin_client.open(endpoint.url(), method=method, json=body, headers=headers)
            _refused(endpoint, as_json, first_unstorable(json_sample))
            key = admin_client.open(endpoint.url(), method=method, json={json_sample: "x"}, headers=headers)
            _refused(endpoint, key, first_unstorable(json_sample))
    assert walked > 150
    assert not changed_tables(before, fingerprint(exclude=IGNORED_TABLES))


def test_what_werkzeug_does_with_bytes_that_are_not_utf8(client):
    """Undecodable bytes never reach a view as surrogates: a query keeps the percent escapes as
    text, a multipart field gets U+FFFD; raw surrogate bytes in JSON are refused like \\ud800."""
    assert client.get("/login?next=%ED%A0%80%FF").status_code == 200
    multipart = (b"--B\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\n\xed\xa0\x80\xff\r\n--B--\r\n")
    response = client.post("/login", data=multipart, content_type="multipart/form-data; boundary=B")
    assert response.status_code == 400 and "cannot be stored" not in response.get_data(as_text=True)  # CSRF's 400
    raw = client.post("/open311/v2/requests.json", data=b'{"description": "\xed\xa0\x80"}', content_type="application/json")
    assert raw.status_code == 400 and "U+D800" in raw.get_json()[0]["description"]


def test_raw_bytes_in_the_query_string_are_read_like_their_percent_escapes(client):
    """A client that sends bytes, not percent escapes (a raw socket, a broken proxy) gets the answer
    their percent escapes get, on pages, JSON endpoints and public ones alike; never a 500."""
    for path in ("/login", "/healthz", "/open311/v2/services.json", "/board/320102001001001"):
        raw = client.get(path, environ_overrides={"QUERY_STRING": b"q=\xed\xa0\x80\xff&x=1".decode("latin-1")})
        escaped = client.get(f"{path}?q=%ED%A0%80%FF&x=1")
        assert raw.status_code == escaped.status_code != 500, path
        assert raw.get_data() == escaped.get_data()


def test_tab_newline_and_ordinary_unicode_pass(client):
    text = "第一行\r\n\t第二行 ｔｅｓｔ 𠜎 e\u0301 \u202e"
    assert first_unstorable(text) is None and clean_text(text) == text
    assert client.get("/login", query_string={"next": text}).status_code == 200


@pytest.fixture
def trainee_in_exam(client, make_exam, make_taker):
    exam = make_exam(rules=((T.ESSAY, 1, "4"),))
    user, _worker = make_taker(exam.course)
    log_in(client, user.username)
    started = post_form(client, f"/exams/{exam.id}/start", token_from=f"/exams/{exam.id}")
    attempt_id = int(started.headers["Location"].rstrip("/").split("/")[-1])
    return attempt_id


@pytest.mark.parametrize("answer", ["答\ud800", "\x00", "a\x01", "\x7f", "\u0085"])
def test_exam_autosave_refuses_in_json_and_the_answer_stays(app, client, trainee_in_exam, answer):
    attempt_id = trainee_in_exam
    item = app.extensions["sqlalchemy"].session.scalar(sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id))
    token = csrf_token(client, f"/attempts/{attempt_id}")
    save = client.post(f"/attempts/{attempt_id}/save", data=json.dumps({"seq": 1, "answers": {str(item.id): answer}}),
                       content_type="application/json", headers={"X-CSRFToken": token})
    assert save.status_code == 400 and save.get_json()["error"] == "bad_request"
    assert first_unstorable(answer) in save.get_json()["message"]
    assert client.get(f"/attempts/{attempt_id}").status_code == 200
    state = client.get(f"/attempts/{attempt_id}/state.json").get_json()
    assert state["last_seq"] == 0 and state["answers"][str(item.id)] is None


@pytest.mark.parametrize("description", ["坑\ud800", "a\x01b", "\x00"])
def test_open311_refuses_in_its_own_format_and_stores_nothing(client, description):
    cases = client.application.extensions["sqlalchemy"].session.scalar(sa.select(sa.func.count(Case.id)))
    response = client.post("/open311/v2/requests.json", json={"description": description, "service_code": "x"})
    assert response.status_code == 400 and response.mimetype == "application/json"
    [error] = response.get_json()
    assert error["code"] == 400 and first_unstorable(description) in error["description"]
    assert client.application.extensions["sqlalchemy"].session.scalar(sa.select(sa.func.count(Case.id))) == cases


def test_a_multipart_field_werkzeug_cannot_name_is_not_a_crash(client):
    # Werkzeug parses name="\" as the key None; found by the fuzz test (a 500 on every form).
    response = client.post("/login", data={"\\": "x", "username": "a"}, content_type="multipart/form-data")
    assert response.status_code == 400
