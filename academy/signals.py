"""Named signals: how a lower package tells higher ones what happened, without importing them.

Each package declares what it announces in its own ``signals.py`` (on the one namespace here, so
every name is unique), each with a docstring saying who sends it, when, and with what. The
operation that causes the event sends it inside the caller's transaction; the package that reacts
connects in its ``init_app``. Grepping a signal's name finds both ends.

The sender is the current application and receivers connect for their application only, as
Flask's own signals do: tests build several apps in one process, and one app's receivers must not
run for another's operations. A receiver works inside the caller's transaction and never commits.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import NamedSignal, Namespace
from flask import Flask, current_app

SIGNALS = Namespace()


def send(signal: NamedSignal, **data: Any) -> None:
    """Announce ``signal`` with ``data`` (keyword arguments) to the receivers of the current app."""
    signal.send(current_app._get_current_object(), **data)


def connect(app: Flask, signal: NamedSignal, receiver: Callable[..., None]) -> None:
    """Call ``receiver(app, **data)`` whenever ``app``'s operations send ``signal``.

    Held strongly (a receiver is often a module function, but need not be); blinker drops it when
    the app itself goes, and connecting the same receiver twice keeps one."""
    signal.connect(receiver, sender=app, weak=False)
