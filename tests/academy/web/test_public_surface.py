"""Every endpoint a stranger can read is rate limited: found by walking ``app.url_map``.

A GET without log-in that is not sent to the log-in page (nor refused) is public; its answer must
carry the limiter's headers, unless it is one of the few public pages listed here with the reason
it needs no limit. A public page added later without a limit fails this test.
"""
from __future__ import annotations

from flask import url_for
from werkzeug.routing import IntegerConverter

NEEDS_NO_LIMIT = {
    "static": "the app's own files",
    "bootstrap.static": "the app's own files",
    "web.health": "the load balancer's probe; says only 'ok'",
    "web.openapi": "a fixed document",
    "vendor.serve": "the front-end libraries, fixed files (academy/web/vendor.py)",
    "accounts.login": "the form; its POST has the log-in throttle (academy/accounts/throttle.py)",
    "frame.manifest": "a fixed document in the reader's language (academy/web/frame.py)",
    "frame.icon": "fixed images, drawn once per size and kept (academy/web/icons.py)",
    "frame.service_worker": "a fixed script",
    "frame.offline": "a fixed page",
}


def public_get_endpoints(app) -> dict[str, str]:
    """Endpoint -> a URL of it, for every GET route, with placeholder values for its arguments."""
    urls = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods and rule.endpoint not in urls:
                values = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "x"
                          for name in rule.arguments}
                urls[rule.endpoint] = url_for(rule.endpoint, **values)
    return urls


def test_every_public_endpoint_is_rate_limited(app):
    client = app.test_client()
    public, unlimited = [], []
    for endpoint, url in public_get_endpoints(app).items():
        response = client.get(url)
        if response.status_code in (401, 403) or "/login" in response.headers.get("Location", ""):
            continue
        public.append(endpoint)
        counted = getattr(app.view_functions[endpoint], "rate_limit_methods", None) or ("GET",)
        if endpoint not in NEEDS_NO_LIMIT and "GET" in counted and "RateLimit-Limit" not in response.headers:
            unlimited.append(f"{endpoint} ({url}: {response.status_code})")
    assert unlimited == []
    # The walk did reach the public surfaces it guards (a broken walk must not pass quietly).
    assert {"registry.notice_board", "open311.services", "open311.request_list", "certificates.verify"} <= set(public)
    assert all(getattr(app.view_functions[e], "rate_limit", None) for e in public if e not in NEEDS_NO_LIMIT)
