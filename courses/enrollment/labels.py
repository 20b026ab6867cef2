"""What each enrollment enum value is called, in both languages: course kinds, deliveries, enrolment
states. Forms, views and templates read them here (the registry's enums are named in
``academy.registry.labels``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from courses.enrollment.models import CourseKind, Delivery, EnrollmentState, LessonsRequired

KIND_LABELS = {CourseKind.PRE_SERVICE: _l("Pre-service"), CourseKind.IN_SERVICE: _l("In-service"),
               CourseKind.REFRESHER: _l("Refresher"), CourseKind.SPECIALIST: _l("Specialist")}
DELIVERY_LABELS = {Delivery.ONLINE: _l("Online"), Delivery.CLASSROOM: _l("Classroom"), Delivery.BLENDED: _l("Blended")}
STATE_LABELS = {
    EnrollmentState.REQUESTED: _l("Requested"),
    EnrollmentState.WAITLISTED: _l("Waitlisted"), EnrollmentState.ENROLLED: _l("Enrolled"),
    EnrollmentState.COMPLETED: _l("Completed"), EnrollmentState.FAILED: _l("Failed"),
    EnrollmentState.WITHDRAWN: _l("Withdrawn"),
}
LESSONS_REQUIRED_LABELS = {LessonsRequired.NONE: _l("No lessons asked for"), LessonsRequired.ALL: _l("All lessons"),
                           LessonsRequired.LISTED: _l("The lessons ticked below")}
