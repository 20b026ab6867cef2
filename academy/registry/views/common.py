"""What the registry's views share: scope checks from the query string, choice lists."""
from __future__ import annotations

import re

from flask import abort
from flask_login import current_user

from academy.permissions import ensure
from academy.registry import access, queries
from academy.registry.models import AreaLevel

AREA_CODE = re.compile(r"^\d{4,12}$")


def read_scopes_for(area_code: str | None) -> list[str] | None:
    """The current user's read scopes, narrowed to ``area_code`` (403 when it lies outside them)."""
    scopes = access.read_scopes(current_user)
    if area_code:
        if not AREA_CODE.match(area_code):
            abort(404)
        ensure(access.can_read(current_user, area_code))
        return [area_code]
    return scopes


def edit_scopes():
    return access.edit_scopes(current_user)


def area_options(levels, scopes=None) -> list[tuple[str, str]]:
    scopes = edit_scopes() if scopes is None else scopes
    return [(area.code, f"{area.code} {area.full_name}") for area in queries.areas_in_scope(scopes, levels)]


def community_options() -> list[tuple[str, str]]:
    return area_options((AreaLevel.COMMUNITY,))


def employing_area_options() -> list[tuple[str, str]]:
    return area_options((AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY))


def form_status(form) -> int:
    return 400 if form.errors else 200


def can_edit_here(code: str) -> bool:
    return access.can_edit(current_user, code)
