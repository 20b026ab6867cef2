"""Activation letters as PDFs: one A4 page per worker, in chunks, merged and split into a .zip.

The plumbing (confined fetcher, fonts, QR codes, the process pool, qpdf) is ``academy.pdf``, as
the certificates use it. ``CHUNK`` letters make one WeasyPrint document (one font subset per
chunk); each chunk goes to a file at once, qpdf joins the chunks into the merged PDF and splits
each chunk into single pages for the .zip, so memory stays flat whatever the batch.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, pgettext

from academy.pdf import chunks, font_face_css, join_pdfs, qr_data_url, render_processes, render_template_only, rendered

CHUNK = 50


@dataclass(frozen=True)
class LetterDocument:
    name: str
    number: str  # worker number, also the default username
    area_name: str
    code: str  # in clear: only on paper, never stored
    url: str  # the activation page with the code, what the QR code holds
    page_url: str  # the activation page without the code, to type in
    expires: str  # local date and time, "2026-05-01 14:03"
    academy_name: str
    language: str = "zh_CN"


def _page_html(doc: LetterDocument) -> str:
    with force_locale(doc.language if doc.language in ("zh_CN", "en") else "zh_CN"):
        return render_template_only("activation/pdf/letter.html", doc=doc, qr=qr_data_url(doc.url), name_label=pgettext("person", "Name"),
                                    spaced=" ".join(doc.code[i:i + 5] for i in range(0, len(doc.code), 5)))


def _document_html(docs: Sequence[LetterDocument]) -> str:
    return render_template_only("activation/pdf/base.html", pages=[_page_html(d) for d in docs],
                                font_faces=font_face_css())


def render_letter(doc: LetterDocument) -> bytes:
    """One letter as PDF bytes (the tests and a single reprint)."""
    return rendered([(_document_html([doc]), current_app.static_folder)], 1).__next__()


def file_name(doc: LetterDocument) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", doc.number)[:40] + ".pdf"


def write_letters(docs: Sequence[LetterDocument], merged: Path, archive: Path,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """The merged PDF at ``merged`` and a .zip of single letters at ``archive``; returns the count."""
    docs, static = list(docs), current_app.static_folder
    jobs = ((_document_html(chunk), static) for chunk in chunks(docs, CHUNK))
    partial_zip = Path(archive).with_name(Path(archive).name + ".partial")  # not letters.partial: the merged PDF's
    with tempfile.TemporaryDirectory(dir=Path(merged).parent, prefix=".letters-") as folder, \
            zipfile.ZipFile(partial_zip, "w", compression=zipfile.ZIP_STORED) as bundle:
        parts, done = [], 0
        for data, chunk in zip(rendered(jobs, render_processes()), chunks(docs, CHUNK), strict=True):
            parts.append(Path(folder) / f"{len(parts):05d}.pdf")
            parts[-1].write_bytes(data)
            _add_singles(parts[-1], chunk, bundle, Path(folder))
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        join_pdfs(parts, Path(merged))
    partial_zip.replace(archive)
    return len(docs)


def _add_singles(chunk_pdf: Path, chunk: Sequence[LetterDocument], bundle: zipfile.ZipFile, folder: Path) -> None:
    """Split a chunk into one PDF per letter (qpdf, page for page) and add them to the .zip."""
    pattern = folder / "single-%d.pdf"
    subprocess.run(["qpdf", "--warning-exit-0", str(chunk_pdf), "--split-pages", str(pattern)],
                   check=True, capture_output=True)
    singles = sorted(folder.glob("single-*.pdf"))
    for doc, single in zip(chunk, singles, strict=True):
        bundle.write(single, file_name(doc))
        single.unlink()
