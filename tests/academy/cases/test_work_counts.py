"""The workbench numbers of dispatchers, departments and leaders: each counts only the user's own
area or units, and leads to the board or "my cases" filtered to show exactly those cases."""
from __future__ import annotations

import re

import pytest

from academy.cases import operations as ops
from academy.cases import queries
from academy.cases.models import Level
from academy.extensions import db
from tests.fixtures.cases import build_world, report
from tests.support import log_in


def listed_cases(html: str) -> set[str]:
    """The cases a list page links to (the page's own links to other lists have no number)."""
    return set(re.findall(r'href="/cases/(\d+)"', html))


@pytest.fixture
def two_districts(make_user):
    """Two districts, each with its dispatcher, leader and departments: three reports in ours, one in theirs."""
    ours, theirs = build_world(make_user), build_world(make_user, prefix="b", district="320104")
    for n in range(3):
        report(ours, title=f"Blocked drain {n}")
    report(theirs, title="Broken lamp")
    return ours, theirs


def test_cases_to_accept_count_the_dispatchers_own_district(two_districts, client, read_workbench, read_badges):
    ours, theirs = two_districts
    assert queries.count_cases(ours.dispatcher, queries.CaseFilter(state="reported")) == 3
    assert queries.count_cases(theirs.dispatcher, queries.CaseFilter(state="reported")) == 1
    db.session.commit()
    log_in(client, "dispatch")
    home = client.get("/").get_data(as_text=True)
    number, href = read_workbench(home)["cases.to_accept"]
    assert number == 3 and read_badges(home)["cases.to_accept"] == 3
    assert len(listed_cases(client.get(href).get_data(as_text=True))) == 3


def test_department_sees_the_cases_in_its_hands(two_districts, client, read_workbench):
    ours, _theirs = two_districts
    case = report(ours, title="Fallen tree")
    ops.accept_case(case, ours.dispatcher)
    ops.dispatch_case(case, ours.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(ours.dept, None)]))
    assert queries.to_handle_count(ours.handler) == 1
    assert queries.to_handle_count(ours.handler2) == 0  # the other department's member
    db.session.commit()
    log_in(client, "handler")
    number, href = read_workbench(client.get("/").get_data(as_text=True))["cases.to_handle"]
    assert (number, href) == (1, "/cases/mine?to_handle=1")
    assert listed_cases(client.get(href).get_data(as_text=True)) == {str(case.id)}


def test_returned_cases_wait_for_the_dispatcher_again(two_districts, client, read_workbench):
    ours, theirs = two_districts
    case = report(ours, title="Noise at night")
    ops.accept_case(case, ours.dispatcher)
    ops.dispatch_case(case, ours.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(ours.dept, None)]))
    ops.return_task(case.tasks[0], ours.handler, "Not ours: the police handle noise")
    assert queries.count_cases(ours.dispatcher, queries.CaseFilter(returned=True)) == 1
    assert queries.count_cases(theirs.dispatcher, queries.CaseFilter(returned=True)) == 0
    db.session.commit()
    log_in(client, "dispatch")
    number, href = read_workbench(client.get("/").get_data(as_text=True))["cases.returned"]
    assert number == 1
    assert listed_cases(client.get(href).get_data(as_text=True)) == {str(case.id)}


def test_leaders_see_lights_not_the_queue(two_districts, client, read_workbench):
    db.session.commit()
    log_in(client, "leader")
    counts = read_workbench(client.get("/").get_data(as_text=True))
    assert {"cases.red", "cases.yellow", "cases.red_card"} <= set(counts)
    assert "cases.to_accept" not in counts and "cases.to_handle" not in counts
    assert counts["cases.red"] == (0, "/cases/board?light=red")
