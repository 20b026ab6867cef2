"""What each value of the assessment engine's enums is called, in the user's language (English is the
source, ``zh_CN`` in the catalogue): question types, difficulties, partial-credit rules, result
release, and what a double mark's stage tells the marker once saved."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from academy.labels import Words
from courses.exams.formats import Difficulty
from courses.exams.grading import AnswerMark, PartialCredit, QuestionType
from courses.exams.models import AttemptState, ExamStatus, QuestionStatus, ResultRelease
from courses.exams.operations.marking import Stage

TYPE_LABELS = {QuestionType.SINGLE: _l("Single choice"), QuestionType.MULTIPLE: _l("Multiple choice"),
               QuestionType.TRUE_FALSE: _l("True/false"), QuestionType.FILL_BLANK: _l("Fill in the blank"),
               QuestionType.ESSAY: _l("Short answer / essay"), QuestionType.NUMERICAL: _l("Numerical"),
               QuestionType.MATCHING: _l("Matching")}
# The question bank's sort select (orders: ``queries.BANK_ORDERS``), the bank's own order first.
BANK_SORT_LABELS = {
    "newest": lazy_pgettext("sort", "Newest first"),
    "oldest": lazy_pgettext("sort", "Oldest first"),
    "easiest": lazy_pgettext("sort", "Easiest first"),
    "hardest": lazy_pgettext("sort", "Hardest first"),
}
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
QUESTION_STATUS_LABELS = {QuestionStatus.DRAFT: _l("Draft"), QuestionStatus.ACTIVE: lazy_pgettext("question", "Active"),
                          QuestionStatus.RETIRED: lazy_pgettext("question", "Retired")}
EXAM_STATUS_LABELS = {ExamStatus.DRAFT: _l("Draft"), ExamStatus.PUBLISHED: _l("Published"),
                      ExamStatus.ARCHIVED: _l("Archived")}
ATTEMPT_STATE_LABELS = {AttemptState.IN_PROGRESS: lazy_pgettext("attempt", "In progress"),
                        AttemptState.SUBMITTED: lazy_pgettext("attempt", "Submitted"),
                        AttemptState.GRADED: _l("Graded")}
EVENT_LABELS = {
    "question.create": _l("Question created"), "question.update": _l("Question changed"),
    "question.new_version": _l("New version of a question"), "question.status": _l("Question status changed"),
    "question.import": _l("Questions imported"), "question.image_upload": _l("Question image uploaded"),
    "question.image_purge": _l("Unused question images removed"),
    "exam.create": _l("Exam created"), "exam.update": _l("Exam settings changed"), "exam.publish": _l("Exam published"),
    "exam.rule_add": _l("Question rule added to an exam"), "exam.rule_remove": _l("Question rule removed from an exam"),
    "exam.accommodation": _l("Exam accommodation granted"), "exam.release": _l("Exam results released"),
    "exam.regrade": _l("Exam regraded"),
    "attempt.start": _l("Attempt started"), "attempt.close": _l("Attempt handed in"),
    "attempt.grade_item": _l("Answer graded"), "attempt.mark": _l("Answer marked"),
    "attempt.reconcile": _l("Double marking reconciled"), "attempt.regrade": _l("Attempt regraded"),
}
FIELD_LABELS = {
    "item": _l("Question"), "score": _l("Score"), "earned": _l("Points earned"), "points": _l("Points"),
    "passed": _l("Passed"), "rule": _l("Question rule"), "exam": _l("Exam"), "marks": _l("Marks"),
    "round": _l("Marking round"), "is_final": _l("Final mark"), "released": _l("Results released"), "keys": _l("Answer keys"),
    "changed": _l("Changed"), "bytes": _l("Size (bytes)"), "width": _l("Width"), "height": _l("Height"),
    "extra_minutes": _l("Extra minutes"), "extra_attempts": _l("Extra attempts"), "deadline": _l("Deadline"),
    "attempts_allowed": _l("Attempts allowed"), "closes_at": _l("Closes at"), "opens_at": _l("Opens at"),
    "double_marking": _l("Double marking"), "double_marking_tolerance": _l("Double marking tolerance"),
    "grace_seconds": _l("Grace period (seconds)"), "pass_mark": _l("Pass mark"), "release": _l("Results shown"),
    "show_answers": _l("Show answers"), "show_score": _l("Show score"), "shuffle_options": _l("Shuffle options"),
    "shuffle_questions": _l("Shuffle questions"), "start_window_minutes": _l("Start window (minutes)"),
    "time_limit_minutes": _l("Time limit (minutes)"), "stem": _l("Question text"), "options": _l("Options"),
    "correct": _l("Correct answer"), "explanation": _l("Explanation"), "rubric": _l("Marking rubric"),
    "difficulty": _l("Difficulty"), "tags": _l("Tags"), "unit_id": _l("Syllabus unit"),
    "partial_credit": _l("Partial credit"), "case_sensitive": _l("Case sensitive"), "width_sensitive": _l("Width sensitive"),
}
ANSWER_MARK_LABELS = {AnswerMark.RIGHT: _l("Right"), AnswerMark.PARTLY: _l("Partly right"), AnswerMark.WRONG: _l("Wrong"),
                      AnswerMark.PENDING: _l("Waiting to be marked")}
STAGE_LABELS = {Stage.FIRST: _l("Waiting for the first mark"), Stage.SECOND: _l("Waiting for the second mark"), Stage.FINAL: _l("Final points set"),
                Stage.RECONCILE: _l("Waiting to be reconciled")}
WORDS = Words(enums={QuestionType: TYPE_LABELS, Stage: STAGE_LABELS, PartialCredit: CREDIT_LABELS,
                     ResultRelease: RELEASE_LABELS, QuestionStatus: QUESTION_STATUS_LABELS,
                     ExamStatus: EXAM_STATUS_LABELS, AttemptState: ATTEMPT_STATE_LABELS,
                     AnswerMark: ANSWER_MARK_LABELS},
              events=EVENT_LABELS, fields=FIELD_LABELS,
              objects={"Exam": _l("Exam"), "Question": _l("Question"), "Attempt": _l("Exam attempt")},
              links={"Exam": ("exams.exam", "exam_id"), "Question": ("exams.question", "question_id")})
