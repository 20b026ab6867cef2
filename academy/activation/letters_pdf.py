"""Activation letters as PDFs: one A4 page per worker, in chunks, merged and split into a .zip.

A letter is the printed form its batch shares (laid out once per language by WeasyPrint, through
``academy.pdf``'s confined fetcher and fonts) under the worker's own fields (``letter_pages``,
written straight into PDF: name, worker number, area, code, QR code). qpdf puts the form under
each chunk's pages (one form object shared by the chunk), joins the chunks into the merged PDF and
splits each chunk into single letters for the .zip; each chunk goes to a file at once, so memory
stays flat whatever the batch. A chunk holding a character the PDF face lacks (a rare name
character) has its fields laid out by WeasyPrint instead, with the full Noto face behind it.
"""
from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, pgettext

from academy import fonts
from academy.activation import letter_pages, truetype
from academy.pdf import (
    chunks,
    font_face_css,
    html_to_pdf,
    join_pdfs,
    pooled,
    qr_data_url,
    render_processes,
    render_template_only,
)

CHUNK = 100


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

    @property
    def form_key(self) -> tuple[str, str, str, str]:
        """What the printed form depends on: letters with the same key share one."""
        return (self.language if self.language in ("zh_CN", "en") else "zh_CN", self.page_url, self.expires,
                self.academy_name)


def _document(pages: list[str]) -> str:
    return render_template_only("activation/pdf/base.html", pages=pages, font_faces=font_face_css())


def _form_html(key: tuple[str, str, str, str]) -> str:
    language, page_url, expires, academy_name = key
    with force_locale(language):
        page = render_template_only("activation/pdf/letter.html", layout=letter_pages.LAYOUT, page_url=page_url,
                                    expires=expires, academy_name=academy_name, name_label=pgettext("person", "Name"))
    return _document([page])


def _fields_html(docs: Sequence[LetterDocument]) -> str:
    """The fields of ``docs`` laid out by WeasyPrint at ``LAYOUT``'s places (the rare-character path)."""
    layout, pages = letter_pages.LAYOUT, []
    for doc in docs:
        texts = letter_pages.field_texts(doc)
        parts = [f'<p class="at field{" code" if key == "code" else ""}" style="top: {layout.rows[row] - (0.3 if key == "code" else 0)}mm; '
                 f'left: {layout.code_box[0] + 3 if key == "code" else layout.value_x}mm">{_escape(texts[key])}</p>'
                 for key, (row, _size, _widest) in letter_pages.FIELDS.items()]
        left, top, side = layout.qr
        parts.append(f'<img class="qr" src="{qr_data_url(doc.url)}" alt="" '
                     f'style="left: {left}mm; top: {top}mm; width: {side}mm; height: {side}mm">')
        pages.append("".join(parts))
    return _document(pages)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Forms:
    """The printed forms of a batch, one PDF per key, rendered the first time a letter needs one."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.paths = folder, {}

    def path(self, key) -> str:
        if key not in self.paths:
            self.paths[key] = str(self.folder / f"form-{len(self.paths)}.pdf")
            Path(self.paths[key]).write_bytes(html_to_pdf(_form_html(key), current_app.static_folder))
        return self.paths[key]


def _underlay(fields: Path, docs: Sequence[LetterDocument], forms: dict, target: Path) -> None:
    """Each page of ``fields`` over its letter's form (qpdf: one form object per printed form, shared by
    the chunk). qpdf takes one underlay file, so a chunk of several forms (two languages, codes expiring
    at two minutes) has them joined into one file first, and each page names its form's page there."""
    keys = list(dict.fromkeys(doc.form_key for doc in docs))
    underlay = forms[keys[0]]
    if len(keys) > 1:
        underlay = str(fields.with_suffix(".forms.pdf"))
        join_pdfs([Path(forms[key]) for key in keys], Path(underlay))
    pages = ",".join(str(keys.index(doc.form_key) + 1) for doc in docs)
    subprocess.run(["qpdf", "--warning-exit-0", str(fields), "--underlay", underlay, f"--to=1-{len(docs)}",
                    f"--from={pages}", "--", str(target)], check=True, capture_output=True)
    fields.unlink()
    if len(keys) > 1:
        Path(underlay).unlink()


