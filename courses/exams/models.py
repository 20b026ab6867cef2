"""Tables of the assessment engine: the question bank (with versions), exams, attempts, answers.

A question is a family of versions: ``family_id`` is the id of its first version and ``latest``
marks the one the bank shows and exams draw. Editing an active question adds a version; an
attempt's answers point at the exact version the trainee was shown, so a later edit never changes
what someone answered. Attempts keep their state in one Enum column, moved by ``operations``
alone and logged in ``attempt_transitions``.
"""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db
from academy.registry.models import Worker
from academy.workflow import TransitionLog
from courses.enrollment.models import Course
from courses.exams.grading import AnswerKey, PartialCredit, QuestionType, matches_of
from courses.syllabus.models import SyllabusUnit


class QuestionStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class ExamStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class ResultRelease(enum.StrEnum):
    IMMEDIATE = "immediate"  # as soon as the attempt is fully graded
    AFTER_CLOSE = "after_close"  # once the exam has closed
    MANUAL = "manual"  # when an instructor releases them


class AttemptState(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"  # closed; waiting for an essay to be graded
    GRADED = "graded"


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (sa.UniqueConstraint("family_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(index=True)  # the first version's id
    version: Mapped[int] = mapped_column(default=1)
    latest: Mapped[bool] = mapped_column(default=True, index=True)
    type: Mapped[QuestionType] = mapped_column(value_enum(QuestionType))
    title: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    stem: Mapped[str] = mapped_column(sa.Text)  # Markdown, sanitised when shown
    options: Mapped[list] = mapped_column(sa.JSON, default=list)  # choices; matching: the extra matches
    correct: Mapped[list] = mapped_column(sa.JSON, default=list)  # see grading.AnswerKey
    # Percent per answer (Moodle's fractions), following ``options`` for choices and ``correct``'s
    # answers otherwise; empty: the right answer 100 %, the rest nothing.
    weights: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    # Feedback per answer, in the same order as the weights (true/false: if true chosen, if false chosen).
    answer_feedback: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    units: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")  # numerical: [unit, multiplier]
    partial_credit: Mapped[PartialCredit] = mapped_column(value_enum(PartialCredit), default=PartialCredit.ALL_OR_NOTHING)
    case_sensitive: Mapped[bool] = mapped_column(default=False)
    width_sensitive: Mapped[bool] = mapped_column(default=False)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    rubric: Mapped[str] = mapped_column(sa.Text, default="")  # essays: what graders look for, the reference answer
    # The points an exam gives the question unless its rule says otherwise (分值, Moodle's defaultgrade);
    # empty: the rule's points alone.
    points: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    # Whether an attempt may show the options or matches in another order (with the exam's own switch).
    shuffle_answers: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("syllabus_units.id"), index=True)
    difficulty: Mapped[str] = mapped_column(sa.String(10), default="medium", index=True)
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[QuestionStatus] = mapped_column(value_enum(QuestionStatus), default=QuestionStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[SyllabusUnit | None] = relationship()

    def answer_key(self) -> AnswerKey:
        if self.type in (QuestionType.FILL_BLANK, QuestionType.MATCHING):
            correct = tuple(tuple(b) for b in self.correct)
        else:
            correct = tuple(self.correct)
        weights = tuple(tuple(w) if isinstance(w, list) else w for w in self.weights or ())
        options = tuple(matches_of(correct, self.options)) if self.type is QuestionType.MATCHING else ()
        return AnswerKey(self.type, correct, self.partial_credit, self.case_sensitive, self.width_sensitive,
                         weights=weights, units=tuple(tuple(u) for u in self.units or ()), options=options)

    @property
    def matches(self) -> list[str]:
        """A matching question's matches, in letter order (what an attempt shuffles)."""
        return matches_of(self.correct, self.options) if self.type is QuestionType.MATCHING else []

    @property
    def blanks(self) -> int:
        return max(1, len(self.correct)) if self.type is QuestionType.FILL_BLANK else 0


class Exam(db.Model):
    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    is_final: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ExamStatus] = mapped_column(value_enum(ExamStatus), default=ExamStatus.DRAFT, index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    time_limit_minutes: Mapped[int] = mapped_column(default=60)
    attempts_allowed: Mapped[int] = mapped_column(default=1)
    pass_mark: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("60"))  # percent of the total
    grace_seconds: Mapped[int] = mapped_column(default=60)
    start_window_minutes: Mapped[int | None] = mapped_column()  # starts accepted only this long after opening
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_options: Mapped[bool] = mapped_column(default=True)
    show_score: Mapped[bool] = mapped_column(default=True)
    show_answers: Mapped[bool] = mapped_column(default=False)
    release: Mapped[ResultRelease] = mapped_column(value_enum(ResultRelease), default=ResultRelease.IMMEDIATE)
    # Two blind marks per hand-graded answer (``courses.exams.marking``); marks at most this many
    # points apart are averaged, marks further apart wait for reconciliation.
    double_marking: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    double_marking_tolerance: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal("1"),
                                                              server_default="1")
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # In a branch's copy of a master course: the master's exam whose settings and blueprint this one
    # follows (``courses.masters``); the branch keeps its window (opens_at, closes_at) and publishing.
    master_exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship()
    rules: Mapped[list[ExamRule]] = relationship(back_populates="exam", order_by="ExamRule.position, ExamRule.id",
                                                 cascade="all, delete-orphan")


class ExamRule(db.Model):
    """A blueprint line: N questions of a type (from a unit, at a difficulty), or one fixed question."""

    __tablename__ = "exam_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    question_family_id: Mapped[int | None] = mapped_column()  # a fixed question (its latest active version)
    type: Mapped[QuestionType | None] = mapped_column(value_enum(QuestionType))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("syllabus_units.id"))
    difficulty: Mapped[str | None] = mapped_column(sa.String(10))
    count: Mapped[int] = mapped_column(default=1)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal("1"))

    exam: Mapped[Exam] = relationship(back_populates="rules")
    unit: Mapped[SyllabusUnit | None] = relationship()


