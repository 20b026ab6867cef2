"""The question bank's list: the latest version of each question, filtered, in the order asked for."""
from __future__ import annotations

import sqlalchemy as sa

from academy.database import ordered
from academy.extensions import db
from courses.exams.models import Question

_DIFFICULTY_RANK = sa.case({"easy": 0, "medium": 1, "hard": 2}, value=Question.difficulty, else_=1)
# The bank's orders (its sort select): key -> ORDER BY, the bank's own (newest question first) first.
BANK_ORDERS = {
    "newest": (Question.family_id.desc(),),
    "oldest": (Question.family_id,),
    "easiest": (_DIFFICULTY_RANK, Question.family_id.desc()),
    "hardest": (_DIFFICULTY_RANK.desc(), Question.family_id.desc()),
}


def bank_questions(*, search: str = "", unit_id: int | None = None, kind: str = "", status: str = "",
                   sort: str = "", limit: int = 500) -> list[Question]:
    """The latest version of each question, filtered, in the order ``sort`` names (``BANK_ORDERS``)."""
    query = ordered(sa.select(Question).where(Question.latest.is_(True)), BANK_ORDERS, sort)
    if search:
        query = query.where(Question.stem.ilike(f"%{search}%", escape="\\"))
    if unit_id:
        query = query.where(Question.unit_id == unit_id)
    if kind:
        query = query.where(Question.type == kind)
    if status:
        query = query.where(Question.status == status)
    return db.session.scalars(query.limit(limit)).all()
