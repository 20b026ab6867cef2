"""The case package keeps the skeleton of DESIGN.md, walked over what the app itself registers.

Every view function the app routes to from ``academy.cases`` (found in ``app.view_functions``, so
a new endpoint is covered without naming it) reads through ``queries`` and lets its forms fill their own
choices; every module of the package (found by walking it) imports at the top or says why, imports
names as they are, and leaves label dicts to ``labels.py``.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import academy.cases

PACKAGE = "academy.cases"
SKELETON = ("models", "operations", "queries", "access", "labels", "signals", "forms", "views", "api")
HAND_READS = re.compile(r"sa\.select\(|db\.session\.(scalars?|execute)\(|\.query\(")
KEPT_ALIASES = {"_", "_l", "sa"}  # gettext, lazy_gettext and sqlalchemy: the same meaning in every file


def _modules() -> list[str]:
    return [PACKAGE] + [info.name for info in pkgutil.walk_packages(academy.cases.__path__, f"{PACKAGE}.")]


def _tree(name: str) -> tuple[ast.Module, list[str]]:
    source = Path(importlib.import_module(name).__file__).read_text()
    return ast.parse(source), source.splitlines()


def test_the_package_has_every_part_of_the_skeleton():
    missing = [part for part in SKELETON if importlib.util.find_spec(f"{PACKAGE}.{part}") is None]
    assert missing == []


def _view_modules(app) -> set[str]:
    return {view.__module__ for view in app.view_functions.values() if view.__module__.startswith(PACKAGE)}


def test_the_app_routes_to_the_case_views_and_the_api(app):
    # The walks below are only as good as what they find: the pages and the Open311 API must be among it.
    assert {f"{PACKAGE}.api", f"{PACKAGE}.views.lists", f"{PACKAGE}.views.intake"} <= _view_modules(app)


def test_no_view_or_api_module_reads_the_database_by_hand(app):
    offenders = {}
    for name in sorted(_view_modules(app)):
        source = inspect.getsource(importlib.import_module(name))
        if found := [match.group(0) for match in HAND_READS.finditer(source)]:
            offenders[name] = found
    assert offenders == {}


def test_no_view_or_api_module_sets_a_forms_choices(app):
    offenders = [name for name in sorted(_view_modules(app))
                 if ".choices =" in inspect.getsource(importlib.import_module(name))]
    assert offenders == []


@pytest.mark.parametrize("name", _modules())
def test_imports_sit_at_the_top_unless_a_comment_says_why(name):
    tree, lines = _tree(name)
    hidden = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                said = "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip().startswith("#")
                if not said:
                    hidden.append(node.lineno)
    assert hidden == []


@pytest.mark.parametrize("name", _modules())
def test_modules_are_imported_by_their_own_name(name):
    tree, _lines = _tree(name)
    aliases = [f"{alias.name} as {alias.asname}" for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
               for alias in node.names if alias.asname and alias.asname not in KEPT_ALIASES]
    assert aliases == []


def _label_dicts(tree: ast.Module) -> list[int]:
    """Lines of dict literals whose values are lazy translations: the shape of a label dict."""
    def lazy(value) -> bool:
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "_l"

    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Dict) and node.values and all(lazy(v) for v in node.values)]


@pytest.mark.parametrize("name", [name for name in _modules() if name != f"{PACKAGE}.labels"])
def test_label_dicts_live_in_labels(name):
    tree, _lines = _tree(name)
    assert _label_dicts(tree) == []


def test_labels_holds_the_label_dicts():
    # The walk above finds label dicts by their shape; this keeps that shape honest.
    tree, _lines = _tree(f"{PACKAGE}.labels")
    assert len(_label_dicts(tree)) >= 5
