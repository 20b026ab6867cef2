"""HR's batch printing: the selection is fixed when HR asks (so the roster is what HR chose), then a
background job renders one merged PDF, a .zip of single PDFs and a roster (PDF and .xlsx) of the
numbers, reporting its progress as it goes.

The job reads the certificates in a short read transaction, ends it, renders outside any
transaction, and writes only its own result at the end (``academy.jobs``' phases): on SQLite it
never holds the write lock while it reads or renders. Rendering is ``courses.certificates.pdf`` (``write_merged``, ``write_zip``,
``roster_pdf``, ``roster_xlsx``), written apart from this module.
"""
from __future__ import annotations

from dataclasses import asdict

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from academy import audit
from academy.extensions import db
from academy.jobs import Job, enqueue_job, job_folder, job_handler
from courses.certificates import documents, queries
from courses.certificates.models import Certificate, CertificateError

KIND = "certificates.batch"
FILES = {"merged": "certificates.pdf", "zip": "certificates.zip", "roster_pdf": "roster.pdf", "roster_xlsx": "roster.xlsx"}
LANGUAGES = ("holder", "zh_CN", "en")


def request_batch(selection: queries.Selection, scopes, by, *, base_url: str, language: str = "holder") -> Job:
    """Fix the selection (valid certificates in HR's scope) and queue the printing job. Flushes."""
    if language not in LANGUAGES:
        raise CertificateError(_("Choose a language."))
    certificates = queries.batch_certificates(selection, scopes)
    if not certificates:
        raise CertificateError(_("No valid certificate matches this selection."))
    if len(certificates) > queries.MAX_BATCH:
        raise CertificateError(_("More than %(n)d certificates match; narrow the selection.", n=queries.MAX_BATCH))
    ids = [c.id for c in certificates]
    job = enqueue_job(KIND, {"certificate_ids": ids, "base_url": base_url, "language": language}, by=by)
    audit.record(by, "certificates.batch_print", job, summary=f"{len(ids)} certificates",
                 after={"selection": {k: v for k, v in asdict(selection).items() if v}, "count": len(ids)})
    return job


def roster_rows(docs) -> list[dict]:
    return [{"number": d.number, "holder_name": d.holder_name, "holder_number": d.holder_number,
             "type_name": d.type_name, "issued_on": d.issued_on, "valid_until": d.valid_until,
             "branch_name": d.branch_name} for d in docs]


def _reporter(ctx, start: float, span: float, total: int, message: str):
    """A progress callback for the renderer: accepts (done), (done, total) or a fraction."""
    def report(done, of=None):
        fraction = done / (of or total) if isinstance(done, int) or of else float(done)
        ctx.progress(start + span * min(1.0, fraction), message)
    return report


@job_handler(KIND, label=_l("Print certificates"))
def print_batch(ctx, certificate_ids: list[int], base_url: str, language: str = "holder") -> dict:
    from courses.certificates import pdf  # WeasyPrint loads with the first PDF, not with every worker

    ctx.progress(1, _("Reading the certificates"))
    # One query per relation instead of several per certificate: the read phase stays short.
    rows = db.session.scalars(sa.select(Certificate).where(Certificate.id.in_(certificate_ids)).options(
        *(selectinload(getattr(Certificate, name)) for name in ("worker", "type", "branch", "course")))).all()
    order = {ident: n for n, ident in enumerate(certificate_ids)}
    rows.sort(key=lambda c: order[c.id])
    docs = [documents.build_document(c, base_url, None if language == "holder" else language) for c in rows]
    ctx.end_reads()  # everything needed is in ``docs``: rendering holds no transaction open
    folder = job_folder(ctx.job.id)
    folder.mkdir(parents=True, exist_ok=True)
    merged = folder / FILES["merged"]
    total = len(docs)
    pdf.write_merged(docs, merged, progress=_reporter(ctx, 2, 48, total, _("One PDF of all")))
    pdf.write_zip(docs, folder / FILES["zip"], progress=_reporter(ctx, 50, 45, total, _("Single PDFs")), merged=merged)
    roster = roster_rows(docs)
    pdf.roster_pdf(roster, folder / FILES["roster_pdf"])
    pdf.roster_xlsx(roster, folder / FILES["roster_xlsx"])
    ctx.progress(100, _("Done"))
    ctx.result_name = FILES["merged"]  # what the generic job page offers, written with the job's end
    return {"message": _("%(n)d certificates printed.", n=total), "count": total, "files": list(FILES.values())}
