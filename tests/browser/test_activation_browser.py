"""The city's first day on a phone (360x740, Chinese): HR creates log-ins for a community from the
worker list and prints its activation letters; a worker scans his letter's QR code, proves who he
is, sets his password, signs in and finds his pre-service course. And a forgotten password comes
back through a code sent by SMS (read from the embedded outbox provider, where a phone would show it).
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
import zxingcpp
from pypdf import PdfReader

from academy import crypto
from academy.accounts.models import User
from academy.accounts.operations import change_password, create_user, grant_role
from academy.activation.models import SmsMessage
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Worker, WorkerStatus
from academy.registry.operations import create_worker_accounts
from courses.enrollment import training
from courses.enrollment.models import CourseKind
from courses.enrollment.operations import today
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker, get_or_create_area
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
COMMUNITY = "320102002001"
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
CODE = re.compile(r"\b([A-Z2-9]{5}) ([A-Z2-9]{5})\b")
NEW_PASSWORD = "Stairwell-Patrol-2026"
COURSE_TITLE = "新录用网格员岗前培训（社区班）"


@pytest.fixture
def community_workers(live_app):
    """Three workers in training in one community, none with a log-in, each assigned the pre-service
    course; one worker of another community; HR of the district."""
    with live_app.app_context():
        get_or_create_area("320102", "玄武区")
        get_or_create_area("320102002", "梅园新村街道")
        get_or_create_area(COMMUNITY, "大行宫社区")
        hr = create_user("hr_xw", PASSWORD, by=None, display_name="人事专员")
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="玄武区")
        course = create_course(kind=CourseKind.PRE_SERVICE)
        course.title = COURSE_TITLE
        workers = [create_worker(COMMUNITY, name=name, status=WorkerStatus.IN_TRAINING) for name in ("周明", "吴芳", "郑强")]
        for worker in workers:
            training.assign_training(worker, course, hr, due_on=today(), reason="岗前培训")
        elsewhere = create_worker("320102003001", name="王静", status=WorkerStatus.IN_TRAINING)
        db.session.commit()
        return [(w.id, w.number, crypto.decrypt(w.id_number_encrypted)[-6:]) for w in workers], elsewhere.number


def _phone(browser, **extra):
    context = browser.new_context(**PHONE, **extra)
    page = context.new_page()
    page.set_default_timeout(30000)
    return context, page


def _submit(page, **fields) -> None:
    """Fill the page's form (field name: value) and send it."""
    for name, value in fields.items():
        page.fill(f"main form [name={name}]", value)
    page.click("main form [type=submit]")


