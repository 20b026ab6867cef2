"""A backup restored into an empty instance gives back every row, every column and every file, exactly.

Every table and column comes from the metadata, so a new table is compared without a change here.
JSON columns are compared by the text they hold (SQL NULL and the JSON ``null`` are different
answers to ``WHERE ... IS NULL``), every other value by its type and repr (a time zone, a
decimal's scale, a float's last digit). On the PostgreSQL run the backup also crosses backends.
"""
from __future__ import annotations

import datetime as dt
import io
import tarfile
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from academy import create_app
from academy.accounts.models import User
from academy.backup import BackupError, create_backup, restore_backup
from academy.config import TestConfig
from academy.extensions import db
from academy.files import write_file
from academy.jobs import Job
from academy.registry.models import Grid
from courses.certificates.documents import build_document
from courses.certificates.models import Certificate, CertificateType
from courses.certificates.pdf import render_certificate
from tests.support import ensure_postgres_database, postgres_url, sibling_database

pytestmark = pytest.mark.own_database

BACKEND = "postgresql" if postgres_url() else "sqlite"
# Same backend always; on the PostgreSQL run also SQLite -> PostgreSQL and back.
PAIRS = [(BACKEND, BACKEND)] + ([("sqlite", "postgresql"), ("postgresql", "sqlite")] if BACKEND == "postgresql" else [])
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TRICKY_JSON = {"$dt": "2026-01-01T00:00:00", "big": 2 ** 70, "negative": -(2 ** 63) - 1, "ratio": 0.1,
               "huge": 1e300, "名称": "网格：东城", "empty": "", "word": "null", "nothing": None, "list": [None, True]}


def _instance(tmp_path, name: str, backend: str):
    if backend == "postgresql":
        url = sibling_database(postgres_url(), f"_{name}")
        ensure_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path / name}.db"
    app = create_app(TestConfig(url, tmp_path / name))
    with app.app_context():
        upgrade()
    return app


def _close() -> None:
    db.session.remove()
    db.engine.dispose()


def _snapshot() -> dict:
    """Every row of every table, in primary-key order; JSON as stored text, other values as type and repr."""
    tables = {}
    for table in db.metadata.sorted_tables:
        columns = [sa.cast(c, sa.Text).label(c.name) if isinstance(c.type, sa.JSON) else c for c in table.columns]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
        tables[table.name] = [tuple((type(value).__name__, repr(value)) for value in row) for row in rows]
    return tables


def _files(folder) -> dict:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _grids_without_boundary() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Grid).where(Grid.boundary_geojson.is_(None)))


def _add_unusual_rows(app, files) -> None:
    """Rows a demo city does not have: JSON null beside SQL NULL, traps for the archive's markers,
    empty strings, Chinese, numbers past 64 bits, a +08:00 timestamp with microseconds."""
    admin = db.session.scalar(sa.select(User).filter_by(username="admin"))
    db.session.add_all([
        Job(kind="backup-test", params=TRICKY_JSON, message="导出完成：网格", result=sa.JSON.NULL, error="",
            created_by_id=admin.id, created_at=dt.datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=SHANGHAI)),
        Job(kind="backup-test", params={}, message="", result_name="结果.csv"),  # result left out: SQL NULL
    ])
    grids = db.session.scalars(sa.select(Grid).order_by(Grid.id).limit(2)).all()
    grids[0].boundary_geojson, grids[0].households, grids[0].responsible_unit = TRICKY_JSON, 2 ** 31 - 1, ""
    grids[1].boundary_geojson = sa.JSON.NULL  # the JSON text 'null', beside the demo's SQL NULLs
    kind = db.session.scalars(sa.select(CertificateType).order_by(CertificateType.id)).first()
    kind.min_hours, kind.min_score, kind.name_en = Decimal("99999.9"), 0.1 + 0.2, ""
    db.session.flush()
    stored = db.session.execute(sa.text("SELECT CAST(result AS TEXT) FROM jobs WHERE kind = 'backup-test' ORDER BY message")).scalars().all()
    assert stored == [None, "null"], "the rows hold both SQL NULL and the JSON null"
    boundaries = set(db.session.execute(sa.text("SELECT CAST(boundary_geojson AS TEXT) FROM grids")).scalars())
    assert {None, "null"} <= boundaries, "grids without a boundary: SQL NULL and the JSON null"
    with app.test_request_context():
        certificate = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).first()
        pdf = render_certificate(build_document(certificate, "http://academy.example/"))
    (files / "certificates").mkdir(parents=True, exist_ok=True)
    write_file(files / "certificates" / "demo.pdf", pdf)
    db.session.commit()


