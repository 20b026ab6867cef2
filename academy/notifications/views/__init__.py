"""The notifications blueprint: a person's inbox and preferences (``inbox``), the admin's pages (``admin``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__)

from academy.notifications.views import admin, inbox  # noqa: E402,F401  (the routes register on bp)
