"""Certificate PDFs with WeasyPrint: one document, a merged batch, a .zip of singles, the roster.

- Templates are Jinja files under ``templates/certificates/pdf/``, rendered in the document's
  language (``force_locale``), so a certificate reads the same whoever prints it.
- The plumbing (the confined URL fetcher, the fonts, QR codes, the process pool, qpdf) is
  ``academy.pdf``, shared with the activation letters.
- A batch is rendered ``CHUNK`` certificates to one WeasyPrint document (one font subset per chunk
  instead of per page), in a pool of processes (one per core, ``CERTIFICATE_RENDER_PROCESSES``),
  a few chunks ahead at most, each written to a file at once and joined by qpdf, so memory
  stays flat however many certificates there are.
  Templates are rendered in the caller (they need the app); the pool only runs WeasyPrint.
- Files are written under a temporary name and renamed when complete: a failed or killed batch
  never leaves a half-written PDF where the job's page would offer it.
"""
from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, format_date, pgettext
from flask_babel import gettext as _

from academy.exports import Table, xlsx_bytes
from academy.pdf import (  # noqa: F401  (StaticOnlyFetcher, qr_data_url: the names tests and callers know)
    StaticOnlyFetcher,
    chunks,
    font_face_css,
    html_to_pdf,
    join_pdfs,
    qr_data_url,
    render_processes,
    rendered,
)
from academy.pdf import render_template_only as _render
from courses.certificates.document import CertificateDocument
from courses.certificates.seal import seal_svg

CHUNK = 50  # certificates per WeasyPrint document in a batch
TEMPLATES = ("default", "onduty")
Progress = Callable[[int, int], None] | None


def _template(doc: CertificateDocument) -> str:
    return f"certificates/pdf/{doc.template if doc.template in TEMPLATES else 'default'}.html"


def _page_html(doc: CertificateDocument) -> str:
    """One certificate's page (the body's inner HTML), in the document's language."""
    with force_locale(doc.language if doc.language in ("zh_CN", "en") else "zh_CN"):
        return _render(_template(doc), doc=doc, qr=qr_data_url(doc.verify_url), format_date=format_date,
                       pgettext=pgettext, seal=seal_svg(_seal_issuer(doc), _("Training seal")))


def _seal_issuer(doc: CertificateDocument) -> str:
    """The name on the seal's arc: the issuing branch under its academy ("南京市网格学院鼓楼区分院"),
    or the academy alone when it issued the certificate itself."""
    if doc.branch_name == doc.academy_name or doc.academy_name in doc.branch_name:
        return doc.branch_name
    separator = " · " if doc.language == "en" else ""
    return f"{doc.academy_name}{separator}{doc.branch_name}"


def _document_html(pages: Sequence[str], title: str) -> str:
    return _render("certificates/pdf/base.html", pages=pages, title=title, font_faces=font_face_css())


def render_certificate(doc: CertificateDocument) -> bytes:
    """One certificate as a PDF (A4 landscape), its text extractable (name and number)."""
    return html_to_pdf(_document_html([_page_html(doc)], doc.number), current_app.static_folder)


def write_merged(docs: Sequence[CertificateDocument], path: Path, progress: Progress = None) -> int:
    """All certificates in one PDF at ``path``, one page each, in order; returns the page count.

    ``CHUNK`` certificates make one WeasyPrint document (one font subset per chunk, not per page).
    Each chunk goes to a file as soon as it is rendered and qpdf joins the files at the end, so
    this process never holds more than a few chunks however long the batch."""
    docs, static = list(docs), current_app.static_folder
    jobs = ((_document_html([_page_html(d) for d in chunk], "certificates"), static) for chunk in chunks(docs, CHUNK))
    path = Path(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".chunks-") as folder:
        parts, done = [], 0
        for data, chunk in zip(rendered(jobs, render_processes()), chunks(docs, CHUNK), strict=True):
            parts.append(Path(folder) / f"{len(parts):05d}.pdf")
            parts[-1].write_bytes(data)
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        join_pdfs(parts, path)
    return len(docs)


def safe_file_name(number: str) -> str:
    """A certificate number as a file name: letters, digits, dash and underscore only."""
    return (re.sub(r"[^A-Za-z0-9_-]+", "_", number).strip("._") or "certificate")[:80] + ".pdf"


def write_zip(docs: Sequence[CertificateDocument], path: Path, progress: Progress = None) -> int:
    """Each certificate as its own PDF in a .zip at ``path``, named by its number; returns the count."""
    docs, seen, static = list(docs), set(), current_app.static_folder
    jobs = ((_document_html([_page_html(doc)], doc.number), static) for doc in docs)
    partial = Path(path).with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for done, (doc, data) in enumerate(zip(docs, rendered(jobs, render_processes()), strict=True), start=1):
            name = safe_file_name(doc.number)
            while name in seen:
                name = name[:-4] + "_.pdf"
            seen.add(name)
            archive.writestr(name, data)
            if progress:
                progress(done, len(docs))
    partial.replace(path)
    return len(docs)


ROSTER_COLUMNS = ("number", "holder_name", "holder_number", "type_name", "issued_on", "valid_until", "branch_name")


def _roster_headers() -> list[str]:
    return [_("Certificate number"), pgettext("person", "Name"), _("Worker number"), _("Certificate type"), _("Issued on"),
            _("Valid until"), _("Issuing branch")]


def roster_pdf(rows: Sequence[dict], path: Path) -> None:
    """The printed roster of the numbers issued: a table, A4 landscape, header repeated per page."""
    html = _render("certificates/pdf/roster.html", rows=rows, headers=_roster_headers(),
                           columns=ROSTER_COLUMNS, font_faces=font_face_css(), format_date=format_date)
    html_to_pdf(html, current_app.static_folder, str(path))


def roster_xlsx(rows: Sequence[dict], path: Path) -> None:
    """The roster as a spreadsheet, written by the app's one spreadsheet writer."""
    table = [[row.get(column) for column in ROSTER_COLUMNS] for row in rows]
    Path(path).write_bytes(xlsx_bytes([Table(_("Certificate roster"), _roster_headers(), table)]))
