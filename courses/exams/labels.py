"""What each value of the assessment engine's enums is called, in the user's language (English is the
source, ``zh_CN`` in the catalogue): question types, difficulties, partial-credit rules, result
release, and what a double mark's stage tells the marker once saved."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from courses.exams.formats import Difficulty
from courses.exams.grading import PartialCredit, QuestionType
from courses.exams.models import ResultRelease
from courses.exams.operations.marking import Stage

TYPE_LABELS = {QuestionType.SINGLE: _l("Single choice"), QuestionType.MULTIPLE: _l("Multiple choice"),
               QuestionType.TRUE_FALSE: _l("True/false"), QuestionType.FILL_BLANK: _l("Fill in the blank"),
               QuestionType.ESSAY: _l("Short answer / essay"), QuestionType.NUMERICAL: _l("Numerical"),
               QuestionType.MATCHING: _l("Matching")}
DIFFICULTY_LABELS = {Difficulty.EASY: _l("Easy"), Difficulty.MEDIUM: _l("Medium"), Difficulty.HARD: _l("Hard")}
CREDIT_LABELS = {PartialCredit.ALL_OR_NOTHING: _l("All or nothing"),
                 PartialCredit.NO_WRONG: _l("Share per right option, nothing if any wrong one"),
                 PartialCredit.RIGHT_MINUS_WRONG: _l("Right minus wrong")}
RELEASE_LABELS = {ResultRelease.IMMEDIATE: _l("As soon as graded"), ResultRelease.AFTER_CLOSE: _l("After the exam closes"),
                  ResultRelease.MANUAL: _l("When an instructor releases them")}
# What the marker is told after a double mark, by the stage the answer reached.
MARK_SAVED_LABELS = {Stage.SECOND: _l("First mark saved; a different instructor gives the second."),
                     Stage.FINAL: _l("Both marks are in and agree: the final points are their mean."),
                     Stage.RECONCILE: _l("Both marks are in but too far apart: the answer waits to be reconciled.")}
