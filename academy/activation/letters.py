"""HR prints activation letters: the selection is fixed when HR asks, a background job renders.

The job reads the workers in its read phase and ends it; makes the codes in memory; renders the
letters outside any transaction (``letters_pdf``); and only then, in its short write phase, keeps
the codes' hashes and revokes the old ones (``operations.store_activation_codes``). So it never
holds the write lock while rendering, the database never sees a code in clear, and a failed job
leaves every old letter valid. HR's reset of one worker is the same job for one worker.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy import audit
from academy.accounts.models import User
from academy.activation import codes, operations, purge, queries
from academy.activation.models import ActivationError
from academy.database import city_zone, utcnow
from academy.extensions import db
from academy.jobs import Job, enqueue_job, job_folder, job_handler
from academy.registry.models import Worker, WorkerStatus

KIND = purge.KIND
FILES = {"merged": "letters.pdf", "zip": "letters.zip"}


def request_letters(workers: list[Worker], by, *, activate_url: str, reason: str = "letters") -> Job:
    """Queue the letters of ``workers`` (none exited); ``activate_url`` is the activation page's
    absolute address (``academy.web.urls.public_url``). Flushes."""
    workers = [w for w in workers if w.status != WorkerStatus.EXITED]
    if not workers:
        raise ActivationError(_("No worker matches this selection."))
    if len(workers) > queries.MAX_LETTERS:
        raise ActivationError(_("More than %(n)d workers match; narrow the selection.", n=queries.MAX_LETTERS))
    ids = [w.id for w in workers]
    job = enqueue_job(KIND, {"worker_ids": ids, "activate_url": activate_url}, by=by)
    target = workers[0] if reason == "reset" else job
    audit.record(by, f"activation.{reason}", target, summary=f"{len(ids)} workers", after={"count": len(ids)})
    return job


def reset_by_hr(worker: Worker, by, *, activate_url: str) -> Job:
    """HR's reset of one worker: a new letter, whose code revokes his old one when it is printed."""
    if worker.status == WorkerStatus.EXITED:
        raise ActivationError(_("An exited worker gets no activation letter."))
    return request_letters([worker], by, activate_url=activate_url, reason="reset")


def _language(worker: Worker, locales: dict[int, str]) -> str:
    return "en" if locales.get(worker.user_id or 0) == "en" else "zh_CN"


def _documents(workers, locales, activate_url: str, issued: dict[int, str], expires_text: str):
    from academy.activation.letters_pdf import LetterDocument  # WeasyPrint loads with the first letter

    academy = current_app.config.get("CERTIFICATES_ACADEMY_NAME") or "网格学院"
    sep = "&" if "?" in activate_url else "?"
    return [LetterDocument(name=w.name, number=w.number, area_name=w.area.full_name, code=issued[w.id],
                           url=f"{activate_url}{sep}code={issued[w.id]}", page_url=activate_url,
                           expires=expires_text, academy_name=academy, language=_language(w, locales))
            for w in workers]


@job_handler(KIND, label=_l("Activation letters"))
def print_letters(ctx, worker_ids: list[int], activate_url: str) -> dict:
    from academy.activation import letters_pdf  # WeasyPrint loads with the first letter, not with every worker

    ctx.progress(1, _("Reading the workers"))
    workers = queries.workers_by_ids(worker_ids)
    workers = [w for w in workers if w.status != WorkerStatus.EXITED]
    locales = queries.user_locales([w.user_id for w in workers if w.user_id])
    now = utcnow()
    expires = operations.activation_expiry(now)
    issued = {w.id: codes.new_activation_code() for w in workers}
    # Built in the read phase (area names included): rendering needs no transaction.
    docs = _documents(workers, locales, activate_url, issued, expires.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M"))
    ctx.end_reads()
    folder = job_folder(ctx.job.id)
    folder.mkdir(parents=True, exist_ok=True)

    def progress(done: int, total: int) -> None:
        ctx.progress(2 + 95 * done / max(1, total), _("Letters printed: %(done)d of %(total)d", done=done, total=total))

    letters_pdf.write_letters(docs, folder / FILES["merged"], folder / FILES["zip"], progress=progress)
    ctx.begin_writes()
    by = db.session.get(User, ctx.job.created_by_id) if ctx.job.created_by_id else None
    operations.store_activation_codes(issued, by, now, expires)
    ctx.progress(100, _("Done"))
    ctx.result_name = FILES["merged"]
    return {"message": _("%(n)d activation letters printed.", n=len(docs)), "count": len(docs),
            "files": list(FILES.values()), "issued_at": now.isoformat(), "expires_at": expires.isoformat()}
