"""What the exams announce; higher packages connect to these in their ``init_app``."""
from academy.signals import SIGNALS

attempt_graded = SIGNALS.signal("attempt-graded", doc="""\
An attempt's result is final or changed: graded on closing, graded by hand, or regraded.

Sent by ``exams.attempts.announce_graded`` (called by closing, hand grading and
``exams.regrade``) with ``attempt`` and ``by``, only when the attempt is graded.
Received by certificates, which issue what the result earns, or revoke what a regrade undid.""")
