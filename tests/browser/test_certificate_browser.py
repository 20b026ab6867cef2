"""A trainee passes the final exam and finds his certificate on his page; HR prints a batch for the
course and downloads the merged PDF; the verification URL printed in it (the QR code's) shows "valid"."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates.models import Certificate
from courses.enrollment.models import CourseKind
from courses.exams.grading import QuestionType as T
from tests.fixtures.certificates import create_cert_type
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.fixtures.registry import create_worker
from tests.support import PASSWORD, log_in_page, sit_true_false_exam

pytestmark = pytest.mark.browser
VERIFY_URL = re.compile(r"https?://[^\s]+/verify/[A-Z]{1,6}-\d{4}-\d{4,6}-\d{6}")


@pytest.fixture
def world(live_app):
    with live_app.app_context():
        course = create_course(kind=CourseKind.PRE_SERVICE)
        exam = create_exam(course, rules=((T.TRUE_FALSE, 4, "5"),))
        create_cert_type(course=course, code="ONDUTY", prefix="SG")
        sitter = create_user("sitter", PASSWORD, by=None)
        grant_role(sitter, Role.TRAINEE, by=None)
        create_worker("320102", user=sitter, status=WorkerStatus.IN_TRAINING, name="Wang Fang")
        create_taker(course, user=sitter)
        hr = create_user("hrdesk", PASSWORD, by=None)
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="320102")
        for user in db.session.scalars(sa.select(User)):
            user.locale = "en"
        db.session.commit()
        return course.id, exam.id


def test_pass_the_exam_find_the_certificate_print_the_batch_verify(live_app, live_server, world, page, browser,
                                                                  pdf_renderer):
    course_id, exam_id = world
    log_in_page(page, live_server, "sitter")
    sit_true_false_exam(page, live_server, exam_id, 4)
    with live_app.app_context():
        number = db.session.scalars(sa.select(Certificate.number)).one()
    page.goto(f"{live_server}/")
    card = page.locator("[data-testid=next-step][data-step='certificates.mine']")  # his home's card says it
    assert card.locator("[data-testid=next-number]").inner_text() == "1"
    assert "valid" in card.locator("[data-testid=next-line]").inner_text()
    card.locator("[data-testid=next-line]").click()
    assert number in page.locator("main").inner_text()

    hr_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", accept_downloads=True)
    hr_page = hr_context.new_page()
    hr_page.set_default_timeout(30000)
    log_in_page(hr_page, live_server, "hrdesk")
    hr_page.goto(f"{live_server}/certificates/batches")
    hr_page.select_option("#batch-form select[name=course_id]", str(course_id))
    hr_page.click("#batch-form [type=submit]")
    dialog = hr_page.locator("[data-testid=confirm-dialog]")  # the server counts what the batch prints
    dialog.locator("[data-testid=confirm-count]", has_text="Print 1 certificate?").wait_for()
    dialog.locator("[data-testid=confirm-ok]").click()
    hr_page.wait_for_selector("[data-testid=batch-merged]", timeout=60000)  # the page follows the job, then reloads
    with hr_page.expect_download() as download:
        hr_page.click("[data-testid=batch-merged]")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.value.path(), "rb").read())).pages)
    assert number in text and "Wang Fang" in text
    [url] = {match.group(0) for match in VERIFY_URL.finditer(text.replace("\n", ""))}
    assert url == f"{live_server}/verify/{number}"
    hr_context.close()

    stranger = browser.new_context(locale="en-US")  # anyone, not logged in
    check = stranger.new_page()
    check.goto(url)
    assert check.locator("[data-testid=verify-status]").inner_text() == "valid"
    assert "W*** F***" in check.locator("[data-testid=verify-holder]").inner_text()
    stranger.close()
