"""The letters' PDFs hold codes in clear: they are deleted once every code is spent (used, replaced
or expired), and the job page says when they will go and that they went."""
from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from academy.activation import letters, purge
from academy.activation.operations import activate_account
from academy.database import utcnow
from academy.extensions import db
from academy.jobs import Job, job_folder
from tests.academy.activation.conftest import id_tail
from tests.academy.activation.test_letters import CODE, _hr_client, _letters_of, _print


def _printed_job(app, make_user, make_worker, run_jobs, count: int = 2):
    client = _hr_client(app, make_user)
    workers = [make_worker("320102002001") for _ in range(count)]
    assert _print(client).status_code == 303
    assert run_jobs() == 1
    job = db.session.scalars(db.select(Job).where(Job.kind == letters.KIND)).one()
    texts = _letters_of(job)
    found = {w.id: " ".join(CODE.search(next(t for t in texts if w.number in t)).groups()) for w in workers}
    return client, job, workers, found


def _files(job) -> list[str]:
    folder = job_folder(job.id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_files_stay_while_a_code_is_live_and_go_when_all_are_used(app, make_user, make_worker, run_jobs):
    client, job, workers, found = _printed_job(app, make_user, make_worker, run_jobs)
    page = client.get(f"/activation/letters/{job.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "They are deleted once every code has been used" in page
    activate_account(found[workers[0].id], workers[0].number, id_tail(workers[0]), "Grid-Worker-2026!")
    assert purge.purge_spent_letters() == 0  # the second letter still opens an account
    assert _files(job) == sorted(letters.FILES.values())
    activate_account(found[workers[1].id], workers[1].number, id_tail(workers[1]), "Grid-Worker-2026!")
    assert purge.purge_spent_letters() == 1
    assert _files(job) == []
    assert client.get(f"/activation/letters/{job.id}/merged").status_code == 404
    page = client.get(f"/activation/letters/{job.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The letter files were deleted on" in page and f"/activation/letters/{job.id}/zip" not in page
    assert purge.purge_spent_letters() == 0  # once


def test_files_go_when_the_codes_expire_or_a_newer_letter_replaces_them(app, make_user, make_worker, run_jobs):
    client, job, workers, found = _printed_job(app, make_user, make_worker, run_jobs)
    assert purge.purge_spent_letters(utcnow() + timedelta(days=29)) == 0
    assert purge.purge_spent_letters(utcnow() + timedelta(days=31)) == 1
    assert _files(job) == []


def test_a_reprint_for_everyone_spends_the_first_letters_and_the_cli_deletes_them(app, make_user, make_worker, run_jobs):
    client, first, workers, found = _printed_job(app, make_user, make_worker, run_jobs)
    assert _print(client).status_code == 303  # the same workers again: the first letters' codes are revoked
    assert run_jobs() == 1
    result = CliRunner().invoke(app.cli, ["academy", "letters-purge"], catch_exceptions=False)
    assert "1 letters jobs: files deleted." in result.output
    second = db.session.scalars(db.select(Job).where(Job.kind == letters.KIND, Job.id != first.id)).one()
    assert _files(first) == [] and _files(second) == sorted(letters.FILES.values())

