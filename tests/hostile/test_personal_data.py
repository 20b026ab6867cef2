"""Personal data stays where it belongs: not in logs, not in URLs, cookies safe in production."""
from __future__ import annotations

import logging
from datetime import date

import pytest
import sqlalchemy as sa

from academy import create_app
from academy.cases import operations as case_ops
from academy.config import Config
from academy.extensions import db
from academy.permissions import Role
from academy.registry import idnumbers
from academy.registry.models import Worker
from tests.support import PASSWORD, log_in, post_form

ID_NUMBER = idnumbers.make_number("320102", date(1988, 8, 8), 731)
PHONE, CALLER_PHONE, API_PHONE = "13912345678", "13800001111", "13700002222"
WRONG_PASSWORD = "Wrong-Horse-Battery-77"


def _worker_form(**changes) -> dict:
    return {"name": "王芳", "gender": "female", "phone": PHONE, "education": "bachelor", "political_status": "masses",
            "employment": "full_time", "area": "320102", "hired_on": "2023-03-01", "id_number": ID_NUMBER, **changes}


def _typical_requests(app, cases_world, make_user):
    """Log-ins good and bad, a worker recorded, searched and revealed, calls taken by hotline and Open311."""
    make_user("hr-logs", Role.HR)
    stranger = app.test_client()
    post_form(stranger, "/login", {"username": "hr-logs", "password": WRONG_PASSWORD})
    hr = app.test_client()
    log_in(hr, "hr-logs")
    assert post_form(hr, "/registry/workers/new", _worker_form(), token_from="/registry/workers/new").status_code == 302
    assert post_form(hr, "/registry/workers/new", _worker_form(), token_from="/registry/workers/new").status_code == 400
    worker = db.session.scalar(sa.select(Worker).where(Worker.phone == PHONE))
    assert post_form(hr, "/registry/workers", {"q": ID_NUMBER}, token_from="/account").status_code == 200
    assert post_form(hr, f"/registry/workers/{worker.id}/id-number", token_from=f"/registry/workers/{worker.id}"
                     ).status_code == 200
    dispatcher = app.test_client()
    log_in(dispatcher, "dispatch")
    call = {"category": str(cases_world.category.id), "place": f"g:{cases_world.grid.id}", "title": "Noise",
            "description": "Karaoke until 2 am", "resident_name": "Ms Li", "resident_phone": CALLER_PHONE,
            "submission_key": "h" * 24}
    assert post_form(dispatcher, "/cases/hotline", call, token_from="/cases/hotline").status_code == 302
    _client, key = case_ops.create_api_client(None, "city app")
    response = app.test_client().post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": cases_world.category.code, "description": "Pothole", "address_string": "Gate 1",
        "phone": API_PHONE})
    assert response.status_code == 201


def _with_access_log(app, monkeypatch):
    """Log every request as gunicorn's access log does (request line with its query string)."""
    inner, access = app.wsgi_app, logging.getLogger("gunicorn.access")

    def logged(environ, start_response):
        def start(status, headers, *args):
            query = environ.get("QUERY_STRING")
            access.info('%s "%s %s%s" %s', environ.get("REMOTE_ADDR"), environ["REQUEST_METHOD"],
                        environ.get("PATH_INFO"), f"?{query}" if query else "", status.split()[0])
            return start_response(status, headers, *args)

        return inner(environ, start)

    monkeypatch.setattr(app, "wsgi_app", logged)


def test_logs_of_typical_requests_carry_no_personal_data(app, cases_world, make_user, caplog, monkeypatch):
    """Everything logged at any level while people log in, record a worker, search and reveal his
    ID number, take a hotline call and an Open311 request: none of their personal data."""
    caplog.set_level(logging.DEBUG)
    _with_access_log(app, monkeypatch)
    _typical_requests(app, cases_world, make_user)
    text = caplog.text
    assert len(caplog.records) >= 10 and "/registry/workers" in text, "the requests were logged"
    for secret in (ID_NUMBER, ID_NUMBER[6:14] + ID_NUMBER[14:], PHONE, CALLER_PHONE, API_PHONE, PASSWORD,
                   WRONG_PASSWORD):
        assert secret not in text, f"{secret[:3]}… appears in the logs"


def test_failed_statements_do_not_put_their_values_in_errors(app):
    """hide_parameters: a database error (and so its log line) names the statement, not the data."""
    with pytest.raises(sa.exc.DBAPIError) as error:
        db.session.execute(sa.text("SELECT * FROM no_such_table WHERE phone = :phone"), {"phone": PHONE})
    db.session.rollback()
    assert PHONE not in str(error.value)


def test_an_id_number_search_is_posted_and_a_url_carrying_one_is_not_searched(client, make_user, make_worker):
    make_user("hr-search", Role.HR)
    worker = make_worker("320102")
    from academy import crypto

    number = crypto.decrypt(worker.id_number_encrypted)
    log_in(client, "hr-search")
    page = client.get("/registry/workers").get_data(as_text=True)
    assert 'method="post"' in page.split('name="q"')[0].rsplit("<form", 1)[-1]
    found = post_form(client, "/registry/workers", {"q": number}, token_from="/account")
    assert found.status_code == 200 and worker.number in found.get_data(as_text=True)
    by_url = client.get("/registry/workers", query_string={"q": number})
    assert by_url.status_code == 200
    assert "never put into addresses" in by_url.get_data(as_text=True)


def test_production_cookies_are_secure_http_only_and_same_site(tmp_path, monkeypatch):
    for name, value in {"ENV": "production", "SECRET_KEY": "s" * 64, "DATA_KEY": "d" * 64,
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}", "INSTANCE_PATH": str(tmp_path),
                        "PUBLIC_URL": "https://academy.example.cn"}.items():
        monkeypatch.setenv(f"ACADEMY_{name}", value)
    config = Config()
    config.PASSWORD_HASH_FAST = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        from academy.accounts.operations import create_user

        create_user("prod-user", PASSWORD, by=None)
        db.session.commit()
    client = app.test_client()  # plain http: the cookie must be Secure all the same
    response = post_form(client, "/login", {"username": "prod-user", "password": PASSWORD})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies), cookies
    with app.app_context():
        db.engine.dispose()
