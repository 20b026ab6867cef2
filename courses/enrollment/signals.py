"""What enrollment announces; higher packages connect to these in their ``init_app``."""
from academy.signals import SIGNALS

training_recorded = SIGNALS.signal("training-recorded", doc="""\
A worker's credited training hours or a course result changed.

Sent with ``worker`` and ``by`` (None for the trainee's own progress) by
``enrollment.operations`` (a course completed or failed), ``enrollment.training`` (attendance
of a class session changed someone's classroom hours) and ``lessons.operations`` (online hours
changed as lessons were finished).
Received by certificates, which issue what the worker has now earned.""")

course_result_changed = SIGNALS.signal("course-result-changed", doc="""\
An enrollment was completed or failed, or its completion by rule was taken back.

Sent with ``enrollment`` (its ``state`` says which) and ``by`` (None for the rule) by
``enrollment.operations.finish`` and ``enrollment.operations._take_back``, in the caller's transaction.
Received by programmes, which enrol the worker in the programme's next course.""")
