"""Forms of the case module, re-exported."""
from academy.cases.forms.admin import CalendarForm, CategoryForm, HolidayForm, MemberForm  # noqa: F401
from academy.cases.forms.fieldwork import PatrolEndForm, PatrolStartForm, VisitForm  # noqa: F401
from academy.cases.forms.flow import (  # noqa: F401
    DecideForm,
    ExtensionForm,
    FilterForm,
    FinishForm,
    LinkForm,
    NoteForm,
    ReasonForm,
    ReturnVisitForm,
    VerifyForm,
    dispatch_form,
)
from academy.cases.forms.intake import HotlineForm, WorkerReportForm  # noqa: F401
