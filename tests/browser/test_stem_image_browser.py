"""An instructor writes a question on a phone, uploads an image from the form, sees its Markdown put
into the question text at the cursor, saves, and the question page shows the image."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from tests.fixtures.courses import published_syllabus
from tests.fixtures.exam_images import image_bytes
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def teacher(live_app):
    with live_app.app_context():
        published_syllabus()
        user = create_user("imgteacher", PASSWORD, by=None)
        grant_role(user, Role.INSTRUCTOR, by=None)
        user.locale = "en"
        db.session.commit()


def test_upload_on_the_question_form_puts_the_image_into_the_stem(live_server, teacher, page, tmp_path):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    log_in_page(page, live_server, "imgteacher")
    page.goto(f"{live_server}/exams/bank/new")
    page.select_option("#type", "true_false")
    stem = page.locator("#stem")
    stem.fill("看图判断：这是网格图。")
    stem.evaluate("el => el.setSelectionRange(3, 3)")  # the cursor after 看图判
    picture = tmp_path / "grid.png"
    picture.write_bytes(image_bytes(40, 30))
    page.set_input_files("#file", str(picture))
    page.fill("#alt", "网格图")
    page.click("text=Upload image")
    expect(page.locator("[data-testid=image-status]")).to_have_text("Image uploaded and put into the question text.")
    value = stem.input_value()
    assert re.fullmatch(r"看图判\n!\[网格图\]\(/exams/images/[0-9a-f]{32}\)\n断：这是网格图。", value), value
    assert page.url == f"{live_server}/exams/bank/new"  # the form stayed, with what was typed
    page.check("input[name=true_false][value=T]")  # the right answer, as the form asks it
    page.click("text=Save question")
    expect(page.locator("[data-testid=stem] img")).to_have_attribute("alt", "网格图")
    assert page.locator("[data-testid=stem] img").evaluate("img => img.complete && img.naturalWidth") == 40
    assert not [p for p in problems if "Content Security Policy" in p], problems
