"""The app-like frame of trainees and field workers (issue 18): the bottom tab bar's own tabs (home
and "me"), the "me" page, and what makes the site installable: the web app manifest, its icons, the
service worker and the page it shows when the network is gone.

The service worker caches the shell's static files (a cache named by a hash of those files, so a
new release replaces it) and the offline page; it never caches a page of the site, so an online page
is always the server's own. Exam answers and case drafts are kept by their own pages' scripts."""
from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request, url_for
from flask_babel import force_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.contributions import Tab, contribute
from academy.web import icons, shell
from academy.web.i18n import locale_code
from academy.web.vendor import vendor_url

bp = Blueprint("frame", __name__)

# The files every page of the shell loads: cached when the service worker installs.
SHELL_STATIC = ("css/app.css", "css/lists.css", "css/frame.css", "css/pickers.css", "js/app.js", "js/lists.js", "js/confirm.js",
                "img/logo.svg")
BOOTSTRAP_STATIC = ("css/bootstrap.min.css", "umd/popper.min.js", "js/bootstrap.min.js")
THEME_COLOUR = "#1a4b8c"
OFFLINE_LOCALES = ("zh_CN", "en")


@bp.get("/me")
@login_required
def me():
    """"Me" (我的): the account, the pages that have no tab (certificates, worker record, ...), the
    language and logging out, in one list a thumb reaches."""
    tab_endpoints = {entry.tab.endpoint for entry in shell.tab_bar(current_user)}
    groups = shell.nav_groups(current_user, badges=False)
    for group in groups:
        group.entries = [entry for entry in group.entries if entry.item.endpoint not in tab_endpoints]
    return render_template("frame/me.html", me_groups=[group for group in groups if group.entries])


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, in the user's language: name, colours, start page and icons."""
    zh = locale_code() == "zh_CN"
    data = {
        "name": _("Grid Academy"), "short_name": _("Grid Academy"),
        "description": _("Grid Academy — training for community grid workers"),
        "lang": "zh-CN" if zh else "en", "dir": "ltr",
        "id": "/", "start_url": url_for("web.home"), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": THEME_COLOUR,
        "icons": [{"src": url_for("frame.icon", size=size), "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any"} for size in icons.SIZES]
        + [{"src": url_for("frame.icon", size=512, maskable=1), "sizes": "512x512", "type": "image/png",
            "purpose": "maskable"}],
    }
    response = current_app.json.response(data)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/icons/icon-<int:size>.png")
def icon(size: int):
    if size not in icons.SIZES:
        abort(404)
    maskable = request.args.get("maskable") == "1"
    return Response(icons.icon_png(size, maskable), mimetype="image/png")


def _shell_urls() -> list[str]:
    return [url_for("frame.offline"), *(url_for("static", filename=name) for name in SHELL_STATIC),
            *(url_for("bootstrap.static", filename=name) for name in BOOTSTRAP_STATIC),
            vendor_url("bootstrap-icons.min.css"), vendor_url("fonts/bootstrap-icons.woff2")]


@cache
def _release(static_folder: str, urls: tuple[str, ...]) -> str:
    """A short hash of the shell's static files, their addresses (the vendored libraries' versions) and
    the worker itself: a new release renames the cache."""
    digest = hashlib.sha256("\n".join(urls).encode())
    template = Path(__file__).resolve().parents[2] / "templates" / "frame" / "sw.js"
    for path in (*(Path(static_folder) / name for name in SHELL_STATIC), template):
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope is the whole site."""
    urls = _shell_urls()
    body = render_template("frame/sw.js", release=_release(current_app.static_folder, tuple(urls)), urls=urls,
                           offline_url=url_for("frame.offline"))
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """What the service worker shows when a page cannot be reached: the site is offline, and what is
    kept meanwhile. A page of its own, with no user's data (it is kept in the worker's cache), in
    both languages: the worker cannot know which one the user chose last."""
    pages = []
    for locale in OFFLINE_LOCALES:
        with force_locale(locale):
            pages.append((locale, render_template("frame/_offline_text.html")))
    return render_template("frame/offline.html", pages=pages)


def init_app(app: Flask) -> None:
    """Register the pages and the two tabs of the shell itself: home first, "me" last."""
    app.register_blueprint(bp)
    contribute(app, "tabs", Tab("web.home", lazy_pgettext("tab", "Home"), "house"), order=0)
    contribute(app, "tabs", Tab("frame.me", lazy_pgettext("tab", "Me"), "person",
                                blueprints=("frame", "accounts", "certificates", "registry")), order=900)
