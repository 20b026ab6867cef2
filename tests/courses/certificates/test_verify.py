"""The public verification: facts and the masked name only, revocation at once, unknown numbers
answered exactly like malformed ones, hostile input, the JSON twin, and the rate limit."""
from __future__ import annotations

import json
import re
import uuid

import pytest

from academy.extensions import db
from academy.web import ratelimit
from courses.certificates import lifecycle


def test_the_page_shows_the_status_dates_and_the_masked_name_only(client, certificate):
    response = client.get(f"/verify/{certificate.number}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="verify-status">valid<' in html
    assert "王*芳" in html and "王小芳" not in html
    assert certificate.worker.number not in html and certificate.worker.id_number_masked not in html
    assert str(certificate.issued_on) in html and str(certificate.valid_until) in html
    assert response.headers["Cache-Control"] == "no-store"


def test_a_revocation_shows_at_once(client, certificate):
    assert "valid" in client.get(f"/api/certificates/verify/{certificate.number}").get_json()["status"]
    lifecycle.revoke_certificate(certificate, None, reason="forged")
    db.session.flush()
    html = client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    assert 'data-testid="verify-status">revoked<' in html
    facts = client.get(f"/api/certificates/verify/{certificate.number}").get_json()
    assert facts["status"] == "revoked" and facts["holder"] == "王*芳" and "forged" not in str(facts)


# The language switch's "come back here" field repeats the address typed; its CSRF token is signed
# with the time, so it changes from one second to the next.
PER_REQUEST = re.compile(r'<input [^>]*name="(?:next|csrf_token)"[^>]*>')
HOSTILE = ["SG-2026-320102-999999", "sg-2026-320102-000001x", "<script>alert(1)</script>", "' OR 1=1 --",
           "A" * 5000, "%00", "../../etc/passwd", "SG-2026-320102-00000１", "证书"]


def _page(response) -> tuple[int, str]:
    """Status and body, less the fields that differ by request (``PER_REQUEST``)."""
    return response.status_code, PER_REQUEST.sub("", response.get_data(as_text=True))


def test_unknown_and_malformed_numbers_get_the_very_same_answer(client, certificate):
    answers = {_page(client.get(f"/verify/{n}")) for n in HOSTILE}
    assert len(answers) == 1 and next(iter(answers))[0] == 404
    # A newline matches no route at all: the API still answers in its own JSON.
    json_answers = {(r.status_code, r.get_data()) for r in (client.get(f"/api/certificates/verify/{n}")
                                                            for n in [*HOSTILE, "SG-2026%0A320102-000001"])}
    assert len(json_answers) == 1
    status, body = next(iter(json_answers))
    assert status == 404 and json.loads(body)["error"] == "not_found"
    assert "<script>alert" not in next(iter(answers))[1]


def test_the_search_needs_the_number_and_the_right_name(client, certificate):
    found = client.get("/verify", query_string={"number": certificate.number.lower(), "name": " 王小芳 "})
    assert found.status_code == 200 and 'data-testid="verify-status">valid<' in found.get_data(as_text=True)
    wrong_name = client.get("/verify", query_string={"number": certificate.number, "name": "李雷"})
    unknown = client.get("/verify/SG-2026-320102-999999")
    assert _page(wrong_name) == _page(unknown)
    for bad in ({"number": "", "name": "x"}, {"number": "x" * 41, "name": "王小芳"}, {"number": "SG", "name": "y" * 51}):
        assert client.get("/verify", query_string=bad).status_code == 400
    assert client.get("/verify", query_string={"number": "SG\x00", "name": "a"}).status_code == 400


def test_the_limit_answers_429_to_an_address_that_checks_too_often(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_VERIFY", "3/600")
    statuses = [client.get(f"/verify/{certificate.number}").status_code for _ in range(3)]
    limited = client.get(f"/api/certificates/verify/{certificate.number}")  # the JSON shares the page's limit
    assert statuses == [200, 200, 200] and limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0 and limited.get_json()["error"] == "too_many_requests"
    page = client.get("/verify")
    assert page.status_code == 429 and 'data-testid="verify-limited"' in page.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.2.3"  # another address has its own count
    assert other.get(f"/verify/{certificate.number}").status_code == 200


def test_the_database_counter_starts_again_in_the_next_window(app):
    limit = ratelimit.Limit("test-window", 2, 60)
    with app.test_request_context():
        verdicts = [ratelimit.hit(limit, "192.0.2.7", now=1_000_000.0 + n) for n in range(3)]
        assert [v.allowed for v in verdicts] == [True, True, False]
        assert ratelimit.hit(limit, "192.0.2.7", now=1_000_000.0 + 60).hits == 1
        assert ratelimit.purge_stale() == 1  # the window of 1970 has long ended


def test_counters_go_to_redis_when_it_is_configured(app, monkeypatch):
    from redis import Redis

    from tests.support import services_required

    url = "redis://127.0.0.1:6379/14"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        if services_required():
            raise
        pytest.skip("Redis is not reachable")  # never in CI: services_required() raises there
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    limit = ratelimit.Limit(f"test-redis-{uuid.uuid4().hex}", 2, 60)  # its own counter, whatever ran a minute ago
    address = "198.51.100.7"
    with app.test_request_context():
        verdicts = [ratelimit.hit(limit, address) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False]
    assert db.session.get(ratelimit.RateCounter, f"{limit.name}:{address}") is None  # nothing in the database
