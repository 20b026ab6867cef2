"""The page sweep (issue 17, "Proof"): each demo role, in Chinese and in English, opens every page of
the app it may open on the demo city, at 375 and 1440 px (the trainee's and the public pages at 360,
412 and 1440 px, issue 18), and the sweep fails on what a person would
see wrong: a page wider than the screen, Chinese text squeezed to one character a line, English
catalogue strings left on a Chinese page, and serious or critical axe-core findings.

The pages are the GET endpoints of ``app.url_map``: those without arguments are found there, those
with arguments get an example address built from the demo city below, and the rest (files, JSON,
assets) are named as not pages. A new endpoint that is none of these fails the first test here, so
no page slips past the sweep.
"""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from academy.accounts.models import User
from academy.cases.models.case import Case
from academy.cases.models.category import Category
from academy.config import BASE_DIR
from academy.extensions import db
from academy.i18n_tools import catalogue_path
from academy.indicators.models import AssessmentScheme
from academy.jobs.models import Job, JobStatus
from academy.registry.models import Area, AreaLevel, Department, Grid, Worker
from academy.registry.queries import worker_of_user
from courses.certificates.models import Certificate, CertificateType
from courses.enrollment import training
from courses.enrollment.models import Course
from courses.exams.models import Attempt, AttemptItem, Exam, Question
from courses.exams.operations import attempts
from courses.lessons.models import Lesson
from courses.programmes.models import Programme
from courses.syllabus.models import SyllabusUnit, SyllabusVersion, Trainer
from tests.browser.sweep_checks import PAGE_CHECKS, format_failures

ROLES = ("admin", "hr", "instructor", "trainee", "worker", "dispatcher", "department", "viewer", "anonymous")
LANGUAGES = ("zh_CN", "en")
WIDTHS = (1440, 375)
# The trainee's and field worker's pages (issue 18), and those anyone opens (the log-in, a certificate's
# check), are read on the smallest phones: 360 and 412 px instead of 375.
PHONE_WIDTHS = (1440, 412, 360)
PHONE_ROLES = ("trainee", "worker", "anonymous")
# The demo trainee is in training, so he reports no case: "worker" is a field worker on duty the sweep gives a
# log-in (field_worker below), with a grid, a certificate and a case of his own. His learning pages are the
# trainee's, swept there; he is swept on the pages of his field work and his own records only.
WORKER_PREFIXES = ("/cases", "/patrols", "/registry/me", "/indicators", "/certificates", "/me")
AXE = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"

# GET endpoints that answer with something other than a page, or that leave the app.
NOT_PAGES = {
    "static", "bootstrap.static", "vendor.serve", "web.health", "web.openapi", "web.job_status", "web.job_result",
    "oidc.start", "oidc.callback", "open311.services", "open311.request_list", "open311.request_detail",
    "open311.discovery", "open311.request_updates", "open311.service_definition", "open311.token",
    "activation.letters_file", "certificates.batch_file", "certificates.certificate_pdf", "certificates.verify_json",
    "cases.photo", "registry.worker_photo", "enrollment.overdue_export", "enrollment.stats_export", "exams.attempt_state",
    "enrollment.effect_export", "exams.bank_export", "exams.gradebook_xlsx",
    "exams.results_xlsx", "exams.stem_image", "indicators.ranking", "lessons.file", "registry.export_list",
    "registry.import_template", "registry.staff_template", "accounts.audit_export",
    # the pickers' searches and the confirmations' counts answer in JSON (academy/web/pickers.py, previews.py)
    "cases.report_place", "registry.pick_areas", "registry.pick_grids", "registry.pick_workers", "enrollment.pick_courses", "exams.pick_exams",
    "cases.pick_handlers",
    "activation.letters_preview", "certificates.batch_preview", "enrollment.bulk_preview", "enrollment.mandatory_preview",
    # what installs the site (academy/web/frame.py); the offline page says it in both languages on purpose
    # (the service worker cannot know which one was chosen) and is checked by tests/browser/test_frame_browser.py
    "frame.manifest", "frame.icon", "frame.service_worker", "frame.offline",
    "notifications.open_notification",  # marks the message read and goes to its thing
    "programmes.bulk_preview", "enrollment.assign_needs_preview",
}


