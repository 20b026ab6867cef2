"""The registry import's "create log-ins for new workers" option: on the web page, in the
background job and in ``flask academy import-registry --create-logins``. Only the workers the
import created get a log-in, in the same transaction, and the result says how many."""
from __future__ import annotations

import io

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from academy.jobs import Job, JobStatus
from academy.permissions import Role
from academy.registry.exchange.importer import import_registry
from academy.registry.models import Worker
from academy.registry.operations import find_worker_by_id_number
from tests.academy.registry.workbooks import ID_A, ID_B, city_rows, xlsx
from tests.support import log_in, post_form


def _usernames() -> set[str]:
    return set(db.session.scalars(sa.select(User.username).join(Worker, Worker.user_id == User.id)))


def test_new_workers_get_a_log_in_and_the_result_counts_them(hr_user):
    result = import_registry("city.xlsx", xlsx(city_rows()), hr_user, create_logins=True)
    assert result.ok and result.accounts.created == 2
    assert "Log-ins for new workers: 2 log-ins created" in result.summary()
    for id_number in (ID_A, ID_B):
        worker = find_worker_by_id_number(id_number)
        user = db.session.get(User, worker.user_id)
        assert user.username == worker.number.lower() and user.password_hash.startswith("!")
        assert [grant.role for grant in user.grants] == [Role.TRAINEE]
    assert result.as_dict()["logins_created"] == 2


def test_workers_that_existed_before_the_import_get_no_log_in(hr_user):
    rows = city_rows()
    first = {sheet: rows[sheet] for sheet in ("areas", "grids")} | {"workers": rows["workers"][:1]}
    assert import_registry("first.xlsx", xlsx(first), hr_user).ok  # 王芳 arrives without a log-in
    result = import_registry("city.xlsx", xlsx(rows), hr_user, create_logins=True)
    assert result.ok and result.accounts.created == 1
    assert find_worker_by_id_number(ID_A).user_id is None
    assert find_worker_by_id_number(ID_B).user_id is not None
    again = import_registry("city.xlsx", xlsx(rows), hr_user, create_logins=True)
    assert again.accounts.created == 0 and len(_usernames()) == 1


def test_without_the_option_no_log_in_is_made(hr_user):
    result = import_registry("city.xlsx", xlsx(city_rows()), hr_user)
    assert result.ok and result.accounts is None and _usernames() == set()
    assert "Log-ins" not in result.summary()


def test_a_file_with_problems_makes_no_log_in(hr_user, count_rows):
    rows = city_rows()
    rows["workers"][1]["area_code"] = "999999"
    users = count_rows(User)
    result = import_registry("city.xlsx", xlsx(rows), hr_user, create_logins=True)
    assert not result.ok and result.accounts is None and count_rows(User) == users


def _post(client, data: bytes, **fields):
    return post_form(client, "/registry/import", {"file": (io.BytesIO(data), "city.xlsx"), **fields},
                     token_from="/registry/import", content_type="multipart/form-data")


def test_the_import_page_offers_the_option(client, make_user):
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    assert 'name="create_logins"' in client.get("/registry/import").get_data(as_text=True)
    response = _post(client, xlsx(city_rows()), create_logins="y")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已创建 2 个登录账号" in page and len(_usernames()) == 2  # the page speaks Chinese by default


def test_a_large_import_job_creates_the_log_ins(client, make_user, run_jobs, monkeypatch):
    from academy.registry.views import exchange  # the page's threshold, lowered so a small file is "large"

    monkeypatch.setattr(exchange, "LARGE_IMPORT_ROWS", 3)
    make_user("hr1", Role.HR)
    log_in(client, "hr1")
    response = _post(client, xlsx(city_rows()), create_logins="y")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    assert run_jobs() == 1
    db.session.expire_all()
    job = db.session.scalar(sa.select(Job).where(Job.kind == "registry.import"))
    assert job.status == JobStatus.DONE and job.result["logins_created"] == 2 and len(_usernames()) == 2


def test_the_cli_option(app, hr_user, tmp_path):
    path = tmp_path / "city.xlsx"
    path.write_bytes(xlsx(city_rows()))
    result = app.test_cli_runner().invoke(args=["academy", "import-registry", str(path), "--create-logins"])
    assert result.exit_code == 0, result.output
    assert "2 log-ins created" in result.output and len(_usernames()) == 2
