"""The certificate the verification tests check: 王小芳's, earned by passing a course's final exam."""
from __future__ import annotations

import pytest

from courses.certificates import queries
from tests.fixtures.certificates import sit_exam


@pytest.fixture
def certificate(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course, prefix="JY")  # never SG: the verification tests' unknown numbers are SG-...
    user, worker = make_trainee(course, name="王小芳")
    sit_exam(exam, right=5, user=user, worker=worker)
    return queries.certificates_of(worker)[0]
