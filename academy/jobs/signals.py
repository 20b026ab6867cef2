"""What the background jobs announce; higher packages connect to these in their ``init_app``."""
from academy.signals import SIGNALS

job_ended = SIGNALS.signal("job-ended", doc="""\
A background job ran to its end: done (its result written, or its input refused) or failed.

Sent by ``jobs.core`` in the job's last write transaction, just before the commit that records its
status, with ``job`` (the ``Job`` row: ``status``, ``message``, ``refused``, ``created_by_id``) and
``label`` (what the job is called, a lazy string given to ``job_handler``, or None for a job nobody
is told of). Received by the notifications, which tell the person who started a labelled job.""")
