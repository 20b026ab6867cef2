"""Every page answers a hostile page number or integer query argument without a server error.

The pages come from the access tables (every GET endpoint of the application has rows there, and
``tests/access`` fails while one lacks them), each fetched by a role that may see it. Besides
``page``, every query argument the page itself uses (in its links and its GET forms) is sent the
same values, so a filter id added later is walked too.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.permissions import Role
from tests.access.test_every_endpoint import TABLES, _sessions, make_world
from tests.hostile.test_every_page import _viewer_of
from tests.support import log_in

HOSTILE = ("99999999999999999999", "-1", "abc")
LINK = re.compile(r"""href\s*=\s*["']([^"'#]*\?[^"'#]*)["']""")
GET_FORM = re.compile(r"<form\b(?![^>]*method=[\"']?post)[^>]*>(.*?)</form>", re.I | re.S)
FIELD_NAME = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname\s*=\s*["']([^"']+)["']""", re.I)


def _query_names(path: str, page: str) -> set[str]:
    """The query arguments the page sends back to itself: from its links to it and its GET forms."""
    names = set()
    for link in LINK.findall(page):
        parts = urlsplit(html.unescape(link))
        if parts.path in ("", path):
            names |= {name for name, _value in parse_qsl(parts.query, keep_blank_values=True)}
    for form in GET_FORM.findall(page):
        names |= set(FIELD_NAME.findall(form))
    return names - {"csrf_token"}


def _with(url: str, args: dict[str, str]) -> str:
    kept = [(k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k not in args]
    query = "&".join(f"{k}={v}" for k, v in kept + list(args.items()))
    return f"{urlsplit(url).path}?{query}"


GET_TABLES = [table for table in TABLES if any(row.method == "GET" for row in table.ACCESS)]


@pytest.mark.parametrize("table", GET_TABLES, ids=lambda table: table.__name__.rsplit(".", 1)[-1])
def test_every_page_survives_hostile_page_numbers_and_ids(app, make_user, table):
    world = make_world(make_user)
    sessions = _sessions(app, world)
    failures, walked = [], 0
    for row in table.ACCESS:
        role = _viewer_of(row) if row.method == "GET" else None
        if role is None:
            continue
        client = app.test_client()
        cookie, _token = sessions[role]
        if cookie:
            client.set_cookie("session", cookie)
        url = row.resolve_url(world)
        first = client.get(url)
        names = _query_names(urlsplit(url).path, first.get_data(as_text=True)) if first.mimetype == "text/html" else set()
        for value in HOSTILE:
            for args in ({"page": value}, {name: value for name in names | {"page"}}):
                response = client.get(_with(url, args))
                walked += 1
                if response.status_code >= 500:
                    failures.append(f"{role} GET {_with(url, args)}: {response.status_code}")
    assert walked, "the table has GET pages"
    assert failures == []


def test_a_page_past_the_end_shows_the_last_page(client, make_user):
    make_user("root", Role.ADMIN)
    for number in range(55):  # 50 a page: two pages of users
        make_user(f"zz-user-{number:02d}")
    last = db.session.scalars(sa.select(User.username).order_by(User.username.desc())).first()
    log_in(client, "root")
    for page in ("99999999999999999999", "3", "２"):
        response = client.get(f"/admin/users?page={page}")
        assert response.status_code == 200 and last in response.get_data(as_text=True), page
    for page in ("-1", "0", "abc", "1e3", ""):
        response = client.get(f"/admin/users?page={page}")
        assert response.status_code == 200 and last not in response.get_data(as_text=True), page
