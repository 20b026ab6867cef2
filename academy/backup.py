"""Backup and restore: every table of the schema plus the files folder, in one archive.

The archive is a tar.gz holding ``manifest.json`` (schema revision, tables and row counts),
one JSON-lines file per table and the files under ``FILES_DIR``. Rows are written as plain JSON
with typed values (dates as ISO text with their offset, decimals as text keeping their scale, bytes
as base64) and each JSON column as the text it holds (format 2; so SQL NULL stays NULL and the JSON
``null`` stays ``null``), so a backup of SQLite restores into PostgreSQL and back. Restoring needs an empty database at the same migration revision (the
caller runs ``flask db upgrade`` first); it refuses a non-empty one rather than mixing data.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import enum
import io
import json
import logging
import tarfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from academy.errors import DomainError
from academy.extensions import db

log = logging.getLogger(__name__)
FORMAT_VERSION = 2
READABLE_FORMATS = (1, 2)
BATCH = 2000


class BackupError(DomainError):
    """The archive cannot be restored here; the message says why."""


def _encode(value):
    """A column value as plain JSON, typed values tagged so that they come back as the same type."""
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}  # keeps microseconds and the offset (UTC columns are aware)
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        # days, seconds and microseconds, not total_seconds(): a float would lose microseconds.
        return {"$td": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}  # str() keeps the scale ("1.50"), NaN and Infinity
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (key, raw), = value.items()
        if key == "$dt":
            return dt.datetime.fromisoformat(raw)
        if key == "$d":
            return dt.date.fromisoformat(raw)
        if key == "$t":
            return dt.time.fromisoformat(raw)
        if key == "$td":
            return dt.timedelta(*raw) if isinstance(raw, list) else dt.timedelta(seconds=raw)
        if key == "$dec":
            return decimal.Decimal(raw)
        if key == "$b":
            return base64.b64decode(raw)
    return value


def _json_columns(table: sa.Table) -> list[sa.Column]:
    return [column for column in table.columns if isinstance(column.type, sa.JSON)]


def _revision() -> str | None:
    try:
        return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return None


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _dump_table(table: sa.Table) -> tuple[bytes, int]:
    json_names = {column.name for column in _json_columns(table)}
    # A JSON column is read as the text it holds: read as a value, SQL NULL and the JSON text
    # 'null' both come back as None and would be restored alike (a grid without a boundary would
    # gain one). Its text, written back as it is, also keeps key order and number spelling.
    columns = [sa.cast(column, sa.Text).label(column.name) if column.name in json_names else column
               for column in table.columns]
    query = sa.select(*columns).order_by(*table.primary_key.columns)
    lines, count = [], 0
    for row in db.session.execute(query.execution_options(yield_per=BATCH)).mappings():
        line = {key: value if key in json_names else _encode(value) for key, value in row.items()}
        lines.append(json.dumps(line, ensure_ascii=False))
        count += 1
    return ("\n".join(lines) + ("\n" if lines else "")).encode(), count


def create_backup(target: Path) -> dict:
    """Write the database and the files into ``target`` (a .tar.gz); returns the manifest."""
    manifest = {"format": FORMAT_VERSION, "revision": _revision(), "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "dialect": db.engine.dialect.name, "tables": {}}
    files_dir = Path(current_app.config["FILES_DIR"])
    with tarfile.open(target, "w:gz") as archive:
        for table in db.metadata.sorted_tables:
            data, count = _dump_table(table)
            manifest["tables"][table.name] = count
            _add_bytes(archive, f"tables/{table.name}.jsonl", data)
        if files_dir.is_dir():
            archive.add(files_dir, arcname="files")
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    log.info("backup written to %s: %d tables", target, len(manifest["tables"]))
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError, TypeError) as error:
        raise BackupError("not a Grid Academy backup (no readable manifest)") from error
    if manifest.get("format") not in READABLE_FORMATS:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest.get("revision") != _revision():
        raise BackupError(f"the backup is of schema revision {manifest.get('revision')}, this database is at "
                          f"{_revision()}: upgrade or check out the matching release first")
    return manifest


def _ensure_empty() -> None:
    for table in db.metadata.sorted_tables:
        if db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows); restore needs an empty one")


def _enum_members(table: sa.Table) -> dict[str, dict]:
    """For each enum column, the member of every value and name it may have been written as."""
    lookups = {}
    for column in table.columns:
        enum_class = getattr(column.type, "enum_class", None)
        if enum_class is not None:
            lookups[column.name] = {**{m.name: m for m in enum_class}, **{m.value: m for m in enum_class}}
    return lookups


RAW = "__stored_text"  # the bind name of a JSON column's text (a column's own name is reserved in VALUES)


def _insert_statement(table: sa.Table) -> sa.Insert:
    """An INSERT that writes each JSON column's stored text as it is, not re-encoded (None: SQL NULL)."""
    values = {}
    for column in _json_columns(table):
        text = sa.bindparam(column.name + RAW, type_=sa.Text)
        # PostgreSQL's json needs the cast from text; SQLite keeps JSON as text, and a CAST there
        # would apply NUMERIC affinity to it.
        values[column.name] = text if db.engine.dialect.name == "sqlite" else sa.cast(text, column.type)
    return table.insert().values(values) if values else table.insert()


