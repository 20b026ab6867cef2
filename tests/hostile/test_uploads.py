"""Hostile uploads on every form that takes a file: zip bombs as .xlsx, polyglots, tricky names,
oversized bodies. Each is refused with a clear message, or stored under a name of the app's own
and served as what it was checked to be; nothing is written outside the files folder."""
from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest

from academy.permissions import Role
from academy.spreadsheets import UnsafeWorkbook, check_workbook, open_workbook
from tests.hostile.conftest import changed_tables, files_under, fingerprint
from tests.hostile.payloads import POLYGLOT_JPEG, POLYGLOT_PNG, TRICKY_NAMES, workbook_bytes, xlsx_bomb
from tests.support import csrf_token, log_in, post_form

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return xlsx_bomb(megabytes=2048)


def _post_file(client, url: str, name: str, data: bytes, token_from: str, **fields):
    return post_form(client, url, {"file": (io.BytesIO(data), name), **fields}, token_from=token_from,
                     content_type="multipart/form-data")


def test_the_bomb_is_a_workbook_that_openpyxl_would_inflate():
    """The same construction, small: openpyxl opens it and holds the whole inflated string."""
    book = open_workbook(xlsx_bomb(megabytes=3))
    assert len(book.worksheets[0]._shared_strings[0]) == 3 * 1024 * 1024
    book.close()


def test_helper_refuses_bombs_directory_floods_and_non_zips(bomb, app):
    with pytest.raises(UnsafeWorkbook, match="unpack to more than 256 MB"):
        check_workbook(bomb)
    flood = io.BytesIO()
    with __import__("zipfile").ZipFile(flood, "w") as archive:
        for n in range(2001):
            archive.writestr(f"x/{n}", "")
    with pytest.raises(UnsafeWorkbook, match="unpack"):
        check_workbook(flood.getvalue())
    for not_a_workbook in (b"", b"PK\x03\x04 broken", POLYGLOT_JPEG[:40], b"\x00" * 100):
        with pytest.raises(UnsafeWorkbook, match="not an .xlsx workbook"):
            check_workbook(not_a_workbook)
    check_workbook(workbook_bytes())  # an ordinary workbook passes


def _refused_without_inflating(client, url: str, token_from: str, bomb: bytes, message: str, **fields):
    before = fingerprint()
    tracemalloc.start()
    try:
        response = _post_file(client, url, "city.xlsx", bomb, token_from, **fields)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code in (200, 400) and message in response.get_data(as_text=True)
    # The request held the 2 MB upload and little more: nothing of the 2 GiB was inflated.
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB while refusing a bomb"
    assert changed_tables(before, fingerprint()) == []


def test_registry_import_refuses_a_zip_bomb_at_once(client, make_user, bomb):
    make_user("hr-bomb", Role.HR)
    log_in(client, "hr-bomb")
    _refused_without_inflating(client, "/registry/import", "/registry/import", bomb, "would unpack to more than")


def test_question_bank_import_refuses_a_zip_bomb_at_once(client, make_user, make_syllabus, bomb):
    make_syllabus()
    make_user("teacher-bomb", Role.INSTRUCTOR)
    log_in(client, "teacher-bomb")
    _refused_without_inflating(client, "/exams/bank/import", "/exams/bank/import", bomb, "would unpack to more than",
                               activate="y")


def test_polyglot_photo_is_served_only_as_the_image_it_starts_as(client, cases_world):
    """A JPEG that is also an HTML page and a ZIP is a JPEG to the app: stored under a random name,
    served as image/jpeg with nosniff and a script-free CSP, so no browser runs the HTML in it."""
    from academy.cases.models import Case

    log_in(client, "worker")
    data = {"csrf_token": csrf_token(client, "/cases/report"), "category": str(cases_world.category.id),
            "grid": str(cases_world.grid.id), "title": "Polyglot", "description": "A photo with a page inside",
            "location": "Gate 2", "submission_key": "p" * 24,
            "photos": [(io.BytesIO(POLYGLOT_JPEG), "page.html"), (io.BytesIO(POLYGLOT_PNG), "../../evil.png")]}
    assert client.post("/cases/report", data=data, content_type="multipart/form-data").status_code == 302
    from academy.extensions import db

    case = db.session.query(Case).one()
    kinds = sorted(photo.content_type for photo in case.photos)
    assert kinds == ["image/jpeg", "image/png"]
    for photo in case.photos:
        assert "evil" not in photo.stored_name and "html" not in photo.stored_name
        shown = client.get(f"/cases/{case.id}/photos/{photo.id}")
        assert shown.status_code == 200 and shown.mimetype == photo.content_type
        assert shown.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in shown.headers["Content-Security-Policy"]