def _split(chunk_pdf: Path, count: int) -> list[str]:
    """The chunk's pages as single PDFs (qpdf, page for page) in a folder of the chunk's own."""
    folder = chunk_pdf.with_suffix("")
    folder.mkdir()
    subprocess.run(["qpdf", "--warning-exit-0", str(chunk_pdf), "--split-pages", str(folder / "single-%d.pdf")],
                   check=True, capture_output=True)
    singles = sorted(str(p) for p in folder.glob("single-*.pdf"))
    if len(singles) != count:
        raise RuntimeError(f"{chunk_pdf.name}: {len(singles)} pages for {count} letters")
    return singles


def _print_chunk(job: tuple) -> tuple[str, list[str]] | None:
    """In a pool process: a chunk's fields, under their forms, split into singles; None when the face
    lacks a character (the caller lays that chunk out with WeasyPrint)."""
    docs, forms, face_path, target = job
    fields = letter_pages.fields_pdf(docs, truetype.face(Path(face_path))) if face_path else None
    if fields is None:
        return None
    target = Path(target)
    target.with_suffix(".fields.pdf").write_bytes(fields)
    _underlay(target.with_suffix(".fields.pdf"), docs, forms, target)
    return str(target), _split(target, len(docs))


def _print_with_weasyprint(docs: Sequence[LetterDocument], forms: dict, target: Path) -> tuple[str, list[str]]:
    target.with_suffix(".fields.pdf").write_bytes(html_to_pdf(_fields_html(docs), current_app.static_folder))
    _underlay(target.with_suffix(".fields.pdf"), docs, forms, target)
    return str(target), _split(target, len(docs))


def _jobs(docs: Sequence[LetterDocument], forms: _Forms, folder: Path):
    face = fonts.face_path()
    for n, chunk in enumerate(chunks(docs, CHUNK)):
        paths = {doc.form_key: forms.path(doc.form_key) for doc in chunk}  # rendered here: they need the app
        yield list(chunk), paths, str(face) if face else None, str(folder / f"{n:05d}.pdf")


def _printed(docs: Sequence[LetterDocument], folder: Path, processes: int):
    """(chunk, chunk PDF, its singles) in order; memory stays flat (a few chunks ahead at most)."""
    jobs, pool_jobs = itertools.tee(_jobs(docs, _Forms(folder), folder))  # tee keeps the few the pool runs ahead
    for job, done in zip(jobs, pooled(_print_chunk, pool_jobs, processes), strict=True):
        chunk, paths, _face, target = job
        yield chunk, *(done or _print_with_weasyprint(chunk, paths, Path(target)))


def render_letter(doc: LetterDocument) -> bytes:
    """One letter as PDF bytes (the tests and a single reprint)."""
    with tempfile.TemporaryDirectory(prefix="letter-") as folder:
        [(_chunk, merged, _singles)] = _printed([doc], Path(folder), 1)
        return Path(merged).read_bytes()


def file_name(doc: LetterDocument) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", doc.number)[:40] + ".pdf"


def write_letters(docs: Sequence[LetterDocument], merged: Path, archive: Path,
                  progress: Callable[[int, int], None] | None = None) -> int:
    """The merged PDF at ``merged`` and a .zip of single letters at ``archive``; returns the count."""
    docs = list(docs)
    partial_zip = Path(archive).with_name(Path(archive).name + ".partial")  # not letters.partial: the merged PDF's
    with tempfile.TemporaryDirectory(dir=Path(merged).parent, prefix=".letters-") as folder, \
            zipfile.ZipFile(partial_zip, "w", compression=zipfile.ZIP_STORED) as bundle:
        parts, done = [], 0
        for chunk, chunk_pdf, singles in _printed(docs, Path(folder), render_processes()):
            parts.append(Path(chunk_pdf))
            for doc, single in zip(chunk, singles, strict=True):
                bundle.write(single, file_name(doc))
                Path(single).unlink()
            done += len(chunk)
            if progress:
                progress(done, len(docs))
        join_pdfs(parts, Path(merged))
    partial_zip.replace(archive)
    return len(docs)
