"""The assessment engine: question bank, exams, attempts, grading and item statistics.

- ``grading``, ``itemstats``, ``formats``, ``content``: pure rules (grading of every type, statistics,
  GIFT and the Chinese spreadsheet layout, safe stems).
- ``models``: questions as families of versions, exams with blueprint rules and accommodations,
  attempts with their items (the exact question version shown and its option order).
- ``operations/``: every change - ``exams`` (settings, blueprint, publishing, accommodations,
  releasing results), ``attempts`` (start, ordered idempotent saves, close by the trainee or the
  deadline, the sweep, grading by hand), ``answers``, ``marking`` (double marking), ``regrade``
  (dry run and regrade against the latest answer keys), ``bank`` (questions, imports, exports),
  ``images`` (stem images).
- ``queries``: every read the pages and operations share, exports, statistics, and
  ``passed_final_attempts`` / ``attempt_evidence`` for certificates. ``access``: ``can_manage_exam``,
  ``is_released``, ``can_view_image``. ``labels``: what each enum value is called.
- ``forms``, ``views`` (pages) and ``api`` (the exam page's JSON), ``signals`` (``attempt_graded``),
  ``setup`` (blueprint, nav, course section, the ``flask exams-sweep`` command).

Choices: the pass mark is a percentage of the attempt's points; the "start window" setting is the
latest start, in minutes after opening; a regrade grades saved responses with the answer key of the
question's latest version (options keep the attempt's version); a trainee's attempt is shown only to
the log-in that started it (404 for everyone else, administrators included) - instructors see
answers in the grading queue and results.
"""
