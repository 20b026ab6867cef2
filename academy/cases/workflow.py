"""The case workflow as data: ONE table of case transitions and one of task transitions.

Operations look an action up here (``operations.core``'s ``CASE_WORKFLOW``, an ``academy.workflow.Workflow``),
refuse it when the case is not in one of its source states, and log every move as a case event (actor,
from, to, note, time). A target of ``None`` means the
operation decides (a resumed case goes back to where it was).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.cases.models import CaseState as S
from academy.cases.models import TaskState as T
from academy.workflow import Step as Transition

ACTIVE = frozenset({S.ACCEPTED, S.DISPATCHED, S.SIGNED, S.HANDLING})
IN_HANDS = frozenset({S.DISPATCHED, S.SIGNED, S.HANDLING})


CASE_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT}), S.REPORTED, _l("Reported")),
    "accept": Transition(frozenset({S.REPORTED}), S.ACCEPTED, _l("Accepted")),
    "self_handle": Transition(frozenset({S.ACCEPTED}), S.HANDLED, _l("Handled by the grid worker")),
    "close_self": Transition(frozenset({S.HANDLED}), S.CLOSED, _l("Closed by the grid worker")),
    "dispatch": Transition(frozenset({S.ACCEPTED}), S.DISPATCHED, _l("Dispatched")),
    "sign": Transition(frozenset({S.DISPATCHED}), S.SIGNED, _l("Signed for")),
    "start": Transition(frozenset({S.DISPATCHED, S.SIGNED}), S.HANDLING, _l("Handling")),
    "finish": Transition(IN_HANDS, S.HANDLED, _l("Handled")),
    "returned": Transition(IN_HANDS, S.ACCEPTED, _l("Returned to the dispatcher")),
    "request_verification": Transition(frozenset({S.HANDLED}), S.VERIFYING, _l("Waiting for verification")),
    "verify_pass": Transition(frozenset({S.VERIFYING}), S.CLOSED, _l("Verified and closed")),
    "verify_fail": Transition(frozenset({S.VERIFYING}), S.HANDLING, _l("Verification failed: rework")),
    "return_visit": Transition(frozenset({S.CLOSED}), S.VISITED, _l("Return visit done")),
    "reopen": Transition(frozenset({S.CLOSED, S.VISITED}), S.ACCEPTED, _l("Reopened after the return visit")),
    "suspend": Transition(ACTIVE, S.SUSPENDED, _l("Suspended")),
    "resume": Transition(frozenset({S.SUSPENDED}), None, _l("Resumed")),
    "request_void": Transition(ACTIVE | {S.REPORTED}, S.VOID_PENDING, _l("Void requested")),
    "approve_void": Transition(frozenset({S.VOID_PENDING}), S.VOIDED, _l("Voided")),
    "refuse_void": Transition(frozenset({S.VOID_PENDING}), None, _l("Void refused")),
}

TASK_TRANSITIONS: dict[str, Transition] = {
    "sign": Transition(frozenset({T.DISPATCHED}), T.SIGNED, _l("Signed for")),
    "start": Transition(frozenset({T.DISPATCHED, T.SIGNED}), T.HANDLING, _l("Handling started")),
    "finish": Transition(frozenset({T.SIGNED, T.HANDLING}), T.HANDLED, _l("Handled")),
    "return": Transition(frozenset({T.DISPATCHED, T.SIGNED}), T.RETURNED, _l("Returned as not ours")),
    "rework": Transition(frozenset({T.HANDLED}), T.HANDLING, _l("Sent back for rework")),
    "withdraw": Transition(frozenset({T.DISPATCHED, T.SIGNED, T.HANDLING, T.HANDLED}), T.WITHDRAWN, _l("Withdrawn")),
}

STATE_LABELS = {
    S.DRAFT: _l("Draft"), S.REPORTED: _l("Reported"), S.ACCEPTED: _l("Accepted"), S.DISPATCHED: _l("Dispatched"),
    S.SIGNED: _l("Signed for"), S.HANDLING: _l("Handling"), S.HANDLED: _l("Handled"),
    S.VERIFYING: _l("Verifying"), S.CLOSED: _l("Closed"), S.VISITED: _l("Return-visited"),
    S.SUSPENDED: _l("Suspended"), S.VOID_PENDING: _l("Void pending approval"), S.VOIDED: _l("Voided"),
}

TASK_STATE_LABELS = {
    T.DISPATCHED: _l("Dispatched"), T.SIGNED: _l("Signed for"), T.HANDLING: _l("Handling"), T.HANDLED: _l("Handled"),
    T.RETURNED: _l("Returned"), T.WITHDRAWN: _l("Withdrawn"),
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


def allowed(action: str, state, table: dict[str, Transition] = CASE_TRANSITIONS) -> bool:
    """True if ``action`` may be taken from ``state``."""
    transition = table.get(action)
    return transition is not None and state in transition.sources


def action_label(action: str) -> str:
    """The timeline's words for an action (case or task)."""
    for table in (CASE_TRANSITIONS, TASK_TRANSITIONS):
        if action in table:
            return str(table[action].label)
    if action.startswith("task_") and action[5:] in TASK_TRANSITIONS:
        return str(TASK_TRANSITIONS[action[5:]].label)
    return str(NOTE_ACTIONS.get(action, action))
