"""Access rows of the sign-in through the identity provider (academy/oidc).

The session's app has no provider configured, so both steps are 404 for everyone: the page that
does not offer the button does not answer its URLs either (tests/academy/oidc walks them configured).
"""
from __future__ import annotations

from tests.access import Access, everyone

ACCESS = [
    Access("oidc.start", "/login/oidc", everyone(404, anonymous=404)),
    Access("oidc.callback", "/login/oidc/callback?code=x&state=y", everyone(404, anonymous=404)),
]
