"""The small demo city (``flask academy demo``): a few users of every role, a district's registry,
cases in every state, the syllabus, courses, lessons, exams, certificates and indicators.

Each layer of the app has its own module here; ``STEPS`` runs them in order, lower layers first.
Every step takes the shared ``demo`` dict, reads what earlier steps made from it (users, grids,
workers ...) and adds what later ones need; it goes through the app's operations, so the demo keeps
every rule the app keeps. Nothing in ``academy`` or ``courses`` imports this package.
"""
from __future__ import annotations

from collections.abc import Callable

from citydata.demo import (
    accounts,
    cases,
    certificates,
    district,
    enrollment,
    exams,
    indicators,
    lessons,
    programmes,
    registry,
    syllabus,
)

STEPS: tuple[Callable[[dict], object], ...] = (
    accounts.create_demo_users,
    registry.build_demo_registry,
    district.build_second_district,
    cases.create_demo_cases,
    syllabus.create_demo_syllabus,
    enrollment.create_demo_courses,
    district.create_district_course,
    programmes.create_demo_programmes,
    lessons.create_demo_lessons,
    exams.create_demo_exams,
    certificates.create_demo_certificates,
    indicators.create_demo_indicators,
)


def build_demo() -> dict:
    """Run every step in order (nothing is committed here); returns the shared dict."""
    demo: dict = {}
    for step in STEPS:
        step(demo)
    return demo
