"""The case module's tables, one module per concern, re-exported here."""
from academy.cases.models.calendar import Holiday, WorkCalendar  # noqa: F401
from academy.cases.models.case import (  # noqa: F401
    OPEN_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    CaseState,
    CaseTask,
    Channel,
    Extension,
    ExtensionState,
    Level,
    Notification,
    ReturnVisit,
    Satisfaction,
    TaskState,
    Verification,
)
from academy.cases.models.category import Category, ClockKind  # noqa: F401
from academy.cases.models.fieldwork import Patrol, Visit, VisitPurpose  # noqa: F401
from academy.cases.models.people import ApiClient, DepartmentMember  # noqa: F401
