"""The password policy and the hash parameters production uses."""
from __future__ import annotations

import pytest
from argon2 import Type, extract_parameters

from academy.accounts.operations import AccountError, create_user
from academy.accounts.passwords import PRODUCTION_HASHER, password_problem


@pytest.mark.parametrize("password", ["short", "12345678", "password", "woaini1314", "aaaaaaaaaa", "abababab", "x" * 129])
def test_weak_passwords_are_refused(app, password):
    with app.test_request_context():
        assert password_problem(password, "someone") is not None


def test_password_containing_the_username_is_refused(app):
    with app.test_request_context():
        assert password_problem("zhangwei-2024!", "zhangwei") is not None


def test_a_decent_password_passes(app):
    with app.test_request_context():
        assert password_problem("grid-academy-demo", "admin") is None


def test_production_hashes_are_argon2id_at_the_recommended_cost():
    params = extract_parameters(PRODUCTION_HASHER.hash("anything-long"))
    assert params.type is Type.ID
    assert params.memory_cost >= 64 * 1024 and params.time_cost >= 2


def test_create_user_refuses_a_weak_password(app):
    with pytest.raises(AccountError):
        create_user("weakling", "12345678", by=None)
