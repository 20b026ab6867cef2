"""Access rows of first sign-in and recovery: the activation and reset pages are public (a wrong
or empty form is a 400 for anyone); letters are HR's, a job's page and files its creator's; a new
letter for one worker needs HR of his area."""
from __future__ import annotations

from academy.activation import letters
from academy.extensions import db
from academy.jobs import Job, JobStatus, job_folder
from tests.access import Access, everyone
from tests.fixtures.registry import create_worker

PUBLIC = everyone(200, anonymous=200)
BAD_FORM = everyone(400, anonymous=400)
HR = {"admin": 200, "hr": 200, "hr_other": 200}
HOME_HR = {"admin": 200, "hr": 200}


def build(world) -> None:
    world["letter_worker"] = create_worker("320102", name="赵敏")
    job = Job(kind=letters.KIND, params={"worker_ids": [world["letter_worker"].id], "activate_url": "http://localhost/activate"},
              status=JobStatus.DONE, created_by_id=world.users["hr"].id, result_name=letters.FILES["merged"])
    db.session.add(job)
    db.session.flush()
    folder = job_folder(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    for name in letters.FILES.values():
        (folder / name).write_bytes(b"%PDF-1.7 stand-in for the access test\n")
    world["letters_job"] = job


ACCESS = [
    Access("activation.activate", "/activate", PUBLIC),
    Access("activation.activate", "/activate?code=ABCDE12345", PUBLIC),
    Access("activation.activate", "/activate", BAD_FORM, method="POST", data={}),
    Access("activation.forgot_password", "/password/forgot", PUBLIC),
    Access("activation.forgot_password", "/password/forgot", BAD_FORM, method="POST", data={}),
    Access("activation.reset_password", "/password/reset", PUBLIC),
    Access("activation.reset_password", "/password/reset", BAD_FORM, method="POST", data={}),
    Access("activation.letters_new", "/activation/letters", HR),
    Access("activation.letters_new", "/activation/letters", {"admin": 303, "hr": 303, "hr_other": 303}, method="POST",
           data={"area_code": "", "status": "", "confirmed": "1"}),
    Access("activation.letters_job", lambda w: f"/activation/letters/{w['letters_job'].id}", HOME_HR),
    Access("activation.letters_file", lambda w: f"/activation/letters/{w['letters_job'].id}/merged", HOME_HR),
    Access("activation.letters_file", lambda w: f"/activation/letters/{w['letters_job'].id}/nothing",
           {"admin": 404, "hr": 404}),
    Access("activation.worker_letter", lambda w: f"/activation/workers/{w['letter_worker'].id}/letter",
           {"admin": 303, "hr": 303}, method="POST"),
]
