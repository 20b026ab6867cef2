"""Plane geometry of grid boundaries (GeoJSON polygons in longitude/latitude): is a point inside,
where is a boundary's centre, and how far apart two points are on the ground.

Shared by the Open311 API (a grid found from a request's lat/long) and the worker's report form
(the place his phone's position falls in). Small city grids need no projection: the even-odd rule
on degrees is exact for "inside", and an equirectangular distance is within a metre over a few km.
"""
from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_000


def polygons_of(geometry: dict | None) -> list[list]:
    """The polygons (each a list of rings) of a GeoJSON Polygon or MultiPolygon; [] for anything else."""
    if not isinstance(geometry, dict):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    return coordinates if kind == "MultiPolygon" else [coordinates] if kind == "Polygon" else []


def holds(geometry: dict | None, x: float, y: float) -> bool:
    """Point (x = longitude, y = latitude) in a GeoJSON Polygon or MultiPolygon (even-odd rule;
    holes are rings too)."""
    return any(sum(_crossings(ring, x, y) for ring in polygon) % 2 == 1 for polygon in polygons_of(geometry))


def _crossings(ring: list, x: float, y: float) -> int:
    count = 0
    for (x1, y1, *_rest), (x2, y2, *_rest2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            count += 1
    return count


def centre(geometry: dict | None) -> tuple[float, float] | None:
    """(longitude, latitude): the mean of the outer rings' corners, or None without a polygon."""
    points = [point for polygon in polygons_of(geometry) if polygon for point in polygon[0]]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Ground distance between two nearby points (equirectangular approximation)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return EARTH_RADIUS_M * math.hypot(x, y)
