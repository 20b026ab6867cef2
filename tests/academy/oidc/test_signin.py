"""Signing in through the city's identity provider, against a real provider on 127.0.0.1.

Every flow goes the whole way: the app's log-in page, its redirect to the provider, a real HTTP
request to the provider's /authorize, the provider's redirect back to the app's callback, and the
app's own HTTP calls to the provider (discovery, token, JWKS) with the ID token checked.
"""
from __future__ import annotations

import socket
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa
from joserfc.jwk import RSAKey

from academy.audit import AuditEntry
from academy.extensions import db
from tests.academy.oidc.provider import CLIENT_ID, CLIENT_SECRET, Provider
from tests.support import CSRF_PATTERN

SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME",
            "OIDC_WORKER_NUMBER_CLAIM", "OIDC_ID_NUMBER_CLAIM")
UNKNOWN = "no active account of the academy belongs to you"


@pytest.fixture(scope="module")
def provider():
    running = Provider().start()
    yield running
    running.stop()


def _configure(app, issuer: str) -> dict:
    saved = {key: app.config.get(key) for key in SETTINGS}
    app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
                      OIDC_NAME="City ID", OIDC_WORKER_NUMBER_CLAIM="employee_no", OIDC_ID_NUMBER_CLAIM="cn_id")
    return saved


@pytest.fixture
def oidc(app, provider):
    """The session's app configured for the running provider, as it was after the test."""
    saved = _configure(app, provider.issuer)
    yield provider
    app.config.update(saved)
    provider.reset()


@pytest.fixture
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _go_to_provider(client, provider):
    start = client.get("/login/oidc")
    assert start.status_code == 302 and start.location.startswith(f"{provider.issuer}/authorize?")
    return requests.get(start.location, allow_redirects=False, timeout=10)


def _sign_in(client, provider):
    """The whole round: app -> provider -> app's callback; the callback's answer."""
    back = _go_to_provider(client, provider)
    assert back.status_code == 302, back.text
    url = urlsplit(back.headers["Location"])
    assert url.path == "/login/oidc/callback"
    return client.get(f"{url.path}?{url.query}")


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _refused_with(client, response, text: str) -> None:
    """Back on the log-in page, reading ``text``, and not signed in."""
    assert response.status_code == 303 and response.location.endswith("/login")
    page = client.get("/login").get_data(as_text=True)
    assert text in page
    assert not _signed_in(client)


def test_a_worker_signs_in_by_worker_number(english, oidc, make_user, make_worker):
    user = make_user("wang")
    worker = make_worker(user=user)
    oidc.identity = {"employee_no": worker.number.lower()}
    anonymous_token = CSRF_PATTERN.search(english.get("/login").get_data(as_text=True)).group(1)
    response = _sign_in(english, oidc)
    assert response.status_code == 303 and response.location.endswith("/")
    assert _signed_in(english)
    # The request carried PKCE (S256) and a nonce; the session is a new one: the old CSRF token is gone.
    sent = oidc.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["nonce"] and sent["state"]
    assert CSRF_PATTERN.search(english.get("/account").get_data(as_text=True)).group(1) != anonymous_token
    [entry] = _audit("user.login_oidc")
    assert entry.actor_id == user.id and entry.after == {"matched_by": "worker_number", "worker": worker.number}
    assert _audit("user.login")[-1].actor_id == user.id


def test_a_worker_signs_in_by_id_number_which_is_never_kept(english, oidc, make_user, make_worker):
    from academy import crypto  # the test reads the number the fixture encrypted, as HR would reveal it

    worker = make_worker(user=make_user("li"))
    id_number = crypto.decrypt(worker.id_number_encrypted)
    oidc.identity = {"cn_id": id_number.lower() if id_number.endswith("X") else f" {id_number} "}
    assert _sign_in(english, oidc).status_code == 303
    assert _signed_in(english)
    [entry] = _audit("user.login_oidc")
    assert entry.after["matched_by"] == "id_number"
    stored = " ".join(str(value) for e in db.session.scalars(sa.select(AuditEntry))
                      for value in (e.summary, e.before, e.after))
    assert id_number not in stored


