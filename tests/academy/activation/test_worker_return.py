"""The worker page records a return from exit: HR confirms, the worker is in training again and
his log-in, disabled by the exit, works again."""
from __future__ import annotations

from academy.accounts.models import User
from academy.accounts.operations import change_password
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from academy.registry import operations as registry_operations
from academy.registry.models import WorkerStatus
from tests.support import PASSWORD, log_in, post_form


def _exited_worker_with_login(make_worker, hr):
    worker = make_worker("320102002001", name="钱进")
    registry_operations.create_worker_accounts([worker], hr)
    user = db.session.get(User, worker.user_id)
    change_password(user, PASSWORD, by=None)  # he had activated his account before he left
    registry_operations.exit_worker(worker, hr, on=city_today(), reason="辞职")
    assert not user.active
    return worker, user


def test_hr_records_a_return_and_the_login_works_again(app, client, make_user, make_worker):
    hr = make_user("hr-xw", Role.HR, area="320102")
    worker, user = _exited_worker_with_login(make_worker, hr)
    page = f"/registry/workers/{worker.id}"
    log_in(client, "hr-xw")
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Record the return" in html and f"Record the return of {worker.name}?" in html  # the confirmation
    assert "Change status" not in html  # an exited worker's only move is the return
    assert "Print a new activation letter" not in html and "Record his return first." in html
    answer = post_form(client, f"{page}/status", {"status": "in_training", "reason": "返聘"}, token_from=page)
    assert answer.status_code == 302
    db.session.expire_all()
    assert worker.status == WorkerStatus.IN_TRAINING and worker.exited_on is None and user.active
    other = app.test_client()
    assert log_in(other, worker.number).headers["Location"] == "/"
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Record the return" not in html and "Print a new activation letter" in html


def test_a_return_without_a_reason_or_from_another_district_changes_nothing(app, client, make_user, make_worker):
    hr = make_user("hr-xw", Role.HR, area="320102")
    make_user("hr-qh", Role.HR, area="320104")
    worker, user = _exited_worker_with_login(make_worker, hr)
    page = f"/registry/workers/{worker.id}"
    log_in(client, "hr-xw")
    answer = post_form(client, f"{page}/status", {"status": "in_training", "reason": ""}, token_from=page)
    assert answer.status_code == 400
    answer = post_form(client, f"{page}/status", {"status": "on_duty", "reason": "直接上岗"}, token_from=page)
    assert answer.status_code == 400  # not a status HR chooses; on duty needs a qualification
    stranger = app.test_client()
    log_in(stranger, "hr-qh")
    answer = post_form(stranger, f"{page}/status", {"status": "in_training", "reason": "返聘"}, token_from="/")
    assert answer.status_code == 403
    db.session.expire_all()
    assert worker.status == WorkerStatus.EXITED and not user.active
