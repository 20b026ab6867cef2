"""Open311 GeoReport v2: civic apps list services, submit requests and follow them.

Every method answers in XML or JSON, as the URL's extension says (``services.xml``,
``requests.json``), shaped as the specification's examples (``academy.cases.georeport``): the
discovery document, the service list (``metadata: true`` where a category asks extra fields), a
service's definition with those fields as attributes, requests (POST, list, one), tokens (none: this
server answers in real time), and FixMyStreet's ``servicerequestupdates`` so a client can follow a case.

- ``api_key`` in the body or the query (or ``X-Api-Key``); posting, and reading updates, without a
  valid one is 403. The API is exempt from CSRF (it has no session).
- ``jurisdiction_id`` may be left out; an area or grid code places the request there; the
  configured ``OPEN311_JURISDICTION_ID`` is accepted; any other value is ignored, or answered 404
  when ``OPEN311_JURISDICTION_ID`` is set (the city then serves that one only). Never a 400.
- Lists default to the last 90 days and at most 1,000 requests; ``service_request_id`` (a comma
  list) overrides the other filters; ``service_code`` and ``status`` take comma lists too.
- A request without a known place is placed by ``lat``/``long`` in the grid whose boundary holds it.
- Errors come as GeoReport's error list in the request's format (``academy.web.errors.open311_error``),
  with HTTP errors and refusals of the case operations alike. The lists publish only requests that came
  in through Open311, so residents' calls to the hotline stay private. Every method is rate limited
  (``RATELIMIT_OPEN311``): per API key when a valid one is sent, else per client address.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from academy.cases import clock, georeport, operations
from academy.cases.forms.open311 import ApiError, Payload, date_arg, list_arg, person_name
from academy.cases.models import ApiClient, Channel
from academy.cases.queries import open311
from academy.extensions import csrf
from academy.registry.models import Grid
from academy.web.errors import open311_error
from academy.web.ratelimit import Verdict, client_address, rate_limited
from academy.web.urls import public_url

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)

MAX_TEXT = 4000
SPAN = timedelta(days=90)
FMT = "<fmt>"


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return open311_error(error.status, error.description)


def _sent_key() -> str:
    """The API key the request carries, wherever GeoReport lets a client put it."""
    body = request.get_json(silent=True) if request.is_json else None
    key = body.get("api_key") if isinstance(body, dict) else None
    key = key or request.values.get("api_key") or request.headers.get("X-Api-Key", "")
    return key[:200] if isinstance(key, str) else ""


def _rate_key() -> str:
    """Whom a request counts against: a valid key's app (wherever it runs from), else the address.

    An unknown key counts against the address, so inventing keys does not buy new allowances."""
    key = _sent_key()
    if key:
        digest = operations.key_hash(key)
        if open311.active_client(digest) is not None:
            return f"key:{digest[:40]}"  # the key's hash, never the key, in the counters
    return client_address()


def _too_many(verdict: Verdict):
    return open311_error(429, _("Too many requests; try again in %(n)d seconds.", n=verdict.retry_after))


limited = rate_limited("open311", "600/600", refused=_too_many, key=_rate_key)


def _client() -> ApiClient:
    key = _sent_key()
    if not key:
        raise ApiError(403, _("api_key is required."))
    client = open311.active_client(operations.key_hash(key))
    if client is None:
        raise ApiError(403, _("api_key is not valid."))
    return client


def _jurisdiction(code: str) -> tuple[Grid | None, str]:
    """The place a jurisdiction_id names: a grid, an area code, or nothing (ours, or ignored)."""
    served = current_app.config.get("OPEN311_JURISDICTION_ID") or ""
    if not code or code == served:
        return None, ""
    grid = open311.current_grid(code[:15])
    if grid is not None:
        return grid, grid.code
    if len(code) <= 15 and open311.area_exists(code):
        return None, code
    if served:
        raise ApiError(404, _("jurisdiction_id %(code)s is not served here; use %(served)s.", code=code[:40], served=served))
    return None, ""


def _check_format(fmt: str) -> None:
    if fmt not in georeport.FORMATS:
        raise ApiError(404, _("Ask for .xml or .json."))


def _check_request(fmt: str) -> None:
    """A GET's format and its jurisdiction_id (404 when the city serves another)."""
    _check_format(fmt)
    _jurisdiction(request.args.get("jurisdiction_id", "").strip()[:60])


@bp.get(f"/discovery.{FMT}")
@limited
def discovery(fmt: str):
    _check_request(fmt)
    base = public_url("open311.services", fmt="json").rsplit("/", 1)[0]
    document = {"changeset": "2026-12-06T00:00:00Z", "contact": current_app.config.get("OPEN311_CONTACT", ""),
                "key_service": current_app.config.get("OPEN311_KEY_SERVICE", ""),
                "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                               "changeset": "2026-12-06T00:00:00Z", "type": "production",
                               "formats": ["text/xml", "application/json"]}]}
    return georeport.respond(fmt, georeport.object_body(fmt, "discovery", document))


