"""The assessment scheme as fields: rows per indicator, bands as fields, the same rules as the text."""
from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from academy.indicators.models import AssessmentScheme
from academy.indicators.operations import ensure_scheme
from academy.permissions import Role
from tests.support import log_in, post_form

BASE = {"name": "Standard assessment", "deduction_per_overdue": "1", "deduction_per_dissatisfied": "2",
        "excellent_top_n": "5", "excellent_min_score": "", "min_sample": "3", "note": "", "items": ""}
ROWS = 12  # the scorable indicators, one row each
TEXT = "on_time_closure_rate 60 90\nrework_rate 40 5 100:100,50:50"


def _rows(*rows: tuple) -> dict:
    """The rows as a browser posts them: every row, blank ones with no indicator; bands as pairs."""
    data = {}
    for n in range(ROWS):
        indicator, weight, target, bands = rows[n] if n < len(rows) else ("", "", "", [])
        data |= {f"rows-{n}-indicator": indicator, f"rows-{n}-weight": weight, f"rows-{n}-target": target}
        for b in range(4):
            threshold, share = bands[b] if b < len(bands) else ("", "")
            data |= {f"rows-{n}-bands-{b}-threshold": threshold, f"rows-{n}-bands-{b}-share": share}
    return data


def _save(client, data: dict):
    return post_form(client, "/indicators/schemes", {**BASE, **data}, token_from="/indicators/schemes")


def _latest() -> AssessmentScheme:
    return db.session.scalars(sa.select(AssessmentScheme).order_by(AssessmentScheme.id.desc())).first()


def test_the_rows_save_the_same_scheme_as_the_text(client, make_user):
    make_user("ind-admin", Role.ADMIN)
    ensure_scheme()
    log_in(client, "ind-admin")
    assert _save(client, {"items": TEXT}).status_code == 302
    from_text = _latest().items
    rows = _rows(("on_time_closure_rate", "60", "90", []), ("", "", "", []),
                 ("rework_rate", "40", "5", [("100", "100"), ("50", "50")]))
    assert _save(client, rows).status_code == 302
    latest = _latest()
    assert latest.items == from_text and latest.version == 3
    assert latest.items[1]["bands"] == [[100.0, 100.0], [50.0, 50.0]]


def test_the_page_shows_the_scheme_in_force_as_rows_with_the_sum(client, make_user):
    make_user("ind-admin", Role.ADMIN)
    ensure_scheme()
    log_in(client, "ind-admin")
    page = client.get("/indicators/schemes").get_data(as_text=True)
    assert 'name="rows-0-indicator"' in page and 'name="rows-11-bands-3-share"' in page
    assert '<option selected value="on_time_closure_rate">' in page
    assert 'js-scheme-sum" data-target="100">100</output>' in page
    assert "js/scheme.js" in page


def test_bad_rows_are_refused_with_the_field_named_and_nothing_saved(client, make_user, count_rows):
    make_user("ind-admin", Role.ADMIN)
    ensure_scheme()
    log_in(client, "ind-admin")
    post_form(client, "/language", {"language": "en", "next": "/account"}, token_from="/account")
    before = count_rows(AssessmentScheme)
    cases = [
        (_rows(("closure_rate", "50", "90", []), ("satisfaction_rate", "40", "90", [])),
         "The weights must add up to 100 (they add up to 90)."),
        (_rows(("closure_rate", "100", "", [])), "Row 1: give the weight and the target."),
        (_rows(("closure_rate", "50", "90", []), ("closure_rate", "50", "90", [])), "An indicator is listed twice."),
        (_rows(("closure_rate", "100", "90", [("100", "")])), "Row 1: a band needs both its threshold and its share."),
        (_rows(("reported", "100", "90", [])), "Not a valid choice"),
        (_rows(("closure_rate", "100", "abc", [])), "Target (%)"),
        (_rows(), "Choose at least one indicator."),
    ]
    for data, words in cases:
        response = _save(client, data)
        assert response.status_code == 400, words
        assert words in response.get_data(as_text=True), words
    assert count_rows(AssessmentScheme) == before
