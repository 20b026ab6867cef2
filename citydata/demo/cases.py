"""The demo city's cases: a category tree, a calendar with holidays, department members, and
several hundred cases in every state, light and category, with patrols and visits, all made
through the operations at backdated times (``clock.frozen_time``), never by raw inserts."""
from __future__ import annotations

from citydata.demo.case_builder import build


def create_demo_cases(demo: dict) -> None:
    """Build the demo cases when the registry's demo has put grids, workers and users in ``demo``."""
    if not all(demo.get(key) for key in ("grids", "workers", "departments", "users")):
        return  # the registry's demo did not run: there is nowhere to put cases
    build(demo)
