"""The case module's pages: one blueprint, its views in modules by concern."""
from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from academy.cases.queries import light_of, task_light
from academy.cases.workflow import STATE_LABELS, TASK_STATE_LABELS, action_label
from academy.permissions import has_role

bp = Blueprint("cases", __name__)

LIGHT_LABELS = {"green": _l("Green"), "yellow": _l("Yellow"), "red": _l("Red"), "red_card": _l("Red card")}
LIGHT_CLASSES = {"green": "success", "yellow": "warning", "red": "danger", "red_card": "dark"}
LEVEL_LABELS = {"self": _l("Grid worker"), "community": _l("Community"), "street": _l("Street"),
                "department": _l("Department")}
SATISFACTION_LABELS = {"satisfied": _l("Satisfied"), "basically_satisfied": _l("Basically satisfied"),
                       "dissatisfied": _l("Dissatisfied")}


@bp.app_context_processor
def case_helpers():
    return {
        "case_light": light_of,
        "task_light": task_light,
        "has_role": has_role,
        "light_labels": LIGHT_LABELS,
        "light_classes": LIGHT_CLASSES,
        "case_state_label": lambda state: STATE_LABELS.get(state, state) if state else "",
        "task_state_label": lambda state: TASK_STATE_LABELS.get(state, state),
        "case_action_label": action_label,
        "level_labels": LEVEL_LABELS,
        "satisfaction_labels": SATISFACTION_LABELS,
    }


from academy.cases.views import actions, admin, fieldwork, intake, lists  # noqa: E402,F401
