"""What each enrollment enum value is called, in both languages: course kinds, deliveries, enrolment
states, and the registry's employment types and worker statuses as the population form names them.
Forms, views and templates read them here."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.registry.models import Employment, WorkerStatus
from courses.enrollment.models import CourseKind, Delivery, EnrollmentState

KIND_LABELS = {CourseKind.PRE_SERVICE: _l("Pre-service"), CourseKind.IN_SERVICE: _l("In-service"),
               CourseKind.REFRESHER: _l("Refresher"), CourseKind.SPECIALIST: _l("Specialist")}
DELIVERY_LABELS = {Delivery.ONLINE: _l("Online"), Delivery.CLASSROOM: _l("Classroom"), Delivery.BLENDED: _l("Blended")}
EMPLOYMENT_LABELS = {Employment.FULL_TIME: _l("Full-time"), Employment.PART_TIME: _l("Part-time"),
                     Employment.AUXILIARY: _l("Auxiliary")}
WORKER_STATUS_LABELS = {WorkerStatus.RECRUITED: _l("New recruit"), WorkerStatus.IN_TRAINING: _l("In training"),
                        WorkerStatus.ON_DUTY: _l("On duty"), WorkerStatus.SUSPENDED: _l("Suspended"),
                        WorkerStatus.EXITED: _l("Exited")}
STATE_LABELS = {
    EnrollmentState.REQUESTED: _l("Requested"),
    EnrollmentState.WAITLISTED: _l("Waitlisted"), EnrollmentState.ENROLLED: _l("Enrolled"),
    EnrollmentState.COMPLETED: _l("Completed"), EnrollmentState.FAILED: _l("Failed"),
    EnrollmentState.WITHDRAWN: _l("Withdrawn"),
}
