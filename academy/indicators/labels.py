"""What the indicators' audit events and audited fields are called (the indicators have no enums)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.indicators.definitions import INDICATORS
from academy.labels import Words

STANDARD_SCHEME = "Standard assessment"
CREATED_AUTOMATICALLY = "Created automatically"

EVENT_LABELS = {"assessment_scheme.save": _l("Assessment scheme saved"),
                "indicators.refresh": _l("Indicators recalculated")}
FIELD_LABELS = {"items": _l("Indicators"), "top_n": _l("Excellent workers (top)"),
                "min_score": _l("Minimum score"), "results": _l("Result rows"), "indicator": _l("Indicator"),
                "weight": _l("Weight"), "target": _l("Target"), "bands": _l("Bands")}
# The standard scheme is stored under its English name and note (ensure_scheme), shown through these.
# An indicator is stored by its key (a scheme's items): shown by its name.
STORED_LABELS = {STANDARD_SCHEME: _l("Standard assessment"), CREATED_AUTOMATICALLY: _l("Created automatically"),
                 **{key: indicator.label for key, indicator in INDICATORS.items()}}
WORDS = Words(events=EVENT_LABELS, fields=FIELD_LABELS, stored=STORED_LABELS,
              objects={"AssessmentScheme": _l("Assessment scheme"), "SnapshotPeriod": _l("Indicator period")},
              links={"AssessmentScheme": ("indicators.scheme", "scheme_id")})
