"""Keeping the zh_CN and en catalogues complete: extract, update, fill English, list gaps.

English is the source language, so the en catalogue repeats each message id; Chinese is
written by hand. ``flask academy i18n`` runs this after code changes; a test fails while any
message lacks a translation.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from academy.config import BASE_DIR

TRANSLATIONS = BASE_DIR / "academy" / "translations"
LOCALES = ("zh_CN", "en")


def catalogue_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract(pot: Path) -> None:
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "extract", "-F", str(BASE_DIR / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_pgettext:1c,2",
                    "--no-location", "--sort-output", "-o", str(pot), str(BASE_DIR)], check=True, capture_output=True)


def update() -> dict[str, list[str]]:
    """Bring both catalogues up to the code; fill English; return the ids each still lacks."""
    pot = TRANSLATIONS / "messages.pot"
    extract(pot)
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "update", "--no-fuzzy-matching", "--ignore-obsolete", "-i", str(pot),
                    "-d", str(TRANSLATIONS)], check=True, capture_output=True)
    pot.unlink()
    fill_english()
    _rewrite("zh_CN")  # the same layout as translate() writes, so repeated runs change nothing
    return {locale: missing(locale) for locale in LOCALES}


def fill_english() -> None:
    path = catalogue_path("en")
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if message.id and not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            message.string = message.id if not isinstance(message.id, tuple) else tuple(message.id)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False)


def _rewrite(locale: str) -> None:
    path = catalogue_path(locale)
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0)


def missing(locale: str) -> list[str]:
    with catalogue_path(locale).open("rb") as handle:
        catalogue = read_po(handle)
    gaps = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def translate(locale: str, translations: dict[str, str]) -> int:
    """Write ``translations`` (message id -> text) into ``locale``'s catalogue; returns how many."""
    path = catalogue_path(locale)
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    count = 0
    for message in catalogue:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            text = translations[key]
            message.string = text if isinstance(message.id, str) else (text,) * len(message.id)
            message.flags.discard("fuzzy")
            count += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0)
    return count
