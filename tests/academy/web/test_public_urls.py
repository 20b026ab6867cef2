"""Absolute URLs come from the configured public address, never from a forged ``Host`` header.

With ``PUBLIC_URL`` set and every request sent with ``Host: evil.example``: the notice board's QR
code and printed address, and every page an administrator or a stranger can open (found by walking
``app.url_map``), hold the public address and nothing of the forged host. Production refuses to
start without the public address or a list of trusted hosts.
"""
from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from academy import create_app
from academy.config import Config
from academy.permissions import Role
from academy.web.qr import qr_svg
from academy.web.urls import PublicUrlMissing
from tests.support import log_in

PUBLIC = "https://academy.example.cn"
FORGED = "evil.example"


FORGED_HEADERS = {"Host": FORGED}


@pytest.fixture
def public_url(app, monkeypatch):
    """The site's public address, configured (with a trailing slash, as people write it)."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC + "/")


def test_the_board_qr_and_address_hold_the_public_url(app, public_url, make_grid):
    grid = make_grid("320102001001")
    page = app.test_client().get(f"/board/{grid.code}", headers=FORGED_HEADERS).get_data(as_text=True)
    expected = f"{PUBLIC}/board/{grid.code}"
    assert str(qr_svg(expected)) in page  # the QR code drawn from the public URL, module for module
    assert expected in page and FORGED not in page
    assert str(qr_svg(f"http://{FORGED}/board/{grid.code}")) not in page


def _placeholder_urls(app) -> list[str]:
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods and rule.endpoint not in ("static", "bootstrap.static"):
                values = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "x"
                          for name in rule.arguments}
                urls.append(url_for(rule.endpoint, **values))
    return urls


def test_no_page_carries_the_forged_host(app, public_url, make_user):
    make_user("urlwalker", Role.ADMIN)
    admin, stranger = app.test_client(), app.test_client()
    log_in(admin, "urlwalker")
    # The test client sends a cookie only to the host it came from: hand it to the forged one too.
    admin.set_cookie("session", admin.get_cookie("session").value, domain=FORGED)
    leaks = []
    for url in _placeholder_urls(app):
        for client in (admin, stranger):
            response = client.get(url, headers=FORGED_HEADERS)
            if FORGED.encode() in response.data or FORGED in response.headers.get("Location", ""):
                leaks.append(url)
    assert leaks == []
    assert admin.get("/admin/users", headers=FORGED_HEADERS).status_code == 200  # the walk ran logged in


def _production_env(monkeypatch, tmp_path, **values):
    monkeypatch.setenv("ACADEMY_ENV", "production")
    monkeypatch.setenv("ACADEMY_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("ACADEMY_DATA_KEY", "d" * 40)
    monkeypatch.setenv("ACADEMY_DATABASE_URL", f"sqlite:///{tmp_path / 'production.db'}")
    for name in ("PUBLIC_URL", "TRUSTED_HOSTS"):
        monkeypatch.delenv(f"ACADEMY_{name}", raising=False)
    for name, value in values.items():
        monkeypatch.setenv(f"ACADEMY_{name}", value)


def test_production_without_a_public_url_refuses_to_start(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    with pytest.raises(PublicUrlMissing, match="ACADEMY_PUBLIC_URL"):
        create_app(Config(tmp_path))


def test_production_with_trusted_hosts_refuses_other_hosts(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path, TRUSTED_HOSTS="academy.example.cn, .academy.example.cn")
    app = create_app(Config(tmp_path))
    client = app.test_client()
    for path in ("/healthz", "/login", "/board/320102001001001", "/nowhere"):
        refused = client.get(path, headers=FORGED_HEADERS)
        assert refused.status_code == 400 and b"<h1>" in refused.data, path
    assert client.get("/login", base_url="https://academy.example.cn").status_code == 200


def test_production_with_a_public_url_starts(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path, PUBLIC_URL=PUBLIC)
    assert create_app(Config(tmp_path)).config["PUBLIC_URL"] == PUBLIC
