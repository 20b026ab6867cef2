"""Activation letters: HR's job with progress, the PDFs read back (name, number, code, expiry, the
QR code's URL), codes issued only once the letters are printed, HR's reset of one worker."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import zxingcpp
from pypdf import PdfReader

from academy.activation import codes, letters
from academy.activation.models import AccessCode, CodePurpose
from academy.database import utcnow
from academy.extensions import db
from academy.jobs import Job, JobStatus, get_progress, job_folder
from academy.permissions import Role
from tests.academy.activation.conftest import id_tail, issue_code
from tests.support import csrf_token, log_in

CODE = re.compile(r"\b([A-Z2-9]{5}) ([A-Z2-9]{5})\b")


def _hr_client(app, make_user):
    make_user("hr_letters", Role.HR, area="320102")
    client = app.test_client()
    log_in(client, "hr_letters")
    return client


def _print(client, **form):
    token = csrf_token(client, "/activation/letters")
    return client.post("/activation/letters", data={"area_code": "", "status": "", **form, "csrf_token": token, "confirmed": "1"})


def _letters_of(job: Job) -> list[str]:
    return [page.extract_text() for page in PdfReader(job_folder(job.id) / letters.FILES["merged"]).pages]


def test_hr_prints_letters_for_his_area_and_each_letter_works(app, make_user, make_worker, run_jobs):
    mine = [make_worker("320102001", name=name) for name in ("王一", "李二", "张三")]
    elsewhere = make_worker("320104", name="赵外")
    client = _hr_client(app, make_user)
    answer = _print(client, area_code="")
    assert answer.status_code == 303
    job = db.session.scalar(sa.select(Job).where(Job.kind == letters.KIND).order_by(Job.created_at.desc()))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AccessCode)) == 0  # nothing before printing
    assert run_jobs() == 1
    db.session.expire_all()
    assert job.status == JobStatus.DONE and get_progress(job)["percent"] == 100
    pages = _letters_of(job)
    assert len(pages) == 3 and not any(elsewhere.number in text for text in pages)
    # The letter gives the expiry in the city's time: after 16:00 UTC that is already the next day.
    local_expiry = (utcnow() + timedelta(days=30)).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    for worker, text in zip(mine, pages, strict=True):
        assert worker.name in text and worker.number in text and local_expiry in text
        code = "".join(CODE.search(text).groups())
        row = db.session.scalar(sa.select(AccessCode).where(AccessCode.code_hash == codes.code_hash(code)))
        assert row.worker_id == worker.id and row.purpose == CodePurpose.ACTIVATION
    with zipfile.ZipFile(job_folder(job.id) / letters.FILES["zip"]) as bundle:
        assert sorted(bundle.namelist()) == sorted(f"{w.number}.pdf" for w in mine)
        single = PdfReader(io.BytesIO(bundle.read(f"{mine[0].number}.pdf")))
        assert len(single.pages) == 1 and mine[0].name in single.pages[0].extract_text()
    page = client.get(f"/activation/letters/{job.id}").get_data(as_text=True)
    assert f"/activation/letters/{job.id}/zip" in page
    assert client.get(f"/activation/letters/{job.id}/merged").data[:5] == b"%PDF-"


def test_one_batch_prints_each_letter_in_its_readers_language(app, make_user, make_worker, run_jobs):
    """Two printed forms in one chunk (a worker who chose English beside Chinese ones)."""
    english = make_user("reads_english", Role.TRAINEE)
    english.locale = "en"
    workers = [make_worker("320102001", name="王一"), make_worker("320102001", name="Li Er", user=english),
               make_worker("320102001", name="张三")]
    db.session.flush()
    client = _hr_client(app, make_user)
    assert _print(client, area_code="").status_code == 303
    job = db.session.scalar(sa.select(Job).where(Job.kind == letters.KIND).order_by(Job.created_at.desc()))
    assert run_jobs() == 1
    db.session.expire_all()
    assert job.status == JobStatus.DONE
    pages = _letters_of(job)
    assert [next(w.name for w in workers if w.name in text) for text in pages] == ["王一", "Li Er", "张三"]
    assert ["Account activation letter" in text for text in pages] == [False, True, False]
    assert all(CODE.search(text) for text in pages)


def test_the_qr_code_holds_the_activation_url_with_the_code(app, make_user, make_worker, run_jobs):
    worker = make_worker("320102", name="冯码")
    client = _hr_client(app, make_user)
    _print(client)
    run_jobs()
    job = db.session.scalar(sa.select(Job).where(Job.kind == letters.KIND))
    page = PdfReader(job_folder(job.id) / letters.FILES["merged"]).pages[0]
    code = "".join(CODE.search(page.extract_text()).groups())
    url = f"http://localhost/activate?code={code}"
    assert "http://localhost/activate" in page.extract_text()
    (printed,) = page.images
    image = printed.image.convert("L")
    decoded = zxingcpp.read_barcodes(image.resize((image.width * 2, image.height * 2)))  # what a phone's camera reads
    assert [symbol.text for symbol in decoded] == [url]
    assert worker.number in page.extract_text()


def test_printing_revokes_the_earlier_letter(app, client, make_user, make_worker, run_jobs):
    worker = make_worker("320102", name="陈旧")
    old = issue_code(worker)
    hr = _hr_client(app, make_user)
    token = csrf_token(hr, f"/registry/workers/{worker.id}")
    assert hr.post(f"/activation/workers/{worker.id}/letter", data={"csrf_token": token}).status_code == 303
    assert run_jobs() == 1
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AccessCode).where(AccessCode.worker_id == worker.id).order_by(AccessCode.id)).all()
    assert [row.revoked_at is not None for row in rows] == [True, False]
    data = {"code": old, "worker_number": worker.number, "id_tail": id_tail(worker), "new_password": "Quiet-Orchard-8",
            "confirm": "Quiet-Orchard-8", "csrf_token": csrf_token(client, "/activate")}
    assert client.post("/activate", data=data).status_code == 400


def test_hr_of_another_district_cannot_reset_a_worker(app, make_user, make_worker):
    worker = make_worker("320104", name="他区")
    client = _hr_client(app, make_user)
    token = csrf_token(client, "/activation/letters")
    assert client.post(f"/activation/workers/{worker.id}/letter", data={"csrf_token": token}).status_code == 403


def test_a_selection_of_nobody_and_a_foreign_area_are_refused(app, make_user, make_worker, count_rows):
    make_worker("320104", name="他区")
    client = _hr_client(app, make_user)
    assert _print(client, area_code="320104").status_code == 400  # not among his areas
    before = count_rows(Job)
    response = _print(client, status="suspended")
    assert response.status_code == 400 and count_rows(Job) == before


def test_a_failed_job_keeps_the_old_letters_valid(app, make_user, make_worker, run_jobs, monkeypatch):
    worker = make_worker("320102", name="韩稳")
    old = issue_code(worker)
    client = _hr_client(app, make_user)
    _print(client)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("academy.activation.letters_pdf.write_letters", broken)
    run_jobs()
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == letters.KIND))
    assert job.status == JobStatus.FAILED
    row = db.session.scalar(sa.select(AccessCode).where(AccessCode.code_hash == codes.code_hash(old)))
    assert row.revoked_at is None
