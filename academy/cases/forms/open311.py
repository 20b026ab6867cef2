"""Reading what a GeoReport client sends: form fields (FixMyStreet, most clients) or a JSON object,
with ``attribute[code]`` answers checked against the service's fields and several ``media_url``.

Every refusal is an ``ApiError`` with GeoReport's code and a description naming the field; the API
answers it in the request's format. Texts with unstorable characters never get here
(``academy.web.textguard`` refuses them before any view).
"""
from __future__ import annotations

import math
import re
from datetime import datetime

from flask import request
from flask_babel import gettext as _

from academy.cases.models import CategoryField, FieldType
from academy.web.numbers import FIRST_YEAR, LAST_YEAR, date_out_of_range

ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_.\-]{1,40})\](?:\[\])?$")
MAX_ATTRIBUTES = 30
MAX_MEDIA = 5
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TEXT_LIMITS = {FieldType.STRING: 200, FieldType.TEXT: 2000}


class ApiError(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


class Payload:
    """The fields of a POST: a JSON object's members, else the form's (several values kept)."""

    def __init__(self) -> None:
        if request.is_json:
            data = request.get_json(silent=True)
            if not isinstance(data, dict):
                raise ApiError(400, _("The body must be a JSON object."))
            self.values = {str(k): v if isinstance(v, list) else [v] for k, v in data.items()}
        else:
            self.values = {key: request.form.getlist(key) for key in request.form}

    def all(self, name: str) -> list:
        return [v for v in self.values.get(name, []) if v not in (None, "")]

    def text(self, name: str, limit: int) -> str:
        values = self.all(name)
        if not values:
            return ""
        if len(values) > 1 or not isinstance(values[0], str | int | float) or isinstance(values[0], bool):
            raise ApiError(400, _("%(name)s must be one text.", name=name))
        value = str(values[0]).strip()
        if len(value) > limit:
            raise ApiError(400, _("%(name)s is longer than %(n)d characters.", name=name, n=limit))
        return value

    def coordinate(self, name: str, bound: float) -> float | None:
        raw = self.text(name, 40)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError as error:  # sNaN, words, ...
            raise ApiError(400, _("%(name)s must be a number.", name=name)) from error
        if not math.isfinite(value) or abs(value) > bound:
            raise ApiError(400, _("%(name)s is out of range.", name=name))
        return value

    def media_urls(self) -> list[str]:
        urls = [str(u).strip() for u in self.all("media_url") + self.all("media_url[]")]
        if len(urls) > MAX_MEDIA:
            raise ApiError(400, _("At most %(n)d media_url.", n=MAX_MEDIA))
        for url in urls:
            if not re.match(r"^https?://[^\s/]+", url) or len(url) > 500:
                raise ApiError(400, _("media_url must be an http or https URL of at most 500 characters."))
        return urls

    def attributes(self, fields: list[CategoryField]) -> dict:
        """The ``attribute[code]`` answers: a known field's checked by its type, others kept as text."""
        sent: dict[str, list] = {}
        for key, values in self.values.items():
            if match := ATTRIBUTE.match(key):
                sent.setdefault(match.group(1), []).extend(v for v in values if v not in (None, ""))
        nested = self.values.get("attribute", [None])[0]
        if isinstance(nested, dict):  # a JSON body may say {"attribute": {"code": value}}
            for code, value in nested.items():
                sent.setdefault(str(code)[:40], []).extend(value if isinstance(value, list) else [value])
        if len(sent) > MAX_ATTRIBUTES:
            raise ApiError(400, _("At most %(n)d attributes.", n=MAX_ATTRIBUTES))
        known = {f.code: f for f in fields}
        answers = {code: _answer(known.get(code), code, values) for code, values in sent.items() if values}
        for field in fields:
            if field.required and field.code not in answers:
                raise ApiError(400, _("attribute[%(code)s] is required: %(description)s", code=field.code, description=field.description))
        return answers


def _answer(field: CategoryField | None, code: str, values: list):
    if any(not isinstance(v, str | int | float) or isinstance(v, bool) for v in values):
        raise ApiError(400, _("attribute[%(code)s] must be text.", code=code))
    values = [str(v).strip() for v in values]
    if field is None or field.datatype in TEXT_LIMITS:
        limit = TEXT_LIMITS.get(field.datatype, 500) if field else 500
        if len(values) > 1 or len(values[0]) > limit:
            raise ApiError(400, _("attribute[%(code)s] must be one text of at most %(n)d characters.", code=code, n=limit))
        return values[0]
    keys = [str(key) for key, _name in field.choices or []]
    if field.datatype == FieldType.MULTI:
        if any(v not in keys for v in values):
            raise ApiError(400, _("attribute[%(code)s] must be among: %(keys)s.", code=code, keys=", ".join(keys)))
        return values
    if len(values) > 1:
        raise ApiError(400, _("attribute[%(code)s] takes one value.", code=code))
    value = values[0]
    if field.datatype == FieldType.SINGLE and value not in keys:
        raise ApiError(400, _("attribute[%(code)s] must be one of: %(keys)s.", code=code, keys=", ".join(keys)))
    if field.datatype == FieldType.NUMBER:
        try:
            if not math.isfinite(float(value)):
                raise ValueError(value)
        except ValueError as error:
            raise ApiError(400, _("attribute[%(code)s] must be a number.", code=code)) from error
    if field.datatype == FieldType.DATETIME:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise ApiError(400, _("attribute[%(code)s] must be an ISO 8601 date and time.", code=code)) from error
    return value


def person_name(first: str, last: str) -> str:
    """A resident's name in his language's order: Chinese family name (last_name) then given name,
    without a space (王 + 芳 = 王芳); other names first name first."""
    if CJK.search(first + last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part)


def date_arg(name: str) -> datetime | None:
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace(" ", "+"))
    except ValueError as error:
        raise ApiError(400, _("%(name)s must be an ISO 8601 date and time.", name=name)) from error
    if parsed.tzinfo is None:
        raise ApiError(400, _("%(name)s must carry a time zone.", name=name))
    if date_out_of_range(parsed):  # 90 days either side of year 1 or 9999 is past Python's dates
        raise ApiError(400, _("%(name)s must fall between the years %(first)d and %(last)d.", name=name, first=FIRST_YEAR, last=LAST_YEAR))
    return parsed


def list_arg(name: str, limit: int, width: int) -> list[str]:
    """A comma list argument (``service_request_id=1,2``), each part stripped and cut to ``width``."""
    parts = [part.strip()[:width] for part in request.args.get(name, "").split(",") if part.strip()]
    if len(parts) > limit:
        raise ApiError(400, _("%(name)s lists more than %(n)d values.", name=name, n=limit))
    return parts
