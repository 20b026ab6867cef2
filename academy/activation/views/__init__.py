"""The activation blueprint: public first sign-in and SMS reset (``public``), HR's letters (``letters``)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("activation", __name__)

from academy.activation.views import letters, public  # noqa: E402,F401  (the routes register on bp)
