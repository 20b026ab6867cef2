"""Activation: the happy path through the page, and every refusal answered alike, changing nothing."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.accounts.models import User
from academy.activation import codes
from academy.activation.models import AccessCode
from academy.database import utcnow
from academy.extensions import db
from academy.registry.models import WorkerStatus
from tests.academy.activation.conftest import id_tail, issue_code
from tests.support import csrf_token

NEW_PASSWORD = "Lantern-River-42"
NEUTRAL = "These details do not match a valid code"


def _activate(client, code, number, tail, password=NEW_PASSWORD, **extra):
    token = csrf_token(client, "/activate")
    data = {"code": code, "worker_number": number, "id_tail": tail, "new_password": password, "confirm": password,
            "csrf_token": token, **extra}
    return client.post("/activate", data=data, headers={"Accept-Language": "en"})


def test_the_code_is_kept_only_as_a_keyed_hash(coded_worker):
    worker, code = coded_worker
    row = db.session.scalar(sa.select(AccessCode).where(AccessCode.worker_id == worker.id))
    assert len(code) == 10 and set(code) <= set(codes.ALPHABET)
    assert code not in row.code_hash and row.code_hash == codes.code_hash(code)
    assert row.code_hash != codes.code_hash(code.lower() + "X")
    stored = " ".join(str(v) for v in db.session.execute(sa.select(AccessCode.__table__)).one())
    assert code not in stored


def test_a_worker_activates_signs_in_and_the_code_is_spent(client, coded_worker):
    worker, code = coded_worker
    # Typed as people type: lower case, in groups, full-width characters.
    typed = codes.spaced(code).lower().replace("a", "ａ")
    response = _activate(client, typed, worker.number.lower(), id_tail(worker))
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    db.session.expire_all()  # the request worked in a session of its own
    user = db.session.get(User, worker.user_id)
    assert user.username == worker.number.lower() and "trainee" in user.roles
    assert client.get("/account").status_code == 200  # signed in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    again = _activate(client, code, worker.number, id_tail(worker), password="Another-Pass-77")
    assert again.status_code == 400 and NEUTRAL in again.get_data(as_text=True)


def test_every_wrong_detail_gets_the_same_answer_and_changes_nothing(client, coded_worker, make_worker, count_rows):
    worker, code = coded_worker
    other = make_worker("320102", name="钱多")
    issue_code(other)
    expired_worker = make_worker("320102", name="周过")
    expired = issue_code(expired_worker, now=utcnow() - timedelta(days=31))
    attempts = [
        ("ZZZZZZZZZZ", worker.number, id_tail(worker)),  # a code nobody has
        (code, other.number, id_tail(other)),  # someone else's worker number
        (code, worker.number, "000000" if id_tail(worker) != "000000" else "111111"),  # wrong ID tail
        (expired, expired_worker.number, id_tail(expired_worker)),  # expired
        (code, "W99999999", id_tail(worker)),  # no such worker
    ]
    before = (count_rows(User), count_rows(AccessCode))
    for attempt in attempts:
        response = _activate(client, *attempt)
        assert response.status_code == 400
        assert NEUTRAL in response.get_data(as_text=True)
    db.session.expire_all()
    assert (count_rows(User), count_rows(AccessCode)) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessCode).where(AccessCode.used_at.is_not(None))) == 0


def test_a_new_code_revokes_the_old_one(client, coded_worker):
    worker, old = coded_worker
    new = issue_code(worker)
    assert _activate(client, old, worker.number, id_tail(worker)).status_code == 400
    assert _activate(client, new, worker.number, id_tail(worker)).status_code == 303


def test_an_exited_worker_cannot_activate(client, coded_worker):
    worker, code = coded_worker
    worker.status = WorkerStatus.EXITED
    db.session.flush()
    assert _activate(client, code, worker.number, id_tail(worker)).status_code == 400
    db.session.expire_all()
    assert worker.user_id is None


def test_the_password_policy_applies_and_a_weak_password_spends_nothing(client, coded_worker):
    worker, code = coded_worker
    response = _activate(client, code, worker.number, id_tail(worker), password="password")
    assert response.status_code == 400 and "too common" in response.get_data(as_text=True)
    assert _activate(client, code, worker.number, id_tail(worker)).status_code == 303


def test_the_qr_link_fills_in_the_code(client, coded_worker):
    _worker, code = coded_worker
    page = client.get(f"/activate?code={code}").get_data(as_text=True)
    assert f'value="{code}"' in page


def test_tries_of_one_code_are_limited_whatever_the_address(app, client, coded_worker, monkeypatch):
    worker, code = coded_worker
    monkeypatch.setitem(app.config, "RATELIMIT_ACTIVATE_CODE", "3/3600")
    for n in range(3):
        response = client.post("/activate", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}, data={
            "code": code, "worker_number": worker.number, "id_tail": "000000", "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client, "/activate")})
        assert response.status_code == 400
    blocked = _activate(client, code, worker.number, id_tail(worker))
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers
    db.session.expire_all()
    assert worker.user_id is None


def test_the_page_is_limited_per_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ACTIVATE", "2/600")
    assert [client.get("/activate").status_code for _ in range(3)] == [200, 200, 429]


def test_bad_input_is_a_form_error(client, coded_worker):
    worker, code = coded_worker
    for field, value in (("code", "A" * 200), ("id_tail", "12345"), ("worker_number", ""), ("confirm", "different-1")):
        data = {"code": code, "worker_number": worker.number, "id_tail": id_tail(worker), "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD, field: value, "csrf_token": csrf_token(client, "/activate")}
        assert client.post("/activate", data=data).status_code == 400, field
    db.session.expire_all()
    assert worker.user_id is None
