"""The teaching side: syllabus, enrollment, lessons, exams and certificates.

``init_app`` is called by ``academy.create_app``, the composition root; the packages below
register their blueprints, navigation entries and worker-page sections there.

Slots the teaching side fills or reads (``academy.contributions``):

- fills ``worker_sections``: ``(worker, viewer) -> dict(title, html)``, the training section of a worker's page;
- fills ``home_sections``: ``(user) -> Markup``, a trainee's next lessons and overdue training;
- reads ``training_sections``: ``(worker) -> Markup`` on the trainee's training page (programmes fill it);
- fills/reads ``course_sections``: ``(course, user, enrollment) -> Markup`` on a course page (lessons; exams may add);
- reads ``training_needs``: ``(worker) -> [(unit code or case category, reason with figures)]`` (indicators);
- reads ``certificate_held``: ``(worker, certificate type code) -> bool`` for course prerequisites (certificates fills it);
- fills ``coverage_findings`` (certificates): workers on duty without a valid qualification certificate.

Signals (``academy.signals``; each declared with its docstring in the sender's ``signals.py``):

- sends ``attempt_graded`` (``courses/exams/signals.py``) and ``training_recorded``
  (``courses/enrollment/signals.py``, also sent by lessons): certificates receive them, to issue
  what a worker has earned or revoke what a regrade undid;
- receives ``worker_status_changed`` (``academy/registry/signals.py``): certificates suspend on-duty
  qualifications of a suspended or exited worker and restore them when he returns.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the teaching packages that have landed, lower layers first."""
    from courses.certificates import setup as certificates_setup
    from courses.enrollment import setup as enrollment_setup
    from courses.exams import setup as exams_setup
    from courses.lessons import setup as lessons_setup
    from courses.masters import setup as masters_setup
    from courses.programmes import setup as programmes_setup
    from courses.syllabus import setup as syllabus_setup

    syllabus_setup.init_app(app)
    enrollment_setup.init_app(app)
    programmes_setup.init_app(app)
    lessons_setup.init_app(app)
    exams_setup.init_app(app)
    masters_setup.init_app(app)
    certificates_setup.init_app(app)
