"""The verification API for integrators: CORS for browsers of other sites, RateLimit headers, a
keyed tier with its own quota (keys issued and revoked by an administrator, kept hashed), and
certificate numbers typed full-width, with other hyphens or with spaces."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.certificates import keys
from courses.certificates.models import VerificationKey
from tests.support import log_in, post_form

API = "/api/certificates/verify/"


def test_browsers_of_other_sites_may_call_it(client, certificate):
    response = client.get(API + certificate.number, headers={"Origin": "https://hr.example.gov.cn"})
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    assert "RateLimit-Remaining" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(API + certificate.number, headers={
        "Origin": "https://hr.example.gov.cn", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "X-Api-Key"})
    assert preflight.status_code == 200 and "X-Api-Key" in preflight.headers["Access-Control-Allow-Headers"]
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get(f"/verify/{certificate.number}").headers  # the page: no


def test_every_answer_says_the_quota(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_VERIFY", "5/600")
    first = client.get(API + certificate.number)
    assert (first.headers["RateLimit-Limit"], first.headers["RateLimit-Remaining"]) == ("5", "4")
    assert first.headers["RateLimit-Policy"] == "5;w=600" and 0 < int(first.headers["RateLimit-Reset"]) <= 600
    missing = client.get(API + "XX-0000-0000-000000")
    assert missing.status_code == 404 and missing.headers["RateLimit-Remaining"] == "3"


def test_an_integrators_key_has_its_own_quota(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_VERIFY", "2/600")
    monkeypatch.setitem(app.config, "RATELIMIT_VERIFY_KEY", "50/600")
    _record, key = keys.issue_verification_key(None, "人社局平台")
    answers = [client.get(API + certificate.number, headers={"Origin": "https://hr.example.gov.cn"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    refused = answers[-1]  # a browser of another site can read the refusal and when to try again
    assert refused.headers["Access-Control-Allow-Origin"] == "*" and int(refused.headers["Retry-After"]) > 0
    assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"]
    keyed = client.get(API + certificate.number, headers={"X-Api-Key": key})
    assert keyed.status_code == 200 and keyed.headers["RateLimit-Limit"] == "50"
    assert client.get(API + certificate.number, query_string={"api_key": key}).headers["RateLimit-Remaining"] == "48"
    assert db.session.scalar(sa.select(sa.func.count(VerificationKey.id)).where(VerificationKey.key_hash == key)) == 0


def test_an_unknown_or_revoked_key_is_refused(client, certificate):
    record, key = keys.issue_verification_key(None, "Employer")
    wrong = client.get(API + certificate.number, headers={"X-Api-Key": "made-up"})
    assert wrong.status_code == 403 and wrong.get_json()["error"] == "forbidden"
    assert wrong.headers["Access-Control-Allow-Origin"] == "*" and "RateLimit-Remaining" in wrong.headers
    keys.revoke_verification_key(record, None)
    assert client.get(API + certificate.number, headers={"X-Api-Key": key}).status_code == 403
    assert client.get(API + certificate.number).status_code == 200  # without a key: the public's quota


FULL_WIDTH = str.maketrans("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "－０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")


@pytest.mark.parametrize("retype", [
    lambda n: n.translate(FULL_WIDTH),  # as a Chinese input method types it
    lambda n: f" {n.lower()} ", lambda n: n.replace("-", "—"), lambda n: n.replace("-", " - "),
    lambda n: n.replace("-", "\u3000－\u3000"), lambda n: n.replace("-", "\u2212"),
    lambda n: n.replace("-", "——"),  # a Chinese input method's dash, two characters
    lambda n: "\ufeff" + n.replace("-", "\u200b-\u00ad"),  # pasted from a chat app: zero-width space, soft hyphen
])
def test_numbers_typed_full_width_or_with_other_hyphens_are_found(client, certificate, retype):
    typed = retype(certificate.number)
    assert typed != certificate.number
    response = client.get(API + typed)
    assert response.status_code == 200 and response.get_json()["number"] == certificate.number
    page = client.get("/verify", query_string={"number": typed, "name": "王小芳"})
    assert page.status_code == 200 and 'data-testid="verify-status"' in page.get_data(as_text=True)


def test_administrators_issue_a_key_shown_once_and_revoke_it(client, make_user):
    make_user("root", Role.ADMIN)
    log_in(client, "root")
    page = post_form(client, "/certificates/admin/verification-keys", {"name": "市人社局人才服务平台"},
                     token_from="/certificates/admin/verification-keys")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="new-key"' in html
    record = db.session.scalar(sa.select(VerificationKey))
    assert record.name == "市人社局人才服务平台" and record.active and len(record.key_hash) == 64
    again = client.get("/certificates/admin/verification-keys").get_data(as_text=True)
    assert 'data-testid="new-key"' not in again and "市人社局人才服务平台" in again
    revoked = post_form(client, f"/certificates/admin/verification-keys/{record.id}/revoke", {},
                        token_from="/certificates/admin/verification-keys")
    assert revoked.status_code == 303
    db.session.refresh(record)
    assert not record.active
    twice = post_form(client, f"/certificates/admin/verification-keys/{record.id}/revoke", {},
                      token_from="/certificates/admin/verification-keys")
    assert twice.status_code == 303 and db.session.scalar(sa.select(sa.func.count(VerificationKey.id))) == 1
    empty = post_form(client, "/certificates/admin/verification-keys", {"name": ""},
                      token_from="/certificates/admin/verification-keys")
    assert empty.status_code == 400 and db.session.scalar(sa.select(sa.func.count(VerificationKey.id))) == 1
