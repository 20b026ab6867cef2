"""The JSON verification endpoint for other systems: the same facts as the public page.

``GET /api/certificates/verify/<number>`` answers 200 with the facts, or 404 ``{"error": "not_found", "message": ...}``
(``academy.web.errors``, the same answer as a URL no route matches) for an unknown or malformed number alike.
The number may be typed as people type it: full-width, with other hyphens or spaces (``core.normal_number``).

- Browsers of any site may call it (CORS: ``Access-Control-Allow-Origin: *``, the ``X-Api-Key`` header
  allowed, the RateLimit headers exposed); it sends no cookies back and reads none.
- Every answer carries ``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` and
  ``RateLimit-Policy`` (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429 with ``Retry-After``.
- The public shares the page's quota per address (``RATELIMIT_VERIFY``). An integrator sends its key
  (``X-Api-Key`` or ``api_key``; issued by an administrator) and counts against a quota of its own
  (``RATELIMIT_VERIFY_KEY``, 6,000 per 10 minutes by default) under the key; an unknown or revoked key is
  a 403 (counted against the address).
"""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _

from academy.extensions import csrf
from academy.web.ratelimit import Verdict, rate_limited
from courses.certificates import keys, queries
from courses.certificates.views import bp
from courses.certificates.views.verify import VERIFY_LIMIT

KEYED_LIMIT = "6000/600"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "X-Api-Key",
    "Access-Control-Expose-Headers": "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy, Retry-After",
    "Access-Control-Max-Age": "600",
}


def _too_many(verdict: Verdict):
    return jsonify(error="too_many_requests", retry_after=verdict.retry_after), 429, {
        "Retry-After": str(verdict.retry_after)}


def _sent_key() -> str:
    key = request.headers.get("X-Api-Key") or request.args.get("api_key") or ""
    return key.strip()[:200]


def _tier() -> tuple[str, str, str] | None:
    """An integrator's own quota, counted under its key's hash; None (the public's) otherwise."""
    key = _sent_key()
    digest = keys.key_hash(key) if key else ""
    if key and queries.active_verification_key(digest) is not None:
        return "verify_key", KEYED_LIMIT, f"key:{digest[:40]}"
    return None


@bp.after_request
def _cors(response):
    # The automatic OPTIONS answer (a browser's preflight) gets the same fields as the GET.
    if request.endpoint == "certificates.verify_json":
        response.headers.update(CORS_HEADERS)
        response.headers.pop("Set-Cookie", None)
    return response


@bp.get("/api/certificates/verify/<path:number>")
@csrf.exempt
@rate_limited("verify", VERIFY_LIMIT, refused=_too_many, tier=_tier)
def verify_json(number: str):
    key = _sent_key()
    if key and queries.active_verification_key(keys.key_hash(key)) is None:
        return jsonify(error="forbidden", message=_("The API key is not valid; leave it out to use the public quota.")), 403
    certificate = queries.by_number(number)
    if certificate is None:
        abort(404)
    return jsonify(queries.public_facts(certificate))
