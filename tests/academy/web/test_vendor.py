"""The front-end libraries come from the app itself: each listed file is served, cacheable, and
nothing else of node_modules is reachable."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from academy.web.vendor import FILES, NODE_MODULES, missing


def test_every_listed_library_file_is_installed_by_make():
    assert missing() == []


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_library_file_is_served_with_a_long_cache(client, name):
    response = client.get(f"/vendor/{name}")
    assert response.status_code == 200
    assert response.data == (NODE_MODULES / FILES[name]).read_bytes()
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "max-age=31536000" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["echarts/package.json", "../package.json", "..%2Fpackage.json",
                                  "axe-core/axe.min.js", "fonts/../echarts.min.js"])
def test_nothing_else_is_reachable(client, path):
    assert client.get(f"/vendor/{path}").status_code == 404


def test_the_pages_name_the_pinned_version(app):
    pins = json.loads((Path(NODE_MODULES).parent / "package.json").read_text())["dependencies"]
    with app.test_request_context():
        url = app.jinja_env.globals["vendor_url"]("echarts.min.js")
    assert url == f"/vendor/echarts.min.js?v={pins['echarts']}"
    # Pinned exactly: a range would let two machines serve different code.
    assert all(version[0].isdigit() for version in pins.values())