class Accommodation(db.Model):
    """Extra time and extra attempts for one person in one exam."""

    __tablename__ = "exam_accommodations"
    __table_args__ = (sa.UniqueConstraint("exam_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")

    worker: Mapped[Worker] = relationship()


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (sa.UniqueConstraint("exam_id", "worker_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)  # who may open it
    number: Mapped[int] = mapped_column(default=1)
    state: Mapped[AttemptState] = mapped_column(value_enum(AttemptState), default=AttemptState.IN_PROGRESS, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(sa.String(20), default="")  # trainee, deadline
    last_seq: Mapped[int] = mapped_column(default=0)
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The items the trainee flagged for review (ids), saved with the answers: a reload keeps them.
    flagged: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    score: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 2))
    max_score: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2), default=Decimal("0"))
    percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    passed: Mapped[bool | None] = mapped_column()
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    exam: Mapped[Exam] = relationship()
    worker: Mapped[Worker] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(back_populates="attempt", order_by="AttemptItem.position")
    transitions: Mapped[list[AttemptTransition]] = relationship(order_by="AttemptTransition.id")


class AttemptItem(db.Model):
    """One question of one attempt: the version shown, its option order, the answer and its points."""

    __tablename__ = "attempt_items"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id"), index=True)
    position: Mapped[int] = mapped_column()
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    option_order: Mapped[list] = mapped_column(sa.JSON, default=list)  # original letters in display order
    response: Mapped[dict | list | str | None] = mapped_column(sa.JSON(none_as_null=True))
    response_seq: Mapped[int] = mapped_column(default=0)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    earned: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    needs_grading: Mapped[bool] = mapped_column(default=False, index=True)
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
    graded_by: Mapped[User | None] = relationship()


class AttemptItemMark(db.Model):
    """One marker's independent mark of a hand-graded answer under double marking (round 1 or 2).

    The answer's final points live on the item; these rows are the two marks they came from.
    One mark per round and one per marker: the same person never marks an answer twice.
    """

    __tablename__ = "attempt_item_marks"
    __table_args__ = (sa.UniqueConstraint("item_id", "round"), sa.UniqueConstraint("item_id", "marker_id"),
                      sa.CheckConstraint("round IN (1, 2)", name="round"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt_items.id"), index=True)
    round: Mapped[int] = mapped_column()
    marker_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    points: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    marker: Mapped[User] = relationship()


class AttemptTransition(TransitionLog, db.Model):
    """One step of an attempt: actor, from, to, reason, time."""

    __tablename__ = "attempt_transitions"
    workflow_columns = ("attempt_id", "from_state", "to_state")

    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id"), index=True)
    from_state: Mapped[AttemptState | None] = mapped_column(value_enum(AttemptState))
    to_state: Mapped[AttemptState] = mapped_column(value_enum(AttemptState))


class StemImage(db.Model):
    """An image uploaded for question stems, stored under FILES_DIR/exam-images by a random name.

    Stems refer to it as ``/exams/images/<key>``: the key is random, so a reference copied into a
    file and imported on another site never lands on an unrelated image that happens to have the
    same number there. An image is never changed, nor deleted while a question version shows it, so an
    old version keeps its own; ``flask exams-purge-images`` deletes those no version shows.
    """

    __tablename__ = "stem_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80))
    content_type: Mapped[str] = mapped_column(sa.String(20))
    size: Mapped[int] = mapped_column()
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuestionImage(db.Model):
    """A question version's stem shows this image: written when the version is saved, never changed
    for a version in use, so serving an image asks only which versions an attempt showed."""

    __tablename__ = "question_images"

    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), primary_key=True)
    image_id: Mapped[int] = mapped_column(sa.ForeignKey("stem_images.id"), primary_key=True, index=True)
