"""Forms of the case module, re-exported."""
from academy.cases.forms.admin import (  # noqa: F401
    CalendarForm,
    CategoryFieldForm,
    CategoryForm,
    HolidayForm,
    MemberForm,
)
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
from academy.cases.forms.intake import HotlineForm, PlaceQuery, WorkerReportForm  # noqa: F401
