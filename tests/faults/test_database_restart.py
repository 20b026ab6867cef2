"""PostgreSQL restarted under a running app: requests during the outage get a clear 503 and change
nothing; the first request after the restart is served again, without restarting the app."""
from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import create_user
from academy.extensions import db
from tests.faults.conftest import make_app
from tests.support import PASSWORD, csrf_token, log_in

pytestmark = [pytest.mark.fault, pytest.mark.own_database,
              pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")]


@pytest.fixture(scope="module")
def app(private_postgres, tmp_path_factory):
    app = make_app(private_postgres.url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        for name in ("clerk", "other"):
            create_user(name, PASSWORD, by=None)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _users(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(User.username)))


def test_the_first_request_after_a_restart_is_served(app, private_postgres):
    client = app.test_client()
    log_in(client, "clerk")
    assert client.get("/account").status_code == 200  # the pool now holds a connection
    private_postgres.restart()  # every pooled connection is dead now
    assert client.get("/account").status_code == 200
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_requests_during_an_outage_get_503_and_change_nothing(app, private_postgres):
    client = app.test_client()
    log_in(client, "clerk")
    token = csrf_token(client, "/account")
    before = _users(app)
    private_postgres.stop()
    try:
        page = client.get("/account")
        assert page.status_code == 503 and "could not be reached" in page.get_data(as_text=True)
        change = client.post("/account", data={"csrf_token": token, "current_password": PASSWORD,
                                               "new_password": "Another-Horse-43", "confirm": "Another-Horse-43"})
        assert change.status_code == 503
    finally:
        private_postgres.start()
    assert client.get("/account").status_code == 200
    assert _users(app) == before
    log_in(app.test_client(), "clerk")  # the password is still the old one


def test_a_restart_in_the_middle_of_a_stream_of_requests(app, private_postgres):
    """Four clients keep reading while the server restarts: each answer is 200 or 503, never 500,
    and once it is back every client is served again."""
    statuses, stop = [], threading.Event()
    clients = [app.test_client() for _ in range(4)]
    for client in clients:
        log_in(client, "other")

    def reader(client):
        while not stop.is_set():
            statuses.append(client.get("/account").status_code)

    threads = [threading.Thread(target=reader, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    try:
        while len(statuses) < 8:  # the stream is flowing
            time.sleep(0.05)
        private_postgres.restart()
        served_before = len(statuses)
        time.sleep(0.5)  # and goes on after the restart
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert 200 in statuses[served_before:], "served again after the restart"
    after = app.test_client()
    log_in(after, "other")
    assert [after.get("/account").status_code for _ in range(5)] == [200] * 5