def _first(model, *where):
    return db.session.scalars(sa.select(model).where(*where).order_by(model.id).limit(1)).first()


def _job(kind: str, username: str) -> str:
    """A finished (failed) job of ``kind`` asked for by ``username``: the demo city starts none, and a
    job that ran would need its result files; a failed one shows its page without them."""
    user = _first(User, User.username == username)
    job = Job(kind=kind, params={}, status=JobStatus.FAILED, created_by_id=user.id, message="demo", error="demo")
    db.session.add(job)
    db.session.flush()
    return job.id


def _attempt_id() -> int:
    """The trainee's attempt at an open exam of his course, started as he would start it."""
    trainee = _first(User, User.username == "trainee")
    worker = worker_of_user(trainee)
    for exam in db.session.scalars(sa.select(Exam).order_by(Exam.id)):
        try:
            return attempts.start_attempt(exam, worker, trainee).id
        except ValueError:
            continue
    return _first(Attempt).id


def _class_session(course: Course):
    """A classroom session of the course, added as HR adds one: the demo city has none."""
    return training.add_session(course, _first(User, User.username == "hr"), starts_at=datetime.now(UTC) + timedelta(days=3),
                                hours=Decimal("2"), place="社区党群服务中心", topic="网格巡查实务")


def field_worker(password: str) -> list[str]:
    """A log-in "worker" for an on-duty demo worker who holds a certificate and a grid, with a case he
    reported; the addresses of his own pages that take arguments (his case, his certificate)."""
    from academy.accounts.operations import create_user, grant_role
    from academy.cases.models import Channel
    from academy.cases.operations import Report, report_case
    from academy.cases.people import grids_of
    from academy.permissions import Role
    from academy.registry.models import WorkerStatus

    certified = db.session.scalars(sa.select(Certificate).join(Worker, Worker.id == Certificate.worker_id)
                                   .where(Worker.status == WorkerStatus.ON_DUTY, Worker.user_id.is_(None))
                                   .order_by(Certificate.id))
    certificate, grid = next((c, grids[0]) for c in certified if (grids := grids_of(c.worker)))
    user = create_user("worker", password, by=None, display_name=certificate.worker.name)
    grant_role(user, Role.TRAINEE, by=None)
    certificate.worker.user_id = user.id
    category = db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.id)).first()
    case = report_case(Report(category=category, title="楼道堆放杂物", description="3栋1单元楼道堆放纸箱",
                              channel=Channel.WORKER, grid=grid, worker=certificate.worker), user)
    db.session.flush()
    return [f"/cases/{case.id}", f"/certificates/{certificate.id}"]


def trainee_lesson() -> str:
    """The first lesson of a course the demo trainee studies (the example lesson is of another course)."""
    from courses.enrollment.models import Enrollment

    worker = worker_of_user(_first(User, User.username == "trainee"))
    lesson = db.session.scalars(sa.select(Lesson).join(Enrollment, Enrollment.course_id == Lesson.course_id)
                                .where(Enrollment.worker_id == worker.id).order_by(Lesson.id)).first()
    return f"/lessons/{lesson.id}"


