"""The case module's error: a domain rule refused a change; its message is for the user."""
from academy.errors import DomainError


class CaseError(DomainError):
    """A domain rule refused the change; the message is for the user."""
