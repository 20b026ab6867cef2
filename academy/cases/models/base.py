"""Helpers the case tables share."""
from __future__ import annotations

import enum

import sqlalchemy as sa


def enum_column(cls: type[enum.Enum], length: int = 20) -> sa.Enum:
    """A text column holding an enum's values (no native enum, so migrations stay simple)."""
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
