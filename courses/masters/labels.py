"""What the blueprints package's audit events are called (English source, Chinese in the catalogue)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.labels import Words

EVENT_LABELS = {
    "course.master": _l("Course made a master"),
    "course.copy": _l("Branch copy of a master made"),
    "course.sync": _l("Branch copy synced from its master"),
    "course.push": _l("Master's changes pushed to the branches"),
}
FIELD_LABELS = {"is_master": _l("Master course"), "units": _l("Syllabus units"), "added": _l("Lessons added"),
                "changed": _l("Lessons changed"), "unpublished": _l("Lessons unpublished"),
                "deleted": _l("Lessons deleted"), "files": _l("Files copied"),
                "files_removed": _l("Files removed"),
                "exams_added": _l("Exams added"), "exams_held": _l("Published exams whose blueprint was kept"),
                "exams_archived": _l("Exams archived"), "copies": _l("Copies"),
                "branch": _l("Branch academy"), "job": _l("Background job")}
WORDS = Words(events=EVENT_LABELS, fields=FIELD_LABELS)
