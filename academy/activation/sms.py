"""Sending a text message: one interface, one small class per provider, chosen by the settings.

- ``outbox`` (the embedded default): the text goes to the ``sms_outbox`` table and the log, so the
  demo and the tests read the code where a phone would show it;
- ``aliyun``: Alibaba Cloud SMS ``SendSms`` (RPC style, signature version 1.0, HMAC-SHA1), at
  ``ACADEMY_SMS_URL`` (default ``https://dysmsapi.aliyuncs.com/``) with ``ACADEMY_SMS_KEY_ID``,
  ``ACADEMY_SMS_KEY_SECRET``, ``ACADEMY_SMS_SIGN_NAME`` and ``ACADEMY_SMS_TEMPLATE`` (a template
  with one ``${code}`` parameter, approved in the provider's console).

A provider raises ``SmsError`` when the message was not accepted; the caller decides what the
person is told (the reset page tells him nothing that depends on it).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import urllib.parse
from datetime import UTC, datetime

import requests
from flask import current_app

from academy.activation.models import SmsMessage
from academy.extensions import db

log = logging.getLogger(__name__)


class SmsError(RuntimeError):
    """The provider did not take the message (its code and message in the text, for the log)."""


class SmsProvider:
    """Send ``code`` to ``phone`` with the academy's text; raise ``SmsError`` on failure."""

    name = ""

    def send_code(self, phone: str, code: str, text: str) -> None:
        raise NotImplementedError

    def send_notice(self, phone: str, text: str) -> None:
        """Send a notice (``academy.notifications``): ``text`` as it is, no code in it."""
        raise NotImplementedError

    def close(self) -> None:
        """Let go of what the provider holds (a kept-alive connection)."""


class OutboxProvider(SmsProvider):
    """The embedded default: writes the message to ``sms_outbox`` and the log. Flushes."""

    name = "outbox"

    def send_code(self, phone: str, code: str, text: str) -> None:
        db.session.add(SmsMessage(phone=phone, text=text[:500]))
        db.session.flush()
        log.info("SMS to %s…%s written to the outbox", phone[:3], phone[-2:])

    def send_notice(self, phone: str, text: str) -> None:
        self.send_code(phone, "", text)


def percent_encode(text: str) -> str:
    """Alibaba Cloud's encoding of the signature: RFC 3986, space as %20, ``~`` kept."""
    return urllib.parse.quote(text, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The ``Signature`` of a request's parameters (``Signature`` itself excluded)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunProvider(SmsProvider):
    """Alibaba Cloud SMS ``SendSms`` over HTTPS GET, answered with JSON ``{"Code": "OK", ...}``."""

    name = "aliyun"
    DEFAULT_URL = "https://dysmsapi.aliyuncs.com/"

    def __init__(self, config) -> None:
        self.url = config.get("SMS_URL") or self.DEFAULT_URL
        self.key_id = config.get("SMS_KEY_ID") or ""
        self.secret = config.get("SMS_KEY_SECRET") or ""
        self.sign_name = config.get("SMS_SIGN_NAME") or ""
        self.template = config.get("SMS_TEMPLATE") or ""
        self.notice_template = config.get("SMS_NOTICE_TEMPLATE") or ""  # one ${text} parameter
        self.timeout = float(config.get("SMS_TIMEOUT_SECONDS") or 5)
        self.http = requests.Session()  # one connection, kept alive, for the messages of a batch

    def request_params(self, phone: str, code: str, *, template: str = "", values: dict | None = None) -> dict[str, str]:
        params = {
            "AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou", "SignName": self.sign_name, "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": secrets.token_hex(16), "SignatureVersion": "1.0", "TemplateCode": template or self.template,
            "TemplateParam": json.dumps(values if values is not None else {"code": code}, ensure_ascii=False), "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        params["Signature"] = aliyun_signature(params, self.secret)
        return params

    def send_code(self, phone: str, code: str, text: str) -> None:
        self._send(self.request_params(phone, code))

    def send_notice(self, phone: str, text: str) -> None:
        if not self.notice_template:
            raise SmsError("aliyun: ACADEMY_SMS_NOTICE_TEMPLATE is not set")
        self._send(self.request_params(phone, "", template=self.notice_template, values={"text": text[:300]}))

    def _send(self, params: dict[str, str]) -> None:
        url = self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        try:
            response = self.http.get(url, timeout=self.timeout)
            answer = _json_or_empty(response.content[:65536])
        except requests.RequestException as error:
            raise SmsError(f"aliyun: {type(error).__name__}: {error}") from error
        if answer.get("Code") != "OK":
            raise SmsError(f"aliyun: {answer.get('Code', '?')}: {str(answer.get('Message', ''))[:200]}")

    def close(self) -> None:
        self.http.close()


def _json_or_empty(raw: bytes) -> dict:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


PROVIDERS = {"outbox": OutboxProvider, "aliyun": AliyunProvider}


def provider() -> SmsProvider:
    """The provider ``ACADEMY_SMS_PROVIDER`` names (``outbox`` unless set)."""
    name = current_app.config.get("SMS_PROVIDER") or "outbox"
    cls = PROVIDERS.get(name)
    if cls is None:
        raise SmsError(f"unknown SMS provider {name!r}")
    return cls(current_app.config) if cls is AliyunProvider else cls()
