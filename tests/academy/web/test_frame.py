"""What installs the site (issue 18): the manifest, its icons, the service worker and the offline
page, as a phone fetches them; and the bad addresses they answer clearly."""
from __future__ import annotations

import json
from io import BytesIO

import pytest
from PIL import Image


def test_the_manifest_is_json_in_the_users_language_with_icons_that_load(client):
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "网格学院" and manifest["lang"] == "zh-CN"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert Image.open(BytesIO(image.data)).size == tuple(int(n) for n in icon["sizes"].split("x"))
    english = json.loads(client.get("/manifest.webmanifest", headers={"Accept-Language": "en"}).data)
    assert english["name"] == "Grid Academy"


@pytest.mark.parametrize("path", ["/icons/icon-0.png", "/icons/icon-64.png", "/icons/icon-99999999999999999999999.png",
                                  "/icons/icon--1.png", "/icons/icon-NaN.png", "/icons/icon-%ED%A0%80.png"])
def test_an_icon_of_no_such_size_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_pages_link_the_manifest_and_register_the_worker_from_a_file(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-service-worker="/sw.js"' in html  # static/js/app.js registers it: the CSP allows no inline script


def test_the_service_worker_caches_the_shell_and_never_a_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    assert '"/offline"' in body and '"/static/css/app.css"' in body and "academy-shell-" in body
    assert 'request.mode === "navigate"' in body  # pages: the network, else the offline page
    for path in json.loads(body.split("const SHELL = ")[1].split(";\n")[0]):
        assert client.get(path).status_code == 200, path  # every cached file exists


def test_the_offline_page_says_so_in_both_languages_without_a_log_in(client):
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "当前处于离线状态" in html and "You are offline" in html
    assert "csrf_token" not in html and "data-testid=\"tabbar\"" not in html  # nothing of a user's session