def _fill_source(app, files) -> None:
    assert app.test_cli_runner().invoke(args=["academy", "demo"]).exit_code == 0
    _add_unusual_rows(app, files)
    for name, data in {"uploads/photo.jpg": b"\xff\xd8 a photo", "cases/ab/c.png": b"\x89PNG",
                       "jobs/1/result.csv": "网格,问题\n".encode(), "lessons/empty.pdf": b""}.items():
        (files / name).parent.mkdir(parents=True, exist_ok=True)
        (files / name).write_bytes(data)


def _assert_fresh_ids_follow() -> None:
    """PostgreSQL: every table's sequence hands out an id above the restored ones."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = db.session.scalar(sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name})
            if sequence:
                highest = db.session.scalar(sa.select(sa.func.max(column))) or 0
                assert db.session.scalar(sa.text("SELECT nextval(:s)"), {"s": sequence}) > highest, table.name
    db.session.rollback()


@pytest.mark.parametrize(("source_backend", "target_backend"), PAIRS, ids=lambda b: b)
def test_backup_and_restore_give_back_every_row_and_file(tmp_path, source_backend, target_backend):
    source = _instance(tmp_path, "backup_source", source_backend)
    with source.app_context():
        _fill_source(source, tmp_path / "backup_source" / "files")
        before, files_before, bare = _snapshot(), _files(tmp_path / "backup_source" / "files"), _grids_without_boundary()
        assert sum(1 for rows in before.values() if rows) >= 20, "the demo city fills most tables"
        assert any(name.endswith(".pdf") and data.startswith(b"%PDF") for name, data in files_before.items())
        manifest = create_backup(tmp_path / "backup.tar.gz")
        assert manifest["tables"] == {name: len(rows) for name, rows in before.items()}
        _close()
    target = _instance(tmp_path, "backup_target", target_backend)
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["academy", "restore", str(tmp_path / "backup.tar.gz")])
        assert result.exit_code == 0, result.output
        after = _snapshot()
        for name in before:
            assert after[name] == before[name], f"table {name} restored differently"
        assert _grids_without_boundary() == bare
        assert _files(tmp_path / "backup_target" / "files") == files_before
        _assert_fresh_ids_follow()
        created = target.test_cli_runner().invoke(args=["academy", "create-user", "after"], input="Fresh-Start-2026\nFresh-Start-2026\n")
        assert created.exit_code == 0, created.output
        second = target.test_cli_runner().invoke(args=["academy", "restore", str(tmp_path / "backup.tar.gz")])
        assert second.exit_code != 0 and "not empty" in second.output
        _close()


def test_archives_with_path_tricks_or_no_manifest_are_refused(tmp_path):
    app = _instance(tmp_path, "victim", BACKEND)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(bad, "w:gz") as archive:
        archive.add(__file__, arcname="not-a-manifest.txt")
    with app.app_context():
        with pytest.raises(BackupError, match="manifest"):
            restore_backup(bad)
        create_backup(tmp_path / "good.tar.gz")
        evil = tmp_path / "evil.tar.gz"
        with tarfile.open(tmp_path / "good.tar.gz", "r:gz") as good, tarfile.open(evil, "w:gz") as out:
            for member in good.getmembers():
                out.addfile(member, good.extractfile(member) if member.isfile() else None)
            trick = tarfile.TarInfo("files/../../escaped.txt")
            trick.size = 4
            out.addfile(trick, io.BytesIO(b"evil"))
        with pytest.raises(tarfile.TarError):
            restore_backup(evil)
        db.session.rollback()
        assert not (tmp_path / "escaped.txt").exists()
        _close()
