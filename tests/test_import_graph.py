"""No two modules of the app import each other (issue 15): walked over every module of ``academy``
and ``courses`` as the files stand, so a new module is checked too.

Only top-level imports count (an import inside a function is what hid a circle, and each must say
why it is there). The blueprint idiom is allowed: a package's ``__init__`` defining ``bp`` and
importing its own view modules, which import ``bp`` back.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("academy", "courses")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path, name: str, known: set[str]) -> set[str]:
    imported = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        imported.update(target for target in targets if target in known and target != name)
    return imported


def test_no_two_modules_import_each_other():
    paths = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph = {name: _top_level_imports(path, name, set(paths)) for name, path in paths.items()}
    assert len(graph) > 100  # the walk found the app
    circles = {tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())}
    circles = sorted((a, b) for a, b in circles if not b.startswith(a + "."))  # the blueprint idiom
    assert circles == []
