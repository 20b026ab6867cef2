"""Files follow the transaction that records them, savepoints included: a released savepoint has
committed nothing yet, so a file written in it goes when the request rolls back, and a file doomed in
it stays until the real commit."""
from __future__ import annotations

from academy.extensions import db
from academy.files import remove_after_commit, write_file


def test_a_file_written_in_a_released_savepoint_goes_with_a_rollback(app, tmp_path):
    path = tmp_path / "photo.jpg"
    with db.session.begin_nested():  # as filing a case with its photos does
        write_file(path, b"\xff\xd8\xff")
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_a_file_doomed_in_a_released_savepoint_waits_for_the_commit(app, tmp_path):
    kept, gone = tmp_path / "kept.pdf", tmp_path / "gone.pdf"
    for path in (kept, gone):
        path.write_bytes(b"%PDF")
    with db.session.begin_nested():
        remove_after_commit(kept)
    assert kept.exists()  # nothing is committed yet
    db.session.rollback()
    assert kept.exists()  # the record stays, so does its file
    with db.session.begin_nested():
        remove_after_commit(gone)
    db.session.commit()
    assert not gone.exists()
