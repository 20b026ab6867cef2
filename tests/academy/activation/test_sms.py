"""SMS: the Aliyun provider against a local HTTP server that checks its requests as Alibaba Cloud
does, and the self-service reset through the embedded outbox provider."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import HTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from academy.activation import sms
from academy.activation.models import AccessCode, CodePurpose, SmsMessage
from academy.extensions import db
from tests.support import JsonPeer, csrf_token

SECRET = "test-secret"


class FakeAliyun(JsonPeer):
    """Answers ``SendSms`` as dysmsapi does: checks the signature and parameters, then OK or an error."""

    requests: list[dict] = []
    answer_code = "OK"

    def do_GET(self):  # noqa: N802 (http.server's name)
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        type(self).requests.append(params)
        signature = params.pop("Signature", "")
        if signature != sms.aliyun_signature(params, SECRET):
            return self._answer(400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"})
        missing = {"AccessKeyId", "Action", "PhoneNumbers", "SignName", "TemplateCode", "TemplateParam", "Timestamp",
                   "SignatureNonce"} - set(params)
        if missing or params["Action"] != "SendSms" or params["SignatureMethod"] != "HMAC-SHA1":
            return self._answer(400, {"Code": "MissingParameter", "Message": ",".join(sorted(missing))})
        if type(self).answer_code != "OK":
            return self._answer(200, {"Code": type(self).answer_code, "Message": "触发分钟级流控"})
        return self._answer(200, {"Code": "OK", "Message": "OK", "BizId": "9006197469364984", "RequestId": "F655A8D5"})


@pytest.fixture
def aliyun(app, monkeypatch):
    server = HTTPServer(("127.0.0.1", 0), FakeAliyun)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAliyun.requests, FakeAliyun.answer_code = [], "OK"
    for key, value in {"SMS_PROVIDER": "aliyun", "SMS_URL": f"http://127.0.0.1:{server.server_port}/",
                       "SMS_KEY_ID": "LTAI-test", "SMS_KEY_SECRET": SECRET, "SMS_SIGN_NAME": "网格学院",
                       "SMS_TEMPLATE": "SMS_000001"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield FakeAliyun
    server.shutdown()
    thread.join(timeout=5)


def test_the_aliyun_provider_sends_a_signed_request(app, aliyun):
    sms.provider().send_code("13900000001", "123456", "text")
    (params,) = aliyun.requests
    assert params["PhoneNumbers"] == "13900000001" and json.loads(params["TemplateParam"]) == {"code": "123456"}
    assert params["SignName"] == "网格学院" and params["TemplateCode"] == "SMS_000001"


def test_the_aliyun_provider_reports_the_providers_refusal(app, aliyun):
    aliyun.answer_code = "isv.BUSINESS_LIMIT_CONTROL"
    with pytest.raises(sms.SmsError, match="BUSINESS_LIMIT_CONTROL"):
        sms.provider().send_code("13900000001", "123456", "text")


def test_a_wrong_secret_is_refused_by_the_server(app, aliyun, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_KEY_SECRET", "wrong")
    with pytest.raises(sms.SmsError, match="SignatureDoesNotMatch"):
        sms.provider().send_code("13900000001", "123456", "text")


def test_an_unreachable_provider_is_an_sms_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "aliyun")
    monkeypatch.setitem(app.config, "SMS_URL", "http://127.0.0.1:9/")
    with pytest.raises(sms.SmsError):
        sms.provider().send_code("13900000001", "123456", "text")


@pytest.fixture
def worker_with_login(make_worker, make_user):
    user = make_user()
    return make_worker("320102", name="吴桐", user=user), user


def _forgot(client, identifier: str):
    started = time.monotonic()
    response = client.post("/password/forgot", data={"identifier": identifier, "csrf_token": csrf_token(client, "/password/forgot")},
                           headers={"Accept-Language": "en"})
    return response, time.monotonic() - started


def _code_on_phone(phone: str) -> str:
    text = db.session.scalars(sa.select(SmsMessage.text).where(SmsMessage.phone == phone).order_by(SmsMessage.id.desc())).first()
    return re.search(r"\b(\d{6})\b", text).group(1)


def _reset(client, identifier, code, password="Harbour-Light-93"):
    return client.post("/password/reset", headers={"Accept-Language": "en"}, data={
        "worker_number": identifier, "code": code, "new_password": password, "confirm": password,
        "csrf_token": csrf_token(client, "/password/reset")})


def test_a_worker_resets_his_password_with_the_code_from_his_phone(app, client, worker_with_login):
    worker, user = worker_with_login
    response, _took = _forgot(client, worker.phone)
    assert response.status_code == 303
    code = _code_on_phone(worker.phone)
    answer = _reset(client, worker.number, code)
    assert answer.status_code == 303
    assert client.get("/account").status_code == 200
    db.session.expire_all()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    again = _reset(client, worker.number, code, password="Other-Pass-2026")
    assert again.status_code == 400  # single use


def test_the_answer_never_tells_whether_a_number_exists(app, client, worker_with_login):
    worker, _user = worker_with_login
    known, known_time = _forgot(client, worker.number)
    unknown, unknown_time = _forgot(client, "W99999999")
    floor = app.config["RESET_ANSWER_SECONDS"]
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    flashes = [client.get("/password/reset").get_data(as_text=True) for _ in range(1)]
    assert "If this number is registered" in flashes[0]
    assert known_time >= floor and unknown_time >= floor
    assert abs(known_time - unknown_time) < floor  # the same timing class


def test_codes_per_person_per_hour_are_limited(app, client, worker_with_login, monkeypatch):
    worker, _user = worker_with_login
    monkeypatch.setitem(app.config, "SMS_CODES_PER_HOUR", 2)
    monkeypatch.setitem(app.config, "RESET_ANSWER_SECONDS", 0)
    for n in range(4):
        client.post("/password/forgot", environ_base={"REMOTE_ADDR": f"10.1.0.{n}"},
                    data={"identifier": worker.number, "csrf_token": csrf_token(client, "/password/forgot")})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage).where(SmsMessage.phone == worker.phone)) == 2
    live = db.session.scalars(sa.select(AccessCode).where(AccessCode.worker_id == worker.id,
                                                          AccessCode.purpose == CodePurpose.RESET,
                                                          AccessCode.revoked_at.is_(None))).all()
    assert len(live) == 1  # a new code revokes the one before


def test_the_reset_pages_are_limited_per_address(app, client, monkeypatch):
    """What is counted is sending the forms; reading the blank page is not (a shared office's
    address, or the page sweep, opens it often)."""
    monkeypatch.setitem(app.config, "RATELIMIT_PASSWORD_RESET", "2/3600")
    monkeypatch.setitem(app.config, "RESET_ANSWER_SECONDS", 0)
    assert {client.get("/password/forgot").status_code for _ in range(5)} == {200}
    token = csrf_token(client, "/password/forgot")
    sent = [client.post("/password/forgot", data={"identifier": "GZ0000001", "csrf_token": token}).status_code
            for _ in range(3)]
    assert sent == [303, 303, 429]
    reset = {"worker_number": "GZ0000001", "code": "123456", "csrf_token": csrf_token(client, "/password/reset")}
    assert client.post("/password/reset", data=reset).status_code == 429
    assert client.get("/password/reset").status_code == 200


def test_guessing_a_reset_code_is_limited_per_person(app, client, worker_with_login, monkeypatch):
    worker, _user = worker_with_login
    monkeypatch.setitem(app.config, "RATELIMIT_RESET_CHECK", "3/900")
    _forgot(client, worker.number)
    code = _code_on_phone(worker.phone)
    wrong = "000000" if code != "000000" else "111111"
    assert [_reset(client, worker.number, wrong).status_code for _ in range(3)] == [400, 400, 400]
    assert _reset(client, worker.phone, code).status_code == 429  # by phone: the same person's counter


def test_an_expired_reset_code_is_refused(client, worker_with_login):
    worker, _user = worker_with_login
    _forgot(client, worker.number)
    code = _code_on_phone(worker.phone)
    row = db.session.scalar(sa.select(AccessCode).where(AccessCode.worker_id == worker.id))
    row.expires_at = row.created_at
    db.session.flush()
    response = _reset(client, worker.number, code)
    assert response.status_code == 400 and "do not match a valid code" in response.get_data(as_text=True)


def test_a_worker_without_a_login_gets_no_text(client, make_worker):
    worker = make_worker("320102", name="郑无")
    _forgot(client, worker.number)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsMessage).where(SmsMessage.phone == worker.phone)) == 0
