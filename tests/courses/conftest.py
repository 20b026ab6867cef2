"""The teaching side's tests read English pages: every test client asks for English.

(The site's default language is Chinese; a test asserting a message checks the English id.)
"""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_clients(app, monkeypatch):
    make_client = app.test_client

    def english_client(*args, **kwargs):
        client = make_client(*args, **kwargs)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    monkeypatch.setattr(app, "test_client", english_client)
    # Messages made outside a request (an operation's error in a test) use the default language.
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
