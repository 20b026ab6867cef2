"""The field worker's home card "cases waiting" and his "cases" tab: only for a grid worker who does
case work: on duty (not a trainee without a worker record, not one in training or suspended)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from academy.cases.errors import CaseError
from academy.cases.operations import check_reporter
from academy.cases.queries import to_handle_count
from academy.contributions import NextStep
from academy.registry.queries import worker_of_user


def does_case_work(user) -> bool:
    """A grid worker who may report cases: on duty (the rule of ``check_reporter``, asked, not copied)."""
    try:
        check_reporter(worker_of_user(user))
    except CaseError:
        return False
    return True


def cases_waiting(user) -> NextStep | None:
    """Open cases with a task of his still in hand; the report form one tap away."""
    if not does_case_work(user):
        return None
    return NextStep("cases.waiting", _("Cases waiting for me"), to_handle_count(user),
                    url_for("cases.mine", to_handle="1"), icon="inbox", tone="",
                    action=(_("Report a case"), url_for("cases.report")),
                    empty=_("No case waits for you. Report one when you see a problem on your grid."))
