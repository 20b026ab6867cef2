"""Reads of the case module, one module per concern, the common ones re-exported here: every read
that more than one place needs and every read a view or the API does."""
from academy.cases.queries.admin import (  # noqa: F401
    categories,
    department_members,
    departments,
    holidays,
    picker_handlers,
    root_categories,
    user_by_username,
)
from academy.cases.queries.case import CaseRecords, case_records, departments_for  # noqa: F401
from academy.cases.queries.fieldwork import (  # noqa: F401
    PATROL_MINUTES_PER_DAY,
    PATROLS_PER_DAY,
    DayCompliance,
    compliance,
    open_patrol,
    recent_patrols,
    recent_visits,
)
from academy.cases.queries.intake import active_categories, case_by_submission_key, hotline_places  # noqa: F401
from academy.cases.queries.lists import (  # noqa: F401
    LIGHTS,
    CaseFilter,
    board_counts,
    case_query,
    light_clause,
    light_of,
    mine_query,
    notifications_of,
    similar_open_cases,
    state_counts,
    task_light,
)
from academy.cases.queries.places import Place, place_at  # noqa: F401
from academy.cases.queries.work import count_cases, to_handle_count  # noqa: F401
