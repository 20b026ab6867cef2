"""Case operations: each takes the acting user, checks the domain rules, changes the records,
logs a case event and an audit entry, and flushes. The caller commits once."""
from academy.cases.operations.admin import (  # noqa: F401
    add_department_member,
    create_api_client,
    join_department,
    key_hash,
    remove_department_member,
    remove_holiday,
    save_calendar,
    save_category,
    set_holiday,
)
from academy.cases.operations.closing import (  # noqa: F401
    decide_extension,
    decide_void,
    escalate_overdue,
    record_return_visit,
    request_extension,
    request_void,
    resume_case,
    supervise_case,
    suspend_case,
    verify_case,
)
from academy.cases.operations.core import CaseError, calendar_snapshot, work_calendar  # noqa: F401
from academy.cases.operations.fieldwork import end_patrol, record_visit, start_patrol  # noqa: F401
from academy.cases.operations.flow import (  # noqa: F401
    Dispatch,
    accept_case,
    dispatch_case,
    finish_task,
    return_task,
    sign_task,
    start_task,
)
from academy.cases.operations.intake import (  # noqa: F401
    Report,
    check_reporter,
    file_report,
    link_report,
    report_case,
)
from academy.cases.operations.open311 import (  # noqa: F401
    MEDIA_JOB,
    add_category_field,
    keep_extras,
    retire_category_field,
)
