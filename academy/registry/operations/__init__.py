"""Registry operations: everything that changes areas, grids, workers, assignments, departments.

Each takes the acting user ``by`` (None for the system), checks the domain rules (raising
``RegistryError`` with a message for the user), changes the models, writes the audit log and
flushes. None commits. Later modules call ``put_on_duty`` and ``take_off_duty`` from here.
"""
from academy.registry.operations.areas import (  # noqa: F401
    RegistryError,
    create_area,
    create_department,
    create_grid,
    next_grid_code,
    retire_grid,
    split_grid,
    update_department,
    update_grid,
    validate_grid_code,
)
from academy.registry.operations.assignments import (  # noqa: F401
    assign_worker,
    end_assignment,
    sync_held_assignments,
)
from academy.registry.operations.logins import AccountCounts, create_worker_accounts  # noqa: F401
from academy.registry.operations.photos import remove_worker_photo, set_worker_photo  # noqa: F401
from academy.registry.operations.staff import StaffImportResult, import_staff  # noqa: F401
from academy.registry.operations.workers import (  # noqa: F401
    change_status,
    create_worker,
    exit_worker,
    find_worker_by_id_number,
    put_on_duty,
    reveal_id_number,
    take_off_duty,
    update_worker,
)
