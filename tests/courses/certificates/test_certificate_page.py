"""A certificate's own page: the holder sees his certificate in words with its verification link, QR
code, renewal and PDF; HR of his area sees it with the records and revocation; anyone else gets 404."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from courses.certificates import queries
from tests.fixtures.certificates import credit_hours, sit_exam
from tests.support import log_in

PUBLIC = "https://academy.example.cn"


@pytest.fixture
def held(app, monkeypatch, exam_course, make_cert_type, make_trainee):
    """王小芳 (320102) holds a certificate earned by the course's final exam; renewal asks for 8 hours."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    course, exam = exam_course
    cert_type = make_cert_type(course=course, renewal_hours="8")
    user, worker = make_trainee(course, name="王小芳")
    sit_exam(exam, right=5, user=user, worker=worker)
    return user, queries.certificates_of(worker)[0], course, cert_type


def _page(client, certificate, language="zh-CN"):
    response = client.get(f"/certificates/{certificate.id}", headers={"Accept-Language": language})
    return response.status_code, response.get_data(as_text=True)


def test_the_holder_sees_his_certificate_in_words_with_link_qr_and_pdf(client, held):
    user, certificate, course, cert_type = held
    log_in(client, user.username)
    status, html = _page(client, certificate)
    assert status == 200
    assert cert_type.name in html and certificate.number in html and "有效" in html
    assert "bi-patch-check-fill" in html and "text-bg-success" in html  # colour and icon beside the word
    url = f"{PUBLIC}/verify/{certificate.number}"
    assert f'href="{url}"' in html  # the verification address is a real link
    assert re.search(r'data-testid="certificate-qr"><svg[^>]*aria-label="[^"]+"', html)  # QR code as inline SVG
    assert "<path" in html
    assert f'/certificates/{certificate.id}/certificate.pdf' in html
    assert 'src="/static/js/certificates.js' in html and "<script>" not in html  # no inline script
    assert course.title in html and course.code not in html  # no internal course code for the holder
    assert certificate.worker.number not in html and "revoke" not in html  # HR's part is not his
    assert "复审期将于" in html and "在岗培训不少于 8.0 学时" in html  # the window's opening day and what renewal needs
    assert "已有 0.0 学时，需 8.0 学时" in html


def test_in_the_window_the_page_says_so_and_what_is_met(client, held):
    user, certificate, course, _type = held
    certificate.valid_until = city_today() + timedelta(days=30)
    credit_hours(certificate.worker, course, "2")
    db.session.flush()
    log_in(client, user.username)
    _status, html = _page(client, certificate, "en")
    assert f"The renewal window is open until {certificate.valid_until}." in html
    assert "Renewal needs:" in html and "not yet met" in html


def test_a_revoked_certificate_is_said_in_words_and_red(client, held):
    from courses.certificates import lifecycle
    from courses.certificates.models import CertificateStatus

    user, certificate, _course, _type = held
    lifecycle.move(certificate, CertificateStatus.REVOKED, None, "issued in error")
    db.session.flush()
    log_in(client, user.username)
    _status, html = _page(client, certificate, "en")
    assert "revoked" in html and "text-bg-danger" in html and "bi-x-octagon-fill" in html
    assert "Only a valid certificate is renewed." in html


def test_hr_of_his_area_sees_records_and_revocation_others_get_404(app, client, held, make_user, make_trainee):
    user, certificate, course, _type = held
    make_user("hrdesk", Role.HR, area="320102")
    make_user("hrfar", Role.HR, area="320104")
    other, _worker = make_trainee(course, area="320102")
    log_in(client, "hrdesk")
    status, html = _page(client, certificate, "en")
    assert status == 200 and 'data-testid="certificate-manage"' in html and 'data-testid="revoke"' in html
    assert course.code in html and certificate.worker.number in html and f'href="{PUBLIC}/verify/' in html
    for username in ("hrfar", other.username):
        stranger = app.test_client()
        log_in(stranger, username)
        assert _page(stranger, certificate)[0] == 404, username
        assert stranger.get(f"/certificates/{certificate.id}/certificate.pdf").status_code == 404, username


@pytest.mark.parametrize("ident", ["99999999999999999999999", "0", "-1", "abc", "%00", "1e9", "NaN", "\x07"])
def test_a_bad_id_is_a_plain_404(client, held, ident):
    user, _certificate, _course, _type = held
    log_in(client, user.username)
    assert client.get(f"/certificates/{ident}").status_code == 404


def test_home_card_and_my_certificates_link_to_the_page(client, held):
    user, certificate, _course, _type = held
    log_in(client, user.username)
    page = f'href="/certificates/{certificate.id}"'
    home = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    card = home[home.index('data-step="certificates.mine"'):]
    assert page in card[:card.index("</section>") if "</section>" in card else None]
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert page in mine and f'<a href="{PUBLIC}/verify">{PUBLIC}/verify</a>' in mine
