"""Log-in throttling as the people it protects meet it: the owner, a stranger, an office, a sprayer.

Each client sends its requests from an address of its own (``REMOTE_ADDR``); the failures are rows
in the database, as every gunicorn worker would see them.
"""
from __future__ import annotations

from academy.permissions import Role
from tests.support import PASSWORD, csrf_token

HOME, STRANGER, OFFICE = "10.0.0.7", "203.0.113.66", "198.51.100.10"


def attempt(client, username: str, password: str, address: str):
    """One log-in attempt from ``address``, with a fresh form's CSRF token, as a browser would."""
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers={"Accept-Language": "en"})


def log_in_from(app, username: str, address: str, password: str = PASSWORD):
    client = app.test_client()
    return client, attempt(client, username, password, address)


def test_a_strangers_fifty_bad_passwords_do_not_stop_the_owner(app, make_user):
    make_user("owner1", Role.ADMIN)
    stranger = app.test_client()
    answers = [attempt(stranger, "owner1", f"guess-{n}", STRANGER).status_code for n in range(50)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    # Not even the right password passes from the stranger's address now ...
    assert attempt(stranger, "owner1", PASSWORD, STRANGER).status_code == 429
    # ... but the owner, at home, logs in as usual.
    client, response = log_in_from(app, "owner1", HOME)
    assert response.status_code == 302
    assert client.get("/admin/users").status_code == 200


def test_guesses_spread_over_many_addresses_are_slowed_but_the_owner_passes(app, make_user):
    make_user("owner2", Role.HR)
    assert log_in_from(app, "owner2", HOME)[1].status_code == 302  # his home address is known now
    botnet = app.test_client()
    after = app.config["LOGIN_ACCOUNT_THROTTLE_AFTER"]
    answers = [attempt(botnet, "owner2", "guess-guess", f"192.0.2.{n}").status_code for n in range(after + 5)]
    assert answers[:after] == [401] * after
    assert answers[after + 1:] == [429] * 4  # the wait has started to double
    response = attempt(botnet, "owner2", PASSWORD, "192.0.2.200")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert log_in_from(app, "owner2", HOME)[1].status_code == 302


def test_five_bad_passwords_block_that_address_for_that_account_only(app, make_user):
    make_user("pair1", Role.HR)
    make_user("pair2", Role.HR)
    client = app.test_client()
    for _ in range(5):
        assert attempt(client, "pair1", "wrong-password", OFFICE).status_code == 401
    assert attempt(client, "pair1", PASSWORD, OFFICE).status_code == 429
    assert log_in_from(app, "pair2", OFFICE)[1].status_code == 302  # another account, same address
    assert log_in_from(app, "pair1", HOME)[1].status_code == 302  # same account, another address


def test_spraying_many_accounts_from_one_address_is_limited(app, make_user):
    limit = app.config["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"]
    make_user("sprayed", Role.HR)
    make_user("regular", Role.HR)
    assert log_in_from(app, "regular", STRANGER)[1].status_code == 302  # logged in from there before
    sprayer = app.test_client()
    for n in range(limit):
        assert attempt(sprayer, f"someone{n}", "Summer2024!", STRANGER).status_code == 401
    assert attempt(sprayer, "sprayed", PASSWORD, STRANGER).status_code == 429  # a new account: refused
    assert attempt(sprayer, "someone1", "Summer2024!", STRANGER).status_code == 401  # one already tried
    assert log_in_from(app, "regular", STRANGER)[1].status_code == 302  # a known address goes on
    assert log_in_from(app, "sprayed", HOME)[1].status_code == 302  # elsewhere nothing changed


def test_an_office_behind_one_address_is_not_locked(app, make_user):
    people = [f"clerk{n}" for n in range(20)]
    for name in people:
        make_user(name, Role.HR)
    clients = {name: app.test_client() for name in people}
    for name in people:  # everyone mistypes once before anyone gets in
        assert attempt(clients[name], name, PASSWORD + "x", OFFICE).status_code == 401
    for name in people:
        assert attempt(clients[name], name, PASSWORD, OFFICE).status_code == 302, name
        assert clients[name].get("/account").status_code == 200
