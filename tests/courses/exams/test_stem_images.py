"""Images in question stems: upload on the question form, hostile files refused with nothing kept,
serving only to bank staff and to the trainee whose attempt shows them, versions keep their
images, and exchange files keep the references (refused on a site that lacks the image)."""
from __future__ import annotations

import io
import re
import secrets
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from academy.cases import photos
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from courses.exams import access, operations
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question, QuestionImage, QuestionStatus, ResultRelease, StemImage
from courses.exams.operations import attempts as attempt_ops
from courses.exams.operations import bank, images
from courses.lessons.content import sniff as lesson_sniff
from tests.courses.exams.importing import import_file
from tests.fixtures.exam_images import create_exam_showing, create_image, create_question_with_image, image_bytes
from tests.hostile.payloads import POLYGLOT_PNG, TRICKY_NAMES
from tests.support import csrf_token, log_in, post_form

SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>')


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG of one pixel's data whose header claims ``width`` x ``height`` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00"))
            + _chunk(b"IEND", b""))


def _zip_named_png() -> bytes:
    buffer = io.BytesIO()
    with __import__("zipfile").ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def instructor(client, make_user, make_syllabus):
    make_syllabus()
    user = make_user("teacher", Role.INSTRUCTOR)
    user.locale = "en"
    db.session.flush()
    log_in(client, user.username)
    return user


@pytest.fixture
def image_files(app):
    folder = Path(app.config["FILES_DIR"]) / "exam-images"
    return lambda: {p.name for p in folder.glob("*") if p.is_file()} if folder.exists() else set()


def _post_image(client, data: bytes, name: str, *, json: bool = False, alt: str = ""):
    headers = {"Accept": "application/json"} if json else {}
    return post_form(client, "/exams/bank/images", {"file": (io.BytesIO(data), name), "alt": alt},
                     token_from="/exams/bank/images", content_type="multipart/form-data", headers=headers)


def _rows() -> int:
    return db.session.scalar(sa.select(sa.func.count(StemImage.id)))


# ---- uploading ---------------------------------------------------------------------------------


def test_the_question_form_offers_the_upload_and_its_script_file(instructor, client):
    html = client.get("/exams/bank/new").get_data(as_text=True)
    assert 'action="/exams/bank/images"' in html and 'enctype="multipart/form-data"' in html
    assert 'src="/static/js/bank.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script: the CSP forbids it"


@pytest.mark.parametrize("fmt,kind,name", [("PNG", "image/png", "图1.png"), ("JPEG", "image/jpeg", "photo.jpeg"),
                                           ("GIF", "image/gif", "anim.gif"), ("WEBP", "image/webp", "pic.webp")])
def test_each_accepted_format_is_stored_under_a_random_name_and_offered_as_markdown(instructor, client, image_files,
                                                                                    fmt, kind, name):
    data, before = image_bytes(4, 3, fmt), image_files()
    response = _post_image(client, data, name, json=True, alt="网格 [A] 图")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    image = db.session.scalar(sa.select(StemImage).where(StemImage.key == body["key"]))
    assert image.content_type == kind and (image.width, image.height) == (4, 3) and image.original_name == name
    assert body["markdown"] == f"![网格 A 图](/exams/images/{image.key})" and body["url"] == f"/exams/images/{image.key}"
    assert image_files() - before == {image.stored_name} and name not in image.stored_name
    assert images.path_of(image).read_bytes() == data


def test_without_script_the_page_shows_the_markdown_to_copy(instructor, client):
    response = _post_image(client, image_bytes(), "map.png")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    image = db.session.scalar(sa.select(StemImage))
    assert f"![map](/exams/images/{image.key})" in page and 'data-testid="new-image"' in page


HOSTILE = [
    ("a PNG header on an HTML body", POLYGLOT_PNG, "page.png", "not a readable image"),
    ("an SVG", SVG, "drawing.svg", "SVG is refused"),
    ("an SVG named .png", SVG, "drawing.png", "SVG is refused"),
    ("a zip renamed .png", _zip_named_png(), "archive.png", "Only PNG, JPEG, GIF or WebP"),
    ("a 1x1 PNG claiming 100000x100000 pixels", png_claiming(100_000, 100_000), "bomb.png", "too many pixels"),
    ("a PNG claiming 6000x5000 pixels", png_claiming(6000, 5000), "huge.png", "too many pixels"),
    ("an oversized file", b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "big.png", "at most 2 MB"),
    ("an empty file", b"", "empty.png", "The image is empty"),
] + [(f"the name {name[:30]!r}", image_bytes(), name, "file name is not acceptable")
     for name in TRICKY_NAMES]


