"""The channels: each a small class with ``address(user, reach)`` (where to, or "" when this person
cannot be reached this way; ``reach``: ``queries.Reach``) and ``send(address, title, body, link)``, which raises ``ChannelError``
when the peer did not take the message. Settings (``academy/config.py``):

- e-mail: ``ACADEMY_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_STARTTLS``, ``_FROM``;
- SMS: the provider of ``academy.activation.sms`` (``ACADEMY_SMS_*``; ``SMS_NOTICE_TEMPLATE``);
- WeCom / DingTalk group robots: ``ACADEMY_WECOM_WEBHOOK`` / ``ACADEMY_DINGTALK_WEBHOOK``
  (the person is @-mentioned by his phone).
"""
from __future__ import annotations

import json
import smtplib
import urllib.error
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


class RobotChannel(BaseChannel):
    """A group robot's webhook: one JSON POST, the person @-mentioned by phone."""

    setting = ""

    def address(self, user, reach) -> str:
        return reach.phone(user) if current_app.config.get(self.setting) else ""

    def payload(self, phone: str, text: str) -> dict:
        raise NotImplementedError

    def send(self, address: str, title: str, body: str, link: str) -> None:
        text = "\n".join(part for part in (title, body, _absolute(link)) if part)
        data = json.dumps(self.payload(address, text), ensure_ascii=False).encode()
        request = urllib.request.Request(current_app.config[self.setting], data=data, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a configured URL)
                answer = json.loads(response.read(65536) or b"{}")
        except (OSError, ValueError) as error:
            raise ChannelError(f"{self.key.value}: {type(error).__name__}: {error}"[:400]) from error
        if not isinstance(answer, dict) or answer.get("errcode") != 0:
            raise ChannelError(f"{self.key.value}: {str(answer)[:300]}")


class WecomChannel(RobotChannel):
    key, setting = Channel.WECOM, "WECOM_WEBHOOK"

    def payload(self, phone: str, text: str) -> dict:
        return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": [phone]}}


class DingtalkChannel(RobotChannel):
    key, setting = Channel.DINGTALK, "DINGTALK_WEBHOOK"

    def payload(self, phone: str, text: str) -> dict:
        return {"msgtype": "text", "text": {"content": f"{text}\n@{phone}"}, "at": {"atMobiles": [phone]}}


def _absolute(link: str) -> str:
    base = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    return f"{base}{link}" if link and base else link


CHANNELS: dict[Channel, BaseChannel] = {
    channel.key: channel for channel in (InboxChannel(), EmailChannel(), SmsChannel(), WecomChannel(), DingtalkChannel())
}
