"""An instructor previews Moodle's XML export and a teacher's Word paper before importing: each question,
and what the bank does not keep, on a phone and a desktop in both languages (screenshots in
test-artifacts/question-formats/, no page wider than the screen)."""
from __future__ import annotations

from pathlib import Path

import pytest

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from tests.browser.test_question_types_browser import WIDTHS, _set_locale
from tests.fixtures.courses import published_syllabus
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
DATA = Path(__file__).parents[1] / "data" / "exams"


@pytest.fixture
def folder(artifacts_dir):
    path = artifacts_dir / "question-formats"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("name,expected,noted", [("word-paper-example.docx", 7, 1), ("workbook-example.xlsx", 7, 2)])
def test_the_preview_of_a_paper_and_a_workbook(live_app, live_server, page, folder, name, expected, noted):
    with live_app.app_context():
        published_syllabus()  # the examples name units M1.1 and "Law"
        grant_role(create_user(f"fmt-{expected}-{name[:4]}", PASSWORD, by=None), Role.INSTRUCTOR, by=None)
        db.session.commit()
    log_in_page(page, live_server, f"fmt-{expected}-{name[:4]}")
    for locale in ("zh_CN", "en"):
        _set_locale(live_app, locale)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server}/exams/bank/import")
            page.set_input_files("input[type=file]", str(DATA / name))
            page.click("input[name=submit]")
            page.wait_for_selector("[data-testid=preview-question]")
            assert page.locator("[data-testid=preview-question]").count() == expected
            assert page.locator("[data-testid=preview-notes]").count() == noted  # 难度 2 and 4 read as 易 and 难
            page.screenshot(path=str(folder / f"{name}-{locale}-{width}.png"), full_page=True)
            assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
