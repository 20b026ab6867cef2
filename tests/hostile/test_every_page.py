"""Every page of the access tables, fetched by a role that may see it: security headers on each,
no national ID number in any route, link or address, and none shown unmasked."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from academy import crypto
from academy.extensions import db
from academy.registry import idnumbers
from academy.registry.models import Worker
from tests.access.test_every_endpoint import TABLES, _sessions, make_world

REQUIRED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
CSP_MUST_HAVE = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
# Anything shaped like an ID number: 17 digits and a digit or X, standing alone.
ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
LINK = re.compile(r"""(?:href|src|action|formaction|data-url)\s*=\s*["']([^"']*)["']""")


def _viewer_of(row) -> str | None:
    """A role that gets the page (200), preferring the least powerful one."""
    for role in ("anonymous", "trainee", "viewer", "department", "dispatcher", "instructor", "hr", "admin"):
        if row.expect.get(role) == 200:
            return role
    return None


def crawl(app, make_user, table):
    """(role, url, response) for every GET row of the table that some role may see."""
    world = make_world(make_user)
    sessions = _sessions(app, world)
    pages = []
    for row in table.ACCESS:
        role = _viewer_of(row) if row.method == "GET" else None
        if role is None:
            continue
        url = row.resolve_url(world)
        client = app.test_client()
        cookie, _token = sessions[role]
        if cookie:
            client.set_cookie("session", cookie)
        pages.append((role, url, client.get(url)))
    return pages


def _known_id_numbers() -> set[str]:
    return {crypto.decrypt(token) for token in db.session.scalars(sa.select(Worker.id_number_encrypted))}


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__.rsplit(".", 1)[-1])
def test_every_page_has_the_security_headers_and_no_id_number(app, make_user, table):
    pages = crawl(app, make_user, table)
    known = _known_id_numbers()
    assert known, "the world has workers with ID numbers"
    problems = []
    for role, url, response in pages:
        where = f"{role} GET {url} ({response.status_code})"
        for name, value in REQUIRED_HEADERS.items():
            if response.headers.get(name) != value:
                problems.append(f"{where}: {name} is {response.headers.get(name)!r}")
        csp = response.headers.get("Content-Security-Policy", "")
        problems += [f"{where}: CSP lacks {part}" for part in CSP_MUST_HAVE if part not in csp]
        # The front-end libraries (/vendor/) are fixed files, cacheable like /static/.
        if response.headers.get("Cache-Control") != "no-store" and not url.startswith("/vendor/"):
            problems.append(f"{where}: Cache-Control is {response.headers.get('Cache-Control')!r}")
        if ID_SHAPE.search(url) and idnumbers.is_valid(ID_SHAPE.search(url).group().upper()):
            problems.append(f"{where}: the URL carries an ID number")
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        problems += [f"{where}: shows the full ID number {number[:6]}…" for number in known if number in html]
        for link in LINK.findall(html):
            if any(number in link for number in known):
                problems.append(f"{where}: a link carries an ID number: {link[:80]}")
    assert len(pages) >= len([r for r in table.ACCESS if r.method == "GET"]) // 2, "most pages were crawled"
    assert not problems, "\n".join(problems)


def test_no_route_takes_an_id_number(app):
    """Routes are addressed by ids, codes and numbers the app hands out, never by a person's ID."""
    suspicious = [rule.rule for rule in app.url_map.iter_rules()
                  for argument in rule.arguments if re.search(r"id_?(card|number)|national|identity|sfz", argument)]
    assert suspicious == []


def test_static_files_are_cached_but_still_not_sniffed(client):
    from academy.config import BASE_DIR

    static = BASE_DIR / "static"
    name = sorted(p.relative_to(static).as_posix() for p in static.rglob("*.css"))[0]
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Cache-Control") != "no-store"
