"""On a 360 px phone in Chinese, a trainee opens his certificate from the home card, sees its QR code,
copies the verification link (the phone has no share sheet: the copy fallback), and downloads the PDF."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates.models import Certificate
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam
from tests.fixtures.registry import create_worker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
NO_SHARE_SHEET = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"


@pytest.fixture
def holder(live_app):
    """小芳 holds a certificate earned by passing the course's final exam."""
    with live_app.app_context():
        course, exam = final_exam_course()
        create_cert_type(course=course, renewal_hours="8")
        user = create_user("xiaofang", PASSWORD, by=None)
        grant_role(user, Role.TRAINEE, by=None)
        worker = create_worker("320102", user=user, status=WorkerStatus.IN_TRAINING, name="王小芳")
        sit_exam(exam, right=5, user=user, worker=worker)
        certificate = db.session.scalars(sa.select(Certificate)).one()
        facts = certificate.id, certificate.number, course.code
        db.session.commit()
        return facts


def test_a_trainee_opens_shares_and_downloads_his_certificate_on_a_phone(browser, live_server, holder, pdf_renderer):
    certificate_id, number, course_code = holder
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", has_touch=True,
                                  is_mobile=True, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    context.add_init_script(NO_SHARE_SHEET)
    page = context.new_page()
    page.set_default_timeout(20000)
    log_in_page(page, live_server, "xiaofang")

    card = page.locator("[data-testid=next-step][data-step='certificates.mine']")
    card.locator("[data-testid=next-line]").first.click()
    page.wait_for_url(f"{live_server}/certificates/{certificate_id}")
    assert page.locator("[data-testid=certificate-status]").inner_text().strip() == "有效"
    assert page.locator("[data-testid=certificate-number]").inner_text() == number
    assert course_code not in page.locator("main").inner_text()
    qr = page.locator("[data-testid=certificate-qr] svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150  # big enough to scan from another phone
    link = page.locator("[data-testid=verify-link]")
    url = f"{live_server}/verify/{number}"
    assert link.get_attribute("href") == url and link.inner_text() == url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    assert page.locator("[data-testid=share]").is_hidden()  # no share sheet on this phone: copy instead
    page.locator("[data-testid=copy-link]").tap()
    expect(page.locator("[data-testid=share-status]")).to_have_text("链接已复制。")  # the copy answers later
    assert page.evaluate("navigator.clipboard.readText()") == url

    button = page.locator("[data-testid=certificate-pdf]")
    assert button.bounding_box()["height"] >= 44
    response = page.request.get(f"{live_server}{button.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    with page.expect_download() as download:
        button.tap()
    assert download.value.suggested_filename == f"{number}.pdf"

    page.goto(url)  # the link leads to the public check, which says the same
    assert page.locator("[data-testid=verify-status]").inner_text() == "有效"
    context.close()
