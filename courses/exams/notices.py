"""What the exams tell people (``academy.notifications``): a result released to its trainee, when an
instructor releases an exam's results or grades an essay of an exam whose results were already out.
The exams' operations call these directly (a package never listens to its own signals)."""
from __future__ import annotations

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from courses.exams.models import Attempt, AttemptState


def result_released(attempt: Attempt) -> list:
    """Tell the attempt's trainee his result is there to see; once per attempt and score. Flushes."""
    user = db.session.get(User, attempt.user_id)
    if user is None or attempt.state is not AttemptState.GRADED or attempt.released_at is None:
        return []
    return notify("exam.result_released", [user], {"exam": attempt.exam.title},
                  key=f"exam.result:{attempt.id}:{attempt.score}", link=link_to("exams.attempt", attempt_id=attempt.id))


def result_changed(attempt: Attempt, by) -> None:
    """A graded result (``attempts.announce_graded``) out by someone else's hand (an essay marked, a
    regrade, the sweep closing an attempt whose time ran out) tells the trainee; his own hand-in needs
    no message (he is looking at the result)."""
    if attempt.released_at is not None and getattr(by, "id", None) != attempt.user_id:
        result_released(attempt)
