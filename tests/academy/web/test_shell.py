"""The shell as a browser meets it: headers, languages, error pages, limits."""
from __future__ import annotations

import re

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.permissions import Role
from tests.support import csrf_token, log_in, post_form


def test_security_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"


def test_pages_carry_no_inline_script(client, make_user):
    make_user("paula", Role.ADMIN)
    log_in(client, "paula")
    for path in ("/", "/account", "/admin/users", "/admin/audit", "/login"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"


def test_bootstrap_is_served_by_the_app(client):
    html = client.get("/login").get_data(as_text=True)
    hrefs = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    assert hrefs and all(href.startswith("/") for href in hrefs), hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_language_follows_the_browser_then_the_choice(client, make_user):
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Log in" in client.get("/login", headers={"Accept-Language": "en-US,en"}).get_data(as_text=True)
    assert "登录" in client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)  # the default
    user = make_user("quinn", Role.HR)
    log_in(client, "quinn")
    response = post_form(client, "/language", {"language": "en", "next": "/account"}, token_from="/account")
    assert response.headers["Location"] == "/account"
    assert "My account" in client.get("/account", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "en"


def test_form_messages_of_wtforms_itself_follow_each_requests_language(client):
    """WTForms' own messages come from a catalogue kept per language for the process: a request in
    one language never leaves its messages to the next request in another."""
    for language, message in (("zh-CN", "该字段是必填字段。"), ("en", "This field is required."), ("zh-CN", "该字段是必填字段。")):
        token = csrf_token(client, "/login")
        page = client.post("/login", data={"csrf_token": token, "username": "", "password": ""},
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert page.count(message) == 2, language  # user name and password


def test_unknown_locale_is_refused_and_changes_nothing(client, make_user):
    user = make_user("rita", Role.HR)
    log_in(client, "rita")
    response = post_form(client, "/language", {"language": "xx_YY"}, token_from="/account")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).locale is None


def test_not_found_page_is_styled(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert 'data-testid="error-page"' in response.get_data(as_text=True)


def test_request_larger_than_the_limit_is_refused(app, client, count_rows):
    before = count_rows(User)
    token = csrf_token(client)
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/login", data={"csrf_token": token, "username": too_big, "password": "x"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)
    assert count_rows(User) == before


def test_health_check_answers(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_times_show_in_the_users_zone(app, make_user):
    from datetime import UTC, datetime

    from academy.web.i18n import local_datetime

    with app.test_request_context():
        assert local_datetime(datetime(2026, 1, 1, 16, 30, tzinfo=UTC)) == "2026-01-02 00:30"


def test_the_database_keeps_utc(make_user):
    user = make_user("sam", Role.HR)
    db.session.expire_all()
    stored = db.session.scalar(sa.select(User.created_at).where(User.id == user.id))
    assert stored.utcoffset().total_seconds() == 0


def test_method_not_allowed_says_what_is_allowed(client):
    response = client.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_https_responses_ask_for_https_from_now_on(client):
    assert "Strict-Transport-Security" in client.get("/login", base_url="https://localhost").headers
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_the_users_stored_language_beats_the_browser(app, make_user):
    user = make_user("tess", Role.HR)
    user.locale = "en"
    db.session.flush()
    fresh = app.test_client()  # no language in its session: only the stored choice can say English
    log_in(fresh, "tess")
    assert "My account" in fresh.get("/account", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


def test_the_users_own_time_zone_is_used(app, make_user):
    from datetime import UTC, datetime

    from flask_login import login_user

    from academy.web.i18n import local_datetime

    user = make_user("uma", Role.HR)
    user.timezone = "Europe/London"
    with app.test_request_context():
        login_user(user)
        assert local_datetime(datetime(2026, 1, 1, 16, 30, tzinfo=UTC)) == "2026-01-01 16:30"


def test_pages_say_where_they_are(client, make_user):
    make_user("vic", Role.ADMIN)
    log_in(client, "vic")
    html = client.get("/admin/users", headers={"Accept-Language": "en"}).get_data(as_text=True)
    crumbs = html.split('data-testid="breadcrumbs"')[1].split("</ol>")[0]
    assert 'href="/"' in crumbs and "Home" in crumbs and "Users" in crumbs
