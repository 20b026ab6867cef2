"""Why a sign-in through the identity provider was refused, in words for the person signing in."""
from __future__ import annotations

from flask_babel import gettext as _

from academy.errors import DomainError

# reason -> what the person reads; the reason itself goes to the audit log.
UNREACHABLE, DENIED, STATE, TOKEN, UNKNOWN, CONFLICT, NO_ACCOUNT, INACTIVE = (
    "unreachable", "denied", "state", "token", "unknown", "conflict", "no_account", "inactive")


class SignInRefused(DomainError):
    """A sign-in through the identity provider did not go through; ``reason`` is for the audit log."""

    def __init__(self, reason: str, provider_name: str, *, worker=None, claimed_number: str = "", subject: str = ""):
        self.reason, self.worker, self.claimed_number, self.subject = reason, worker, claimed_number, subject
        super().__init__(_message(reason, provider_name))


def _message(reason: str, name: str) -> str:
    if reason == UNREACHABLE:
        return _("Cannot reach %(name)s just now. Try again later, or log in with your password.", name=name)
    if reason == DENIED:
        return _("You are not signed in: %(name)s did not confirm who you are.", name=name)
    if reason == STATE:
        return _("This sign-in was not started here or has expired. Please start it again.")
    if reason == TOKEN:
        return _("The answer from %(name)s could not be verified, so you are not signed in. Please start again.",
                 name=name)
    return _("Your identity was confirmed by %(name)s, but no active account of the academy belongs to you. "
             "Ask the HR office of your district for your account or activation letter.", name=name)
