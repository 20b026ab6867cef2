"""What a certificate PDF shows: the facts, already chosen and translated, with no database behind them.

The certificates' operations build a ``CertificateDocument`` from a certificate row; ``pdf`` turns
documents into PDFs. Keeping the two apart lets the renderer (and its benchmark) run without a
database, and lets the rules change without touching the templates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertificateDocument:
    number: str  # e.g. "SG-2026-320102-000123"
    holder_name: str  # the worker's full name (the PDF is the holder's own document)
    holder_number: str  # the worker's registry number, e.g. "W00000042"
    type_code: str  # the certificate type's code, e.g. "ONDUTY"
    type_name: str  # in the document's language
    issued_on: date
    valid_until: date | None  # None: does not expire
    branch_name: str  # the issuing branch academy, in the document's language
    academy_name: str  # e.g. "南京市网格学院"
    verify_url: str  # absolute URL of the public verification page; the QR code encodes it
    language: str = "zh_CN"  # "zh_CN" or "en"
    template: str = "default"  # templates/certificates/<template>.html
    evidence: tuple[str, ...] = ()  # short lines: "Course 上岗培训", "Exam 82.5 %", "48 h" (titles, never codes)
    photo: str = ""  # the holder's photo on his record as a JPEG ``data:`` URL; "" prints an empty frame
