"""Sort selects on the long staff lists: the worker list, certificates, the case list and board, the
question bank. Each order is one the list names; another order shows the same rows in another
sequence, the pager keeps it, and a key the list does not know is refused beside the select (400)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from courses.certificates import core, queries
from tests.fixtures.cases import build_world, report
from tests.fixtures.certificates import sit_exam
from tests.fixtures.registry import create_worker
from tests.support import log_in

BAD_SORTS = ("bogus", "name;drop", "NaN", "1e309", "9" * 40, "%ED%A0%80", "name%00", "")


def _page(client, url: str) -> str:
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _refused(client, url: str) -> None:
    """A sort key the list does not know: 400, said in words (beside the select, or the catalogue's own
    refusal of a control character or a lone surrogate), never a server error."""
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 400, url
    assert "Not a valid choice" in response.get_data(as_text=True) or "%" in url, url


def _bad_sorts(client, path: str) -> None:
    for value in BAD_SORTS[:-1]:
        _refused(client, f"{path}?sort={value}")
    _page(client, f"{path}?sort=")  # no order asked for: the list's own


def test_the_worker_list_sorts_by_name_and_keeps_it_on_the_next_page(make_user, client):
    for name in ("Zhou", "An", "Ma"):
        create_worker("320102", name=name)
    make_user("hr9", Role.HR, area="320102")
    log_in(client, "hr9")

    def names(html: str) -> list[str]:
        table = html.split('data-testid="workers"')[1]
        return [n for n in re.findall(r"</a></td><td>([^<]+)</td>", table) if n in ("Zhou", "An", "Ma")]

    assert names(_page(client, "/registry/workers")) == ["Zhou", "An", "Ma"]  # by worker number
    assert names(_page(client, "/registry/workers?sort=name")) == ["An", "Ma", "Zhou"]
    page = _page(client, "/registry/workers?sort=name")
    assert re.search(r'<option selected value="name">|<option value="name" selected>', page)
    _bad_sorts(client, "/registry/workers")


def test_the_worker_lists_pager_keeps_the_order(make_user, client):
    for n in range(55):
        create_worker("320102", name=f"W{n:02d}")
    make_user("hr9", Role.HR, area="320102")
    log_in(client, "hr9")
    first = _page(client, "/registry/workers?sort=hired_newest")
    assert "sort=hired_newest" in re.search(r'href="([^"]+)" rel="next"', first).group(1)


def _certificates(exam_course, make_cert_type, make_trainee, ends_in: list[int]):
    course, exam = exam_course
    make_cert_type(course=course, renewal_hours="4", window=90)
    numbers = []
    for days in ends_in:
        user, worker = make_trainee(course)
        sit_exam(exam, right=5, user=user, worker=worker)
        [certificate] = queries.certificates_of(worker)
        certificate.valid_until = city_today() + timedelta(days=days)
        certificate.issued_on = core.add_months(certificate.valid_until, -36)
        numbers.append(certificate.number)
    db.session.flush()
    return numbers


def test_the_certificate_list_sorts_by_expiry(exam_course, make_cert_type, make_trainee, make_user, client):
    numbers = _certificates(exam_course, make_cert_type, make_trainee, [400, 30, 200])
    make_user("hr9", Role.HR, area="320102")
    log_in(client, "hr9")

    def listed(html: str) -> list[str]:
        return [n for n in re.findall(r'/certificates/\d+">([^<]+)</a>', html) if n in numbers]

    assert listed(_page(client, "/certificates")) == sorted(numbers)
    assert listed(_page(client, "/certificates?sort=valid_until")) == [numbers[1], numbers[2], numbers[0]]
    assert listed(_page(client, "/certificates?status=valid&sort=valid_until")) == [numbers[1], numbers[2], numbers[0]]
    _bad_sorts(client, "/certificates")


@pytest.fixture
def three_cases(make_user):
    world = build_world(make_user)
    cases = [report(world, title=f"Drain {n}") for n in range(3)]
    db.session.commit()
    return world, cases


@pytest.mark.parametrize("path", ["/cases", "/cases/board"])
def test_the_case_lists_sort_by_report_time(three_cases, client, path):
    _world, cases = three_cases
    log_in(client, "dispatch")

    def listed(html: str) -> list[int]:
        wanted = {case.id for case in cases}
        return [int(n) for n in re.findall(r'href="/cases/(\d+)"', html) if int(n) in wanted]

    ids = [case.id for case in cases]
    assert listed(_page(client, f"{path}?sort=number")) == ids
    assert listed(_page(client, f"{path}?sort=reported_newest")) == ids[::-1]
    assert listed(_page(client, f"{path}?sort=reported_oldest&state=reported")) == ids
    _bad_sorts(client, path)


def test_the_question_bank_sorts_by_difficulty(make_question, make_user, client):
    hard, easy, medium = (make_question(stem=f"Stem {d}", difficulty=d) for d in ("hard", "easy", "medium"))
    make_user("teacher9", Role.INSTRUCTOR)
    log_in(client, "teacher9")

    def listed(html: str) -> list[int]:
        wanted = {q.id for q in (hard, easy, medium)}
        return [int(n) for n in re.findall(r'href="/exams/bank/(\d+)"', html) if int(n) in wanted]

    assert listed(_page(client, "/exams/bank")) == [medium.id, easy.id, hard.id]  # newest first
    assert listed(_page(client, "/exams/bank?sort=easiest")) == [easy.id, medium.id, hard.id]
    assert listed(_page(client, "/exams/bank?sort=hardest&status=active")) == [hard.id, medium.id, easy.id]
    _bad_sorts(client, "/exams/bank")
