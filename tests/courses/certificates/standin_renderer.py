"""A plain stand-in for ``courses.certificates.pdf`` with the agreed API, for tests run before the
real renderer (written on another branch) is merged: real PDFs from WeasyPrint, one page per
certificate with the number, the name and the verification URL as text. Once ``pdf.py`` exists the
``pdf_renderer`` fixture uses it instead, so these tests then check the real one.
"""
from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path

PAGE = ('<section style="page-break-after: always; font-family: \'Noto Sans CJK SC\', sans-serif">'
        "<h1>{type_name}</h1><p>{holder_name} {holder_number}</p><p>{number}</p><p>{verify_url}</p></section>")


def _html(docs) -> str:
    pages = "".join(PAGE.format(**{k: escape(str(getattr(d, k))) for k in
                                   ("type_name", "holder_name", "holder_number", "number", "verify_url")}) for d in docs)
    return f"<html><body>{pages}</body></html>"


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_certificate(doc) -> bytes:
    return _pdf(_html([doc]))


def write_merged(docs, path, progress=None) -> None:
    Path(path).write_bytes(_pdf(_html(docs)))
    if progress:
        progress(len(docs), len(docs))


def write_zip(docs, path, progress=None) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for n, doc in enumerate(docs, 1):
            archive.writestr(f"{doc.number}.pdf", render_certificate(doc))
            if progress:
                progress(n, len(docs))


def roster_pdf(rows, path) -> None:
    body = "".join(f"<tr><td>{escape(r['number'])}</td><td>{escape(r['holder_name'])}</td></tr>" for r in rows)
    Path(path).write_bytes(_pdf(f"<table>{body}</table>"))


def roster_xlsx(rows, path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["number", "holder", "type"])
    for row in rows:
        sheet.append([row["number"], row["holder_name"], row["type_name"]])
    buffer = io.BytesIO()
    book.save(buffer)
    Path(path).write_bytes(buffer.getvalue())
