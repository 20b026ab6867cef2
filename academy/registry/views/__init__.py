"""The registry's pages: areas and departments, grids, workers, coverage, the public notice
board, and spreadsheet import/export. One blueprint, split by subject."""
from flask import Blueprint

bp = Blueprint("registry", __name__)

from academy.registry.views import areas, board, exchange, grids, logins, photos, pickers, staff, workers  # noqa: E402,F401