@pytest.mark.parametrize("what,data,name,message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_clearly_and_nothing_is_kept(instructor, client, image_files, what, data, name, message):
    rows, files = _rows(), image_files()
    page = _post_image(client, data, name)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    as_json = _post_image(client, data, name, json=True)
    assert as_json.status_code == 400 and message in as_json.get_json()["error"]
    assert _rows() == rows and image_files() == files


def test_the_size_and_pixel_limits_come_from_the_configuration(instructor, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXAMS_IMAGE_MAX_PIXELS", 100)
    refused = _post_image(client, image_bytes(20, 10), "wide.png", json=True)
    assert refused.status_code == 400 and "at most 0.0001 million" in refused.get_json()["error"]
    monkeypatch.setitem(app.config, "EXAMS_IMAGE_MAX_PIXELS", 200)
    monkeypatch.setitem(app.config, "EXAMS_IMAGE_MAX_BYTES", 50)
    refused = _post_image(client, image_bytes(20, 10), "wide.png", json=True)
    assert refused.status_code == 400 and "at most 4.76837e-05 MB" in refused.get_json()["error"]
    monkeypatch.setitem(app.config, "EXAMS_IMAGE_MAX_BYTES", 10_000)
    assert _post_image(client, image_bytes(20, 10), "wide.png", json=True).status_code == 201


def test_a_full_disk_keeps_neither_file_nor_row(instructor, client, image_files, monkeypatch):
    import errno
    import os

    files = image_files()

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    response = _post_image(client, image_bytes(), "map.png")
    assert response.status_code == 507 and "storage is full" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert _rows() == 0 and image_files() == files
    assert not [p for p in (Path(client.application.config["FILES_DIR"]) / "exam-images").glob(".*")]


def test_trainees_and_other_staff_cannot_upload(client, make_user, image_files):
    before = image_files()
    make_user("learner", Role.TRAINEE)
    log_in(client, "learner")
    response = client.post("/exams/bank/images", data={"csrf_token": csrf_token(client, "/account"),
                                                        "file": (io.BytesIO(image_bytes()), "x.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 403 and _rows() == 0 and image_files() == before


def test_one_image_signature_helper_serves_photos_lessons_and_exams():
    png, gif = image_bytes(), image_bytes(fmt="GIF")
    assert photos.sniff(png) == "image/png" and photos.sniff(gif) is None  # a case photo is no GIF
    assert lesson_sniff("a.gif", gif[:16]) == ("image/gif", False) and lesson_sniff("a.png", gif[:16]) is None


# ---- serving -------------------------------------------------------------------------------------


def test_the_image_is_served_as_checked_with_the_site_headers(instructor, client):
    image = create_image(data=image_bytes(5, 5))
    response = client.get(f"/exams/images/{image.key}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == images.path_of(image).read_bytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_bank_page_of_a_question_shows_its_image(instructor, client):
    image = create_image()
    question = create_question_with_image(image)
    html = client.get(f"/exams/bank/{question.id}").get_data(as_text=True)
    assert f'<img alt="网格图" src="/exams/images/{image.key}"' in html


def _trainee(app, make_taker, course):
    user, worker = make_taker(course)
    browser = app.test_client()
    log_in(browser, user.username)
    return user, worker, browser


def test_a_trainee_sees_an_image_only_while_his_attempt_shows_it(app, make_question, make_taker):
    image, unrelated = create_image(), create_image(name="other.png")
    question = create_question_with_image(image)
    exam = create_exam_showing(_course(), question, release=ResultRelease.MANUAL, show_answers=True)
    user, worker, browser = _trainee(app, make_taker, exam.course)
    _other_user, other_worker, other_browser = _trainee(app, make_taker, exam.course)
    url = f"/exams/images/{image.key}"
    assert browser.get(url).status_code == 404  # no attempt yet
    attempt = attempt_ops.start_attempt(exam, worker, user)
    assert browser.get(url).status_code == 200
    assert browser.get(f"/exams/images/{unrelated.key}").status_code == 404
    assert other_browser.get(url).status_code == 404  # the same course, but not his attempt
    attempt_ops.save_answers(attempt, user, 1, {attempt.items[0].id: ["T"]})
    attempt_ops.close_attempt(attempt, user)
    assert browser.get(url).status_code == 404  # finished, result not released
    operations.release_results(exam, None)
    assert browser.get(url).status_code == 200  # released, and the review shows the questions
    assert other_browser.get(url).status_code == 404


def _course():
    from tests.fixtures.courses import create_course

    return create_course()


def test_a_released_result_without_the_review_does_not_show_the_image(app, make_question, make_taker):
    image = create_image()
    exam = create_exam_showing(_course(), create_question_with_image(image), show_answers=False)
    user, worker, browser = _trainee(app, make_taker, exam.course)
    attempt = attempt_ops.start_attempt(exam, worker, user)
    attempt_ops.close_attempt(attempt, user)
    assert access.is_released(attempt)
    assert browser.get(f"/exams/images/{image.key}").status_code == 404


def test_an_attempt_past_its_deadline_no_longer_shows_the_image(app, make_question, make_taker):
    image = create_image()
    now = utcnow()
    exam = create_exam_showing(_course(), create_question_with_image(image), opens_at=now - timedelta(hours=3))
    user, worker, browser = _trainee(app, make_taker, exam.course)
    attempt_ops.start_attempt(exam, worker, user, now=now - timedelta(hours=2))  # 30 minutes, long over
    assert browser.get(f"/exams/images/{image.key}").status_code == 404


def test_staff_outside_the_bank_and_strangers_do_not_get_the_image(app, client, make_user, make_question):
    image = create_image()
    create_question_with_image(image)
    assert client.get(f"/exams/images/{image.key}").status_code == 302  # log in first
    for role in (Role.HR, Role.DISPATCHER, Role.VIEWER, Role.DEPARTMENT, Role.TRAINEE):
        browser = app.test_client()
        make_user(f"u-{role.value}", role)
        log_in(browser, f"u-{role.value}")
        assert browser.get(f"/exams/images/{image.key}").status_code == 404, role


# ---- versions ------------------------------------------------------------------------------------


def test_an_old_version_keeps_its_image_for_the_attempt_that_showed_it(app, make_question, make_taker):
    old_image, new_image = create_image(name="old.png"), create_image(name="new.png")
    question = create_question_with_image(old_image)
    exam = create_exam_showing(_course(), question)
    user, worker, browser = _trainee(app, make_taker, exam.course)
    attempt_ops.start_attempt(exam, worker, user)
    successor = bank.update_question(question, None, stem=f"新图：{images.markdown_of(new_image)}", options=[],
                                     correct=["F"], explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    assert successor.version == 2 and successor.id != question.id
    links = set(db.session.execute(sa.select(QuestionImage.question_id, QuestionImage.image_id)).all())
    assert links == {(question.id, old_image.id), (successor.id, new_image.id)}
    assert browser.get(f"/exams/images/{old_image.key}").status_code == 200
    assert browser.get(f"/exams/images/{new_image.key}").status_code == 404  # his attempt shows version 1


def test_editing_a_draft_replaces_the_images_it_records(make_question):
    first, second = create_image(name="a.png"), create_image(name="b.png")
    draft = bank.create_question(None, type=T.TRUE_FALSE, stem=images.markdown_of(first), options=[], correct=["T"],
                                 difficulty="easy")
    bank.update_question(draft, None, stem=images.markdown_of(second) + " " + images.markdown_of(second),
                         options=[], correct=["T"], difficulty="easy")
    assert db.session.scalars(sa.select(QuestionImage.image_id).where(QuestionImage.question_id == draft.id)).all() == [second.id]


def test_a_stem_naming_an_image_the_site_lacks_is_refused_on_the_form(instructor, client):
    stem = f"看图 ![x](/exams/images/{secrets.token_hex(16)})"
    response = post_form(client, "/exams/bank/new", {"type": "true_false", "stem": stem, "answer": "T",
                                                      "partial_credit": "all_or_nothing", "difficulty": "medium",
                                                      "unit_id": "0"}, token_from="/exams/bank/new")
    assert response.status_code == 400
    assert "shows an image this site does not have" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


# ---- export and import -----------------------------------------------------------------------------


def _import(client, name: str, data: bytes):
    return import_file(client, name, data)


def _xlsx(stem: str) -> bytes:
    book = Workbook()
    book.active.append(["题型", "题干", "选项A", "选项B", "答案", "难度"])
    book.active.append(["单选题", stem, "甲", "乙", "A", "易"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt,name", [("gift", "bank.gift.txt"), ("xlsx", "bank.xlsx")])
def test_exports_keep_the_reference_and_import_back_on_the_same_site(instructor, client, fmt, name):
    image = create_image()
    original = create_question_with_image(image, T.SINGLE)  # two paragraphs: the image on its own
    exported = client.get(f"/exams/bank/export?format={fmt}").data
    if fmt == "gift":
        assert f"/exams/images/{image.key}" in exported.decode()
    response = _import(client, name, exported)
    assert response.status_code == 302, response.get_data(as_text=True)
    copies = db.session.scalars(sa.select(Question).where(Question.stem.contains(image.key))).all()
    assert len(copies) == 2 and {q.stem for q in copies} == {original.stem}
    assert {link.question_id for link in db.session.scalars(sa.select(QuestionImage))} == {q.id for q in copies}


@pytest.mark.parametrize("name,data", [
    ("other-site.gift.txt", f"::Q1:: 看图 ![图](/exams/images/{'ab' * 16}) {{=甲 ~乙}}\n".encode()),
    ("other-site.xlsx", _xlsx(f"看图 ![图](/exams/images/{'ab' * 16})")),
    ("old-style.gift.txt", b"::Q1:: ![x](/exams/images/17) {=A ~B}\n"),
])
def test_a_file_from_another_site_naming_images_this_site_lacks_is_refused(instructor, client, name, data):
    response = _import(client, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "shows an image this site does not have" in html and "/exams/images/" in html
    assert "row 2" in html or "Q1" in html or "line 1" in html
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


def test_an_image_outside_stems_needs_no_record(make_question):
    """Plain web images keep working as before (the sanitiser still allows http(s) images)."""
    question = bank.create_question(None, type=T.TRUE_FALSE, stem="![x](https://example.org/a.png)", options=[],
                                    correct=["T"], difficulty="easy")
    bank.set_question_status(question, None, QuestionStatus.ACTIVE)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionImage)) == 0


def _age(image, days: int) -> None:
    db.session.execute(sa.update(StemImage).where(StemImage.id == image.id)
                       .values(created_at=utcnow() - timedelta(days=days)))
    db.session.expire(image)


def test_unused_old_images_are_purged_and_every_image_a_version_shows_is_kept(app, make_question, image_files):
    from academy.audit import AuditEntry

    abandoned, recent, kept_by_old_version = create_image(name="abandoned.png"), create_image(name="recent.png"), create_image(name="v1.png")
    dropped_from_draft, shown_now = create_image(name="dropped.png"), create_image(name="now.png")
    question = create_question_with_image(kept_by_old_version)
    bank.update_question(question, None, stem=f"新图：{images.markdown_of(shown_now)}", options=[], correct=["F"],
                         explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    draft = bank.create_question(None, type=T.TRUE_FALSE, stem=images.markdown_of(dropped_from_draft), options=[],
                                 correct=["T"], difficulty="easy")
    bank.update_question(draft, None, stem="不再有图", options=[], correct=["T"], difficulty="easy")
    for image in (abandoned, kept_by_old_version, dropped_from_draft, shown_now):
        _age(image, 30)
    _age(recent, 2)
    db.session.commit()
    stored = {image.key: images.path_of(image) for image in (abandoned, recent, kept_by_old_version, dropped_from_draft, shown_now)}
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["exams-purge-images", "--dry-run"])
    assert dry.exit_code == 0 and "2 unused images" in dry.output and "nothing deleted" in dry.output
    assert abandoned.key in dry.output and dropped_from_draft.key in dry.output and recent.key not in dry.output
    assert all(path.exists() for path in stored.values()) and db.session.scalar(sa.select(sa.func.count(StemImage.id))) == 5

    done = runner.invoke(args=["exams-purge-images"])
    assert done.exit_code == 0 and "2 unused images" in done.output
    db.session.expire_all()
    left = set(db.session.scalars(sa.select(StemImage.key)))
    assert left == {recent.key, kept_by_old_version.key, shown_now.key}
    assert {key for key, path in stored.items() if path.exists()} == left
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "question.image_purge"))
    assert sorted(entry.after["keys"]) == sorted([abandoned.key, dropped_from_draft.key])

    again = runner.invoke(args=["exams-purge-images", "--older-than-days", "1"])  # the recent one now goes too
    assert "1 unused images" in again.output and not stored[recent.key].exists()
    assert runner.invoke(args=["exams-purge-images", "--older-than-days", "0"]).exit_code == 2  # refused, nothing done


def test_a_purge_rolled_back_keeps_its_files(app, image_files):
    image = create_image(name="abandoned.png")
    _age(image, 30)
    db.session.commit()
    path = images.path_of(image)
    assert images.purge_unused(None, older_than=timedelta(days=7)) == [image]
    db.session.rollback()
    assert path.exists() and db.session.get(StemImage, image.id) is not None
