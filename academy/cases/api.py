"""Open311 GeoReport v2: civic apps list services, submit requests and follow them.

JSON only. The API is exempt from CSRF (it has no session); a POST needs an API key issued to
the app (``flask academy open311-key NAME``). Errors use GeoReport's format: a list of
``{"code": ..., "description": ...}`` with the HTTP status (``academy.web.errors`` answers the HTTP
errors, a wrong method or an unknown URL under ``/open311/`` included, in the same format). The lists show
only requests that came in through Open311, so residents' calls to the hotline are not published. Every
endpoint is rate limited (``RATELIMIT_OPEN311``): per API key when a valid one is sent, else per client address.
"""
from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, jsonify, request

from academy.cases import operations
from academy.cases.models import ApiClient, Case, Category, Channel
from academy.cases.queries import open311
from academy.extensions import csrf
from academy.registry.models import Grid
from academy.web.ratelimit import Verdict, client_address, rate_limited

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)

MAX_TEXT = 4000


class ApiError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def error_response(status: int, description: str):
    response = jsonify([{"code": status, "description": description}])
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error_response(error.status, error.description)


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
    return error_response(429, f"Too many requests; try again in {verdict.retry_after} seconds.")


limited = rate_limited("open311", "600/600", refused=_too_many, key=_rate_key)


def _service(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.accept_criteria,
            "metadata": False, "type": "realtime", "keywords": "",
            "group": category.parent.name if category.parent else ""}


@bp.get("/services.json")
@limited
def services():
    return jsonify([_service(c) for c in open311.services()])


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _request_json(case: Case) -> dict:
    return {"service_request_id": case.number, "status": "closed" if case.state in open311.CLOSED else "open",
            "status_notes": case.state.value, "service_name": case.category.name,
            "service_code": case.category.code, "description": case.description, "agency_responsible": "",
            "service_notice": "", "requested_datetime": _iso(case.reported_at), "updated_datetime": _iso(
                max((e.at for e in case.events), default=case.reported_at)),
            "expected_datetime": _iso(case.due_at), "address": case.location, "address_id": "",
            "zipcode": "", "lat": case.latitude, "long": case.longitude, "media_url": ""}


@bp.get("/requests/<number>.json")
@limited
def request_detail(number: str):
    case = open311.published_request(number[:32])
    if case is None:
        raise ApiError(404, "No such service request.")
    return jsonify([_request_json(case)])


def _date_arg(name: str) -> datetime | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise ApiError(400, f"{name} must be an ISO 8601 date and time.") from error
    if parsed.tzinfo is None:
        raise ApiError(400, f"{name} must carry a time zone.")
    return parsed


@bp.get("/requests.json")
@limited
def request_list():
    ids = [part.strip()[:32] for part in request.args.get("service_request_id", "").split(",") if part.strip()]
    codes = [part.strip()[:20] for part in request.args.get("service_code", "").split(",") if part.strip()]
    start, end = _date_arg("start_date"), _date_arg("end_date")
    status = request.args.get("status", "")
    if status not in ("", "open", "closed"):
        raise ApiError(400, "status must be open or closed.")
    rows = open311.published_requests(ids, codes, start, end, status)
    return jsonify([_request_json(case) for case in rows])


def _payload() -> dict:
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ApiError(400, "The body must be a JSON object.")
        return {str(k): v for k, v in data.items()}
    return request.form.to_dict()


def _text(data: dict, name: str, limit: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ApiError(400, f"{name} must be text.")
    value = str(value).strip()
    if len(value) > limit:
        raise ApiError(400, f"{name} is longer than {limit} characters.")
    return value


def _coordinate(data: dict, name: str, bound: float) -> float | None:
    raw = _text(data, name, 30)
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError as error:
        raise ApiError(400, f"{name} must be a number.") from error
    if not math.isfinite(value) or abs(value) > bound:
        raise ApiError(400, f"{name} is out of range.")
    return value


def _place(code: str) -> tuple[Grid | None, str]:
    if not code:
        return None, ""
    grid = open311.current_grid(code)
    if grid is not None:
        return grid, grid.code
    if not open311.area_exists(code):
        raise ApiError(400, "jurisdiction_id is not a known area or grid code.")
    return None, code


def _client(data: dict) -> ApiClient:
    key = _text(data, "api_key", 200) or request.headers.get("X-Api-Key", "")[:200]
    if not key:
        raise ApiError(401, "api_key is required.")
    client = open311.active_client(operations.key_hash(key))
    if client is None:
        raise ApiError(403, "api_key is not valid.")
    return client


@bp.post("/requests.json")
@limited
def create_request():
    data = _payload()
    client = _client(data)
    code = _text(data, "service_code", 20)
    if not code:
        raise ApiError(400, "service_code is required.")
    category = open311.active_service(code)
    if category is None:
        raise ApiError(404, "service_code is not a known service.")
    description = _text(data, "description", MAX_TEXT)
    if not description:
        raise ApiError(400, "description is required.")
    lat, long = _coordinate(data, "lat", 90), _coordinate(data, "long", 180)
    address = _text(data, "address_string", 200)
    if (lat is None or long is None) and not address:
        raise ApiError(400, "A location is required: lat and long, or address_string.")
    grid, area_code = _place(_text(data, "jurisdiction_id", 15))
    name = " ".join(filter(None, [_text(data, "first_name", 24), _text(data, "last_name", 24)]))
    key = _text(data, "idempotency_key", 64) or None
    report = operations.Report(category=category, title=description[:120], description=description, channel=Channel.OPEN311,
                        grid=grid, area_code=area_code, location=address, latitude=lat, longitude=long,
                        resident_name=name, resident_phone=_text(data, "phone", 30),
                        resident_email=_text(data, "email", 120), submission_key=f"o311-{client.id}-{key}" if key else None)
    # A CaseError is answered by the request cycle in Open311's format (400); a repeated idempotency
    # key answers with the request it filed before.
    case, _filed = operations.file_report(report, None)
    response = jsonify([{"service_request_id": case.number, "service_notice": "", "account_id": None}])
    response.status_code = 201
    return response
