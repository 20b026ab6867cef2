"""PDFs with WeasyPrint, shared by every package that prints (certificates, activation letters).

- WeasyPrint fetches only what ``StaticOnlyFetcher`` allows: the app's own static files, the PDF
  fonts, ``data:`` URLs and ``cid:`` names of the attachments handed to ``html_to_pdf`` (a page's
  photo and QR code, kept out of the HTML: parsing a 60 kB attribute cost more than its layout).
  A name or a template that points at ``/etc/passwd`` or ``http://...`` gets nothing.
- Fonts: the GB2312 face of ``academy.fonts`` (fast subsetting), the full Noto Serif CJK SC behind
  it for rare characters, both through ``@font-face`` with one ``FontConfiguration`` for the
  process, so faces are loaded once, not per document.
- Batches render in a pool of fresh processes (``rendered``), a few documents ahead at most, and
  their parts are joined by qpdf (``join_pdfs``, which can lay a shared overlay over chosen pages:
  drawn once per batch instead of once per page), so memory stays flat however long the batch.
"""
from __future__ import annotations

import base64
import io
import multiprocessing
import os
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
from flask import current_app
from PIL import Image
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from academy import fonts

Attachments = dict[str, str]  # a ``cid:`` name -> its image as a base64 ``data:`` URL
_font_config: FontConfiguration | None = None
_font_lock = threading.Lock()


class StaticOnlyFetcher(URLFetcher):
    """Fetch ``data:`` URLs, the ``cid:`` attachments, files under the static folder and the PDF fonts;
    nothing else."""

    def __init__(self, static_folder: str, attachments: Attachments | None = None) -> None:
        super().__init__(allowed_protocols={"file", "data", "cid"})
        self.static_root = Path(static_folder).resolve()
        self.font_files = fonts.allowed_font_files()
        self.attachments = attachments or {}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return _data_response(url)
        if parts.scheme == "cid":
            if parts.path not in self.attachments:
                raise ValueError(f"refused: {url[:80]}")
            return _data_response(self.attachments[parts.path])
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
    matrix = qr_matrix(text)
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    buffer = io.BytesIO()
    # Grey, not 1-bit: WeasyPrint turned a 1-bit image into RGB and encoded it twice more per page.
    image.resize((size * 8, size * 8), Image.NEAREST).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_matrix(text: str, version: int | None = None) -> list[list[bool]]:
    """The QR code of ``text`` as rows of modules (True: dark), with a quiet zone of two modules;
    ``version`` (the size) when the caller knows it fits, which spares qrcode's search for it."""
    code = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=0)
    code.add_data(text)
    code.make(fit=version is None)
    return code.get_matrix()


def font_face_css() -> str:
    """@font-face rules: the fast GB2312 face when it has been made, the full Noto face behind it."""
    rules = [f'@font-face {{ font-family: "CertificateFallback"; src: local("{fonts.FALLBACK_FACE}"); }}']
    if (face := fonts.face_path()) is not None:
        rules.insert(0, f'@font-face {{ font-family: "CertificateFace"; src: url("{face.as_uri()}"); }}')
    return "\n".join(rules)


def render_template_only(template: str, **values) -> str:
    """A PDF template rendered with the app's Jinja environment (gettext included) but without the
    page context processors: they read the request's user, and batches render in a background job."""
    return current_app.jinja_env.get_template(template).render(**values)


def html_to_pdf(html: str, static_folder: str, target=None, attachments: Attachments | None = None):
    """WeasyPrint with the confined fetcher and the process's font configuration (no app needed,
    so pool processes run it too); ``attachments`` are what the HTML's ``cid:`` URLs name."""
    document = HTML(string=html, base_url=Path(static_folder).resolve().as_uri() + "/",
                    url_fetcher=StaticOnlyFetcher(static_folder, attachments))
    return document.write_pdf(target, font_config=font_configuration())


def _pool_render(job: tuple) -> bytes:
    html, static_folder, *attachments = job
    return html_to_pdf(html, static_folder, None, *attachments)


def render_processes() -> int:
    """How many processes render a batch: ``CERTIFICATE_RENDER_PROCESSES``, else one per core (at most 4)."""
    configured = current_app.config.get("CERTIFICATE_RENDER_PROCESSES")
    return max(1, int(configured)) if configured else max(1, min(4, os.cpu_count() or 1))


def rendered(jobs: Iterable[tuple], processes: int) -> Iterator[bytes]:
    """PDF bytes of each (html, static folder[, attachments]) in order (``pooled``)."""
    yield from pooled(_pool_render, jobs, processes)


def pooled(function: Callable, jobs: Iterable, processes: int) -> Iterator:
    """``function(job)`` of each job in order, from a pool of fresh ("spawn") processes when there are
    several cores: layout is pure Python, so only processes use the second core. Spawn, not fork:
    the web process and job threads hold locks a forked child would inherit held. ``function`` is a
    module-level function (the pool imports it by name)."""
    if processes <= 1:
        yield from map(function, jobs)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        pending: deque = deque()
        for job in jobs:  # made here, in the caller's thread: the templates need its app context
            pending.append(pool.apply_async(function, (job,)))
            if len(pending) >= 2 * processes:  # a few ahead, no more: memory stays flat
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    """``items`` in slices of ``size``, in order."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def join_pdfs(parts: Sequence[Path], target: Path, overlay: tuple[Path, Sequence[int]] | None = None) -> None:
    """Join PDF files into ``target`` with qpdf, written under a temporary name and renamed.

    ``overlay`` (a PDF, and for each page of the result the number of the overlay's page drawn over
    it): qpdf makes each overlay page one form object, shared by every page it is drawn over."""
    partial = Path(target).with_suffix(".partial")
    command = ["qpdf", "--warning-exit-0", "--empty", "--pages", *map(str, parts), "--"]
    if overlay is not None:
        source, pages = overlay
        command += ["--overlay", str(source), f"--to=1-{len(pages)}", f"--from={','.join(map(str, pages))}", "--"]
    subprocess.run([*command, str(partial)], check=True, capture_output=True)
    partial.replace(target)


def split_pdf(source: Path, folder: Path) -> list[Path]:
    """``source``'s pages as single PDFs in ``folder``, in order (qpdf keeps what each page uses)."""
    subprocess.run(["qpdf", "--warning-exit-0", str(source), "--split-pages", str(folder / "page-%d.pdf")],
                   check=True, capture_output=True)
    return sorted(folder.glob("page-*.pdf"), key=lambda page: int(page.stem.removeprefix("page-")))
