"""Backup and restore: every table of the schema plus the files folder, in one archive.

The archive is a tar.gz holding ``manifest.json`` (schema revision, tables and row counts),
one JSON-lines file per table and the files under ``FILES_DIR``. Rows are written as plain JSON
with typed values (dates as ISO text, decimals as text), so a backup of SQLite restores into
PostgreSQL and back. Restoring needs an empty database at the same migration revision (the
caller runs ``flask db upgrade`` first); it refuses a non-empty one rather than mixing data.
"""
from __future__ import annotations

import base64
import datetime as dt
import decimal
import io
import json
import logging
import tarfile
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from academy.extensions import db

log = logging.getLogger(__name__)
FORMAT_VERSION = 1
BATCH = 2000


class BackupError(ValueError):
    """The archive cannot be restored here; the message says why."""


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode()}
    if hasattr(value, "value") and not isinstance(value, (dict, list)):  # enums
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
            return dt.timedelta(seconds=raw)
        if key == "$dec":
            return decimal.Decimal(raw)
        if key == "$b":
            return base64.b64decode(raw)
    return value


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
    lines, count = [], 0
    query = sa.select(table).order_by(*table.primary_key.columns)
    for row in db.session.execute(query.execution_options(yield_per=BATCH)).mappings():
        lines.append(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False))
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
    if manifest.get("format") != FORMAT_VERSION:
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


def _restore_table(archive: tarfile.TarFile, table: sa.Table) -> int:
    member = archive.extractfile(f"tables/{table.name}.jsonl")
    enums = _enum_members(table)
    batch, count = [], 0
    for line in member:
        if line.strip():
            row = {k: _decode(v) for k, v in json.loads(line).items()}
            for name, lookup in enums.items():
                if row.get(name) is not None:
                    row[name] = lookup[row[name]]
            batch.append(row)
        if len(batch) >= BATCH:
            db.session.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(table.insert(), batch)
        count += len(batch)
    return count


def _reset_sequences() -> None:
    """PostgreSQL: move each serial sequence past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(column.type, sa.Integer)):
                db.session.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))


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
                restored = _restore_table(archive, table)
                if restored != manifest["tables"][table.name]:
                    raise BackupError(f"table {table.name}: {restored} rows read, the manifest says {manifest['tables'][table.name]}")
        _reset_sequences()
        files_dir = Path(current_app.config["FILES_DIR"])
        files_dir.mkdir(parents=True, exist_ok=True)
        # The "data" filter refuses absolute paths, .. and links out of the folder (tar path tricks).
        archive.extractall(files_dir, members=_file_members(archive), filter="data")
    db.session.flush()
    return manifest
