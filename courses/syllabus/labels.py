"""What each syllabus enum value is called on screen (English source, Chinese in the catalogue)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
