"""What each lessons enum value is called on screen (English source, Chinese in the catalogue)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.labels import Words
from courses.lessons.models import Completion

# How a lesson completes, as the lesson form offers it.
COMPLETION_LABELS = {
    Completion.TIME: _l("open for the minimum time"),
    Completion.MARK: _l("the trainee marks it done"),
}
EVENT_LABELS = {"lesson.create": _l("Lesson created"), "lesson.update": _l("Lesson changed"),
                "lesson.file_add": _l("Material added to a lesson"),
                "lesson.file_remove": _l("Material removed from a lesson"), "lesson.complete": _l("Lesson completed")}
FIELD_LABELS = {"body_markdown": _l("Text"), "video_url": _l("Video address"), "hours": _l("Credited hours"),
                "completion": _l("Completed when"), "min_seconds": _l("Minimum time (seconds)"),
                "published": _l("Published"), "size": _l("File size")}
WORDS = Words(enums={Completion: COMPLETION_LABELS}, events=EVENT_LABELS, fields=FIELD_LABELS,
              objects={"Lesson": _l("Lesson")}, links={"Lesson": ("lessons.lesson", "lesson_id")})