def test_an_unknown_person_is_refused_and_nothing_is_created(english, oidc, make_worker, count_rows):
    from academy.accounts.models import User  # the count a refusal must leave as it was

    make_worker()  # a worker without an account: matched, still refused
    users = count_rows(User)
    oidc.identity = {"employee_no": "GW-NOBODY", "cn_id": "110101199001011234"}
    _refused_with(english, _sign_in(english, oidc), UNKNOWN)
    assert count_rows(User) == users
    [entry] = _audit("user.login_oidc_refused")
    assert entry.after["reason"] == "unknown" and entry.after["claimed_worker_number"] == "GW-NOBODY"
    assert "110101199001011234" not in f"{entry.summary} {entry.after}"


def test_a_worker_without_an_active_account_is_refused(english, oidc, make_user, make_worker):
    no_account = make_worker()
    oidc.identity = {"employee_no": no_account.number}
    _refused_with(english, _sign_in(english, oidc), UNKNOWN)
    disabled = make_user("zhao")
    disabled.active = False
    oidc.identity = {"employee_no": make_worker(user=disabled).number}
    _refused_with(english, _sign_in(english, oidc), UNKNOWN)
    assert [e.after["reason"] for e in _audit("user.login_oidc_refused")] == ["no_account", "inactive"]


def test_claims_naming_two_workers_are_refused(english, oidc, make_user, make_worker):
    from academy import crypto  # as above

    first, second = make_worker(user=make_user("a1")), make_worker(user=make_user("a2"))
    oidc.identity = {"employee_no": first.number, "cn_id": crypto.decrypt(second.id_number_encrypted)}
    _refused_with(english, _sign_in(english, oidc), UNKNOWN)
    assert _audit("user.login_oidc_refused")[-1].after["reason"] == "conflict"


def test_a_wrong_or_replayed_state_is_refused(english, oidc, make_user, make_worker):
    oidc.identity = {"employee_no": make_worker(user=make_user("sun")).number}
    back = _go_to_provider(english, oidc)
    url = urlsplit(back.headers["Location"])
    query = parse_qs(url.query)
    forged = english.get(f"{url.path}?code={query['code'][0]}&state=forged-state")
    _refused_with(english, forged, "was not started here")
    # A callback of another browser's sign-in (its state is not in this session) is refused too.
    other = english.application.test_client()
    _refused_with(other, other.get(f"{url.path}?{url.query}"), "")
    assert [e.after["reason"] for e in _audit("user.login_oidc_refused")] == ["state", "state"]


def test_a_person_who_declines_at_the_provider_is_not_signed_in(english, oidc, make_user, make_worker):
    oidc.identity = {"employee_no": make_worker(user=make_user("zhou")).number}
    oidc.deny = True
    _refused_with(english, _sign_in(english, oidc), "City ID did not confirm who you are")
    assert _audit("user.login_oidc_refused")[-1].after["reason"] == "denied"


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    return ".".join((header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature))


@pytest.mark.parametrize("change", [
    {"tamper": _tampered},
    {"token_changes": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}},
    {"token_changes": {"aud": "another-client"}},
    {"token_changes": {"iss": "http://127.0.0.1:9/"}},
    {"token_changes": {"nonce": "not-the-nonce-sent"}},
    {"sign_with": RSAKey.generate_key(2048, parameters={"kid": "city-1"})},
], ids=["tampered", "expired", "wrong-audience", "wrong-issuer", "wrong-nonce", "foreign-key"])
def test_an_id_token_that_fails_a_check_is_refused(english, oidc, make_user, make_worker, change):
    oidc.identity = {"employee_no": make_worker(user=make_user("qian")).number}
    for name, value in change.items():
        setattr(oidc, name, value)
    _refused_with(english, _sign_in(english, oidc), "could not be verified")
    assert _audit("user.login_oidc_refused")[-1].after["reason"] == "token"
    assert _audit("user.login_oidc") == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_provider_that_is_down_gets_a_clear_answer(app, english, provider):
    saved = _configure(app, f"http://127.0.0.1:{_closed_port()}")
    try:
        response = english.get("/login/oidc")
        _refused_with(english, response, "Cannot reach City ID just now")
        response = english.get("/login/oidc/callback?code=x&state=y")
        _refused_with(english, response, "Cannot reach City ID just now")
    finally:
        app.config.update(saved)


def test_the_button_is_offered_in_both_languages(client, oidc):
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in with City ID" in page and 'href="/login/oidc"' in page
    assert "使用City ID登录" in client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


def test_not_configured_no_button_and_no_endpoints(client):
    assert 'href="/login/oidc"' not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?code=x&state=y").status_code == 404
