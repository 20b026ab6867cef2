"""Staff log-ins in bulk from an .xlsx: all rows or none.

HR, instructors, dispatchers, department handlers and viewers get a log-in with their role in
their area and, like worker log-ins, no usable password until they activate it. Department
membership belongs to the cases, which sit above the registry: the registry announces each
account with ``staff_account_created`` and the cases add the department handler to his department.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from academy import audit
from academy.accounts.operations import create_account, grant_role
from academy.files import display_name
from academy.registry.exchange.staff import check_staff, read_staff
from academy.registry.signals import staff_account_created
from academy.signals import send


@dataclass
class StaffImportResult:
    """What ``import_staff`` did: the problems (nothing written) or how many log-ins it made."""

    problems: list[str] = field(default_factory=list)
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return _("%(n)d problems found; nothing was imported.", n=len(self.problems))
        return _("%(n)d staff log-ins created.", n=self.created)


def import_staff(filename: str, data: bytes, by, scopes: list[str] | None = None) -> StaffImportResult:
    """Read and check a staff workbook and, when every row is valid, create every log-in with its
    role (and department). Raises ``FileProblem`` for a file that cannot be read. Flushes, audits
    each account and the import, never commits; the caller discards a result with problems."""
    check = check_staff(read_staff(data), scopes)
    result = StaffImportResult(problems=check.problems)
    if not result.ok:
        return result
    for row in check.rows:
        user = create_account(row.username, by, display_name=row.name)
        grant_role(user, row.role, by, area_code=row.area.code, area_label=row.area.full_name)
        send(staff_account_created, user=user, department=row.department, by=by)
        result.created += 1
    audit.record(by, "staff.import", None, summary=f"{display_name(filename)}: {result.summary()}"[:500],
                 after={"created": result.created})
    return result
