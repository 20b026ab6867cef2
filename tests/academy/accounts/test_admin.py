"""Administrators manage users and role grants; every change lands in the audit log."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.accounts.models import RoleGrant, User
from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role, area_scopes, in_scope
from tests.support import log_in, post_form


def _admin(client, make_user):
    admin = make_user("boss", Role.ADMIN)
    log_in(client, "boss")
    return admin


def test_admin_creates_a_user_and_it_is_audited(client, make_user):
    _admin(client, make_user)
    response = post_form(client, "/admin/users/new", {"username": "Newbie", "display_name": "新人",
                                                       "new_password": "Fresh-Start-2026"}, token_from="/admin/users/new")
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.username == "newbie"))
    assert user.display_name == "新人"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create", AuditEntry.object_id == str(user.id)))
    assert entry.actor_name == "boss" and entry.object_id == str(user.id) and entry.address == "127.0.0.1"


def test_user_form_refuses_bad_input_and_creates_nothing(client, make_user, count_rows):
    _admin(client, make_user)
    before = count_rows(User)
    cases = [
        {"username": "boss", "display_name": "dup", "new_password": "Fresh-Start-2026"},        # taken
        {"username": "<script>", "display_name": "x", "new_password": "Fresh-Start-2026"},      # characters
        {"username": "a" * 41, "display_name": "x", "new_password": "Fresh-Start-2026"},        # too long
        {"username": "weak", "display_name": "x", "new_password": "12345678"},                  # common password
        {"username": "long", "display_name": "x" * 81, "new_password": "Fresh-Start-2026"},     # name too long
        {"username": "", "display_name": "", "new_password": ""},                               # empty
    ]
    for data in cases:
        response = post_form(client, "/admin/users/new", data, token_from="/admin/users/new")
        assert response.status_code == 400, data
    assert count_rows(User) == before


def test_grant_scoped_role_and_revoke_it(client, make_user):
    _admin(client, make_user)
    target = make_user("clerk")
    response = post_form(client, f"/admin/users/{target.id}/grants", {"role": "hr", "area_code": ""},
                         token_from="/admin/users")
    assert response.status_code == 302
    grant = db.session.scalar(sa.select(RoleGrant).where(RoleGrant.user_id == target.id))
    assert grant.role == Role.HR and grant.area_code is None
    again = post_form(client, f"/admin/users/{target.id}/grants", {"role": "hr", "area_code": ""}, token_from="/admin/users")
    assert again.status_code == 400  # the same grant twice
    revoke = post_form(client, f"/admin/users/{target.id}/grants/{grant.id}/revoke", token_from="/admin/users")
    assert revoke.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(RoleGrant.id)).where(RoleGrant.user_id == target.id)) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "grant.add" in actions and "grant.revoke" in actions


def test_unknown_role_or_area_is_refused(client, make_user, count_rows):
    _admin(client, make_user)
    target = make_user("clerk2")
    before = count_rows(RoleGrant)
    for data in ({"role": "superuser", "area_code": ""}, {"role": "hr", "area_code": "999999"}):
        response = post_form(client, f"/admin/users/{target.id}/grants", data, token_from="/admin/users")
        assert response.status_code == 400
    assert count_rows(RoleGrant) == before


def test_grant_of_another_user_cannot_be_revoked_through_this_one(client, make_user):
    _admin(client, make_user)
    one, other = make_user("one", Role.HR), make_user("other", Role.HR)
    response = post_form(client, f"/admin/users/{one.id}/grants/{other.grants[0].id}/revoke", token_from="/admin/users")
    assert response.status_code == 403


def test_admin_cannot_lock_himself_out(client, make_user):
    admin = _admin(client, make_user)
    response = post_form(client, f"/admin/users/{admin.id}", {"display_name": "Boss"}, token_from="/admin/users")
    assert response.status_code == 400
    response = post_form(client, f"/admin/users/{admin.id}/grants/{admin.grants[0].id}/revoke", token_from="/admin/users")
    db.session.expire_all()
    assert db.session.get(User, admin.id).active and db.session.get(User, admin.id).grants


def test_audit_log_filters(client, make_user):
    _admin(client, make_user)
    make_user("tracked", Role.VIEWER)
    html = client.get("/admin/audit?action=grant.add&actor=", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-action="grant.add"' in html and 'data-action="user.create"' not in html
    assert "Role granted" in html and "Viewer (leadership)" in html  # the event and the role in words
    assert client.get("/admin/audit?action=" + "x" * 500).status_code == 400  # not an event: refused, no crash


def test_scopes_are_code_prefixes(make_user):
    district_hr = make_user("dhr", Role.HR, area="320102")
    city_hr = make_user("chr", Role.HR)
    assert area_scopes(district_hr, Role.HR) == ["320102"]
    assert area_scopes(city_hr, Role.HR) is None
    assert in_scope(district_hr, "320102001001005", Role.HR)
    assert not in_scope(district_hr, "320104001001005", Role.HR)
    assert not in_scope(district_hr, "320102", Role.VIEWER)


def test_admin_role_cannot_be_limited_to_an_area(client, make_user, count_rows):
    from academy.accounts.operations import AccountError, grant_role

    target = make_user("wannabe")
    with pytest.raises(AccountError):
        grant_role(target, Role.ADMIN, by=None, area_code="320102")
    assert not target.grants


def test_huge_page_numbers_do_not_crash(client, make_user):
    _admin(client, make_user)
    assert client.get("/admin/audit?page=99999999999999999999").status_code == 200
    assert client.get("/admin/users?page=-5").status_code == 200


def test_later_pages_keep_the_filter(client, make_user):
    _admin(client, make_user)
    for n in range(60):
        make_user(f"crowd{n}", Role.VIEWER)
    html = client.get("/admin/audit?action=grant.add").get_data(as_text=True)
    assert "action=grant.add" in html and "page=2" in html