@pytest.fixture
def lesson_of_teacher(client, make_user, make_course, make_lesson):
    teacher = make_user("teacher-up", Role.INSTRUCTOR)
    lesson = make_lesson(make_course(instructors=[teacher]))
    log_in(client, "teacher-up")
    return lesson


def _upload_lesson_file(client, lesson, name: str, data: bytes):
    return _post_file(client, f"/lessons/{lesson.id}/files", name, data, f"/lessons/{lesson.id}/edit")


def test_lesson_polyglots_pass_only_as_what_their_name_and_bytes_agree_on(client, lesson_of_teacher):
    from courses.lessons.models import LessonFile

    refused = {name: _upload_lesson_file(client, lesson_of_teacher, name, data).status_code
               for name, data in [("page.html", POLYGLOT_JPEG), ("photo.docx", POLYGLOT_JPEG),
                                  ("notes.pdf", POLYGLOT_PNG), ("script.svg", b"<svg onload=alert(1)>")]}
    assert refused == dict.fromkeys(refused, 400)
    assert _upload_lesson_file(client, lesson_of_teacher, "photo.jpg", POLYGLOT_JPEG).status_code == 302
    from academy.extensions import db

    record = db.session.query(LessonFile).one()
    served = client.get(f"/lesson-files/{record.id}")
    assert served.mimetype == "image/jpeg" and served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", TRICKY_NAMES, ids=range(len(TRICKY_NAMES)))
def test_tricky_file_names_never_reach_the_disk_or_a_header(client, lesson_of_teacher, app, name):
    from academy.extensions import db
    from courses.lessons.models import LessonFile

    files_dir = Path(app.config["FILES_DIR"])
    outside_before = files_under(files_dir.parent) - files_under(files_dir)
    response = _upload_lesson_file(client, lesson_of_teacher, name, PNG)
    assert response.status_code in (302, 400), response.status_code
    assert files_under(files_dir.parent) - files_under(files_dir) == outside_before
    for record in db.session.query(LessonFile):
        stored = files_dir / "lessons" / record.stored_name
        assert stored.is_file() and stored.parent == files_dir / "lessons"
        assert not any(mark in record.original_name for mark in ("/", "\\", "\x00", "..", "\uff0f"))
        assert len(record.original_name) <= 200
        served = client.get(f"/lesson-files/{record.id}")
        assert served.status_code == 200 and "/" not in served.headers.get("Content-Disposition", "").split("filename")[-1]


def test_every_upload_form_refuses_an_oversized_body_and_keeps_the_data(client, make_user, lesson_of_teacher,
                                                                        cases_world, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    make_user("hr-big", Role.HR)
    big = PDF + b"0" * (300 * 1024)
    targets = [(f"/lessons/{lesson_of_teacher.id}/files", "teacher-up", "big.pdf"),
               ("/exams/bank/import", "teacher-up", "big.xlsx"), ("/registry/import", "hr-big", "big.csv"),
               ("/cases/report", "worker", "big.jpg")]
    clients = {user: app.test_client() for _url, user, _name in targets}
    tokens = {user: log_in(fresh, user) and csrf_token(fresh, "/account") for user, fresh in clients.items()}
    before = fingerprint()
    for url, user, name in targets:
        response = clients[user].post(url, data={"csrf_token": tokens[user], "file": (io.BytesIO(big), name),
                                         "photos": (io.BytesIO(big), name)}, content_type="multipart/form-data")
        assert response.status_code == 413, (url, response.status_code)
        assert "larger than the limit" in response.get_data(as_text=True)
    assert changed_tables(before, fingerprint()) == []
