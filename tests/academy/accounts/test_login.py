"""Log-in, throttling, session invalidation and safe redirects, as a user meets them."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import LoginFailure, User
from academy.extensions import db
from academy.permissions import Role
from tests.support import PASSWORD, csrf_token, log_in, post_form


def test_login_with_right_password_opens_home(client, make_user):
    make_user("alice", Role.HR)
    response = log_in(client, "alice")
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "alice" in home.get_data(as_text=True)


def test_wrong_password_is_refused_and_counted(client, make_user, count_rows):
    make_user("bob", Role.HR)
    response = post_form(client, "/login", {"username": "bob", "password": "not-the-password"})
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True) or "用户名或密码错误" in response.get_data(as_text=True)
    assert count_rows(LoginFailure) == 1
    assert client.get("/admin/users").status_code == 302  # still not logged in


def test_unknown_user_gets_the_same_answer(client):
    response = post_form(client, "/login", {"username": "nobody", "password": "whatever-1234"}, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_five_failures_lock_that_address_even_with_the_right_password(client, make_user):
    make_user("carol", Role.HR)
    for _ in range(5):
        post_form(client, "/login", {"username": "carol", "password": "wrong-password"})
    response = post_form(client, "/login", {"username": "carol", "password": PASSWORD}, headers={"Accept-Language": "en"})
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.get_data(as_text=True)
    assert 850 <= int(response.headers["Retry-After"]) <= 900


def test_lock_window_passes(app, client, make_user):
    from datetime import timedelta

    from academy.database import utcnow

    make_user("dave", Role.HR)
    for _ in range(5):
        post_form(client, "/login", {"username": "dave", "password": "wrong-password"})
    db.session.execute(sa.update(LoginFailure).values(at=utcnow() - timedelta(minutes=16)))
    assert log_in(client, "dave").status_code == 302


def test_successful_login_clears_the_account_failures(client, make_user, count_rows):
    make_user("fay", Role.HR)
    post_form(client, "/login", {"username": "fay", "password": "wrong-password"})
    log_in(client, "fay")
    assert count_rows(LoginFailure) == 0


def test_disabled_user_cannot_log_in(client, make_user):
    user = make_user("gus", Role.HR)
    user.active = False
    db.session.flush()
    response = post_form(client, "/login", {"username": "gus", "password": PASSWORD})
    assert response.status_code == 401


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_cookie_replayed_after_logout_is_refused(app, make_user):
    make_user("hal", Role.ADMIN)
    client = app.test_client()
    log_in(client, "hal")
    stolen = _session_cookie(client)
    assert client.get("/admin/users").status_code == 200
    post_form(client, "/logout", token_from="/account")
    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/admin/users").status_code == 302


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_user):
    make_user("ivy", Role.ADMIN)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "ivy")
    log_in(phone, "ivy")
    response = post_form(laptop, "/account", {"current_password": PASSWORD, "new_password": "Another-Horse-77",
                                                "confirm": "Another-Horse-77"}, token_from="/account")
    assert response.status_code == 302
    assert laptop.get("/admin/users").status_code == 200
    assert phone.get("/admin/users").status_code == 302


def test_disabling_a_user_ends_their_sessions(app, make_user):
    make_user("root1", Role.ADMIN)
    victim = make_user("jan", Role.ADMIN)
    admin, user = app.test_client(), app.test_client()
    log_in(admin, "root1")
    log_in(user, "jan")
    response = post_form(admin, f"/admin/users/{victim.id}", {"display_name": "Jan"}, token_from="/admin/users")
    assert response.status_code == 302
    assert user.get("/admin/users").status_code == 302


def test_next_redirects_only_within_the_site(client, make_user):
    make_user("kim", Role.HR)
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = post_form(client, "/login", {"username": "kim", "password": PASSWORD, "next": target})
        assert response.headers["Location"] == "/", target
        post_form(client, "/logout", token_from="/account")
    response = post_form(client, "/login", {"username": "kim", "password": PASSWORD, "next": "/account"})
    assert response.headers["Location"] == "/account"


def test_login_page_redirect_carries_next(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_overlong_username_is_refused_without_trace(client, count_rows):
    response = post_form(client, "/login", {"username": "x" * 5000, "password": "y" * 5000})
    assert response.status_code == 400
    assert count_rows(LoginFailure) == 0


def test_missing_csrf_token_is_a_clear_400(client, make_user, count_rows):
    make_user("lou", Role.HR)
    response = client.post("/login", data={"username": "lou", "password": PASSWORD}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User.last_login_at).where(User.username == "lou")) is None


def test_session_cookie_flags(client, make_user):
    make_user("mia", Role.HR)
    response = post_form(client, "/login", {"username": "mia", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app, make_user):
    make_user("ned", Role.HR)
    client = app.test_client()
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "username": "ned", "password": PASSWORD},
                           base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_header_tricks_in_next_are_ignored(client, make_user):
    make_user("olga", Role.HR)
    for target in ("/\r\nX-Evil: 1", "/ok\nx", "/a b"):
        response = post_form(client, "/login", {"username": "olga", "password": PASSWORD, "next": target})
        assert response.status_code == 302 and response.headers["Location"] == "/", repr(target)
        post_form(client, "/logout", token_from="/account")


def test_control_characters_are_refused_before_they_reach_the_database(client, count_rows):
    response = post_form(client, "/login", {"username": "x\x00y", "password": "whatever-1234"})
    assert response.status_code == 400
    assert count_rows(LoginFailure) == 0
    assert client.get("/login?next=%00").status_code == 400


def test_every_attempt_counts_while_the_password_is_checked(client, make_user, count_rows):
    make_user("pam", Role.HR)
    post_form(client, "/login", {"username": "pam", "password": "wrong-password"})
    assert count_rows(LoginFailure) == 1
    log_in(client, "pam")
    assert count_rows(LoginFailure) == 0


def test_log_in_and_out_are_audited_and_the_session_expires(app, client, make_user):
    from academy.audit import AuditEntry

    make_user("rex", Role.HR)
    log_in(client, "rex")
    with client.session_transaction() as session:
        assert session.permanent
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
    post_form(client, "/logout", token_from="/account")
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.actor_name == "rex")).all()
    assert "user.login" in actions and "user.logout" in actions


def test_wrong_current_password_counts_towards_the_lock(client, make_user):
    make_user("sue", Role.HR)
    log_in(client, "sue")
    for _ in range(5):
        response = post_form(client, "/account", {"current_password": "guess-guess", "new_password": "Another-Horse-77",
                                                   "confirm": "Another-Horse-77"}, token_from="/account")
        assert response.status_code == 400
    response = post_form(client, "/account", {"current_password": PASSWORD, "new_password": "Another-Horse-77",
                                               "confirm": "Another-Horse-77"}, token_from="/account")
    assert response.status_code == 429


def test_log_in_starts_a_new_session_so_a_planted_token_is_refused(app, make_user):
    """A cookie (and CSRF token) obtained before log-in is worth nothing after it."""
    make_user("tom", Role.ADMIN)
    victim = app.test_client()
    planted_token = csrf_token(victim)  # the attacker's anonymous session, planted in the victim's browser
    planted_cookie = _session_cookie(victim)
    post_form(victim, "/language", {"language": "en", "next": "/login"})
    response = victim.post("/login", data={"csrf_token": csrf_token(victim), "username": "tom", "password": PASSWORD})
    assert response.status_code == 302
    assert _session_cookie(victim) != planted_cookie
    forged = victim.post(f"/admin/users/{db.session.scalar(sa.select(User.id).where(User.username == 'tom'))}",
                         data={"csrf_token": planted_token, "display_name": "Owned"})
    assert forged.status_code == 400
    assert db.session.scalar(sa.select(User.display_name).where(User.username == "tom")) != "Owned"
    page = victim.get("/account").get_data(as_text=True)
    assert "Change password" in page or "Log out" in page  # the chosen language survived the log-in
    assert planted_token not in page
