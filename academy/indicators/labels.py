"""What the indicators' audit events and audited fields are called (the indicators have no enums)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.labels import Words

STANDARD_SCHEME = "Standard assessment"
CREATED_AUTOMATICALLY = "Created automatically"

EVENT_LABELS = {"assessment_scheme.save": _l("Assessment scheme saved"),
                "indicators.refresh": _l("Indicators recalculated")}
FIELD_LABELS = {"items": _l("Indicators"), "top_n": _l("Excellent workers (top)"),
                "min_score": _l("Minimum score"), "results": _l("Result rows")}
# The standard scheme is stored under its English name and note (ensure_scheme), shown through these.
STORED_LABELS = {STANDARD_SCHEME: _l("Standard assessment"), CREATED_AUTOMATICALLY: _l("Created automatically")}
WORDS = Words(events=EVENT_LABELS, fields=FIELD_LABELS, stored=STORED_LABELS)
