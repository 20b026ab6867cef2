"""What each value of the case module is called, in the user's language: the one place for its label dicts.

Pages read them through the blueprint's context processor, forms build their choices from them, and
operations name a state in a refusal with them. Keys are the enums themselves (a ``StrEnum`` finds its
label from its plain value too); lights are plain strings.
"""
from __future__ import annotations

import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from academy.cases.models import (
    CaseState,
    Channel,
    ClockKind,
    ExtensionState,
    FieldType,
    Level,
    MediaState,
    Satisfaction,
    TaskState,
    VisitPurpose,
)
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS
from academy.labels import Words, family

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
    "supervise": _l("Supervised"),
    "link_report": _l("Another report linked"),
    "request_extension": _l("Extension requested"),
    "grant_extension": _l("Extension granted"),
    "refuse_extension": _l("Extension refused"),
    "add_photo": _l("Photo added"),
}

# The case list's and board's sort select (orders: ``queries.lists.CASE_ORDERS``), the list's own first.
SORT_LABELS = {
    "due": lazy_pgettext("sort", "Nearest time limit first"),
    "reported_newest": lazy_pgettext("sort", "Reported, newest first"),
    "reported_oldest": lazy_pgettext("sort", "Reported, oldest first"),
    "number": lazy_pgettext("sort", "Case number"),
}
LIGHT_LABELS = {"green": _l("Green"), "yellow": _l("Yellow"), "red": _l("Red"), "red_card": _l("Red card")}
LIGHT_CLASSES = {"green": "success", "yellow": "warning", "red": "danger", "red_card": "dark"}  # Bootstrap colours

# Who handles a case, as shown on a case; the dispatcher's choice names the practice as well.
LEVEL_LABELS = {Level.SELF: _l("Grid worker"), Level.COMMUNITY: _l("Community"), Level.STREET: _l("Street"),
                Level.DEPARTMENT: _l("Department")}
LEVEL_CHOICE_LABELS = {Level.SELF: _l("Grid worker (self-handled)"), Level.COMMUNITY: _l("Community"),
                       Level.STREET: _l("Street"), Level.DEPARTMENT: _l("Departments (whistle to departments)")}

SATISFACTION_LABELS = {Satisfaction.SATISFIED: _l("Satisfied"), Satisfaction.BASIC: _l("Basically satisfied"),
                       Satisfaction.DISSATISFIED: _l("Dissatisfied")}

CLOCK_LABELS = {ClockKind.NATURAL_HOURS: _l("Natural hours (day and night)"),
                ClockKind.WORKING_HOURS: _l("Working hours"), ClockKind.WORKING_DAYS: _l("Working days")}

PURPOSE_LABELS = {
    VisitPurpose.ROUTINE: _l("Routine visit"), VisitPurpose.INFORMATION: _l("Base information collection"),
    VisitPurpose.CARE: _l("Care for people in need"), VisitPurpose.DISPUTE: _l("Dispute mediation"),
    VisitPurpose.POLICY: _l("Explaining a policy"), VisitPurpose.FOLLOW_UP: _l("Follow-up of a case"),
}

CHANNEL_LABELS = {Channel.WORKER: _l("Grid worker report"), Channel.HOTLINE: _l("Hotline"),
                  Channel.OPEN311: _l("Civic app")}
EXTENSION_LABELS = {ExtensionState.REQUESTED: _l("Extension requested"), ExtensionState.GRANTED: _l("Extension granted"),
                    ExtensionState.REFUSED: _l("Extension refused")}


def _case_event(what) -> str:
    return _("Case: %(what)s", what=what)


def _task_event(what) -> str:
    return _("Case task: %(what)s", what=what)


# The audit codes of the case timeline are "case." + its action (a transition, a task's one, a note).
EVENT_LABELS = {
    **family({step: spec.label for step, spec in CASE_TRANSITIONS.items()}, _case_event, "case."),
    **family({step: spec.label for step, spec in TASK_TRANSITIONS.items()}, _task_event, "case.task_"),
    **family(NOTE_ACTIONS, _case_event, "case."),
    "case_category.create": _l("Case category created"), "case_category.update": _l("Case category changed"),
    "case_calendar.update": _l("Working calendar changed"),
    "case_holiday.set": _l("Holiday set"), "case_holiday.remove": _l("Holiday removed"),
    "case_department_member.add": _l("Department handler added"),
    "case_department_member.remove": _l("Department handler removed"),
    "case_api_client.create": _l("Open311 client created"),
    "case_category_field.create": _l("Extra field of a case category added"),
    "case_category_field.retire": _l("Extra field of a case category retired"),
    "case_media.fetch": _l("Photo of a request fetched from its link"),
    "case_media.refuse": _l("Link of a request refused"),
    "patrol.start": _l("Patrol started"), "patrol.end": _l("Patrol ended"), "visit.record": _l("Household visit recorded"),
}
FIELD_LABELS = {
    "parent_id": _l("Parent category"), "default_level": _l("Handled by default at"),
    "allow_self_handling": _l("Self-handling allowed"), "time_limit": _l("Case time limit"), "clock": _l("Clock"),
    "accept_criteria": _l("Acceptance criteria"), "close_criteria": _l("Closing criteria"),
    "work_start": _l("Working day starts"), "work_end": _l("Working day ends"), "weekend_days": _l("Weekend days"),
    "red_card_multiple": _l("Red card after (times the limit)"), "accept_limit_hours": _l("Hours to accept"),
    "verify_limit_days": _l("Days to verify"), "working": _l("Working day"), "minutes": _l("Minutes"),
}
# A category's extra fields (Open311 attributes): the kind of answer each takes.
FIELD_TYPE_LABELS = {
    FieldType.STRING: _l("Short text"), FieldType.TEXT: _l("Long text"), FieldType.NUMBER: _l("Number"),
    FieldType.DATETIME: _l("Date and time"), FieldType.SINGLE: _l("One choice from a list"),
    FieldType.MULTI: _l("Several choices from a list"),
}
MEDIA_STATE_LABELS = {MediaState.PENDING: _l("Being fetched"), MediaState.FETCHED: _l("Fetched"),
                      MediaState.REFUSED: _l("Not fetched")}


WORDS = Words(
    enums={CaseState: STATE_LABELS, TaskState: TASK_STATE_LABELS, Level: LEVEL_LABELS, Channel: CHANNEL_LABELS,
           Satisfaction: SATISFACTION_LABELS, ClockKind: CLOCK_LABELS, VisitPurpose: PURPOSE_LABELS,
           ExtensionState: EXTENSION_LABELS, FieldType: FIELD_TYPE_LABELS, MediaState: MEDIA_STATE_LABELS},
    events=EVENT_LABELS, fields=FIELD_LABELS,
    objects={"Case": _l("Case"), "Category": _l("Case category"), "Patrol": _l("Patrol"),
             "Visit": _l("Household visit")},
    links={"Case": ("cases.show", "case_id")})


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
