"""Every package keeps DESIGN.md's skeleton (issue 15, item 5), walked over the packages the app
itself serves (each blueprint's package, found in ``app.url_map``), so a new package is checked too:

- its views and API read through ``queries`` (no ``sa.select``, ``db.session.scalar(s)``/``execute``
  or ``.query`` in a view or API module);
- its forms fill their own choices (no view assigns ``form.x.choices``);
- its label dicts (``*_LABELS``) live in its ``labels.py``;
- it imports the app's modules by their own name (no ``operations as ops``);
- an import inside a function says why, in a comment on its line or the line above;
- no file runs past ``MAX_LINES`` (past that, it becomes a package of its own).

The same walk reads every other module of ``academy/`` and ``courses/`` (the top-level modules, jobs,
packages without views) and, for its imports alone, ``citydata/`` beside the app.
"""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ("academy", "courses", "citydata")
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
    """``from x import module as other_name`` where ``x.module`` is a module of the app, and short
    aliases of anything of the app (``CaseState as S``, ``operations as ops``)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(APP):
            for alias in node.names:
                if not alias.asname or alias.asname == alias.name:
                    continue
                folder = ROOT / node.module.replace(".", "/") / alias.name
                if folder.with_suffix(".py").exists() or folder.is_dir() or len(alias.asname.strip("_")) <= 3:
                    lines.append(node.lineno)
    return lines


def _said(lines: list[str], index: int) -> bool:
    """Whether the import on ``lines[index]``, or the block of imports it closes, carries a comment
    (on one of its lines or the line just above the block)."""
    while index >= 0:
        line = lines[index].strip()
        if "#" in line:
            return True
        if not line.startswith(("import ", "from ")):
            return False
        index -= 1
    return False


def _silent_inner_imports(tree: ast.AST, lines: list[str]) -> list[int]:
    found = []
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    if not _said(lines, node.lineno - 1):
                        found.append(node.lineno)
    return found


def _breaches(package: str, imports_only: bool = False) -> list[str]:
    breaches = []
    for name, path in _modules(package).items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        found = {"imports an app module under another name": _aliased_app_modules(tree),
                 "imports inside a function without saying why": _silent_inner_imports(tree, text.splitlines())}
        if imports_only:
            breaches += [f"{name}:{line} {rule}" for rule, lines in found.items() for line in lines]
            continue
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
    assert {"academy.indicators", "courses.syllabus", "courses.lessons", "academy.cases", "courses.exams",
            "courses.certificates", "courses.enrollment", "academy.registry", "academy.accounts"} <= set(found)


def _every_package(app) -> list[str]:
    """The served packages, every other package and top-level module of academy/ and courses/."""
    names = set(_packages(app))
    for top in ("academy", "courses"):
        for path in (ROOT / top).iterdir():
            if path.suffix == ".py" and path.stem != "__init__" or (path / "__init__.py").exists():
                names.add(f"{top}.{path.stem}")
    names -= {"academy.translations"}
    return sorted(name for name in names if not any(name.startswith(other + ".") for other in names))


def test_every_package_keeps_the_skeleton(app):
    breaches = [breach for package in _every_package(app) for breach in _breaches(package)]
    assert breaches == []


def test_the_data_beside_the_app_imports_by_name():
    assert _breaches("citydata", imports_only=True) == []


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
