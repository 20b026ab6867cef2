"""What each lessons enum value is called on screen (English source, Chinese in the catalogue)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from courses.lessons.models import Completion

# How a lesson completes, as the lesson form offers it.
COMPLETION_LABELS = {
    Completion.TIME: _l("open for the minimum time"),
    Completion.MARK: _l("the trainee marks it done"),
}
