"""The case module's error: a domain rule refused a change; its message is for the user."""


class CaseError(ValueError):
    """A domain rule refused the change; the message is for the user."""
