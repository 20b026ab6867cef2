"""The case workflow as data: ONE table of case transitions and one of task transitions.

Operations look an action up here (``operations.core``'s ``CASE_WORKFLOW``, an ``academy.workflow.Workflow``),
refuse it when the case is not in one of its source states, and log every move as a case event (actor,
from, to, note, time). A target of ``None`` means the
operation decides (a resumed case goes back to where it was).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.cases.models import CaseState, TaskState
from academy.workflow import Step

ACTIVE = frozenset({CaseState.ACCEPTED, CaseState.DISPATCHED, CaseState.SIGNED, CaseState.HANDLING})
IN_HANDS = frozenset({CaseState.DISPATCHED, CaseState.SIGNED, CaseState.HANDLING})


CASE_TRANSITIONS: dict[str, Step] = {
    "submit": Step(frozenset({CaseState.DRAFT}), CaseState.REPORTED, _l("Reported")),
    "accept": Step(frozenset({CaseState.REPORTED}), CaseState.ACCEPTED, _l("Accepted")),
    "self_handle": Step(frozenset({CaseState.ACCEPTED}), CaseState.HANDLED, _l("Handled by the grid worker")),
    "close_self": Step(frozenset({CaseState.HANDLED}), CaseState.CLOSED, _l("Closed by the grid worker")),
    "dispatch": Step(frozenset({CaseState.ACCEPTED}), CaseState.DISPATCHED, _l("Dispatched")),
    "sign": Step(frozenset({CaseState.DISPATCHED}), CaseState.SIGNED, _l("Signed for")),
    "start": Step(frozenset({CaseState.DISPATCHED, CaseState.SIGNED}), CaseState.HANDLING, _l("Handling")),
    "finish": Step(IN_HANDS, CaseState.HANDLED, _l("Handled")),
    "returned": Step(IN_HANDS, CaseState.ACCEPTED, _l("Returned to the dispatcher")),
    "request_verification": Step(frozenset({CaseState.HANDLED}), CaseState.VERIFYING, _l("Waiting for verification")),
    "verify_pass": Step(frozenset({CaseState.VERIFYING}), CaseState.CLOSED, _l("Verified and closed")),
    "verify_fail": Step(frozenset({CaseState.VERIFYING}), CaseState.HANDLING, _l("Verification failed: rework")),
    "return_visit": Step(frozenset({CaseState.CLOSED}), CaseState.VISITED, _l("Return visit done")),
    "reopen": Step(frozenset({CaseState.CLOSED, CaseState.VISITED}), CaseState.ACCEPTED, _l("Reopened after the return visit")),
    "suspend": Step(ACTIVE, CaseState.SUSPENDED, _l("Suspended")),
    "resume": Step(frozenset({CaseState.SUSPENDED}), None, _l("Resumed")),
    "request_void": Step(ACTIVE | {CaseState.REPORTED}, CaseState.VOID_PENDING, _l("Void requested")),
    "approve_void": Step(frozenset({CaseState.VOID_PENDING}), CaseState.VOIDED, _l("Voided")),
    "refuse_void": Step(frozenset({CaseState.VOID_PENDING}), None, _l("Void refused")),
}

TASK_TRANSITIONS: dict[str, Step] = {
    "sign": Step(frozenset({TaskState.DISPATCHED}), TaskState.SIGNED, _l("Signed for")),
    "start": Step(frozenset({TaskState.DISPATCHED, TaskState.SIGNED}), TaskState.HANDLING, _l("Handling started")),
    "finish": Step(frozenset({TaskState.SIGNED, TaskState.HANDLING}), TaskState.HANDLED, _l("Handled")),
    "return": Step(frozenset({TaskState.DISPATCHED, TaskState.SIGNED}), TaskState.RETURNED, _l("Returned as not ours")),
    "rework": Step(frozenset({TaskState.HANDLED}), TaskState.HANDLING, _l("Sent back for rework")),
    "withdraw": Step(frozenset({TaskState.DISPATCHED, TaskState.SIGNED, TaskState.HANDLING, TaskState.HANDLED}),
                     TaskState.WITHDRAWN, _l("Withdrawn")),
}


def allowed(action: str, state, table: dict[str, Step] = CASE_TRANSITIONS) -> bool:
    """True if ``action`` may be taken from ``state``."""
    transition = table.get(action)
    return transition is not None and state in transition.sources

