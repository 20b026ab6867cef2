"""What each syllabus enum value is called on screen (English source, Chinese in the catalogue)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.labels import Words, enum_value, family
from courses.syllabus.models import ReviewDecision, VersionStatus

STATUS_LABELS = {
    VersionStatus.DRAFT: _l("Draft"),
    VersionStatus.UNDER_REVIEW: _l("Under review"),
    VersionStatus.PUBLISHED: _l("Published"),
    VersionStatus.RETIRED: _l("Retired"),
}
# What a reviewer chooses (the verbs of the review form).
DECISION_LABELS = {
    ReviewDecision.APPROVE: _l("Approve"),
    ReviewDecision.SEND_BACK: _l("Send back"),
}


def _version_event(status) -> str:
    return _("Syllabus version: %(status)s", status=status)


def _review_event(decision) -> str:
    return _("Syllabus review: %(decision)s", decision=decision)


EVENT_LABELS = {
    **family(STATUS_LABELS, _version_event, "syllabus.", key=enum_value),
    **family(DECISION_LABELS, _review_event, "syllabus.review_", key=enum_value),
    "syllabus.create": _l("Syllabus version created"), "syllabus.unit_add": _l("Syllabus unit added"),
    "syllabus.unit_update": _l("Syllabus unit changed"), "syllabus.unit_remove": _l("Syllabus unit removed"),
    "branch.create": _l("Branch academy created"), "committee.add": _l("Expert committee member added"),
    "trainer.add": _l("Trainer added to the pool"),
    "trainer.update": _l("Trainer changed"),
    "trainer.deactivate": _l("Trainer deactivated"),
    "trainer.reactivate": _l("Trainer active again"),
}
FIELD_LABELS = {
    "specialties": _l("Specialties"), "branch": _l("Branch academy"), "qualifications": _l("Qualifications"),
    "objectives": _l("Objectives"), "theory_hours": _l("Theory hours"),
    "practice_hours": _l("Practice hours"), "assessment_standard": _l("Assessment standard"),
    "case_categories": _l("Case categories"), "position": _l("Position"),
}
WORDS = Words(enums={VersionStatus: STATUS_LABELS, ReviewDecision: DECISION_LABELS}, events=EVENT_LABELS,
              fields=FIELD_LABELS, objects={"SyllabusVersion": _l("Syllabus version")},
              links={"SyllabusVersion": ("syllabus.version", "version_id")})
