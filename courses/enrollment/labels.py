"""What each enrollment enum value is called, in both languages: course kinds, deliveries, enrolment
states. Forms, views and templates read them here (the registry's enums are named in
``academy.registry.labels``)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from academy.indicators.definitions import INDICATORS
from academy.labels import Words, enum_value, family
from courses.enrollment.effect import RATES
from courses.enrollment.models import (
    CompletedBy,
    CourseKind,
    CourseStatus,
    Delivery,
    EnrollmentState,
    ExtensionStatus,
    LessonsRequired,
)

KIND_LABELS = {CourseKind.PRE_SERVICE: _l("Pre-service"), CourseKind.IN_SERVICE: _l("In-service"),
               CourseKind.REFRESHER: _l("Refresher"), CourseKind.SPECIALIST: _l("Specialist")}
DELIVERY_LABELS = {Delivery.ONLINE: _l("Online"), Delivery.CLASSROOM: _l("Classroom"), Delivery.BLENDED: _l("Blended")}
STATE_LABELS = {
    EnrollmentState.REQUESTED: _l("Requested"),
    EnrollmentState.WAITLISTED: _l("Waitlisted"), EnrollmentState.ENROLLED: _l("Enrolled"),
    EnrollmentState.COMPLETED: lazy_pgettext("enrolment", "Completed"),
    EnrollmentState.FAILED: lazy_pgettext("enrolment", "Failed"),
    EnrollmentState.WITHDRAWN: lazy_pgettext("enrolment", "Withdrawn"),
}
LESSONS_REQUIRED_LABELS = {LessonsRequired.NONE: _l("No lessons asked for"), LessonsRequired.ALL: _l("All lessons"),
                           LessonsRequired.LISTED: _l("The lessons ticked below")}
COMPLETED_BY_LABELS = {CompletedBy.NONE: _l("Not yet"), CompletedBy.RULE: _l("By the course's completion rule"),
                       CompletedBy.MANUAL: _l("By the instructor's result")}
COURSE_STATUS_LABELS = {CourseStatus.DRAFT: _l("Draft"), CourseStatus.PUBLISHED: _l("Published"),
                        CourseStatus.ARCHIVED: _l("Archived")}
EXTENSION_LABELS = {ExtensionStatus.NONE: _l("No extension"), ExtensionStatus.REQUESTED: _l("Extension requested"),
                    ExtensionStatus.GRANTED: _l("Extension granted"), ExtensionStatus.REFUSED: _l("Extension refused")}


def _course_event(status) -> str:
    return _("Course: %(status)s", status=status)


def _enrollment_event(state) -> str:
    return _("Enrolment: %(state)s", state=state)


EVENT_LABELS = {
    **family(COURSE_STATUS_LABELS, _course_event, "course.", key=enum_value),
    **family(STATE_LABELS, _enrollment_event, "enrollment.", key=enum_value),
    "course.create": _l("Course created"), "course.update": _l("Course changed"),
    "course.capacity": _l("Course capacity changed"), "course.bulk_enrol": _l("Grid workers enrolled in bulk"),
    "class_session.create": _l("Classroom session scheduled"), "class_session.attendance": _l("Attendance taken"),
    "class_session.change": _l("Classroom session changed"), "class_session.cancel": _l("Classroom session cancelled"),
    "mandatory_rule.create": _l("Mandatory training rule created"),
    "mandatory_rule.end": _l("Mandatory training rule ended"),
    "training_assignment.remove": _l("Mandatory training withdrawn (no longer matches the rule)"),
    "training_assignment.reopen": _l("Mandatory training reopened (completion taken back)"),
    "hours_requirement.set": _l("Annual in-service hours requirement set"),
    "hours_requirement.delete": _l("Annual in-service hours requirement removed"),
    "training_assignment.create": _l("Mandatory training assigned"),
    "training_assignment.complete": _l("Mandatory training completed"),
    "training_assignment.extension_request": _l("Extension of mandatory training requested"),
    "training_assignment.extension_grant": _l("Extension of mandatory training granted"),
    "training_assignment.extension_refuse": _l("Extension of mandatory training refused"),
}
FIELD_LABELS = {
    "capacity": _l("Capacity"), "enrolled": _l("Enrolled"), "waitlisted": _l("Waitlisted"), "assigned": _l("Assigned"),
    "due": _l("Due on"), "due_on": _l("Due on"), "due_days_after_hire": _l("Due (days after hire)"),
    "until": _l("Extend until"), "present": _l("Present"), "description": _l("Description"), "delivery": _l("Delivery"),
    "self_enrol": _l("Self-enrolment"), "approval_required": _l("Approval required"),
    "enrol_opens_on": _l("Enrolment opens on"), "enrol_closes_on": _l("Enrolment closes on"),
    "prerequisite_certificate": _l("Prerequisite certificate"),
    "hired_within_days": _l("Hired within (days)"), "holds_certificate": _l("Holds the certificate"),
    "lacks_certificate": _l("Lacks the certificate"),
    "ended_at": _l("Ended at"), "hours": _l("Hours"), "starts_at": _l("Starts at"), "place": _l("Place"),
    "topic": _l("Topic"), "rule_id": _l("Mandatory training rule"),
    "completion_lessons": _l("Lessons to complete"), "completion_lesson_ids": _l("Lessons listed"),
    "completion_hours": _l("Hours to reach"), "completion_final": _l("Final exam to pass"),
    "completion_final_min": _l("Minimum score in the final exam"),
    "completion_attendance": _l("Share of classroom sessions to attend"),
}
WORDS = Words(enums={CourseKind: KIND_LABELS, Delivery: DELIVERY_LABELS, EnrollmentState: STATE_LABELS,
                     CourseStatus: COURSE_STATUS_LABELS, ExtensionStatus: EXTENSION_LABELS,
                     LessonsRequired: LESSONS_REQUIRED_LABELS, CompletedBy: COMPLETED_BY_LABELS},
              events=EVENT_LABELS, fields=FIELD_LABELS,
              objects={"Course": _l("Course"), "Enrollment": _l("Enrolment"), "ClassSession": _l("Classroom session"),
                       "TrainingAssignment": _l("Mandatory training")},
              links={"Course": ("enrollment.course", "course_id")})


# The training effect's page (courses/enrollment/effect.py): its rates and the four groups it compares.
EFFECT_RATE_LABELS = {**{key: INDICATORS[key].label for key in RATES[:-1]},
                      "red_card_rate": _l("Red cards per 100 cases due to close")}
EFFECT_COHORT_LABELS = {("trained", "before"): _l("Completers, before"), ("trained", "after"): _l("Completers, after"),
                        ("others", "before"): _l("Others in the districts, before"),
                        ("others", "after"): _l("Others in the districts, after")}
