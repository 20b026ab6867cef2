"""The JSON verification endpoint for other systems: the same facts as the public page.

``GET /api/certificates/verify/<number>`` answers 200 with the facts, or 404 ``{"error": "not_found", "message": ...}``
(``academy.web.errors``, the same answer as a URL no route matches) for an unknown or malformed number alike; it shares the page's rate limit (429 with Retry-After).
"""
from __future__ import annotations

from flask import abort, jsonify

from academy.extensions import csrf
from academy.web.ratelimit import Verdict, rate_limited
from courses.certificates import queries
from courses.certificates.views import bp
from courses.certificates.views.verify import VERIFY_LIMIT


def _too_many(verdict: Verdict):
    return jsonify(error="too_many_requests", retry_after=verdict.retry_after), 429, {
        "Retry-After": str(verdict.retry_after)}


@bp.get("/api/certificates/verify/<path:number>")
@csrf.exempt
@rate_limited("verify", VERIFY_LIMIT, refused=_too_many)
def verify_json(number: str):
    certificate = queries.by_number(number)
    if certificate is None:
        abort(404)
    return jsonify(queries.public_facts(certificate))
