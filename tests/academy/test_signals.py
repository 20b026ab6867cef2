"""Every cross-package reaction is a declared signal with both ends in the code (academy/signals.py).

The signals are discovered from the packages themselves (every ``signals.py`` under academy/ and
courses/), so a signal added later is walked too: it must have a docstring, an operation of its own
package that sends it, and a higher package that connects to it in its ``init_app``. And the old
ways of reacting are gone: no listener on SQLAlchemy's global Session class, no event sent to a
string-named slot.
"""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from blinker import NamedSignal
from sqlalchemy.orm import Session, SessionEvents

from academy.config import BASE_DIR
from academy.notifications.kinds import KINDS

PACKAGES = ("academy", "courses")
SOURCES = sorted(path for top in PACKAGES for path in (BASE_DIR / top).rglob("*.py"))


def _module(path: Path) -> str:
    return ".".join(path.relative_to(BASE_DIR).with_suffix("").parts)


def _package(path: Path) -> str:
    """The domain package a file belongs to: academy/cases/operations/core.py -> academy.cases."""
    return ".".join(path.relative_to(BASE_DIR).parts[:2])


def declared_signals() -> list[tuple[str, str, NamedSignal]]:
    """(package, attribute name, signal) for every signal a package's ``signals.py`` declares."""
    found = []
    for path in SOURCES:
        if path.name == "signals.py" and path.parent.name not in PACKAGES:
            module = importlib.import_module(_module(path))
            found += [(_package(path), name, value) for name, value in vars(module).items()
                      if isinstance(value, NamedSignal)]
    return found


SIGNALS = declared_signals()
TEXT = {path: path.read_text(encoding="utf-8") for path in SOURCES}


def _files_matching(pattern: str) -> set[Path]:
    return {path for path, text in TEXT.items() if path.name != "signals.py" and re.search(pattern, text)}


def test_the_packages_declare_the_reactions_named_in_the_design():
    names = {name for _package, name, _signal in SIGNALS}
    assert {"case_changed", "attempt_graded", "worker_status_changed", "training_recorded"} <= names


@pytest.mark.parametrize(("package", "name", "signal"), SIGNALS, ids=[name for _p, name, _s in SIGNALS])
def test_each_signal_is_documented_sent_by_its_package_and_received_above_it(app, package, name, signal):
    assert signal.__doc__ and len(signal.__doc__) > 80, f"{name} says who sends it, when, and who receives it"
    senders = _files_matching(rf"\bsend\({name}\b")
    receivers = _files_matching(rf"\bconnect\(app, {name}\b")
    assert senders, f"no operation sends {name}"
    assert package in {_package(path) for path in senders}, f"{package} sends {name}"
    assert receivers, f"nothing connects to {name}"
    assert all(_package(path) != package for path in receivers), f"{name} is received by another package"
    assert list(signal.receivers_for(app)), f"the app runs no receiver of {name}"


def _listen_targets(tree: ast.AST) -> list[str]:
    """The first argument of every ``event.listen(...)`` / ``listens_for(...)`` call, as source."""
    return [ast.unparse(node.args[0]) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and node.args
            and ast.unparse(node.func).split(".")[-1] in ("listen", "listens_for")]


def test_no_listener_on_a_global_session_class():
    """Transaction hooks listen on the app's session class (``academy.extensions.on_session``)."""
    offenders = {}
    for path, text in TEXT.items():
        targets = [t for t in _listen_targets(ast.parse(text)) if t.split(".")[-1] in ("Session", "sessionmaker")]
        if targets:
            offenders[_module(path)] = targets
    assert offenders == {}
    plain = Session()  # what another library's session would see of the app's hooks
    events = [name for name in dir(SessionEvents) if not name.startswith("_")]
    assert [name for name in events if getattr(plain.dispatch, name, None)] == []


def test_no_event_goes_to_a_string_named_slot():
    """Reactions are signals: nothing calls ``notify("some_slot", ...)`` any more. (A message to people,
    ``academy.notifications.notify("<kind>", ...)``, names one of the notification kinds: not a slot.)"""
    calls = [(_module(path), ast.unparse(node)) for path, text in TEXT.items() for node in ast.walk(ast.parse(text))
             if isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] == "notify"
             and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
             and node.args[0].value not in KINDS]
    assert calls == []
