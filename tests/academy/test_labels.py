"""Words, not codes: every enum member, every audit event code and every audited field the app can
write has a label in both languages, found by walking the code rather than by a list kept by hand."""
from __future__ import annotations

import ast
import enum
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from academy.cases.labels import NOTE_ACTIONS
from academy.cases.workflow import CASE_TRANSITIONS, TASK_TRANSITIONS
from academy.labels import enum_labels, event_label, field_label, known_events, label, value_words
from courses.certificates.models import CertificateStatus
from courses.enrollment.models import CourseStatus, EnrollmentState
from courses.syllabus.models import ReviewDecision, VersionStatus

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("academy", "courses", "citydata")
CJK = re.compile(r"[\u4e00-\u9fff]")
WRITERS = {"record", "apply_changes"}  # academy.audit's two ways to write an entry

# The codes made at run time ("case." + an action): the pattern the walk finds, and every code it can make.
FAMILIES = {
    "case.*": [f"case.{step}" for step in CASE_TRANSITIONS] + [f"case.task_{step}" for step in TASK_TRANSITIONS]
              + [f"case.{action}" for action in NOTE_ACTIONS],
    "certificate.*": [f"certificate.{status.value}" for status in CertificateStatus],
    "course.*": [f"course.{status.value}" for status in CourseStatus],
    "enrollment.*": [f"enrollment.{state.value}" for state in EnrollmentState],
    "syllabus.*": [f"syllabus.{status.value}" for status in VersionStatus],
    "syllabus.review_*": [f"syllabus.review_{decision.value}" for decision in ReviewDecision],
    "activation.*": ["activation.letters", "activation.reset"],  # request_letters(reason=...)
}


def _app_enums() -> list[type[enum.Enum]]:
    found = {}
    for package in ("academy", "courses"):
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == info.name:
                    found[value.__qualname__ + value.__module__] = value
    return list(found.values())


def test_the_walk_finds_the_enums():
    names = {cls.__name__ for cls in _app_enums()}
    assert {"CaseState", "Channel", "ExamStatus", "AttemptState", "CourseStatus", "CertificateStatus", "Role"} <= names


@pytest.mark.parametrize("enum_cls", _app_enums(), ids=lambda cls: cls.__name__)
def test_every_enum_member_has_words_in_both_languages(app, enum_cls):
    with app.test_request_context():
        assert enum_labels(enum_cls) is not None, f"no labels.py hands up labels of {enum_cls.__name__}"
        for member in enum_cls:
            with force_locale("en"):
                english = label(member)
            with force_locale("zh_CN"):
                chinese = label(member)
            # English may say a one-word value as it is stored ("valid"), never a code ("in_progress").
            assert english and (english != member.value or re.fullmatch(r"[a-z]+", member.value)), (member, english)
            assert not CJK.search(english), (member, english)
            assert CJK.search(chinese), (member, chinese)


# ---- audit event codes ---------------------------------------------------------------------------

def _writer_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITERS
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"):
            yield node


