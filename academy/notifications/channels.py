"""The channels: each a small class with ``address(user, reach)`` (where to, or "" when this person
cannot be reached this way; ``reach``: ``queries.Reach``) and ``send(address, title, body, link)``, which raises ``ChannelError``
when the peer did not take the message. Settings (``academy/config.py``):

- e-mail: ``ACADEMY_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_STARTTLS``, ``_FROM``;
- SMS: the provider of ``academy.activation.sms`` (``ACADEMY_SMS_*``; ``SMS_NOTICE_TEMPLATE``);
- WeCom / DingTalk work notices to a person's own user id (on his preferences) where the API is
  configured (``ACADEMY_WECOM_CORP_ID``, ``_CORP_SECRET``, ``_AGENT_ID``; ``ACADEMY_DINGTALK_APP_KEY``,
  ``_APP_SECRET``, ``_AGENT_ID``), the access token cached until it expires; else the group robots:
  ``ACADEMY_WECOM_WEBHOOK`` / ``ACADEMY_DINGTALK_WEBHOOK`` (the person is @-mentioned by his phone).
"""
from __future__ import annotations

import json
import smtplib
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from email.message import EmailMessage

from flask import current_app

from academy.activation import sms
from academy.notifications.models import Channel


class ChannelError(RuntimeError):
    """The peer refused or could not be reached; the text says why, for the deliveries page."""


class BaseChannel:
    key: Channel

    def address(self, user, reach) -> str:
        raise NotImplementedError

    def send(self, address: str, title: str, body: str, link: str) -> None:
        raise NotImplementedError

    @contextmanager
    def sender(self):
        """``send`` for a batch of messages: a channel whose messages can share a connection overrides it."""
        yield self.send


class InboxChannel(BaseChannel):
    """The notification row is the inbox message: delivered as soon as it is written."""

    key = Channel.INBOX

    def address(self, user, reach) -> str:
        return str(user.id)

    def send(self, address: str, title: str, body: str, link: str) -> None:
        return None


class EmailChannel(BaseChannel):
    key = Channel.EMAIL

    def address(self, user, reach) -> str:
        return reach.email(user) if current_app.config.get("SMTP_HOST") else ""

    def send(self, address: str, title: str, body: str, link: str) -> None:
        with self.sender() as send:
            send(address, title, body, link)

    @contextmanager
    def sender(self):
        """One SMTP connection for the batch, opened at the first message and again after a failure."""
        connection = SmtpConnection(current_app.config)
        try:
            yield connection.send
        finally:
            connection.close()