def example_urls() -> dict[str, str]:
    """An address for each page endpoint with arguments, from the demo city (in an app context)."""
    certificate = _first(Certificate)
    course = _first(Course)
    exam = _first(Exam)
    grid = _first(Grid)
    district = _first(Area, Area.level == AreaLevel.DISTRICT) or _first(Area)
    urls = {
        "accounts.user": f"/admin/users/{_first(User, User.username == 'trainee').id}",
        "cases.show": f"/cases/{_first(Case).id}",
        "certificates.certificate": f"/certificates/{certificate.id}",
        "certificates.verify": f"/verify/{certificate.number}",
        "enrollment.course": f"/courses/{course.id}",
        "enrollment.roster": f"/courses/{course.id}/roster",
        "exams.exam": f"/exams/{exam.id}",
        "exams.gradebook": f"/courses/{exam.course_id}/gradebook",
        "exams.grading_queue": f"/exams/{exam.id}/grading",
        "exams.question": f"/exams/bank/{_first(Question).id}",
        "exams.results": f"/exams/{exam.id}/results",
        "exams.statistics": f"/exams/{exam.id}/statistics",
        "indicators.area": f"/indicators/areas/{district.code}",
        "indicators.department": f"/indicators/departments/{_first(Department).id}",
        "indicators.scheme": f"/indicators/schemes/{_first(AssessmentScheme).id}",
        "indicators.worker": f"/indicators/workers/{_first(Worker).id}",
        "lessons.lesson": f"/lessons/{_first(Lesson).id}",
        "lessons.progress": f"/courses/{course.id}/progress",
        "registry.grid": f"/registry/grids/{grid.id}",
        "registry.notice_board": f"/board/{grid.code}",
        "registry.worker": f"/registry/workers/{_first(Worker).id}",
        "syllabus.version": f"/syllabus/versions/{_first(SyllabusVersion).id}",
        "activation.letters_job": f"/activation/letters/{_job('activation.letters', 'hr')}",
        "certificates.batch_page": f"/certificates/batches/{_job('certificates.batch', 'hr')}",
        "web.job_page": f"/jobs/{_job('indicators.refresh', 'admin')}",
        "exams.attempt": f"/attempts/{_attempt_id()}",
    }
    item = _first(AttemptItem) or AttemptItem(id=0)  # no item: its pages answer 404 and are not swept
    version = _first(SyllabusVersion)
    urls |= {
        "registry.edit_grid": f"/registry/grids/{grid.id}/edit",
        "registry.split_grid": f"/registry/grids/{grid.id}/split",
        "registry.edit_worker": f"/registry/workers/{_first(Worker).id}/edit",
        "cases.category": f"/cases/admin/categories/{_first(Category).id}",
        "syllabus.unit_new": f"/syllabus/versions/{version.id}/units/new",
        "syllabus.unit_edit": f"/syllabus/units/{_first(SyllabusUnit).id}",
        "enrollment.course_edit": f"/courses/{course.id}/edit",
        "enrollment.attendance": f"/sessions/{_class_session(course).id}/attendance",
        "enrollment.session_edit": f"/sessions/{_class_session(course).id}/edit",
        "enrollment.bulk_enrol": f"/courses/{course.id}/bulk",
        "lessons.lesson_new": f"/courses/{course.id}/lessons/new",
        "lessons.lesson_edit": f"/lessons/{_first(Lesson).id}/edit",
        "exams.question_edit": f"/exams/bank/{_first(Question).id}/edit",
        "exams.grade_item": f"/grading/items/{item.id}",
        "exams.reconcile_item": f"/grading/items/{item.id}/reconcile",
        "exams.regrade_exam": f"/exams/{exam.id}/regrade",
        "exams.exam_new": f"/courses/{course.id}/exams/new",
        "exams.exam_edit": f"/exams/{exam.id}/edit",
        "certificates.type_edit": f"/certificates/types/{_first(CertificateType).id}/edit",
        "programmes.programme": f"/programmes/{_first(Programme).id}",
        "programmes.edit": f"/programmes/{_first(Programme).id}/edit",
        "syllabus.trainer_edit": f"/syllabus/trainers/{_first(Trainer).id}",
        "masters.master": f"/courses/{course.id}/master",
    }
    return urls


def page_endpoints(app) -> tuple[set[str], set[str]]:
    """The GET endpoints without arguments, and those with arguments, that are pages."""
    plain, with_args = set(), set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        (with_args if rule.arguments else plain).add(rule.endpoint)
    return plain, with_args


def test_the_sweep_knows_every_get_endpoint(app):
    """Every GET endpoint is a page the sweep visits or is named as no page; no name is stale."""
    _, with_args = page_endpoints(app)
    every = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert NOT_PAGES <= every, f"not pages that no longer exist: {sorted(NOT_PAGES - every)}"
    assert with_args == EXAMPLE_ENDPOINTS, (
        f"pages with arguments and no example address: {sorted(with_args - EXAMPLE_ENDPOINTS)}; "
        f"examples of no such page: {sorted(EXAMPLE_ENDPOINTS - with_args)}")