def _patterns(node: ast.AST, scope: ast.AST, tree: ast.AST) -> set[str]:
    """Every code an expression can be, with ``*`` for a part only known at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _patterns(node.body, scope, tree) | _patterns(node.orelse, scope, tree)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in _patterns(node.left, scope, tree) for b in _patterns(node.right, scope, tree)}
    if isinstance(node, ast.JoinedStr):
        parts = [{v.value} if isinstance(v, ast.Constant) else {"*"} for v in node.values]
        return {"".join(p) for p in _product(parts)}
    if isinstance(node, ast.Name):
        return _name_patterns(node.id, scope, tree)
    raise AssertionError(f"cannot tell which codes {ast.unparse(node)} makes: write them plainly")


def _product(parts):
    combos = [""]
    for options in parts:
        combos = [c + o for c in combos for o in options]
    return combos


def _name_patterns(name: str, scope, tree) -> set[str]:
    """A local assigned in the function, or a parameter: then the values its callers pass."""
    assigned = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
                for t in n.targets if isinstance(t, ast.Name) and t.id == name]
    if assigned:
        return set().union(*(_patterns(value, scope, tree) for value in assigned))
    params = [a.arg for a in scope.args.args + scope.args.kwonlyargs]
    assert name in params, f"{name} in {scope.name}"
    if name == "reason" and scope.name == "request_letters":
        return {"*"}  # a family: FAMILIES["activation.*"] lists its values
    index = params.index(name)
    found = set()
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == scope.name:
            found |= _patterns(call.args[index], scope, tree)
    assert found, f"no caller of {scope.name} passes {name}"
    return found


def _written_codes() -> dict[str, str]:
    """Every code (or pattern) an audit call can write, with where."""
    codes = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
            for call in _writer_calls(tree):
                scope = next(f for f in functions if f.lineno <= call.lineno <= f.end_lineno
                             and all(not (g.lineno <= call.lineno <= g.end_lineno and g.lineno > f.lineno)
                                     for g in functions))
                action = call.args[1] if len(call.args) > 1 else next(k.value for k in call.keywords if k.arg == "action")
                for code in _patterns(action, scope, tree):
                    codes[code] = f"{path.relative_to(ROOT)}:{call.lineno}"
    return codes


def test_the_walk_finds_the_audit_calls():
    codes = _written_codes()
    assert {"user.login", "grid.update", "area.update", "user.password_reset", "certificate.*", "case.*",
            "training_assignment.extension_grant", "assignment.effective"} <= set(codes)


def test_every_audit_event_has_words_in_both_languages(app):
    codes = _written_codes()
    wild = {code for code in codes if "*" in code}
    assert wild == set(FAMILIES), "a new family of codes: list its members in FAMILIES"
    every = (set(codes) - wild) | {code for members in FAMILIES.values() for code in members}
    with app.test_request_context():
        known = known_events()
        for code in sorted(every):
            assert code in known, f"{code} ({codes.get(code, 'family')}) has no label"
            with force_locale("zh_CN"):
                chinese = event_label(code)
            with force_locale("en"):
                english = event_label(code)
            assert CJK.search(chinese) and not CJK.search(english) and english != code, (code, chinese, english)


# ---- audited fields ------------------------------------------------------------------------------

def _audited_fields() -> dict[str, str]:
    """The keys of every before/after dict written by hand, and the field lists passed to apply_changes."""
    fields = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            lists = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
                     if isinstance(t, ast.Name)}
            for call in _writer_calls(tree):
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                for keyword in call.keywords:
                    if keyword.arg in ("before", "after") and isinstance(keyword.value, ast.Dict):
                        fields.update({k.value: where for k in keyword.value.keys if isinstance(k, ast.Constant)})
                if call.func.attr == "apply_changes":
                    names = call.args[3]
                    names = lists.get(names.id, names) if isinstance(names, ast.Name) else names
                    fields.update({e.value: where for e in getattr(names, "elts", [])})
    return fields


def test_every_audited_field_has_words_in_both_languages(app):
    fields = _audited_fields()
    assert {"status", "reason", "valid_until", "work_start", "phone"} <= set(fields)
    with app.test_request_context():
        for name, where in sorted(fields.items()):
            with force_locale("zh_CN"):
                chinese = field_label(name)
            assert CJK.search(chinese), f"{name} ({where}) has no label"


def test_stored_values_read_as_words(app):
    with app.test_request_context(), force_locale("zh_CN"):
        assert value_words("revoked", "Certificate", "status") == "已撤销"
        assert value_words({"status": "valid", "active": True}, "Certificate") == "状态：有效；已启用：是"
        assert value_words("张娟 said: other") == "张娟 said: other"  # free text stays as typed
        assert label("Standard assessment") == "标准考核方案"  # the default scheme, stored in English
