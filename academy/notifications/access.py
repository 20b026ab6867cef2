"""Who may read what: a person his own messages (404 for anyone else's); the admin the deliveries."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from academy.notifications import queries
from academy.notifications.models import InboxMessage
from academy.web.paging import INTEGER_LIMIT


def own_notification(notification_id: int) -> InboxMessage:
    """The current user's message ``notification_id``; 404 when it is somebody else's or none."""
    if not 0 < notification_id <= INTEGER_LIMIT:  # an id past 32 bits would otherwise reach SQL
        abort(404)
    notification = queries.notification_of(current_user, notification_id)
    if notification is None:
        abort(404)
    return notification


def safe_link(link: str) -> str:
    """A message's link, only ever a path of this site."""
    return link if link.startswith("/") and not link.startswith(("//", "/\\")) else ""
