"""Worker log-ins: bulk creation by area and status, the CLI, phone log-in, and the account
following the worker's record (exit, return, suspension)."""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import change_password
from academy.audit import AuditEntry
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from academy.registry import operations as registry_operations
from academy.registry.models import Worker, WorkerStatus
from academy.registry.queries import workers_for_accounts
from tests.support import PASSWORD, log_in, post_form


def _workers(make_worker, n: int, area: str = "320102002001", **kw) -> list[Worker]:
    return [make_worker(area, **kw) for _ in range(n)]


def _activate(worker: Worker) -> User:
    """What activation (another part of issue 16) will do: give the log-in a password."""
    user = db.session.get(User, worker.user_id)
    change_password(user, PASSWORD, by=None)
    return user


def test_bulk_creation_by_area_and_status_counts_and_is_idempotent(hr_user, community, make_worker):
    on_duty = _workers(make_worker, 3)
    training = _workers(make_worker, 2, status=WorkerStatus.IN_TRAINING)
    elsewhere = make_worker("320104")
    counts = registry_operations.create_worker_accounts(
        workers_for_accounts("320102", WorkerStatus.ON_DUTY), hr_user)
    assert counts.created == 3 and not counts.skipped
    for worker in on_duty:
        user = db.session.get(User, worker.user_id)
        assert user.username == worker.number.lower() and user.display_name == worker.name
        assert [grant.role.value for grant in user.grants] == ["trainee"] and user.active
        assert user.password_hash.startswith("!")  # no usable password until activation
    assert all(w.user_id is None for w in [*training, elsewhere])
    again = registry_operations.create_worker_accounts([*on_duty, *training], hr_user)
    assert again.created == 2 and again.skipped == {"has_account": 3}
    assert "2 log-ins created" in again.summary() and "3 skipped (already has a log-in)" in again.summary()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "worker.account_link")) == 5


def test_dry_run_writes_nothing(hr_user, community, make_worker, count_rows):
    workers = _workers(make_worker, 4)
    users, entries = count_rows(User), count_rows(AuditEntry)
    counts = registry_operations.create_worker_accounts(workers, hr_user, dry_run=True)
    assert counts.created == 4 and counts.summary().startswith("Dry run, nothing written")
    assert (count_rows(User), count_rows(AuditEntry)) == (users, entries)
    assert all(worker.user_id is None for worker in workers)


def test_exited_workers_and_taken_usernames_are_skipped(hr_user, community, make_worker, make_user):
    exited, taken = make_worker("320102", status=WorkerStatus.EXITED), make_worker("320102")
    make_user(taken.number.lower())  # a staff account took the worker number as its username
    counts = registry_operations.create_worker_accounts([exited, taken], hr_user)
    assert counts.created == 0 and counts.skipped == {"exited": 1, "name_taken": 1}


def test_the_cli_creates_for_an_area_with_dry_run(app, community, make_worker):
    workers = _workers(make_worker, 2) + [make_worker("320102002001", status=WorkerStatus.SUSPENDED)]
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["academy", "accounts", "create-for-workers", "--area", "320102", "--dry-run"])
    assert dry.exit_code == 0 and "Dry run" in dry.output and "3 log-ins created" in dry.output
    assert all(worker.user_id is None for worker in workers)
    result = runner.invoke(args=["academy", "accounts", "create-for-workers", "--area", "320102",
                                 "--status", "on_duty"])
    assert result.exit_code == 0 and "2 log-ins created" in result.output
    assert [w.user_id is not None for w in workers] == [True, True, False]
    bad = runner.invoke(args=["academy", "accounts", "create-for-workers", "--area", "999999"])
    assert bad.exit_code != 0 and "No area" in bad.output
    wrong_status = runner.invoke(args=["academy", "accounts", "create-for-workers", "--area", "3201",
                                       "--status", "sleeping"])
    assert wrong_status.exit_code != 0


def test_a_worker_signs_in_with_his_phone(client, hr_user, community, make_worker):
    worker = make_worker("320102002001")
    registry_operations.create_worker_accounts([worker], hr_user)
    _activate(worker)
    assert log_in(client, worker.phone).headers["Location"] == "/"
    assert client.get("/registry/me").headers["Location"].endswith(f"/registry/workers/{worker.id}")


def test_an_account_awaiting_activation_cannot_sign_in(client, hr_user, community, make_worker):
    worker = make_worker("320102002001")
    registry_operations.create_worker_accounts([worker], hr_user)
    response = post_form(client, "/login", {"username": worker.number, "password": "!"})
    assert response.status_code == 401


