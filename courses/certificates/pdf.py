"""Certificate PDFs with WeasyPrint: one document, a merged batch, a .zip of singles, the roster.

- Templates are Jinja files under ``templates/certificates/pdf/``, rendered in the document's
  language (``force_locale``), so a certificate reads the same whoever prints it.
- WeasyPrint fetches only what ``StaticOnlyFetcher`` allows: the app's own static files, the
  certificate fonts and ``data:`` URLs (the QR code). A name or a template that points at
  ``/etc/passwd`` or ``http://...`` gets nothing.
- Fonts: the GB2312 face of ``fonts`` (fast subsetting), the full Noto Serif CJK SC behind it for
  rare characters, both through ``@font-face`` with one ``FontConfiguration`` for the process, so
  faces are loaded once, not per document.
- A batch is rendered ``CHUNK`` certificates to one WeasyPrint document (one font subset per chunk
  instead of per page), in a pool of processes (one per core, ``CERTIFICATE_RENDER_PROCESSES``),
  a few chunks ahead at most, each written to a file at once and joined by qpdf, so memory
  stays flat however many certificates there are.
  Templates are rendered in the caller (they need the app); the pool only runs WeasyPrint.
- Files are written under a temporary name and renamed when complete: a failed or killed batch
  never leaves a half-written PDF where the job's page would offer it.
"""
from __future__ import annotations

import base64
import io
import multiprocessing
import os
import re
import subprocess
import tempfile
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
from flask import current_app
from flask_babel import force_locale, format_date, pgettext
from flask_babel import gettext as _
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from academy.exports import Table, xlsx_bytes
from courses.certificates import fonts
from courses.certificates.document import CertificateDocument

CHUNK = 50  # certificates per WeasyPrint document in a batch
TEMPLATES = ("default", "onduty")
Progress = Callable[[int, int], None] | None

_font_config: FontConfiguration | None = None
_font_lock = threading.Lock()


