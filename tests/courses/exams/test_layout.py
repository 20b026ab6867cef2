"""The package's skeleton holds (issue 15, item 5), walked over every module of ``courses/exams`` as
the files stand, so a module added later is checked too: views and the API read only through
``queries``, imports sit at the top (or say why not), no alias names one of the app's modules, label
dicts live in ``labels.py``, forms fill their own choices, and no file runs past 350 lines."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "courses" / "exams"
MODULES = sorted(PACKAGE.rglob("*.py"))
APP_PACKAGES = ("academy", "courses")
MAX_LINES = 350
# Reads a view or the API may not make by hand (``get_or_404``-style loading helpers are fine).
SESSION_READS = {"scalar", "scalars", "execute", "query"}


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _is_view(path: Path) -> bool:
    return "views" in path.relative_to(PACKAGE).parts or path.name == "api.py"


def test_the_walk_finds_the_package():
    assert len(MODULES) > 20 and any(_is_view(p) for p in MODULES)


@pytest.mark.parametrize("path", [p for p in MODULES if _is_view(p)], ids=_name)
def test_views_and_api_read_through_queries(path):
    found = []
    for node in ast.walk(_tree(path)):
        if not isinstance(node, ast.Attribute):
            continue
        chain = ast.unparse(node)
        if chain in ("sa.select", "sqlalchemy.select") or (chain.startswith("db.session.") and node.attr in SESSION_READS):
            found.append(f"{node.lineno}: {chain}")
        if node.attr == "query" and chain.endswith(".query") and not chain.startswith("request."):
            found.append(f"{node.lineno}: {chain}")
    assert found == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_inside_functions_say_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    silent = [f"{sub.lineno}: {lines[sub.lineno - 1].strip()}"
              for node in ast.walk(_tree(path)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
              for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))
              and "#" not in lines[sub.lineno - 1] and not lines[sub.lineno - 2].strip().startswith("#")]
    assert silent == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_alias_names_a_module_or_an_enum(path):
    """``ops``, ``S``, ``T``: a short name that means one module or enum here and another elsewhere."""
    aliases = []
    for node in _tree(path).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(APP_PACKAGES):
            aliases += [f"{node.lineno}: {a.name} as {a.asname}" for a in node.names if a.asname]
        if isinstance(node, ast.Import):
            aliases += [f"{node.lineno}: {a.name} as {a.asname}" for a in node.names
                        if a.asname and a.name.startswith(APP_PACKAGES)]
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
                and all(isinstance(t, ast.Name) and len(t.id) <= 2 for t in node.targets)):
            aliases.append(f"{node.lineno}: {ast.unparse(node)}")
    assert aliases == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_label_dicts_live_in_labels(path):
    """A dict whose values are translated messages, outside ``labels.py``, is a second place for labels."""
    if path.name == "labels.py":
        return
    dicts = [f"{node.lineno}: {ast.unparse(node.targets[0])}" for node in _tree(path).body
             if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and node.value.values
             and all(isinstance(v, ast.Call) and ast.unparse(v.func) in ("_l", "_", "lazy_gettext")
                     for v in node.value.values)]
    assert dicts == []


@pytest.mark.parametrize("path", [p for p in MODULES if _is_view(p)], ids=_name)
def test_views_do_not_fill_form_choices(path):
    assigned = [f"{node.lineno}: {ast.unparse(target)}" for node in ast.walk(_tree(path)) if isinstance(node, ast.Assign)
                for target in node.targets if isinstance(target, ast.Attribute) and target.attr == "choices"]
    assert assigned == []


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_file_past_350_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
