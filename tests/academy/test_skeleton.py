"""The package skeleton holds (issue 15, item 5), walked over the packages that have taken it on.

Views and APIs read through their package's ``queries`` (no ``sa.select``, ``db.session.scalar(s)``,
``db.session.execute`` or ``.query`` in a view module); imports sit at the top, or say on their
line (or just above) why not; no package module is imported under another name (``ops``, ``S``);
and a package names its enum values in its ``labels.py`` only. View modules are found from the
app's ``url_map`` (with their ``views/`` package's helpers), the other modules from the files, so
a new endpoint or module is walked too.
"""
from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# The packages that hold the skeleton so far; the others join as their branches land.
HOLDING = ("academy.accounts", "academy.registry", "academy.web", "academy.jobs")
TOP_LEVEL = ("academy",)  # the modules directly in academy/ (audit, permissions, cli, ...)
OUTSIDE = ("citydata",)  # beside the app: only its imports are held to the skeleton
READS = ("sa.select(", "db.select(", "db.session.scalar(", "db.session.scalars(", "db.session.execute(", ".query(")


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    """Every module of the holding packages, the top-level modules of academy/, and citydata's."""
    found = {}
    for package in HOLDING + OUTSIDE:
        for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
            found[_name(path)] = path
    for path in (ROOT / "academy").glob("*.py"):
        found[_name(path)] = path
    return found


def _view_modules(app) -> dict[str, Path]:
    """The modules defining the holding packages' endpoints, and every module of their views/ packages."""
    modules = {}
    for endpoint in {rule.endpoint for rule in app.url_map.iter_rules()}:
        name = inspect.unwrap(app.view_functions[endpoint]).__module__
        if name.startswith(tuple(f"{package}." for package in HOLDING)):
            path = Path(sys.modules[name].__file__)
            modules[name] = path
            if path.parent.name == "views":
                modules.update({_name(p): p for p in path.parent.glob("*.py")})
    return modules


def test_views_and_apis_read_through_queries(app):
    modules = _view_modules(app)
    assert {"academy.accounts.views", "academy.web.views", "academy.registry.views.common"} <= set(modules)
    offenders = [f"{name}:{number} {line.strip()}" for name, path in modules.items()
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if any(read in line for read in READS)]
    assert offenders == []


def _inner_imports_without_reason(path: Path) -> list[str]:
    """Imports inside a function with no comment in their block of imports, nor on a comment line
    just above it."""
    lines = path.read_text().splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import | ast.ImportFrom):
                first = last = sub.lineno - 1
                while first > 0 and lines[first - 1].lstrip().startswith(("import ", "from ")):
                    first -= 1
                while last + 1 < len(lines) and lines[last + 1].lstrip().startswith(("import ", "from ")):
                    last += 1
                block = lines[first:last + 1]
                if not any("#" in line for line in block) and not lines[first - 1].lstrip().startswith("#"):
                    found.append(f"{path.relative_to(ROOT)}:{sub.lineno} {lines[sub.lineno - 1].strip()}")
    return found


def test_imports_inside_functions_say_why():
    modules = _modules()
    assert len(modules) > 60  # the walk covers the packages, not an empty folder
    assert [found for path in modules.values() for found in _inner_imports_without_reason(path)] == []


def test_no_module_of_the_app_goes_by_another_name():
    """``from academy.registry import operations as ops`` means a different module in each file that
    says it; a module is imported by its own name (``operations.put_on_duty``)."""
    ours = {name for name in sys.modules if name.startswith(("academy", "courses", "citydata"))}
    ours |= {_name(path) for package in ("academy", "courses", "citydata") for path in (ROOT / package).rglob("*.py")}
    offenders = []
    for path in _modules().values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}"
                              for alias in node.names if alias.asname and f"{node.module}.{alias.name}" in ours]
            elif isinstance(node, ast.Import):
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}"
                              for alias in node.names if alias.asname and alias.name in ours]
    assert offenders == []


def _label_dicts(path: Path) -> list[str]:
    """Module-level dicts named ``*LABELS``: what enum values are called."""
    return [target.id for node in ast.parse(path.read_text()).body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Dict) for target in node.targets
            if isinstance(target, ast.Name) and target.id.endswith("LABELS")]


def test_labels_live_in_each_package_labels_module():
    placed = {name: _label_dicts(path) for name, path in _modules().items() if _label_dicts(path)}
    assert "academy.registry.labels" in placed and "academy.accounts.labels" in placed
    assert [name for name in placed if not name.endswith(".labels")] == []
