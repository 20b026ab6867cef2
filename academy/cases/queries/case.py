"""Reads of one case: what its page shows and the departments it may be dispatched to."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.accounts.models import User
from academy.cases.models import (
    Case,
    CaseEvent,
    CaseTask,
    Extension,
    ExtensionState,
    ReturnVisit,
    Verification,
)
from academy.extensions import db
from academy.registry.models import Area, Department


@dataclass
class CaseRecords:
    """Everything the case page lists about one case, each in the order it happened."""

    events: list[CaseEvent]
    extensions: list[Extension]
    tasks: list[CaseTask]
    verifications: list[Verification]
    visits: list[ReturnVisit]

    @property
    def pending_extensions(self) -> list[Extension]:
        return [ext for ext in self.extensions if ext.state == ExtensionState.REQUESTED]


def case_records(case: Case) -> CaseRecords:
    """The case's timeline, extensions, tasks, verifications and return visits."""
    def rows(model, order):
        return list(db.session.scalars(sa.select(model).where(model.case_id == case.id).order_by(*order)))

    events = list(db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
                                     .options(selectinload(CaseEvent.actor).selectinload(User.grants))))
    return CaseRecords(events=events, extensions=rows(Extension, [Extension.id]),
                       tasks=rows(CaseTask, [CaseTask.id]), verifications=rows(Verification, []),
                       visits=rows(ReturnVisit, []))


def departments_for(case: Case) -> list[Department]:
    """Active departments serving the case's area (their area code is a prefix of the case's)."""
    rows = db.session.scalars(sa.select(Department).join(Area, Department.area_id == Area.id)
                              .where(Department.active).order_by(Department.name))
    return [dept for dept in rows if case.area_code.startswith(dept.area.code)]
