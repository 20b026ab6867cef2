"""The one base of every refusal a domain rule gives.

An operation that refuses raises a ``DomainError`` (each package's own class derives from it); its
message is already in the user's language. The request cycle (``academy.web.cycle``) rolls the
request back and shows the message. ``ValueError`` stays a base, so code and tests that catch
``ValueError`` keep working.
"""
from __future__ import annotations


class DomainError(ValueError):
    """A domain rule refused the change; the message is for the user, in the user's language."""
