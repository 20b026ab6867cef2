"""Every package keeps DESIGN.md's skeleton (issue 15, item 5), walked over the packages the app
itself serves (each blueprint's package, found in ``app.url_map``), so a new package is checked too:

- its views and API read through ``queries`` (no ``sa.select``, ``db.session.scalar(s)``/``execute``
  or ``.query`` in a view or API module);
- its forms fill their own choices (no view assigns ``form.x.choices``);
- its label dicts (``*_LABELS``) live in its ``labels.py``;
- it imports the app's modules by their own name (no ``operations as ops``);
- an import inside a function says why, in a comment on its line or the line above;
- no file runs past ``MAX_LINES`` (past that, it becomes a package of its own).

``NOT_YET_SHAPED`` names the packages other branches of issue 15 are reshaping; the test asserts
they still break a rule, so whoever finishes one must take it off the list.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_YET_SHAPED = {
                  "courses.certificates", "courses.enrollment"}
SESSION_READS = {"scalar", "scalars", "execute"}
MAX_LINES = 350


def _packages(app) -> list[str]:
    """The domain package of every view function the app serves (``academy.indicators`` ...)."""
    modules = {app.view_functions[rule.endpoint].__module__ for rule in app.url_map.iter_rules()}
    return sorted({".".join(name.split(".")[:2]) for name in modules if name.startswith(("academy.", "courses."))})


def _modules(package: str) -> dict[str, Path]:
    path = Path(importlib.import_module(package).__file__)
    paths = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]  # a plain module serves views too
    return {".".join(item.relative_to(ROOT).with_suffix("").parts): item for item in paths}


def _is_view(name: str) -> bool:
    return ".views" in name or name.endswith(".api")


def _hand_reads(tree: ast.AST) -> list[int]:
    """Lines of ``sa.select(...)``, ``db.session.scalar(s)/execute(...)`` and ``Model.query``."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            owner = node.value
            if node.attr == "select" and isinstance(owner, ast.Name) and owner.id == "sa":
                lines.append(node.lineno)
            elif node.attr in SESSION_READS and isinstance(owner, ast.Attribute) and owner.attr == "session":
                lines.append(node.lineno)
            elif node.attr == "query" and isinstance(owner, ast.Name) and owner.id[:1].isupper():
                lines.append(node.lineno)
    return lines


def _choices_assigned(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Attribute) and target.attr == "choices"]


def _label_dicts(tree: ast.Module) -> list[int]:
    return [node.lineno for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name) and target.id.endswith("_LABELS")]


def _aliased_app_modules(tree: ast.AST) -> list[int]:
    """``from x import module as other_name`` where ``x.module`` is a module of the app."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(("academy", "courses")):
            for alias in node.names:
                if alias.asname and alias.asname != alias.name and (
                        ROOT / node.module.replace(".", "/") / f"{alias.name}.py").exists():
                    lines.append(node.lineno)
    return lines


def _silent_inner_imports(tree: ast.AST, lines: list[str]) -> list[int]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                    if not said:
                        found.append(node.lineno)
    return found


def _breaches(package: str) -> list[str]:
    breaches = []
    for name, path in _modules(package).items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        found = {"imports an app module under another name": _aliased_app_modules(tree),
                 "imports inside a function without saying why": _silent_inner_imports(tree, text.splitlines())}
        if _is_view(name):
            found["reads by hand in a view"] = _hand_reads(tree)
            found["fills a form's choices in a view"] = _choices_assigned(tree)
        if len(text.splitlines()) > MAX_LINES:
            found["runs past MAX_LINES lines"] = [MAX_LINES + 1]
        if path.name != "labels.py":
            found["keeps label dicts outside labels.py"] = _label_dicts(tree)
        breaches += [f"{name}:{line} {rule}" for rule, lines in found.items() for line in lines]
    return breaches


def test_the_walk_finds_the_packages(app):
    found = _packages(app)
    assert {"academy.indicators", "courses.syllabus", "courses.lessons", "academy.cases"} <= set(found)
    assert NOT_YET_SHAPED <= set(found)  # a package leaving the app leaves the list too


@pytest.fixture(scope="module")
def packages(app):
    return _packages(app)


def test_every_shaped_package_keeps_the_skeleton(packages):
    breaches = [breach for package in packages if package not in NOT_YET_SHAPED for breach in _breaches(package)]
    assert breaches == []


@pytest.mark.parametrize("package", sorted(NOT_YET_SHAPED))
def test_packages_not_yet_shaped_still_break_a_rule(package):
    """When this fails, the package keeps the skeleton: take it off ``NOT_YET_SHAPED``."""
    assert _breaches(package) != []


def test_the_rules_catch_what_they_name():
    """Each rule finds its own example, so a rule that stopped matching would show here."""
    source = ("from courses.syllabus import operations as ops\n"
              "STATUS_LABELS = {}\n"
              "def view(form):\n"
              "    import json\n"
              "    form.kind.choices = []\n"
              "    return sa.select(User), db.session.scalars(q), User.query\n")
    tree = ast.parse(source)
    assert _aliased_app_modules(tree) == [1]
    assert _label_dicts(tree) == [2]
    assert _silent_inner_imports(tree, source.splitlines()) == [4]
    assert _choices_assigned(tree) == [5]
    assert _hand_reads(tree) == [6, 6, 6]