@bp.get(f"/services.{FMT}")
@limited
def services(fmt: str):
    _check_request(fmt)
    asking = open311.categories_with_fields()
    rows = [georeport.service(c, c.id in asking) for c in open311.services()]
    return georeport.respond(fmt, georeport.list_body(fmt, "services", rows))


@bp.get(f"/services/<code>.{FMT}")
@limited
def service_definition(code: str, fmt: str):
    _check_request(fmt)
    category = open311.active_service(code[:20])
    if category is None or category.children:
        raise ApiError(404, _("service_code is not a known service."))
    document = georeport.definition(category, open311.fields_of(category))
    return georeport.respond(fmt, georeport.object_body(fmt, "service_definition", document))


def _rows(cases) -> list[dict]:
    media = open311.first_media(cases)
    return [georeport.request_row(case, media.get(case.id, "")) for case in cases]


@bp.get(f"/requests/<number>.{FMT}")
@limited
def request_detail(number: str, fmt: str):
    _check_request(fmt)
    case = open311.published_request(number[:32])
    if case is None:
        raise ApiError(404, _("No such service request."))
    return georeport.respond(fmt, georeport.list_body(fmt, "requests", _rows([case])))


@bp.get(f"/requests.{FMT}")
@limited
def request_list(fmt: str):
    _check_request(fmt)
    ids = list_arg("service_request_id", open311.LIST_LIMIT, 32)
    codes = list_arg("service_code", 200, 20)
    statuses = [s.lower() for s in list_arg("status", 2, 10)]
    if any(s not in ("open", "closed") for s in statuses):
        raise ApiError(400, _("status must be open, closed or both."))
    start, end = _span()
    cases = open311.published_requests(ids, codes, start, end, statuses)
    return georeport.respond(fmt, georeport.list_body(fmt, "requests", _rows(cases)))


def _span():
    """start_date and end_date, each defaulting to 90 days from the other (end_date: now)."""
    start, end = date_arg("start_date"), date_arg("end_date")
    end = end or (start + SPAN if start else clock.now())
    start = start or end - SPAN
    if end < start:
        raise ApiError(400, _("end_date comes before start_date."))
    return start, end


@bp.post(f"/requests.{FMT}")
@limited
def create_request(fmt: str):
    _check_format(fmt)
    client = _client()
    data = Payload()
    code = data.text("service_code", 20)
    if not code:
        raise ApiError(400, _("service_code is required."))
    category = open311.active_service(code)
    if category is None or category.children:
        raise ApiError(404, _("service_code is not a known service."))
    description = data.text("description", MAX_TEXT)
    if not description:
        raise ApiError(400, _("description is required."))
    lat, long = data.coordinate("lat", 90), data.coordinate("long", 180)
    address = data.text("address_string", 200)
    if (lat is None or long is None) and not address:
        raise ApiError(400, _("A location is required: lat and long, or address_string."))
    grid, area_code = _jurisdiction(data.text("jurisdiction_id", 60))
    if grid is None and not area_code and lat is not None and long is not None:
        grid = open311.grid_at(lat, long)
        area_code = grid.code if grid is not None else ""
    attributes, media = data.attributes(open311.fields_of(category)), data.media_urls()
    key = data.text("idempotency_key", 64) or None
    name = person_name(data.text("first_name", 24), data.text("last_name", 24))
    report = operations.Report(
        category=category, title=description[:120], description=description, channel=Channel.OPEN311, grid=grid,
        area_code=area_code, location=address, latitude=lat, longitude=long, resident_name=name[:50],
        resident_phone=data.text("phone", 30), resident_email=data.text("email", 120), attributes=attributes,
        media_urls=media, submission_key=f"o311-{client.id}-{key}" if key else None)
    # A CaseError is answered by the request cycle in GeoReport's format (400); a repeated
    # idempotency key answers with the request it filed before.
    case, _filed = operations.file_report(report, None)
    row = {"service_request_id": case.number, "service_notice": "", "account_id": ""}
    return georeport.respond(fmt, georeport.list_body(fmt, "requests", [row]), status=201)


@bp.get(f"/tokens/<token>.{FMT}")
@limited
def token(token: str, fmt: str):
    _check_request(fmt)
    raise ApiError(404, _("No such token: this server answers every request in real time with its service_request_id."))


@bp.get(f"/servicerequestupdates.{FMT}")
@limited
def request_updates(fmt: str):
    """FixMyStreet's extension: each step of the published requests in a span (90 days by default)."""
    _check_request(fmt)
    _client()
    start, end = _span()
    rows = [georeport.update_row(event, case) for event, case in open311.updates(start, end)]
    return georeport.respond(fmt, georeport.list_body(fmt, "updates", rows))
