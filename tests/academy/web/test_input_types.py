"""The fields people fill on a phone open the keyboard they need (UX.md, Forms), and the fields
that used to take a typed code are pickers: what the pages render, read as a browser reads it."""
from __future__ import annotations

from html.parser import HTMLParser

from academy.permissions import Role
from tests.fixtures.courses import create_course
from tests.support import log_in


class Inputs(HTMLParser):
    """Each <input> of a page by its name: its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input" and dict(attrs).get("name"):
            self.inputs[dict(attrs)["name"]] = dict(attrs)


def _inputs(client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return Inputs(response.get_data(as_text=True)).inputs


def _client(app, make_user, role, area="320102"):
    user = make_user(None, role, area=area)
    client = app.test_client()
    log_in(client, user.username)
    return client


def test_phones_e_mails_numbers_and_dates_open_the_right_keyboard(app, make_user):
    hotline = _inputs(_client(app, make_user, Role.DISPATCHER), "/cases/hotline")
    assert hotline["resident_phone"]["type"] == "tel"
    assert hotline["resident_email"]["type"] == "email"
    hr = _client(app, make_user, Role.HR)
    worker = _inputs(hr, "/registry/workers/new")
    assert worker["phone"]["type"] == "tel"
    assert worker["hired_on"]["type"] == "date"
    grid = _inputs(hr, "/registry/grids/new")
    assert (grid["households"]["type"], grid["households"]["inputmode"]) == ("number", "numeric")


def test_typed_codes_became_pickers_that_fall_back_to_the_plain_field(app, make_user):
    hr = _client(app, make_user, Role.HR)
    for url, name, kind in (("/registry/workers", "area", "area"), ("/registry/grids", "area", "area"),
                            ("/certificates", "area", "area"), ("/certificates/issue", "worker_number", "worker"),
                            (f"/courses/{create_course().id}/bulk", "grid_id", "grid")):
        field = _inputs(hr, url)[name]
        assert field["data-picker"] == kind, url
        assert field["type"] in ("text", "number"), url  # without JavaScript: the plain field, as before
    board = _inputs(_client(app, make_user, Role.DISPATCHER), "/cases/board")
    assert board["area"]["data-picker"] == "area"
