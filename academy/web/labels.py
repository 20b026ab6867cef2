"""What the navigation's groups are called, in the user's language, and in which order they come.

The groups follow the academy's domains (UX.md "Shell"): the academy's teaching, exams and
certificates, then the grid, cases, performance and the system's own pages."""
from __future__ import annotations

from flask_babel import lazy_pgettext

# In the sidebar's order. The group names share words with page names ("Exams", "Certificates"),
# so they carry a context of their own.
NAV_GROUP_LABELS = {
    "teaching": lazy_pgettext("navigation group", "Teaching"),
    "exams": lazy_pgettext("navigation group", "Exams"),
    "certificates": lazy_pgettext("navigation group", "Certificates"),
    "grid": lazy_pgettext("navigation group", "Grid"),
    "cases": lazy_pgettext("navigation group", "Cases"),
    "performance": lazy_pgettext("navigation group", "Performance"),
    "system": lazy_pgettext("navigation group", "System"),
}

# The groups that belong to the academy proper, shown under one heading above them.
ACADEMY_GROUPS = ("teaching", "exams", "certificates")
ACADEMY_LABEL = lazy_pgettext("navigation group", "Academy")
