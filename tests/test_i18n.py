"""Both catalogues are complete: every message in the code has Chinese and English text."""
from __future__ import annotations

from babel.messages.pofile import read_po

from academy import i18n_tools


def _ids(catalogue) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}


def test_every_message_in_the_code_is_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    i18n_tools.extract(pot)
    with pot.open("rb") as handle:
        wanted = _ids(read_po(handle))
    assert len(wanted) > 50
    for locale in i18n_tools.LOCALES:
        with i18n_tools.catalogue_path(locale).open("rb") as handle:
            catalogue = read_po(handle)
        missing = wanted - _ids(catalogue)
        assert not missing, f"{locale} lacks {sorted(missing)[:10]} (run flask academy i18n)"
        untranslated = [m for m in i18n_tools.missing(locale) if m in wanted]
        assert not untranslated, f"{locale} has no text for {untranslated[:10]}"


def test_chinese_placeholders_match_the_english(tmp_path):
    import re

    with i18n_tools.catalogue_path("zh_CN").open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        if not message.id or not isinstance(message.id, str):
            continue
        assert sorted(re.findall(r"%\(\w+\)\w", message.id)) == sorted(re.findall(r"%\(\w+\)\w", message.string)), message.id
