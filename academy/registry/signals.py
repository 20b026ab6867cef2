"""What the registry announces; higher packages connect to these in their ``init_app``."""
from academy.signals import SIGNALS

worker_status_changed = SIGNALS.signal("worker-status-changed", doc="""\
A worker moved along the lifecycle table (joined, in training, on duty, suspended, exited...).

Sent by ``registry.operations.change_status`` after every step, with ``worker``, ``before`` (the
status left, None for a new worker), ``after`` and ``by`` (the acting user, or None).
The registry's own ``operations.logins.follow_status`` (an exit disables the worker's log-in, a
return enables it) is called by ``change_status`` itself, not through this signal. Received by certificates, which suspend a worker's certificates when he is suspended or exits and
restore them when he returns.""")

worker_record_changed = SIGNALS.signal("worker-record-changed", doc="""\
A worker was recorded (a new hire), or his record changed in what mandatory-training audiences match:
his area (a transfer), his employment type or his hiring date.

Sent by ``registry.operations.create_worker`` (with ``changed`` naming every field) and
``registry.operations.update_worker`` (``changed``: the matched fields that changed), with ``worker``
and ``by``. Received by enrollment's ``standing.on_worker_changed``, which gives him the mandatory
training of every standing rule he now matches and takes away the open ones he no longer matches.
(The spreadsheet import records workers in bulk; the daily sweep reaches them.)""")

staff_account_created = SIGNALS.signal("staff-account-created", doc="""\
A staff log-in was created by the staff import (HR, instructor, dispatcher, department handler, viewer).

Sent by ``registry.operations.import_staff`` for each account, with ``user``, ``department`` (the
``Department`` a department handler acts for, else None) and ``by``. Received by the cases'
``operations.admin.join_department``, which makes the department handler a member of his department
(membership lives with the cases, above the registry).""")
