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
- What a batch's pages share is drawn once: the seal (the same for every certificate of a branch
  and language, and a seventh of a page's drawing) is laid out on a page of its own, at its place,
  and qpdf lays that page over its certificates when it joins the chunks. The .zip's single PDFs
  are the merged PDF's pages, split by qpdf, not rendered a second time.
- The photo and the QR code go to WeasyPrint as attachments named by ``cid:`` URLs, not as
  ``data:`` URLs in the HTML: the HTML parser read a photo's 60 kB character by character.
- Files are written under a temporary name and renamed when complete: a failed or killed batch
  never leaves a half-written PDF where the job's page would offer it.
"""
from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, format_date, pgettext
from flask_babel import gettext as _

from academy.exports import Table, xlsx_bytes
from academy.pdf import (  # noqa: F401  (StaticOnlyFetcher, qr_data_url: the names tests and callers know)
    Attachments,
    StaticOnlyFetcher,
    chunks,
    font_face_css,
    html_to_pdf,
    join_pdfs,
    qr_data_url,
    render_processes,
    rendered,
    split_pdf,
)
from academy.pdf import render_template_only as _render
from courses.certificates.document import CertificateDocument
from courses.certificates.seal import seal_svg

CHUNK = 50  # certificates per WeasyPrint document in a batch
TEMPLATES = ("default", "onduty")
Progress = Callable[[int, int], None] | None


def _template(doc: CertificateDocument) -> str:
    return f"certificates/pdf/{doc.template if doc.template in TEMPLATES else 'default'}.html"


def _page_html(doc: CertificateDocument, key: str, attachments: Attachments, with_seal: bool = True) -> str:
    """One certificate's page (the body's inner HTML), in the document's language; its photo and QR
    code go into ``attachments`` under names made from ``key``. ``with_seal=False`` leaves the seal
    out (the batch lays it over the page after)."""
    attachments[f"qr-{key}"] = qr_data_url(doc.verify_url)
    if doc.photo:
        attachments[f"photo-{key}"] = doc.photo
    with force_locale(_language(doc)):
        seal = _seal(_seal_issuer(doc), _("Training seal")) if with_seal else ""
        return _render(_template(doc), doc=doc, qr=f"cid:qr-{key}", photo=f"cid:photo-{key}" if doc.photo else "",
                       format_date=format_date, pgettext=pgettext, seal=seal)


def _language(doc: CertificateDocument) -> str:
    return doc.language if doc.language in ("zh_CN", "en") else "zh_CN"


@lru_cache(maxsize=64)
def _seal(issuer: str, line: str) -> str:
    """The seal's SVG, made once per issuer and language (a batch has a handful)."""
    return seal_svg(issuer, line)


def _seal_key(doc: CertificateDocument) -> tuple[str, str]:
    """What the seal depends on: certificates with the same key share one drawn seal."""
    return _seal_issuer(doc), _language(doc)


def _seal_page_html(doc: CertificateDocument) -> str:
    """A page with ``doc``'s seal alone, at the place it has on the certificate."""
    with force_locale(_language(doc)):
        return _render("certificates/pdf/_seal_page.html", seal=_seal(_seal_issuer(doc), _("Training seal")))


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
    attachments: Attachments = {}
    html = _document_html([_page_html(doc, "1", attachments)], doc.number)
    return html_to_pdf(html, current_app.static_folder, attachments=attachments)


def _chunk_job(chunk: Sequence[CertificateDocument], start: int, static: str) -> tuple[str, str, Attachments]:
    """A chunk's pages, without their seals, for a pool process: (html, static folder, attachments)."""
    attachments: Attachments = {}
    pages = [_page_html(doc, str(start + n), attachments, with_seal=False) for n, doc in enumerate(chunk)]
    return _document_html(pages, "certificates"), static, attachments


def _seal_overlay(docs: Sequence[CertificateDocument], folder: Path) -> tuple[Path, list[int]]:
    """The seals of ``docs``, one page per seal key, in a PDF written in ``folder``, and for each
    certificate the number of its seal's page."""
    keys: dict[tuple[str, str], int] = {}
    seal_pages, numbers = [], []
    for doc in docs:
        if _seal_key(doc) not in keys:
            keys[_seal_key(doc)] = len(keys) + 1
            seal_pages.append(_seal_page_html(doc))
        numbers.append(keys[_seal_key(doc)])
    path = folder / "seals.pdf"
    path.write_bytes(html_to_pdf(_document_html(seal_pages, "seals"), current_app.static_folder))
    return path, numbers


def write_merged(docs: Sequence[CertificateDocument], path: Path, progress: Progress = None) -> int:
    """All certificates in one PDF at ``path``, one page each, in order; returns the page count.

    ``CHUNK`` certificates make one WeasyPrint document (one font subset per chunk, not per page).
    Each chunk goes to a file as soon as it is rendered and qpdf joins the files at the end, laying
    each seal over its pages, so this process never holds more than a few chunks however long the batch."""
    docs, static = list(docs), current_app.static_folder
    jobs = (_chunk_job(chunk, n * CHUNK, static) for n, chunk in enumerate(chunks(docs, CHUNK)))
    path = Path(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".chunks-") as folder:
        parts, done = [], 0
        for data, chunk in zip(rendered(jobs, render_processes()), chunks(docs, CHUNK), strict=True):
            parts.append(Path(folder) / f"{len(parts):05d}.pdf")
            parts[-1].write_bytes(data)
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        join_pdfs(parts, path, _seal_overlay(docs, Path(folder)) if docs else None)
    return len(docs)


def safe_file_name(number: str) -> str:
    """A certificate number as a file name: letters, digits, dash and underscore only."""
    return (re.sub(r"[^A-Za-z0-9_-]+", "_", number).strip("._") or "certificate")[:80] + ".pdf"


def write_zip(docs: Sequence[CertificateDocument], path: Path, progress: Progress = None, merged: Path | None = None) -> int:
    """Each certificate as its own PDF in a .zip at ``path``, named by its number; returns the count.

    ``merged`` is ``write_merged``'s PDF of the same ``docs``: its pages, split by qpdf, are the
    single PDFs. Without it the certificates are rendered (and merged) here first."""
    docs, seen = list(docs), set()
    partial = Path(path).with_suffix(".partial")
    with tempfile.TemporaryDirectory(dir=partial.parent, prefix=".singles-") as folder:
        if merged is None:
            merged = Path(folder) / "merged.pdf"
            write_merged(docs, merged)
        singles = split_pdf(Path(merged), Path(folder))
        if len(singles) != len(docs):
            raise RuntimeError(f"{merged.name}: {len(singles)} pages for {len(docs)} certificates")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
            for done, (doc, single) in enumerate(zip(docs, singles, strict=True), start=1):
                name = safe_file_name(doc.number)
                while name in seen:
                    name = name[:-4] + "_.pdf"
                seen.add(name)
                archive.write(single, name)
                single.unlink()
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
