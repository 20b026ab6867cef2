"""The assessment engine: question bank, exams, attempts, grading and item statistics.

- ``grading``, ``itemstats``, ``formats``: pure rules (grading of every type, statistics, GIFT and
  the Chinese spreadsheet layout).
- ``models``: questions as families of versions, exams with blueprint rules and accommodations,
  attempts with their items (the exact question version shown and its option order).
- ``bank``: question operations, imports (all-or-nothing) and exports.
- ``operations``: exam settings, blueprint, publishing, accommodations, releasing results.
- ``attempts``: start, ordered idempotent saves, close (by the trainee or the deadline), the sweep,
  grading by hand. ``regrade``: dry run and regrade against the latest answer keys.
- ``queries``: reads, exports, statistics, and ``passed_final_attempts`` / ``attempt_evidence`` for
  certificates.
- ``views`` (pages) and ``api`` (the exam page's JSON), ``setup`` (blueprint, nav, course section,
  the ``flask exams-sweep`` command, demo).

Choices: the pass mark is a percentage of the attempt's points; the "start window" setting is the
latest start, in minutes after opening; a regrade grades saved responses with the answer key of the
question's latest version (options keep the attempt's version); a trainee's attempt is shown only to
the log-in that started it (404 for everyone else, administrators included) - instructors see
answers in the grading queue and results.
"""