EXAMPLE_ENDPOINTS = {
    "accounts.user", "cases.show", "certificates.certificate", "certificates.verify", "enrollment.course",
    "enrollment.roster", "exams.exam", "exams.gradebook", "exams.grading_queue", "exams.question", "exams.results",
    "exams.statistics", "indicators.area", "indicators.department", "indicators.scheme", "indicators.worker",
    "lessons.lesson", "lessons.progress", "registry.grid", "registry.notice_board", "registry.worker",
    "syllabus.version", "activation.letters_job", "certificates.batch_page", "web.job_page", "exams.attempt",
    "registry.edit_grid", "registry.split_grid", "registry.edit_worker", "cases.category", "syllabus.unit_new",
    "syllabus.unit_edit", "enrollment.course_edit", "enrollment.attendance", "enrollment.session_edit", "enrollment.bulk_enrol",
    "lessons.lesson_new", "lessons.lesson_edit", "exams.question_edit", "exams.grade_item", "exams.reconcile_item",
    "exams.regrade_exam", "exams.exam_new", "exams.exam_edit", "certificates.type_edit",
    "programmes.programme", "programmes.edit", "syllabus.trainer_edit", "masters.master",
}


@pytest.fixture(scope="module")
def swept_city(_live_app):
    """The demo city on the live app, served once for the whole sweep; emptied afterwards."""
    app = _live_app
    result = app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        examples = example_urls()
        assert set(examples) == EXAMPLE_ENDPOINTS
        own = field_worker(app.config["DEMO_PASSWORD"])
        lesson = trainee_lesson()
        db.session.commit()
        plain, _ = page_endpoints(app)
        paths = sorted({str(rule.rule) for rule in app.url_map.iter_rules()
                        if rule.endpoint in plain and "GET" in rule.methods and not rule.arguments})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"base": f"http://127.0.0.1:{server.server_port}", "paths": paths + sorted(examples.values()) + own + [lesson],
           "password": app.config["DEMO_PASSWORD"], "app": app,
           "own": own}
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


def english_msgids() -> set[str]:
    """The catalogue's English ids that Chinese says otherwise: seen on a Chinese page, one is untranslated."""
    with catalogue_path("zh_CN").open("rb") as handle:
        catalogue = read_po(handle)
    ids = set()
    for message in catalogue:
        text = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        if text and "%(" not in text and any(c.isalpha() and c.isascii() for c in text) and string != text:
            ids.add(text)
    return ids


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base}/")


def _set_language(app, username: str, language: str) -> None:
    with app.app_context():
        user = _first(User, User.username == username)
        user.locale = language
        db.session.commit()


def _check(page, path: str, width: int, language: str, english: set[str], failures: list[str]) -> None:
    found = page.evaluate(PAGE_CHECKS, {"english": sorted(english) if language == "zh_CN" else []})
    for kind, items in found.items():
        failures.extend((f"{path} @{width}px", f"{kind}: {item}") for item in items)
    if width != WIDTHS[0]:  # the desk's width, first in both lists
        return  # axe-core once a page, at the first width: it takes longer than the rest together
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN)
    failures.extend((f"{path} @{width}px", f"axe {text}") for text in violations)


AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""


def _paths_of(role: str, paths: list[str]) -> list[str]:
    """The addresses a role's sweep opens: the field worker only his field work's and his records'."""
    if role != "worker":
        return paths
    return [path for path in paths if path == "/" or path.startswith(WORKER_PREFIXES)]


