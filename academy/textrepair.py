"""Repair of text stored before the text guard existed: ``flask academy repair-text [--dry-run]``.

Before ``academy.web.textguard`` refused them, an exam autosave could store a lone surrogate
(``"\\ud800"``) or a control character in an attempt's answer (a JSON column keeps them as
``\\ud800`` / ``\\u0001`` escapes), and an import could store controls in free text on SQLite.
Such an answer stopped the attempt and grading pages. This walks every text and JSON column of
every table (so a column added later is covered without a change here), and replaces each lone
surrogate by U+FFFD and drops each control character other than tab, LF and CR
(``textguard.clean_value``). Enum columns are skipped (their values are fixed), and so are binary
ones (encrypted ID numbers, hashes). One audit entry records what was repaired.
"""
from __future__ import annotations

import logging
from collections import Counter

import sqlalchemy as sa

from academy import audit
from academy.extensions import db
from academy.web.textguard import clean_value

log = logging.getLogger(__name__)
BATCH = 1000


def text_columns(table: sa.Table) -> list[sa.Column]:
    """The columns of ``table`` that hold free text: strings, texts and JSON, not enums."""
    return [column for column in table.columns
            if isinstance(column.type, sa.String | sa.JSON) and not isinstance(column.type, sa.Enum)
            and not column.primary_key]


def _repair_table(table: sa.Table, columns: list[sa.Column], dry_run: bool, found: Counter) -> None:
    keys = list(table.primary_key.columns)
    query = sa.select(*keys, *columns).order_by(*keys)
    last = None
    while True:  # keyset pages, so a large table is never held in memory at once
        page = query if last is None else query.where(sa.tuple_(*keys) > sa.tuple_(*last))
        rows = db.session.execute(page.limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            changes = {}
            for column in columns:
                value = getattr(row, column.key)
                cleaned = clean_value(value)
                if cleaned != value:
                    changes[column.key] = cleaned
                    found[f"{table.name}.{column.name}"] += 1
            if changes and not dry_run:
                condition = sa.and_(*(key == getattr(row, key.key) for key in keys))
                db.session.execute(sa.update(table).where(condition).values(**changes))
        last = [getattr(rows[-1], key.key) for key in keys]


def repair_text(*, dry_run: bool = False) -> Counter:
    """Clean every stored text and JSON value that holds a lone surrogate or a control character;
    returns how many values were (or, with ``dry_run``, would be) changed, per ``table.column``.
    Flushes and audits; the caller commits."""
    found: Counter = Counter()
    for table in db.metadata.sorted_tables:
        columns = text_columns(table)
        if columns and table.primary_key.columns:
            _repair_table(table, columns, dry_run, found)
    if found and not dry_run:
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(found.items()))
        audit.record(None, "text.repair", None, summary=summary[:500])
        log.info("repaired stored text: %s", summary)
    db.session.flush()
    return found
