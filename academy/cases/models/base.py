"""Helpers the case tables share."""
from __future__ import annotations

from academy.database import value_enum as enum_column  # noqa: F401  (the one helper every package uses)
