"""The one workflow mechanism (``academy.workflow``), walked over every workflow the app declares.

The workflows and transition tables are discovered from the app's own modules and models, so a
workflow added later is walked too: each refuses every move it does not declare, in the user's
language, with its own package's error, and changes nothing; each transition table is written by
exactly one workflow.
"""
from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

import academy
import courses
from academy.extensions import db
from academy.workflow import TransitionLog, Workflow
from courses.syllabus import operations as syllabus_ops
from courses.syllabus.models import VersionStatus, VersionTransition

CJK = re.compile(r"[\u4e00-\u9fff]")


def _declared_workflows() -> dict[str, Workflow]:
    """Every ``Workflow`` bound to a module-level name in the app's packages, by dotted name."""
    found = {}
    for package in (academy, courses):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, Workflow) and value.__class__ is Workflow and value.of.__module__ != __name__:
                    found.setdefault(id(value), (f"{info.name}.{name}", value))
    return dict(found.values())


WORKFLOWS = _declared_workflows()


def _states(workflow: Workflow) -> list:
    return [None, *sa.inspect(workflow.of).columns[workflow.state].type.enum_class]


def _refused_moves(workflow: Workflow):
    """(from, to, step) for every move the workflow does not declare."""
    states = _states(workflow)
    for step, declared in workflow.steps.items():
        yield from ((before, None, step) for before in states if before not in declared.sources)
    if not workflow.steps:
        yield from ((before, to, None) for before in states for to in states[1:] if not workflow.allows(before, to))


def test_the_app_declares_its_workflows():
    assert {name.rsplit(".", 1)[0] for name in WORKFLOWS} >= {
        "academy.cases.operations.core", "courses.certificates.lifecycle", "courses.enrollment.operations",
        "courses.exams.operations.attempts", "courses.syllabus.operations"}


def test_every_transition_table_is_written_by_one_workflow():
    logs = [mapper.class_ for mapper in db.Model.registry.mappers if issubclass(mapper.class_, TransitionLog)]
    tables = {name for name in db.metadata.tables if name.endswith("_transitions")}
    assert {model.__tablename__ for model in logs} == tables
    for model in logs:
        writers = [workflow for workflow in WORKFLOWS.values() if workflow.log is model]
        assert len(writers) == 1, model
        owner, from_column, to_column = model.workflow_columns
        columns = model.__table__.c
        assert {fk.column.table for fk in columns[owner].foreign_keys} == {writers[0].of.__table__}
        state_type = writers[0].of.__table__.c[writers[0].state].type.enum_class
        assert columns[from_column].type.enum_class is state_type and columns[to_column].type.enum_class is state_type


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_undeclared_move_is_refused_in_the_users_language_and_changes_nothing(app, name):
    workflow = WORKFLOWS[name]
    package = ".".join(workflow.of.__module__.split(".")[:2])  # academy.cases, courses.exams ...
    refused = list(_refused_moves(workflow))
    assert refused, "a workflow that allows every move checks nothing"
    with app.test_request_context(), force_locale("zh_CN"):
        for before, to, step in refused:
            obj = workflow.of(**{workflow.state: before})
            with pytest.raises(ValueError) as refusal:
                workflow.move(obj, to, by=None, reason="walk", step=step)
            assert type(refusal.value).__module__.startswith(package), (before, to, step)  # the package's own error
            assert CJK.search(str(refusal.value)), str(refusal.value)
            assert getattr(obj, workflow.state) == before
            assert not db.session.new and not db.session.dirty


def test_a_move_sets_the_state_and_logs_actor_from_to_reason_and_time(app, make_user):
    with app.test_request_context():
        user = make_user("committee1")
        version = syllabus_ops.create_version(user, title="Walk")
        syllabus_ops.WORKFLOW.move(version, VersionStatus.UNDER_REVIEW, by=user, reason="x" * 600)
        assert not db.session.new  # flushed
        rows = db.session.scalars(sa.select(VersionTransition).where(VersionTransition.version_id == version.id)
                                  .order_by(VersionTransition.id)).all()
        assert version.status is VersionStatus.UNDER_REVIEW
        assert [(r.from_status, r.to_status) for r in rows] == [(None, VersionStatus.DRAFT),
                                                                 (VersionStatus.DRAFT, VersionStatus.UNDER_REVIEW)]
        assert rows[-1].by_id == user.id and rows[-1].reason == "x" * 500 and rows[-1].at is not None