class SmtpConnection:
    def __init__(self, config) -> None:
        self.config, self.smtp = config, None

    def open(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10)
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        return smtp

    def send(self, address: str, title: str, body: str, link: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.config["SMTP_FROM"], address, title
        message.set_content("\n\n".join(part for part in (body, _absolute(link)) if part))
        try:
            if self.smtp is None:
                self.smtp = self.open()
            self.smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self.close()  # the next message starts afresh on a new connection
            raise ChannelError(f"smtp: {type(error).__name__}: {error}"[:400]) from error

    def close(self) -> None:
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class SmsChannel(BaseChannel):
    """Through the same provider as account recovery (``academy.activation.sms``)."""

    key = Channel.SMS

    def address(self, user, reach) -> str:
        return reach.phone(user)

    def send(self, address: str, title: str, body: str, link: str) -> None:
        with self.sender() as send:
            send(address, title, body, link)

    @contextmanager
    def sender(self):
        """One provider (one HTTP session, its connection kept alive) for the batch."""
        provider = sms.provider()

        def send(address: str, title: str, body: str, link: str) -> None:
            try:
                provider.send_notice(address, f"{title}。{body}" if body else title)
            except sms.SmsError as error:
                raise ChannelError(str(error)[:400]) from error

        try:
            yield send
        finally:
            provider.close()


APP_PREFIX = "user:"  # an address of the work-notice API (a user id), not a robot's phone


class RobotChannel(BaseChannel):
    """A work notice to the person's own user id where the API is configured and he gave his id;
    else a group robot's webhook: one JSON POST, the person @-mentioned by phone."""

    setting = ""
    app_settings: tuple[str, str, str] = ("", "", "")  # the id, the secret, the agent
    user_field = ""
    token_path = ""
    token_params: tuple[str, str] = ("", "")
    api_setting = ""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (api, id) -> token, expiry (monotonic)
        self._lock = threading.Lock()

    def app_configured(self) -> bool:
        return all(current_app.config.get(name) for name in self.app_settings)

    def address(self, user, reach) -> str:
        preference = reach.preference(user)
        user_id = getattr(preference, self.user_field, "") if preference is not None else ""
        if user_id and self.app_configured():
            return f"{APP_PREFIX}{user_id}"
        return reach.phone(user) if current_app.config.get(self.setting) else ""

    def payload(self, phone: str, text: str) -> dict:
        raise NotImplementedError

    def notice(self, user_id: str, text: str, agent: int) -> tuple[str, dict]:
        """The work-notice API's path and body."""
        raise NotImplementedError

    def send(self, address: str, title: str, body: str, link: str) -> None:
        text = "\n".join(part for part in (title, body, _absolute(link)) if part)
        if address.startswith(APP_PREFIX):
            return self._send_notice(address[len(APP_PREFIX):], text)
        self._check(self._call(current_app.config[self.setting], self.payload(address, text)))
        return None

    def _call(self, url: str, body: dict | None = None) -> dict:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a configured URL)
                answer = json.loads(response.read(65536) or b"{}")
        except (OSError, ValueError) as error:
            raise ChannelError(f"{self.key.value}: {type(error).__name__}: {error}"[:400]) from error
        return answer if isinstance(answer, dict) else {"answer": answer}

    def _check(self, answer: dict) -> None:
        if answer.get("errcode") != 0:
            raise ChannelError(f"{self.key.value}: {str(answer)[:300]}")

    def _token(self) -> str:
        config = current_app.config
        api, app_id = config[self.api_setting].rstrip("/"), config[self.app_settings[0]]
        with self._lock:
            token, expires = self._tokens.get((api, app_id), ("", 0.0))
            if token and time.monotonic() < expires:
                return token
            query = urllib.parse.urlencode({self.token_params[0]: app_id, self.token_params[1]: config[self.app_settings[1]]})
            answer = self._call(f"{api}/gettoken?{query}")
            self._check(answer)
            token = str(answer.get("access_token") or "")
            if not token:
                raise ChannelError(f"{self.key.value}: no access token in {str(answer)[:200]}")
            lifetime = int(answer.get("expires_in") or 7200)
            self._tokens[(api, app_id)] = (token, time.monotonic() + max(lifetime - 300, 60))  # renewed 5 minutes early
            return token

    def _send_notice(self, user_id: str, text: str) -> None:
        config = current_app.config
        api = config[self.api_setting].rstrip("/")
        path, body = self.notice(user_id, text, int(config[self.app_settings[2]]))
        answer = self._call(f"{api}/{path}?{urllib.parse.urlencode({'access_token': self._token()})}", body)
        if answer.get("errcode") != 0:
            with self._lock:  # an expired or revoked token: the retry asks for a new one
                self._tokens.pop((api, config[self.app_settings[0]]), None)
        self._check(answer)


class WecomChannel(RobotChannel):
    key, setting = Channel.WECOM, "WECOM_WEBHOOK"
    app_settings, user_field, api_setting = ("WECOM_CORP_ID", "WECOM_CORP_SECRET", "WECOM_AGENT_ID"), "wecom_user_id", "WECOM_API"
    token_params = ("corpid", "corpsecret")

    def payload(self, phone: str, text: str) -> dict:
        return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": [phone]}}

    def notice(self, user_id: str, text: str, agent: int) -> tuple[str, dict]:
        return "message/send", {"touser": user_id, "msgtype": "text", "agentid": agent, "text": {"content": text}}


class DingtalkChannel(RobotChannel):
    key, setting = Channel.DINGTALK, "DINGTALK_WEBHOOK"
    app_settings = ("DINGTALK_APP_KEY", "DINGTALK_APP_SECRET", "DINGTALK_AGENT_ID")
    user_field, api_setting, token_params = "dingtalk_user_id", "DINGTALK_API", ("appkey", "appsecret")

    def payload(self, phone: str, text: str) -> dict:
        return {"msgtype": "text", "text": {"content": f"{text}\n@{phone}"}, "at": {"atMobiles": [phone]}}

    def notice(self, user_id: str, text: str, agent: int) -> tuple[str, dict]:
        return "topapi/message/corpconversation/asyncsend_v2", {
            "agent_id": agent, "userid_list": user_id, "msg": {"msgtype": "text", "text": {"content": text}}}


def _absolute(link: str) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}{link}" if link and base else link


CHANNELS: dict[Channel, BaseChannel] = {
    channel.key: channel for channel in (InboxChannel(), EmailChannel(), SmsChannel(), WecomChannel(), DingtalkChannel())
}
