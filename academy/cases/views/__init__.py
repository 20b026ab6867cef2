"""The case module's pages: one blueprint, its views in modules by concern."""
from __future__ import annotations

from flask import Blueprint

from academy.cases import labels
from academy.cases.queries import light_of, task_light
from academy.permissions import has_role

bp = Blueprint("cases", __name__)


@bp.app_context_processor
def case_helpers():
    return {
        "case_light": light_of,
        "task_light": task_light,
        "has_role": has_role,
        "light_labels": labels.LIGHT_LABELS,
        "light_classes": labels.LIGHT_CLASSES,
        "case_state_label": lambda state: labels.STATE_LABELS.get(state, state) if state else "",
        "task_state_label": lambda state: labels.TASK_STATE_LABELS.get(state, state),
        "case_action_label": labels.action_label,
        "level_labels": labels.LEVEL_LABELS,
        "satisfaction_labels": labels.SATISFACTION_LABELS,
        "field_type_labels": labels.FIELD_TYPE_LABELS,
        "media_state_labels": labels.MEDIA_STATE_LABELS,
    }


from academy.cases.views import actions, admin, fieldwork, intake, lists, place  # noqa: E402,F401
