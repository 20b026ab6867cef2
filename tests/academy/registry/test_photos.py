"""The worker's photo on his record: uploaded by HR who may edit him or by the worker himself,
checked by content and size, re-encoded (no metadata, bounded size), shown and served only to those
who may see the worker, removable, audited; bad files refused with nothing changed."""
from __future__ import annotations

import io
import zlib

import sqlalchemy as sa
from PIL import Image

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from academy.registry import photos
from academy.registry.models import Worker
from tests.fixtures.registry import photo_bytes
from tests.support import log_in, post_form

ONLY_PHOTOS = "只接受 JPEG、PNG 或 WebP 格式的照片。"  # the pages are in Chinese, the city's language
GPS_EXIF = Image.Exif()
GPS_EXIF[0x010F] = "PhoneMaker"  # camera make
GPS_EXIF[0x8825] = {1: "N", 2: (32.0, 3.0, 0.0)}  # a GPS block: where the photo was taken


def upload(client, worker: Worker, data: bytes, name: str = "me.jpg"):
    return post_form(client, f"/registry/workers/{worker.id}/photo", {"photo": (io.BytesIO(data), name)},
                     token_from=f"/registry/workers/{worker.id}", content_type="multipart/form-data")


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def stored_files() -> list:
    return sorted(p.name for p in photos.photo_dir().iterdir() if not p.name.startswith("."))


def actions(worker: Worker) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "Worker", AuditEntry.object_id == str(worker.id),
        AuditEntry.action.like("worker.photo%")).order_by(AuditEntry.id)))


def test_hr_uploads_a_photo_that_is_reencoded_shown_and_served_to_those_who_see_the_worker(
        client, app, make_user, make_worker):
    make_user("hr1", Role.HR, area="320102")
    make_user("hr-other", Role.HR, area="320104")
    holder = make_user("trainee1", Role.TRAINEE)
    worker = make_worker("320102", name="王芳", user=holder)
    log_in(client, "hr1")
    big = photo_bytes((2400, 3200), "PNG")
    assert upload(client, worker, big, "portrait.png").status_code == 302
    db.session.expire_all()
    assert worker.photo_name and worker.photo_name.endswith(".jpg")
    page = client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    assert f"/registry/workers/{worker.id}/photo" in page and "照片已保存。" in page
    served = client.get(f"/registry/workers/{worker.id}/photo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "JPEG" and max(image.size) == photos.MAX_SIDE and image.size[0] < image.size[1]
    assert actions(worker) == ["worker.photo"]
    holder_client, other = app.test_client(), app.test_client()
    log_in(holder_client, "trainee1")
    assert holder_client.get(f"/registry/workers/{worker.id}/photo").status_code == 200
    log_in(other, "hr-other")
    assert other.get(f"/registry/workers/{worker.id}/photo").status_code == 403
    assert upload(other, worker, photo_bytes()).status_code == 403


def test_the_worker_puts_his_own_photo_on_his_record_and_takes_it_off(client, make_user, make_worker):
    holder = make_user("trainee1", Role.TRAINEE)
    worker = make_worker("320102", user=holder)
    neighbour = make_worker("320102", user=make_user("trainee2", Role.TRAINEE))
    log_in(client, "trainee1")
    assert client.get("/registry/me").headers["Location"].endswith(f"/registry/workers/{worker.id}")
    assert "上传照片" in client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    assert upload(client, worker, photo_bytes(exif=GPS_EXIF)).status_code == 302
    db.session.expire_all()
    with Image.open(photos.path_of(worker.photo_name)) as image:
        assert not image.getexif()  # the camera and the place it was taken are not kept
    first = worker.photo_name
    assert upload(client, worker, photo_bytes(colour=(10, 10, 10))).status_code == 302  # replaced
    db.session.expire_all()
    assert worker.photo_name != first and photos.path_of(worker.photo_name).is_file()
    assert upload(client, neighbour, photo_bytes()).status_code == 403
    response = post_form(client, f"/registry/workers/{worker.id}/photo/remove", {},
                         token_from=f"/registry/workers/{worker.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert worker.photo_name is None
    assert client.get(f"/registry/workers/{worker.id}/photo").status_code == 404
    assert "暂无照片" in client.get(f"/registry/workers/{worker.id}").get_data(as_text=True)
    assert actions(worker) == ["worker.photo", "worker.photo", "worker.photo_remove"]


def test_bad_files_are_refused_with_a_message_and_nothing_changes(client, app, make_user, make_worker):
    make_user("hr1", Role.HR, area="320102")
    worker = make_worker("320102")
    log_in(client, "hr1")
    bomb = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", (30000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])) \
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 100)) + png_chunk(b"IEND", b"")  # 200 bytes claiming 30,000 x 30,000
    before = stored_files()
    app.config["REGISTRY_PHOTO_MAX_BYTES"] = 200_000
    try:
        cases = {
            b"MZ\x90\x00" + b"\x00" * 500: ONLY_PHOTOS,  # a program named .jpg
            b"<svg onload='alert(1)'/>": ONLY_PHOTOS,
            photo_bytes(kind="GIF"): ONLY_PHOTOS,
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64: "文件已损坏",
            bomb: "照片像素过多",
            b"\xff\xd8\xff\xe0" + b"\x00" * 300_000: "不能超过 0 MB",
        }
        for data, message in cases.items():
            response = upload(client, worker, data)
            assert response.status_code == 400 and message in response.get_data(as_text=True), message
        empty = post_form(client, f"/registry/workers/{worker.id}/photo", {},
                          token_from=f"/registry/workers/{worker.id}")
        assert empty.status_code == 400 and "请选择照片。" in empty.get_data(as_text=True)
    finally:
        app.config.pop("REGISTRY_PHOTO_MAX_BYTES")
    db.session.expire_all()
    assert worker.photo_name is None and stored_files() == before and actions(worker) == []


def test_removing_when_there_is_no_photo_changes_nothing(client, make_user, make_worker):
    make_user("hr1", Role.HR, area="320102")
    worker = make_worker("320102")
    log_in(client, "hr1")
    response = post_form(client, f"/registry/workers/{worker.id}/photo/remove", {},
                         token_from=f"/registry/workers/{worker.id}")
    assert response.status_code == 302 and actions(worker) == []
    assert client.post(f"/registry/workers/{worker.id}/photo/remove").status_code == 400  # no CSRF token