class StaticOnlyFetcher(URLFetcher):
    """Fetch ``data:`` URLs, files under the static folder and the certificate fonts; nothing else."""

    def __init__(self, static_folder: str) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.static_root = Path(static_folder).resolve()
        self.font_files = fonts.allowed_font_files()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return _data_response(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused: {url[:80]}")
        path = Path(unquote(parts.path)).resolve()
        if not (path.is_relative_to(self.static_root) or path in self.font_files) or not path.is_file():
            raise ValueError(f"refused: {url[:80]}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())


def _data_response(url: str) -> URLFetcherResponse:
    """A base64 ``data:`` URL decoded here: urllib's handler built e-mail headers for it, which
    took longer than laying out the page."""
    head, _sep, payload = url.partition(",")
    if not head.endswith(";base64"):
        raise ValueError("only base64 data URLs")
    media_type = head[5:-7] or "application/octet-stream"
    return URLFetcherResponse(url[:64], base64.b64decode(payload), headers={"Content-Type": media_type})


def font_configuration() -> FontConfiguration:
    """The process's one FontConfiguration: faces declared by @font-face are loaded into it once."""
    global _font_config
    with _font_lock:
        if _font_config is None:
            _font_config = FontConfiguration()
        return _font_config


def qr_data_url(text: str) -> str:
    """The QR code of ``text`` as a 1-bit PNG ``data:`` URL.

    PNG, not SVG: WeasyPrint drew the SVG path of a QR code in about as long as the rest of the
    page. The bitmap is made from qrcode's module matrix in one step (its own image classes draw
    a rectangle per module), and a fixed mask pattern skips qrcode's search for the "best" of
    eight; any mask is valid and scanners read them all.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    buffer = io.BytesIO()
    image.resize((size * 8, size * 8), Image.NEAREST).convert("1").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def font_face_css() -> str:
    """@font-face rules: the fast GB2312 face when it has been made, the full Noto face behind it."""
    rules = [f'@font-face {{ font-family: "CertificateFallback"; src: local("{fonts.FALLBACK_FACE}"); }}']
    if (face := fonts.face_path()) is not None:
        rules.insert(0, f'@font-face {{ font-family: "CertificateFace"; src: url("{face.as_uri()}"); }}')
    return "\n".join(rules)


def _render(template: str, **values) -> str:
    """A PDF template rendered with the app's Jinja environment (gettext included) but without the
    page context processors: they read the request's user, and batches render in a background job."""
    return current_app.jinja_env.get_template(template).render(**values)


def _template(doc: CertificateDocument) -> str:
    return f"certificates/pdf/{doc.template if doc.template in TEMPLATES else 'default'}.html"


def _page_html(doc: CertificateDocument) -> str:
    """One certificate's page (the body's inner HTML), in the document's language."""
    with force_locale(doc.language if doc.language in ("zh_CN", "en") else "zh_CN"):
        return _render(_template(doc), doc=doc, qr=qr_data_url(doc.verify_url), format_date=format_date)


def _document_html(pages: Sequence[str], title: str) -> str:
    return _render("certificates/pdf/base.html", pages=pages, title=title, font_faces=font_face_css())


def html_to_pdf(html: str, static_folder: str, target=None):
    """WeasyPrint with the confined fetcher and the process's font configuration (no app needed,
    so pool processes run it too)."""
    document = HTML(string=html, base_url=Path(static_folder).resolve().as_uri() + "/",
                    url_fetcher=StaticOnlyFetcher(static_folder))
    return document.write_pdf(target, font_config=font_configuration())


def _pool_render(job: tuple[str, str]) -> bytes:
    return html_to_pdf(*job)


def render_certificate(doc: CertificateDocument) -> bytes:
    """One certificate as a PDF (A4 landscape), its text extractable (name and number)."""
    return html_to_pdf(_document_html([_page_html(doc)], doc.number), current_app.static_folder)


def render_processes() -> int:
    """How many processes render a batch: ``CERTIFICATE_RENDER_PROCESSES``, else one per core (at most 4)."""
    configured = current_app.config.get("CERTIFICATE_RENDER_PROCESSES")
    return max(1, int(configured)) if configured else max(1, min(4, os.cpu_count() or 1))


def _rendered(jobs: Iterable[tuple[str, str]], processes: int) -> Iterator[bytes]:
    """PDF bytes of each (html, static folder) in order, from a pool of fresh ("spawn") processes when
    there are several cores: layout is pure Python, so only processes use the second core. Spawn, not
    fork: the web process and job threads hold locks a forked child would inherit held."""
    if processes <= 1:
        yield from map(_pool_render, jobs)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pending: deque = deque()
        for job in jobs:  # made here, in the caller's thread: the templates need its app context
            pending.append(pool.apply_async(_pool_render, (job,)))
            if len(pending) >= 2 * processes:  # a few ahead, no more: memory stays flat
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _chunks(docs: Sequence[CertificateDocument], size: int) -> Iterator[Sequence[CertificateDocument]]:
    for start in range(0, len(docs), size):
        yield docs[start:start + size]


def write_merged(docs: Sequence[CertificateDocument], path: Path, progress: Progress = None) -> int:
    """All certificates in one PDF at ``path``, one page each, in order; returns the page count.

    ``CHUNK`` certificates make one WeasyPrint document (one font subset per chunk, not per page).
    Each chunk goes to a file as soon as it is rendered and qpdf joins the files at the end, so
    this process never holds more than a few chunks however long the batch."""
    docs, static = list(docs), current_app.static_folder
    jobs = ((_document_html([_page_html(d) for d in chunk], "certificates"), static) for chunk in _chunks(docs, CHUNK))
    path = Path(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".chunks-") as folder:
        parts, done = [], 0
        for data, chunk in zip(_rendered(jobs, render_processes()), _chunks(docs, CHUNK), strict=True):
            parts.append(Path(folder) / f"{len(parts):05d}.pdf")
            parts[-1].write_bytes(data)
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        partial = path.with_suffix(".partial")
        subprocess.run(["qpdf", "--warning-exit-0", "--empty", "--pages", *map(str, parts), "--", str(partial)],
                       check=True, capture_output=True)
    partial.replace(path)
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
        for done, (doc, data) in enumerate(zip(docs, _rendered(jobs, render_processes()), strict=True), start=1):
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
