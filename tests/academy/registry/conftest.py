"""Shared set-up of the registry's tests: an acting HR user and a small area tree."""
from __future__ import annotations

import pytest

from academy.permissions import Role
from tests.fixtures.registry import get_or_create_area


@pytest.fixture
def hr_user(make_user):
    return make_user("hr-city", Role.HR)


@pytest.fixture
def community():
    get_or_create_area("3201", "南京市")
    get_or_create_area("320102", "玄武区")
    get_or_create_area("320102002", "梅园新村街道")
    return get_or_create_area("320102002001", "大行宫社区")


@pytest.fixture
def other_community():
    get_or_create_area("320104", "秦淮区")
    return get_or_create_area("320104001001", "贡院社区")


@pytest.fixture(autouse=True)
def english(request, app):
    """Messages read in English whatever the default language (pages requested by clients keep theirs).

    Not for tests of the live application: its CLI would run inside this context, on this app.
    """
    if "live_app" in request.fixturenames:
        yield
        return
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield
