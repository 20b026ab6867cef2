"""A backup restored into an empty instance gives back every record and every file."""
from __future__ import annotations

import tarfile

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from academy import create_app
from academy.backup import BackupError, create_backup, restore_backup
from academy.config import TestConfig
from academy.extensions import db
from tests.support import ensure_postgres_database, postgres_url, sibling_database

pytestmark = pytest.mark.own_database


def _empty_instance(tmp_path, name: str):
    url = postgres_url()
    if url:
        url = sibling_database(url, f"_{name}")
        ensure_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path / name}.db"
    app = create_app(TestConfig(url, tmp_path / name))
    with app.app_context():
        upgrade()
    return app


def _snapshot() -> dict:
    """Every row of every table of the schema, in primary-key order."""
    return {table.name: db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables}


def _files(folder) -> dict:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_backup_and_restore_round_trip(tmp_path):
    source = _empty_instance(tmp_path, "source")
    with source.app_context():
        assert source.test_cli_runner().invoke(args=["academy", "demo"]).exit_code == 0
        files = tmp_path / "source" / "files"
        for name, data in {"uploads/photo.jpg": b"\xff\xd8 a photo", "cases/ab/c.png": b"\x89PNG",
                           "jobs/1/result.csv": "网格,问题\n".encode(), "lessons/empty.pdf": b""}.items():
            (files / name).parent.mkdir(parents=True, exist_ok=True)
            (files / name).write_bytes(data)
        before, files_before = _snapshot(), _files(files)
        assert sum(1 for rows in before.values() if rows) >= 20, "the demo city fills most tables"
        manifest = create_backup(tmp_path / "backup.tar.gz")
        assert manifest["tables"]["users"] == 7
        assert manifest["tables"] == {name: len(rows) for name, rows in before.items()}
        db.session.remove()
        db.engine.dispose()
    target = _empty_instance(tmp_path, "target")
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["academy", "restore", str(tmp_path / "backup.tar.gz")])
        assert result.exit_code == 0, result.output
        after = _snapshot()
        assert [name for name in before if after[name] != before[name]] == [], "tables restored differently"
        assert _files(tmp_path / "target" / "files") == files_before
        # New rows after a restore take fresh ids (PostgreSQL sequences moved past the restored ones).
        created = target.test_cli_runner().invoke(args=["academy", "create-user", "after"], input="Fresh-Start-2026\nFresh-Start-2026\n")
        assert created.exit_code == 0, created.output
        second = target.test_cli_runner().invoke(args=["academy", "restore", str(tmp_path / "backup.tar.gz")])
        assert second.exit_code != 0 and "not empty" in second.output
        db.session.remove()
        db.engine.dispose()


def test_archives_with_path_tricks_or_no_manifest_are_refused(tmp_path):
    app = _empty_instance(tmp_path, "victim")
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
            import io
            out.addfile(trick, io.BytesIO(b"evil"))
        with pytest.raises(tarfile.TarError):
            restore_backup(evil)
        db.session.rollback()
        assert not (tmp_path / "escaped.txt").exists()
        db.session.remove()
        db.engine.dispose()
