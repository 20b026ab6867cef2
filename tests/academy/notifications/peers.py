"""The channels' real local peers: an SMTP server (aiosmtpd), and one HTTP server that plays the
SMS provider (Alibaba Cloud's ``SendSms``, its signature checked) and the WeCom and DingTalk robots."""
from __future__ import annotations

import json
import socket
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from aiosmtpd.controller import Controller

from academy.activation import sms
from tests.support import JsonPeer

SECRET = "notify-secret"


class Mailbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.refuse = False
        self.refuse_to: set[str] = set()  # these recipients' messages are refused
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 (aiosmtpd's name)
        self.connections += 1  # once a connection: smtplib greets once, then sends message after message
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if self.refuse or self.refuse_to & set(envelope.rcpt_tos):
            return "451 Try again later"
        self.messages.append({"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")})
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:  # aiosmtpd checks its server by connecting to the port it was given
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller, mailbox


class Peer(JsonPeer):
    """GET ``/sms``: Alibaba Cloud SendSms (signature checked); POST ``/wecom`` and ``/dingtalk``: robots."""

    protocol_version = "HTTP/1.1"  # keeps a connection open, as the providers do (every answer has its length)
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms wait for a delayed ACK
    received: list[tuple[str, dict]] = []
    failures_left = 0  # answer this many requests with an error first

    def _fail(self) -> bool:
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            return True
        return False

    def do_GET(self):  # noqa: N802
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        signature = params.pop("Signature", "")
        if signature != sms.aliyun_signature(params, SECRET):
            return self._answer(400, {"Code": "SignatureDoesNotMatch"})
        type(self).received.append(("sms", params))
        if self._fail():
            return self._answer(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"})
        return self._answer(200, {"Code": "OK", "Message": "OK"})

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        type(self).received.append((self.path.strip("/"), body))
        if self.headers.get("Content-Type", "").split(";")[0] != "application/json" or body.get("msgtype") != "text":
            return self._answer(200, {"errcode": 40008, "errmsg": "invalid message type"})
        if self._fail():
            return self._answer(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        return self._answer(200, {"errcode": 0, "errmsg": "ok"})


def http_peer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Peer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Peer.received, Peer.failures_left = [], 0
    return server


def peer_settings(smtp_port: int, http_port: int) -> dict:
    base = f"http://127.0.0.1:{http_port}"
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, "SMTP_FROM": "academy@example.org",
            "SMS_PROVIDER": "aliyun", "SMS_URL": f"{base}/sms", "SMS_KEY_ID": "LTAI-test", "SMS_KEY_SECRET": SECRET,
            "SMS_SIGN_NAME": "网格学院", "SMS_NOTICE_TEMPLATE": "SMS_NOTICE",
            "WECOM_WEBHOOK": f"{base}/wecom", "DINGTALK_WEBHOOK": f"{base}/dingtalk"}


class WorkNoticePeer(JsonPeer):
    """The WeCom and DingTalk work-notice APIs: GET ``/<app>/gettoken`` gives a token (its id and secret
    checked); POST ``/wecom/message/send`` and ``/dingtalk/topapi/message/corpconversation/asyncsend_v2``
    take a message with a token it gave and has not revoked."""

    received: list[tuple[str, dict, dict | None]] = []  # path, query, JSON body
    issued: list[str] = []
    revoked: set[str] = set()
    CREDENTIALS = {"wecom": ("corpid", "ww-corp", "corpsecret", "wecom-secret"),
                   "dingtalk": ("appkey", "ding-key", "appsecret", "ding-secret")}

    def _request(self) -> tuple[str, dict]:
        parts = urlsplit(self.path)
        return parts.path.strip("/"), dict(parse_qsl(parts.query, keep_blank_values=True))

    def do_GET(self):  # noqa: N802
        path, query = self._request()
        type(self).received.append((path, query, None))
        app = path.split("/")[0]
        id_name, id_value, secret_name, secret_value = self.CREDENTIALS.get(app, ("", "", "", ""))
        if path != f"{app}/gettoken" or query.get(id_name) != id_value or query.get(secret_name) != secret_value:
            return self._answer(200, {"errcode": 40013, "errmsg": "invalid credential"})
        token = f"{app}-token-{len(type(self).issued) + 1}"
        type(self).issued.append(token)
        return self._answer(200, {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})

    def do_POST(self):  # noqa: N802
        path, query = self._request()
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        type(self).received.append((path, query, body))
        token = query.get("access_token", "")
        if token not in type(self).issued or token in type(self).revoked:
            return self._answer(200, {"errcode": 42001, "errmsg": "access_token expired"})
        if path == "dingtalk/topapi/message/corpconversation/asyncsend_v2":
            return self._answer(200, {"errcode": 0, "errmsg": "ok", "task_id": 1})
        return self._answer(200, {"errcode": 0, "errmsg": "ok", "msgid": "m1"})


def work_notice_peer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), WorkNoticePeer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    WorkNoticePeer.received, WorkNoticePeer.issued, WorkNoticePeer.revoked = [], [], set()
    return server
