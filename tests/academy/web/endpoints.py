"""Endpoints found in the application itself, for the tests that walk every one of a kind.

Nothing is listed by hand: a new view is walked as soon as it is registered. A JSON endpoint is
one under ``/api/`` or ``/open311/``, one whose URL ends in ``.json``, a view of an ``api``
module, or a view whose source answers with ``jsonify`` (found by reading it, so a JSON view
someone forgets to mark is still walked). A view that answers JSON only when asked (it reads the
Accept header) is walked with ``Accept: application/json``.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

from werkzeug.routing import Rule

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Endpoint:
    rule: Rule
    methods: tuple[str, ...]
    json: bool
    accept_json: bool  # answers JSON only to a request that asks for it

    def url(self, unknown: bool = False) -> str:
        """The rule's URL with made-up values; ``unknown`` ones name nothing that exists."""
        values = {}
        for name, converter in self.rule._converters.items():
            kind = type(converter).__name__
            if kind in ("IntegerConverter", "FloatConverter"):
                values[name] = 987654321 if unknown else 1
            else:
                values[name] = "no-such-thing" if unknown else "x"
        return self.rule.build(values, append_unknown=False)[1]


def every_endpoint(app) -> list[Endpoint]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            source = ""
        path = rule.rule
        accept_json = "accept_mimetypes" in source and "jsonify(" in source
        json = (path.startswith(("/api/", "/open311/")) or path.endswith(".json") or view.__module__.endswith(".api")
                or "jsonify(" in source)
        methods = tuple(sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS")))
        found.append(Endpoint(rule, methods, json, accept_json))
    return found


def json_endpoints(app) -> list[Endpoint]:
    return [e for e in every_endpoint(app) if e.json]
