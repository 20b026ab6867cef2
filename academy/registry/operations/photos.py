"""Operations on the worker's photo: put one on the record (replacing any), take it off. Audited."""
from __future__ import annotations

from academy import audit
from academy.extensions import db
from academy.files import remove_after_commit
from academy.registry import photos
from academy.registry.models import Worker


def _drop_file_of(worker: Worker) -> None:
    """The photo file goes once the change commits (a rollback keeps both record and file)."""
    if worker.photo_name:
        remove_after_commit(photos.path_of(worker.photo_name))


def set_worker_photo(worker: Worker, by, data: bytes) -> None:
    """Check and re-encode the uploaded ``data`` and make it the photo on ``worker``'s record,
    replacing the one before. Raises ``RegistryError`` (nothing changed) when it is no acceptable photo."""
    jpeg = photos.prepared(data)
    _drop_file_of(worker)
    worker.photo_name = photos.store(jpeg)
    audit.record(by, "worker.photo", worker, summary=f"{worker.number} {worker.name}")
    db.session.flush()


def remove_worker_photo(worker: Worker, by) -> bool:
    """Take the photo off ``worker``'s record; False when there was none (nothing logged)."""
    if not worker.photo_name:
        return False
    _drop_file_of(worker)
    worker.photo_name = None
    audit.record(by, "worker.photo_remove", worker, summary=f"{worker.number} {worker.name}")
    db.session.flush()
    return True
