"""The audit log as an inspector reads it: what happened in words, who (name and role), on what (a
link), what changed as "field: before → after"; filters by who, event, object and dates; an .xlsx
export with the same rows as the page."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from academy.audit import AuditEntry
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from courses.certificates import lifecycle, queries
from tests.fixtures.certificates import sit_exam
from tests.support import log_in

ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def _revoked_certificate(exam_course, make_cert_type, make_trainee, hr):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course, name="张娟")
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    lifecycle.revoke_certificate(certificate, hr, reason="发证有误")
    return certificate


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="audit-row".*?</tr>', html, flags=re.S)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_an_entry_says_what_who_on_what_and_the_change_in_words(client, make_user, exam_course, make_cert_type,
                                                                 make_trainee):
    hr = make_user("hr-wang", Role.HR)
    hr.display_name = "王芳"
    certificate = _revoked_certificate(exam_course, make_cert_type, make_trainee, hr)
    make_user("inspector", Role.ADMIN)
    log_in(client, "inspector")

    html = client.get("/admin/audit?action=certificate.revoked", headers=ZH).get_data(as_text=True)
    [row] = _rows(html)
    text = _text(row)
    assert "证书已撤销" in text  # the event in words, not "certificate.revoked"
    assert "王芳" in text and "人事" in text  # who: the name and the role
    assert f'href="/certificates/{certificate.id}"' in row and certificate.number in text  # on what: a link
    assert "状态：有效 → 已撤销" in text  # the change, field and values in words
    assert "原因：— → 发证有误" in text
    assert "{" not in text and "\\u" not in text and "certificate.revoked" not in text

    english = _text(_rows(client.get("/admin/audit?action=certificate.revoked", headers=EN).get_data(as_text=True))[0])
    assert "Certificate revoked" in english and "Status: valid → revoked" in english


def test_the_filters_narrow_by_who_event_object_and_dates(client, make_user):
    admin = make_user("inspector", Role.ADMIN)
    admin.display_name = "李检查"
    make_user("someone", Role.VIEWER)
    old = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create")
                            .order_by(AuditEntry.id.desc()).limit(1))
    old.at = utcnow() - timedelta(days=40)
    db.session.flush()
    log_in(client, "inspector")
    page = client.get("/admin/audit", headers=ZH).get_data(as_text=True)
    for label in ("操作人（用户名或姓名）", "操作内容", "操作对象", "起始日期", "截止日期"):
        assert f">{label}" in page  # every filter has a visible label
    assert page.count('type="date"') == 2

    def actions(query: str) -> list[str]:
        html = client.get("/admin/audit?" + query, headers=EN).get_data(as_text=True)
        return re.findall(r'data-testid="audit-row" data-action="([^"]+)"', html)

    assert set(actions("actor=李检查")) == {"user.login"}  # by full name
    assert set(actions("actor=inspector&action=user.login")) == {"user.login"}
    assert client.get("/admin/audit?object_type=RoleGrant").status_code == 400  # a kind not offered
    assert "grant.add" in actions("object_type=User&action=grant.add")
    today = utcnow().date()
    recent = actions(f"date_from={(today - timedelta(days=2)).isoformat()}&action=user.create")
    older = actions(f"date_to={(today - timedelta(days=30)).isoformat()}&action=user.create")
    assert len(older) == 1 and older[0] == "user.create" and len(recent) >= 1


def test_a_bad_filter_is_refused_with_a_message(client, make_user):
    make_user("inspector", Role.ADMIN)
    log_in(client, "inspector")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    response = client.get("/admin/audit?date_from=2026-05-01&date_to=2026-04-01", headers=EN)
    assert response.status_code == 400
    assert "The end date is before the start date." in response.get_data(as_text=True)
    assert client.get("/admin/audit?date_from=not-a-date", headers=EN).status_code == 400
    assert client.get("/admin/audit?action=" + "x" * 500, headers=EN).status_code == 400
    assert client.get("/admin/audit/export.xlsx?date_from=31-31-2026", headers=EN).status_code == 400
    for edge in ("date_to=9999-12-31", "date_from=0001-01-01"):  # a day past either end of Python's dates
        refused = client.get(f"/admin/audit?{edge}", headers=EN)
        assert refused.status_code == 400 and "Enter a date between 1900 and 2199." in refused.get_data(as_text=True)
        assert client.get(f"/admin/audit/export.xlsx?{edge}", headers=EN).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before


def test_the_export_has_the_rows_of_the_page(client, make_user, exam_course, make_cert_type, make_trainee):
    hr = make_user("hr-wang", Role.HR)
    _revoked_certificate(exam_course, make_cert_type, make_trainee, hr)
    make_user("inspector", Role.ADMIN)
    log_in(client, "inspector")
    query = "object_type=Certificate"
    page = client.get("/admin/audit?" + query, headers=ZH).get_data(as_text=True)
    shown = [_text(row) for row in _rows(page)]
    assert shown

    response = client.get("/admin/audit/export.xlsx?" + query, headers=ZH)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert header == ["时间", "操作人", "角色", "操作内容", "操作对象", "变更内容", "备注", "地址"]
    assert len(rows) == len(shown)
    for cells, text in zip(rows, shown, strict=True):
        at, who, _role, event, on_what, changes = cells[:6]
        assert at in text and who in text and event in text
        assert on_what.split(" ", 1)[-1] in text
        for line in filter(None, changes.split("\n")):
            assert line in text
    assert any("状态：有效 → 已撤销" in (row[5] or "") for row in rows)
