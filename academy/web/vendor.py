"""The front-end libraries the app serves itself, from the npm packages ``make`` installs.

``package.json`` pins them and ``package-lock.json`` holds their checksums; ``make`` runs ``npm ci``
into ``node_modules/`` (never committed). Only the files listed here are served, under ``/vendor/``,
so a page never loads a library from a CDN and nothing else of ``node_modules`` is reachable.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory, url_for

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"

# URL name -> path under node_modules. Bootstrap Icons' stylesheet finds its fonts at ./fonts/.
FILES = {
    "bootstrap-icons.min.css": "bootstrap-icons/font/bootstrap-icons.min.css",
    "fonts/bootstrap-icons.woff2": "bootstrap-icons/font/fonts/bootstrap-icons.woff2",
    "fonts/bootstrap-icons.woff": "bootstrap-icons/font/fonts/bootstrap-icons.woff",
    "echarts.min.js": "echarts/dist/echarts.min.js",
}

# A year: the versions are pinned, and a new pin changes the query string vendor_url adds.
MAX_AGE = 365 * 24 * 3600

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


@bp.get("/<path:name>")
def serve(name: str):
    if name not in FILES:
        abort(404)
    return send_from_directory(NODE_MODULES, FILES[name], max_age=MAX_AGE)


def vendor_url(name: str) -> str:
    """The URL of a served library file, with its package version so a new pin is fetched anew."""
    if name not in FILES:
        raise KeyError(name)
    return url_for("vendor.serve", name=name, v=_versions().get(FILES[name].split("/", 1)[0], "0"))


@cache
def _versions() -> dict[str, str]:
    pins = json.loads((NODE_MODULES.parent / "package.json").read_text(encoding="utf-8"))
    return pins["dependencies"]


def missing() -> list[str]:
    """The listed files that are not installed (``make`` was not run): the health check names them."""
    return [name for name, path in FILES.items() if not (NODE_MODULES / path).is_file()]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["vendor_url"] = vendor_url