def _sweep_page(page, path: str, widths: tuple[int, ...], language: str, english: set[str],
                failures: list[str]) -> None:
    """Each width of one page; a page that reloads itself (a job page when its job ends) is checked again."""
    for attempt in (1, 2):
        found: list[str] = []
        try:
            for width in widths:
                page.set_viewport_size({"width": width, "height": 900})
                _check(page, path, width, language, english, found)
        except PlaywrightError as error:
            if attempt == 2 or "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state()
            continue
        failures.extend(found)
        return


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.sweep
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_well_at_both_widths(swept_city, browser, role, language):
    base, app = swept_city["base"], swept_city["app"]
    widths = PHONE_WIDTHS if role in PHONE_ROLES else WIDTHS
    locale = "zh-CN" if language == "zh_CN" else "en-US"
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale=locale, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20000)
    if role != "anonymous":
        _set_language(app, role, language)
        _log_in(page, base, role, swept_city["password"])
    english = english_msgids()
    failures: list[str] = []
    opened = []
    for path in _paths_of(role, swept_city["paths"]):
        response = page.goto(f"{base}{path}")
        if response is None or response.status in (401, 403, 404, 405):
            continue  # not this role's page
        here = page.url[len(base):] if page.url.startswith(base) else ""
        if not here.startswith(path):
            # Sent elsewhere: the log-in or the home is no page of his; on a phone, "my record" and "my
            # performance" lead to his own worker's pages, which are swept where they are.
            if role not in PHONE_ROLES or here.split("?")[0] in ("", "/", "/login") or here in opened:
                continue
            path = here
        if response.status >= 400:
            failures.append((path, f"answered {response.status}"))
            continue
        opened.append(path)
        _sweep_page(page, path, widths, language, english, failures)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    context.close()
    assert opened, f"{role} opened no page at all"
    if role == "worker":  # his field work and his own records, on the phone sizes
        mine = {"/", "/cases/report", "/cases/mine", "/patrols", "/me", "/certificates/mine", *swept_city["own"]}
        assert mine <= set(opened), f"the field worker's pages not swept: {sorted(mine - set(opened))}"
    if role == "trainee":  # his learning: the home, his training, a lesson of his course, his exams, an attempt
        mine = {"/", "/training/mine", "/exams", "/me", swept_city["paths"][-1]}
        assert mine <= set(opened), f"the trainee's pages not swept: {sorted(mine - set(opened))}"
    assert not failures, format_failures(role, language, opened, failures)


@pytest.mark.browser
def test_a_dispatcher_filters_the_board_on_a_phone_and_on_a_desk(swept_city, browser):
    """The list pattern as a person uses it: rows as cards with their column names, the filters behind
    one button with the active ones as chips that remove themselves, one pager; a table on a desk."""
    base, app = swept_city["base"], swept_city["app"]
    _set_language(app, "dispatcher", "zh_CN")
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    _log_in(page, base, "dispatcher", swept_city["password"])
    page.goto(f"{base}/cases/board?light=red")
    form = page.locator("[data-testid=filters] form")
    assert not form.is_visible()  # folded behind the one button
    toggle = page.locator("[data-testid=filters-toggle]")
    assert toggle.inner_text().replace("\n", "") == "筛选1"
    chip = page.locator("[data-testid=filter-chips] button")
    assert [text.replace("\n", "") for text in chip.all_inner_texts()] == ["亮灯：红灯×"]  # the × sits beside the words
    first_row = page.locator("[data-testid=case-list] tbody tr").first
    assert first_row.locator("td").nth(1).get_attribute("data-label") == "摘要"
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=case-list] tbody tr')).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    toggle.click()
    assert form.is_visible() and page.locator("label[for=light]").inner_text() == "亮灯"
    with page.expect_navigation():
        chip.click()
    assert "light=red" not in page.url and page.locator("[data-testid=filter-chips] button").count() == 0
    pager = page.locator("[data-testid=pager]")
    assert "第 1 页，共" in pager.inner_text() and "上一页" in pager.inner_text()
    with page.expect_navigation():
        pager.get_by_text("下一页").click()
    assert "page=2" in page.url and "第 2 页，共" in page.locator("[data-testid=pager]").inner_text()
    page.set_viewport_size({"width": 1440, "height": 900})
    assert form.is_visible() and not toggle.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=case-list] thead th')).position") == "sticky"
    assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=case-list] tbody tr')).display") == "table-row"
    context.close()