def _letter_of(pdf: Path, number: str) -> tuple[str, str]:
    """The code printed on ``number``'s letter (pdftotext) and the URL its QR code holds (decoded)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    index = next(n for n, page in enumerate(pages) if number in page)
    code = "".join(CODE.search(pages[index]).groups())
    image = PdfReader(pdf).pages[index].images[0].image.convert("L")
    decoded = zxingcpp.read_barcodes(image.resize((image.width * 3, image.height * 3)))
    assert len(decoded) == 1, "one QR code on each letter"
    return code, decoded[0].text


def test_hr_prints_letters_and_a_worker_activates_with_the_qr_code(live_app, live_server, browser, community_workers,
                                                                   tmp_path):
    workers, elsewhere = community_workers
    hr_context, hr = _phone(browser, accept_downloads=True)
    log_in_page(hr, live_server, "hr_xw", PASSWORD)
    hr.goto(f"{live_server}/registry/workers?area={COMMUNITY}")  # the worker list, filtered to the community
    hr.click("a[href*='/registry/workers/accounts']")
    hr.click("main form [type=submit]")  # counts first: nothing is created yet
    assert "3" in hr.locator("[data-testid=accounts-count]").inner_text()
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    hr.click("main form button[type=submit]")  # the confirmation: "创建 3 个登录账号"
    hr.wait_for_url(re.compile(r".*/registry/workers\?.*"))
    with live_app.app_context():
        linked = db.session.scalars(sa.select(Worker).where(Worker.user_id.is_not(None))).all()
        assert sorted(w.number for w in linked) == sorted(number for _id, number, _tail in workers)

    hr.goto(f"{live_server}/activation/letters")
    hr.select_option("select[name=area_code]", COMMUNITY)
    hr.click("[data-testid=letters-submit]")  # the confirmation counts the letters on the server
    hr.wait_for_function("() => /\\d/.test(document.querySelector('[data-testid=confirm-count]').textContent)")
    hr.locator("[data-testid=confirm-dialog] [data-testid=confirm-ok]").click()
    hr.wait_for_url(re.compile(r".*/activation/letters/[0-9a-f-]+$"))
    assert hr.locator("[data-testid=letters-progress]").count() == 1  # the job's progress, followed by the page
    hr.wait_for_selector("[data-testid=letters-files]", timeout=120000)
    assert hr.locator("[data-testid=letters-progress]").inner_text() == "100%"
    assert "激活码" in hr.locator("[data-testid=letters-keep]").inner_text()  # when the files go
    with hr.expect_download() as download:
        hr.click("[data-testid=letters-files] a >> nth=0")
    merged = tmp_path / "letters.pdf"
    download.value.save_as(merged)
    assert len(PdfReader(merged).pages) == 3
    assert elsewhere not in subprocess.run(["pdftotext", str(merged), "-"], capture_output=True, text=True).stdout
    hr_context.close()

    worker_id, number, id_tail = workers[1]
    code, url = _letter_of(merged, number)
    assert url == f"{live_server}/activate?code={code}"
    context, phone = _phone(browser)
    phone.goto(url)  # what the phone's camera opens
    assert phone.input_value("input[name=code]") == code
    _submit(phone, worker_number=number, id_tail=id_tail, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    phone.wait_for_url(f"{live_server}/")
    context.close()

    context, phone = _phone(browser)  # another day: he signs in with his worker number
    log_in_page(phone, live_server, number, NEW_PASSWORD)
    phone.goto(f"{live_server}/training/mine")
    assert COURSE_TITLE in phone.locator("main").inner_text()
    phone.click(f"text={COURSE_TITLE}")
    phone.wait_for_url(re.compile(r".*/courses/\d+$"))
    assert COURSE_TITLE in phone.locator("h1").inner_text()
    context.close()
    phone2, again = _phone(browser)
    again.goto(url)  # the letter's code is used: it opens nothing a second time
    _submit(again, worker_number=number, id_tail=id_tail, new_password="Another-Password-2026",
            confirm="Another-Password-2026")
    assert "/activate" in again.url and again.locator(".alert-danger").count() == 1
    phone2.close()


@pytest.fixture
def activated_worker(live_app):
    with live_app.app_context():
        get_or_create_area(COMMUNITY, "大行宫社区")
        worker = create_worker(COMMUNITY, name="孙悦")
        create_worker_accounts([worker], None)
        change_password(db.session.get(User, worker.user_id), PASSWORD, by=None)
        db.session.commit()
        return worker.number, worker.phone


def test_a_forgotten_password_comes_back_by_sms(live_app, live_server, browser, activated_worker):
    number, phone_number = activated_worker
    context, phone = _phone(browser)
    phone.goto(f"{live_server}/login")
    phone.click("a[href$='/password/forgot']")
    _submit(phone, identifier=number)
    phone.wait_for_url(f"{live_server}/password/reset")
    assert phone.input_value("input[name=worker_number]") == number
    with live_app.app_context():
        [text] = db.session.scalars(sa.select(SmsMessage.text).where(SmsMessage.phone == phone_number)).all()
    code = re.search(r"\b(\d{6})\b", text).group(1)
    wrong = "000000" if code != "000000" else "111111"
    _submit(phone, code=wrong, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)  # a wrong code first
    assert phone.locator(".alert-danger").count() == 1
    _submit(phone, code=code, new_password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    phone.wait_for_url(f"{live_server}/")
    context.close()
    context, phone = _phone(browser)
    phone.goto(f"{live_server}/login")
    _submit(phone, username=number, password=PASSWORD)  # the old password no longer works
    assert "/login" in phone.url
    log_in_page(phone, live_server, number, NEW_PASSWORD)
    context.close()
