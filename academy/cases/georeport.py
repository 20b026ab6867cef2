"""GeoReport v2's documents, in XML and JSON, shaped as the specification's examples.

A list answers as ``[{...}, ...]`` in JSON and as ``<services><service>...</service></services>``
in XML; a single object (a service definition, the discovery document) as ``{...}`` and as its
root element. Nested lists take the singular of their name (``attributes`` holds ``attribute``
elements, ``values`` holds ``value``, ``formats`` holds ``format``). True and false are written
``true``/``false``, a missing value as an empty element. Times carry their offset (ISO 8601).
"""
from __future__ import annotations

import json
from datetime import datetime
from xml.etree import ElementTree

from flask import Response, current_app
from flask_babel import get_timezone

from academy.cases import labels
from academy.cases.models import Case, CaseState, Category, CategoryField, FieldType

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
SINGULAR = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}
LISTS = {  # GeoReport's list documents: root element and item element
    "services": ("services", "service"), "requests": ("service_requests", "request"),
    "updates": ("service_requests_updates", "request_update"),
}
CLOSED = (CaseState.CLOSED, CaseState.VISITED, CaseState.VOIDED)
# FixMyStreet's statuses of an update (Open311::Endpoint::Service::Request::Update::mySociety)
UPDATE_STATUS = {
    CaseState.REPORTED: "open", CaseState.ACCEPTED: "investigating", CaseState.DISPATCHED: "action_scheduled",
    CaseState.SIGNED: "action_scheduled", CaseState.HANDLING: "in_progress", CaseState.HANDLED: "in_progress",
    CaseState.VERIFYING: "in_progress", CaseState.CLOSED: "fixed", CaseState.VISITED: "fixed",
    CaseState.SUSPENDED: "open", CaseState.VOID_PENDING: "investigating", CaseState.VOIDED: "closed",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(parent: ElementTree.Element, name: str, value) -> None:
    node = ElementTree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _element(node, key, inner)
    elif isinstance(value, list):
        for inner in value:
            _element(node, SINGULAR.get(name, "item"), inner)
    else:
        node.text = _text(value)


def _xml(root: ElementTree.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def list_body(fmt: str, kind: str, rows: list[dict]) -> bytes:
    """A list document (``LISTS``) in ``fmt``."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False).encode()
    root_name, item_name = LISTS[kind]
    root = ElementTree.Element(root_name)
    for row in rows:
        _element(root, item_name, row)
    return _xml(root)


def object_body(fmt: str, root_name: str, document: dict) -> bytes:
    """A single document (``service_definition``, ``discovery``) in ``fmt``."""
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False).encode()
    root = ElementTree.Element(root_name)
    for key, value in document.items():
        _element(root, key, value)
    return _xml(root)


def respond(fmt: str, body: bytes, status: int = 200) -> Response:
    return current_app.response_class(body, status=status, content_type=CONTENT_TYPES[fmt])


def when(value: datetime | None) -> str | None:
    """ISO 8601 with the offset of the city's zone: 2026-03-01T09:30:00+08:00."""
    return value.astimezone(get_timezone()).isoformat(timespec="seconds") if value else None


def service(category: Category, has_fields: bool) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.accept_criteria,
            "metadata": has_fields, "type": "realtime", "keywords": "",
            "group": category.parent.name if category.parent else ""}


def definition(category: Category, fields: list[CategoryField]) -> dict:
    """The service definition: the category's extra fields as GeoReport attributes."""
    return {"service_code": category.code, "attributes": [
        {"variable": True, "code": f.code, "datatype": f.datatype.value, "required": f.required,
         "datatype_description": "", "order": f.position, "description": f.description,
         **({"values": [{"key": key, "name": name} for key, name in f.choices or []]}
            if f.datatype in (FieldType.SINGLE, FieldType.MULTI) else {})}
        for f in fields]}


def request_row(case: Case, media_url: str) -> dict:
    """One service request as GET requests answers it; ``status_notes`` is the step in words."""
    agencies = sorted({task.department.name for task in case.tasks if task.department is not None})
    return {"service_request_id": case.number, "status": "closed" if case.state in CLOSED else "open",
            "status_notes": str(labels.STATE_LABELS[case.state]), "service_name": case.category.name,
            "service_code": case.category.code, "description": case.description,
            "agency_responsible": "、".join(agencies), "service_notice": "",
            "requested_datetime": when(case.reported_at),
            "updated_datetime": when(max((e.at for e in case.events), default=case.reported_at)),
            "expected_datetime": when(case.due_at), "address": case.location, "address_id": "", "zipcode": "",
            "lat": case.latitude, "long": case.longitude, "media_url": media_url}


def update_row(event, case: Case) -> dict:
    """One step of a case as FixMyStreet's servicerequestupdates reads it."""
    state = CaseState(event.to_state) if event.to_state in CaseState._value2member_map_ else case.state
    return {"update_id": str(event.id), "service_request_id": case.number,
            "status": UPDATE_STATUS.get(state, "open"), "updated_datetime": when(event.at),
            "description": str(labels.STATE_LABELS[state]), "media_url": "", "external_status_code": state.value}
