"""Where the worker's phone is: the grid (one of his own) and the address a point falls in, from what
the registry and earlier reports know. No map service is asked: the sites that run this are often offline.

In this order, the first that answers wins:
1. a boundary polygon of one of his grids holds the point;
2. the nearest centre of his grids' polygons, within ``CENTRE_RADIUS_M``;
3. the grid of the nearest earlier case with a position in his grids, within ``CASE_RADIUS_M``;
4. his only grid, when he holds just one.
The address offered is the location text of the nearest earlier case in that grid within
``ADDRESS_RADIUS_M`` (a stairwell reported twice is the same stairwell); else none, and he types it.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from academy.cases.models import Case
from academy.extensions import db
from academy.registry.geometry import centre, holds, metres_between
from academy.registry.models import Grid

CENTRE_RADIUS_M = 3000
CASE_RADIUS_M = 500
ADDRESS_RADIUS_M = 100
DEGREES_AROUND = 0.01  # ~1 km: the box earlier cases are searched in before distances are measured
NEARBY_LIMIT = 200


@dataclass
class Place:
    """The answer: ``how`` is one of "polygon", "centre", "case", "only" or "none"."""

    grid: Grid | None
    how: str
    metres: int | None = None
    address: str = ""


def _nearby_cases(latitude: float, longitude: float, grid_ids: list[int]) -> list[tuple[float, Case]]:
    """Earlier cases of these grids with a position near the point, nearest first, with their distance."""
    if not grid_ids:
        return []
    rows = db.session.scalars(sa.select(Case).where(
        Case.grid_id.in_(grid_ids), Case.latitude.between(latitude - DEGREES_AROUND, latitude + DEGREES_AROUND),
        Case.longitude.between(longitude - DEGREES_AROUND, longitude + DEGREES_AROUND),
    ).order_by(Case.id.desc()).limit(NEARBY_LIMIT))
    found = [(metres_between(latitude, longitude, c.latitude, c.longitude), c) for c in rows]
    return sorted(found, key=lambda pair: pair[0])


def _nearest_centre(latitude: float, longitude: float, grids: list[Grid]) -> tuple[float, Grid] | None:
    distances = [(metres_between(latitude, longitude, point[1], point[0]), grid)
                 for grid in grids if (point := centre(grid.boundary_geojson)) is not None]
    return min(distances, key=lambda pair: pair[0], default=None)


def _grid_of(latitude: float, longitude: float, grids: list[Grid], nearby) -> Place:
    inside = next((g for g in grids if holds(g.boundary_geojson, longitude, latitude)), None)
    if inside is not None:
        return Place(inside, "polygon")
    nearest = _nearest_centre(latitude, longitude, grids)
    if nearest is not None and nearest[0] <= CENTRE_RADIUS_M:
        return Place(nearest[1], "centre", round(nearest[0]))
    if nearby and nearby[0][0] <= CASE_RADIUS_M:
        by_id = {g.id: g for g in grids}
        return Place(by_id[nearby[0][1].grid_id], "case", round(nearby[0][0]))
    if len(grids) == 1:
        return Place(grids[0], "only")
    return Place(None, "none")


def place_at(latitude: float, longitude: float, grids: list[Grid]) -> Place:
    """The place of a point among ``grids`` (the worker's current grids), with an address if one is known."""
    nearby = _nearby_cases(latitude, longitude, [g.id for g in grids])
    place = _grid_of(latitude, longitude, grids, nearby)
    if place.grid is not None:
        place.address = next((c.location for metres, c in nearby if c.grid_id == place.grid.id and c.location
                              and metres <= ADDRESS_RADIUS_M), "")
    return place
