"""What the cases package announces; higher packages connect to these in their ``init_app``."""
from academy.signals import SIGNALS

case_changed = SIGNALS.signal("case-changed", doc="""\
A case, or one of its tasks, extensions, verifications or return visits, changed.

Sent by every case operation through ``cases.operations.core.log_event``, which writes the
timeline entry each change leaves, with ``case``, ``action`` (the timeline's action name, e.g.
``submit``, ``task_finish``, ``grant_extension``) and ``by``.
Received by indicators, which queue a refresh of the current month's snapshots once the
transaction commits.""")

fieldwork_recorded = SIGNALS.signal("fieldwork-recorded", doc="""\
A patrol started or ended, or a household visit was logged.

Sent by ``cases.operations.fieldwork`` (``start_patrol``, ``end_patrol``, ``record_visit``) with
``record`` (the Patrol or Visit) and ``by``.
Received by indicators, whose patrol and visit counts go stale: a refresh is queued on commit.""")