def _row(line: bytes, table: sa.Table, enums: dict, version: int) -> dict:
    """One archived row as insert parameters."""
    row = {key: _decode(value) for key, value in json.loads(line).items()}
    for name, lookup in enums.items():
        if row.get(name) is not None:
            row[name] = lookup[row[name]]
    for column in _json_columns(table):
        value = row.pop(column.name, None)
        if version == 1 and value is not None:
            value = json.dumps(value)  # format 1 kept values, not text; its None can only be SQL NULL
        row[column.name + RAW] = value
    return row


def _restore_table(archive: tarfile.TarFile, table: sa.Table, version: int) -> int:
    member = archive.extractfile(f"tables/{table.name}.jsonl")
    enums, statement = _enum_members(table), _insert_statement(table)
    batch, count = [], 0
    try:
        for line in member:
            if line.strip():
                batch.append(_row(line, table, enums, version))
            if len(batch) >= BATCH:
                db.session.execute(statement, batch)
                count, batch = count + len(batch), []
        if batch:
            db.session.execute(statement, batch)
            count += len(batch)
    except (sa.exc.StatementError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"table {table.name}: a row cannot be restored ({type(error).__name__}: "
                          f"{str(error).splitlines()[0][:300]})") from error
    return count


def _reset_sequences() -> None:
    """PostgreSQL: move each serial sequence past the restored ids, so the next insert cannot collide."""
    if db.engine.dialect.name != "postgresql":
        return
    quote = db.engine.dialect.identifier_preparer.quote
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(column.type, sa.Integer)):
                # pg_get_serial_sequence answers NULL for a column without one, and setval(NULL) does nothing.
                db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE((SELECT MAX({quote(column.name)}) FROM {quote(table.name)}), 0) + 1, false)"),
                    {"table": quote(table.name), "column": column.name})


def _file_members(archive: tarfile.TarFile):
    """The archive's files, renamed relative to the files folder."""
    for member in archive.getmembers():
        if member.name.startswith("files/"):
            member.name = member.name[len("files/"):]
            yield member


def restore_backup(source: Path) -> dict:
    """Load an archive into this empty database and files folder. Flushes; the caller commits."""
    with tarfile.open(source, "r:gz") as archive:
        manifest = _read_manifest(archive)
        _ensure_empty()
        for table in db.metadata.sorted_tables:
            if table.name in manifest["tables"]:
                restored = _restore_table(archive, table, manifest["format"])
                if restored != manifest["tables"][table.name]:
                    raise BackupError(f"table {table.name}: {restored} rows read, the manifest says {manifest['tables'][table.name]}")
        _reset_sequences()
        files_dir = Path(current_app.config["FILES_DIR"])
        files_dir.mkdir(parents=True, exist_ok=True)
        # The "data" filter refuses absolute paths, .. and links out of the folder (tar path tricks).
        archive.extractall(files_dir, members=_file_members(archive), filter="data")
    db.session.flush()
    return manifest
