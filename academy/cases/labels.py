"""What each value of the case module is called, in the user's language: the one place for its label dicts.

Pages read them through the blueprint's context processor, forms build their choices from them, and
operations name a state in a refusal with them. Keys are the enums themselves (a ``StrEnum`` finds its
label from its plain value too); lights are plain strings.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from academy.cases.models import (
    CaseState,
    Channel,
    ClockKind,
    FieldType,
    Level,
    MediaState,
    Satisfaction,
    TaskState,
    VisitPurpose,
)
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS

STATE_LABELS = {
    CaseState.DRAFT: _l("Draft"), CaseState.REPORTED: _l("Reported"), CaseState.ACCEPTED: _l("Accepted"),
    CaseState.DISPATCHED: _l("Dispatched"), CaseState.SIGNED: _l("Signed for"), CaseState.HANDLING: _l("Handling"),
    CaseState.HANDLED: _l("Handled"), CaseState.VERIFYING: _l("Verifying"), CaseState.CLOSED: _l("Closed"),
    CaseState.VISITED: _l("Return-visited"), CaseState.SUSPENDED: _l("Suspended"),
    CaseState.VOID_PENDING: _l("Void pending approval"), CaseState.VOIDED: _l("Voided"),
}

TASK_STATE_LABELS = {
    TaskState.DISPATCHED: _l("Dispatched"), TaskState.SIGNED: _l("Signed for"), TaskState.HANDLING: _l("Handling"),
    TaskState.HANDLED: _l("Handled"), TaskState.RETURNED: _l("Returned"), TaskState.WITHDRAWN: _l("Withdrawn"),
}

# Actions that leave the state as it is but belong on the timeline.
NOTE_ACTIONS = {
    "supervise": _l("Supervised (督办)"),
    "link_report": _l("Another report linked"),
    "request_extension": _l("Extension requested"),
    "grant_extension": _l("Extension granted"),
    "refuse_extension": _l("Extension refused"),
    "add_photo": _l("Photo added"),
}

LIGHT_LABELS = {"green": _l("Green"), "yellow": _l("Yellow"), "red": _l("Red"), "red_card": _l("Red card")}
LIGHT_CLASSES = {"green": "success", "yellow": "warning", "red": "danger", "red_card": "dark"}  # Bootstrap colours

# Who handles a case, as shown on a case; the dispatcher's choice names the practice as well.
LEVEL_LABELS = {Level.SELF: _l("Grid worker"), Level.COMMUNITY: _l("Community"), Level.STREET: _l("Street"),
                Level.DEPARTMENT: _l("Department")}
LEVEL_CHOICE_LABELS = {Level.SELF: _l("Grid worker (自办自结)"), Level.COMMUNITY: _l("Community"),
                       Level.STREET: _l("Street"), Level.DEPARTMENT: _l("Departments (吹哨报到)")}

SATISFACTION_LABELS = {Satisfaction.SATISFIED: _l("Satisfied"), Satisfaction.BASIC: _l("Basically satisfied"),
                       Satisfaction.DISSATISFIED: _l("Dissatisfied")}

CLOCK_LABELS = {ClockKind.NATURAL_HOURS: _l("Natural hours (day and night)"),
                ClockKind.WORKING_HOURS: _l("Working hours"), ClockKind.WORKING_DAYS: _l("Working days")}

PURPOSE_LABELS = {
    VisitPurpose.ROUTINE: _l("Routine visit"), VisitPurpose.INFORMATION: _l("Base information collection"),
    VisitPurpose.CARE: _l("Care for people in need"), VisitPurpose.DISPUTE: _l("Dispute mediation"),
    VisitPurpose.POLICY: _l("Explaining a policy"), VisitPurpose.FOLLOW_UP: _l("Follow-up of a case"),
}

# Where a case came from, as its timeline says it.
CHANNEL_LABELS = {Channel.WORKER: _l("a grid worker"), Channel.HOTLINE: _l("the hotline"),
                  Channel.OPEN311: _l("a civic app (Open311)")}

# A category's extra fields (Open311 attributes): the kind of answer each takes.
FIELD_TYPE_LABELS = {
    FieldType.STRING: _l("Short text"), FieldType.TEXT: _l("Long text"), FieldType.NUMBER: _l("Number"),
    FieldType.DATETIME: _l("Date and time"), FieldType.SINGLE: _l("One choice from a list"),
    FieldType.MULTI: _l("Several choices from a list"),
}
MEDIA_STATE_LABELS = {MediaState.PENDING: _l("Being fetched"), MediaState.FETCHED: _l("Fetched"),
                      MediaState.REFUSED: _l("Not fetched")}


def choices(labels: dict, blank: bool = False) -> list[tuple[str, object]]:
    """A label dict as a form's choices (the enum's plain value, its label), "—" first when ``blank``."""
    pairs = [(key.value if isinstance(key, enum.Enum) else key, label) for key, label in labels.items()]
    return [("", "—"), *pairs] if blank else pairs


def action_label(action: str) -> str:
    """The timeline's words for an action (case or task)."""
    for table in (CASE_TRANSITIONS, TASK_TRANSITIONS):
        if action in table:
            return str(table[action].label)
    if action.startswith("task_") and action[5:] in TASK_TRANSITIONS:
        return str(TASK_TRANSITIONS[action[5:]].label)
    return str(NOTE_ACTIONS.get(action, action))