def test_a_shared_phone_or_a_phone_equal_to_a_username_is_refused(client, hr_user, community, make_worker, make_user):
    first, second = make_worker("320102002001"), make_worker("320102002001")
    second.phone = first.phone
    registry_operations.create_worker_accounts([first, second], hr_user)
    _activate(first), _activate(second)
    response = post_form(client, "/login", {"username": first.phone, "password": PASSWORD})
    assert response.status_code == 401
    third = make_worker("320102002001")
    registry_operations.create_worker_accounts([third], hr_user)
    _activate(third)
    make_user(third.phone)  # someone's username is this worker's phone: neither is guessed
    assert post_form(client, "/login", {"username": third.phone, "password": PASSWORD}).status_code == 401


def test_the_throttle_counts_the_phone_and_the_account_together(client, hr_user, community, make_worker):
    worker = make_worker("320102002001")
    registry_operations.create_worker_accounts([worker], hr_user)
    _activate(worker)
    for name in (worker.phone, worker.number) * 3:  # six failures on one account, by two names
        post_form(client, "/login", {"username": name, "password": "wrong-password-9"})
    assert post_form(client, "/login", {"username": worker.phone, "password": PASSWORD}).status_code == 429
    assert post_form(client, "/login", {"username": worker.number, "password": PASSWORD}).status_code == 429


def test_exit_disables_the_login_and_ends_its_session_and_a_return_enables_it(client, hr_user, community, make_worker):
    worker = make_worker("320102002001")
    registry_operations.create_worker_accounts([worker], hr_user)
    user = _activate(worker)
    log_in(client, worker.number)  # the worker number signs in too
    assert client.get("/registry/me").headers["Location"].endswith(f"/registry/workers/{worker.id}")
    registry_operations.exit_worker(worker, hr_user, on=city_today(), reason="辞职")
    assert not user.active
    assert client.get("/registry/me").headers["Location"].startswith("/login")  # the session ended
    assert post_form(client, "/login", {"username": worker.number, "password": PASSWORD}).status_code == 401
    registry_operations.change_status(worker, WorkerStatus.IN_TRAINING, hr_user, "返聘")
    assert user.active and worker.exited_on is None
    assert log_in(client, worker.number).headers["Location"] == "/"
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id))).all()
    assert "user.disable" in actions and "user.enable" in actions


def test_a_suspension_keeps_the_login_open(hr_user, community, make_worker):
    worker = make_worker("320102002001")
    registry_operations.create_worker_accounts([worker], hr_user)
    registry_operations.change_status(worker, WorkerStatus.SUSPENDED, hr_user, "调查")
    assert db.session.get(User, worker.user_id).active


def test_the_worker_list_action_counts_then_creates(client, make_user, community, make_worker):
    make_user("hr-xw", Role.HR, area="320102")
    workers = _workers(make_worker, 3)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, "hr-xw")
    form = {"area": "320102", "status": "on_duty"}
    counted = post_form(client, "/registry/workers/accounts", form, token_from="/registry/workers/accounts")
    assert "3 workers in 320102 will get a log-in." in counted.get_data(as_text=True)
    assert all(worker.user_id is None for worker in workers)
    done = post_form(client, "/registry/workers/accounts", form | {"confirmed": "1"},
                     token_from="/registry/workers/accounts")
    db.session.expire_all()  # the request committed in its own cycle; read the rows again
    assert done.status_code == 302 and all(worker.user_id is not None for worker in workers)
    again = post_form(client, "/registry/workers/accounts", form, token_from="/registry/workers/accounts")
    assert "0 workers in 320102 will get a log-in." in again.get_data(as_text=True)


def test_the_worker_list_action_refuses_bad_input(client, make_user, community, make_worker, count_rows):
    make_user("hr-xw", Role.HR, area="320102")
    make_worker("320102002001")
    log_in(client, "hr-xw")
    users = count_rows(User)
    for bad in ({"area": "320104", "confirmed": "1"}, {"area": "'; drop table users", "confirmed": "1"},
                {"area": "320102", "status": "exited", "confirmed": "1"}, {"area": "3" * 5000, "confirmed": "1"}):
        response = post_form(client, "/registry/workers/accounts", bad, token_from="/registry/workers/accounts")
        assert response.status_code == 400, bad
    assert count_rows(User) == users


def test_the_worker_page_button_creates_one_login(client, make_user, community, make_worker):
    make_user("hr-xw", Role.HR, area="320102")
    worker = make_worker("320102002001")
    log_in(client, "hr-xw")
    page = f"/registry/workers/{worker.id}"
    assert "Create a log-in" in client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert post_form(client, f"{page}/account", {}, token_from=page).status_code == 302
    db.session.expire_all()
    assert worker.user_id is not None
    assert worker.number.lower() in client.get(page).get_data(as_text=True)
