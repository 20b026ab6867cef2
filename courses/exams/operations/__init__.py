"""Every change the assessment engine makes: each operation takes the acting user, checks the
domain rules, changes the records, writes the audit entry, sends its signals and flushes; the
caller (the request cycle, a command, a job) commits once.

- ``exams``: exam settings, the blueprint, publishing, accommodations, releasing results
  (re-exported here: ``operations.save_exam(...)``);
- ``attempts``: start, ordered idempotent saves, close (by the trainee or the deadline), the
  sweep, grading by hand (``answers`` checks what a save brings); ``marking``: double marking; ``regrade``: dry run and regrade;
- ``bank``: questions, their versions, imports and exports; ``images``: stem images.
"""
from courses.exams.operations.exams import (  # noqa: F401
    SETTINGS,
    ExamError,
    add_rule,
    marking_begun,
    publish_exam,
    release_results,
    remove_rule,
    save_exam,
    set_accommodation,
)
