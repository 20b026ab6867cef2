"""Wire the registry into an application."""
from __future__ import annotations

from flask import Flask

from academy.registry import models  # noqa: F401  (the tables belong to every app)


def init_app(app: Flask) -> None:
    """Blueprint, navigation and demo steps of the registry are registered here."""
