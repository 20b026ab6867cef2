"""The local peers, started for the notification tests that need them, and the app set to use them."""
from __future__ import annotations

import pytest

from tests.academy.notifications.peers import Peer, http_peer, peer_settings, smtp_server


@pytest.fixture
def peers(app, monkeypatch):
    """An SMTP server and the HTTP peer, and the app's settings pointing at them."""
    controller, mailbox = smtp_server()
    server = http_peer()
    for key, value in peer_settings(controller.port, server.server_port).items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 60)
    yield mailbox, Peer
    server.shutdown()
    controller.stop()
