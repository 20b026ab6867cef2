"""The demo and benchmark cities live beside the app: ``citydata`` imports the domain, never the reverse.

Walks every module of ``academy`` and ``courses`` (found on disk, so a new one is walked too). The
one import allowed is the composition root's (``academy.create_app`` adds the data package's
commands to ``flask academy``, as it is the one place that wires in ``courses``).
"""
from __future__ import annotations

import ast
from pathlib import Path

from academy.config import BASE_DIR

DOMAIN = sorted(path for top in ("academy", "courses") for path in (BASE_DIR / top).rglob("*.py"))
COMPOSITION_ROOT = ("academy/__init__.py", "_register_packages")


def _imports_of_citydata(path: Path) -> list[tuple[str, str]]:
    """(enclosing function or "<module>", imported name) for each import of citydata in ``path``."""
    found = []

    def walk(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else where
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                names = [child.module or ""]
            found.extend((where, name) for name in names if name.split(".")[0] == "citydata")
            walk(child, inner)

    walk(ast.parse(path.read_text(encoding="utf-8")), "<module>")
    return found


def test_no_domain_module_imports_the_data_package():
    offenders = {}
    for path in DOMAIN:
        relative = path.relative_to(BASE_DIR).as_posix()
        found = [(where, name) for where, name in _imports_of_citydata(path) if (relative, where) != COMPOSITION_ROOT]
        if found:
            offenders[relative] = found
    assert offenders == {}
    assert _imports_of_citydata(BASE_DIR / COMPOSITION_ROOT[0]) == [(COMPOSITION_ROOT[1], "citydata")]


def test_no_demo_or_bench_module_is_left_in_the_domain():
    left = [path.relative_to(BASE_DIR).as_posix() for path in DOMAIN
            if path.stem.startswith(("demo", "bench")) or "benchdata" in path.parts]
    assert left == []

