"""Access rows of the notifications: everyone reads and marks his own messages (another's is a 404),
sets his own preferences; the deliveries and the defaults per role are the administrator's."""
from __future__ import annotations

from academy.notifications.kinds import KINDS
from academy.notifications.operations import notify
from tests.access import Access, everyone

ADMIN = {"admin": 200}
URGENT_SMS = {f"kind_{n}": ["sms"] for n, kind in enumerate(KINDS.values()) if kind.urgency == "urgent"}


def build(world) -> None:
    """A message to the trainee: his to open and mark; anyone else gets 404."""
    (message,) = notify("job.finished", [world.users["trainee"]], {"what": "导入", "message": ""},
                        key="access:1", link="/inbox")
    world["message"] = message


MINE = everyone(404, trainee=302)

ACCESS = [
    Access("notifications.inbox", "/inbox", everyone(200)),
    Access("notifications.inbox", "/inbox?show=unread", everyone(200)),
    Access("notifications.open_notification", lambda w: f"/inbox/{w['message'].id}", MINE),
    Access("notifications.mark_read", lambda w: f"/inbox/{w['message'].id}/read", MINE, method="POST"),
    Access("notifications.mark_all_read", "/inbox/read-all", everyone(302), method="POST"),
    Access("notifications.preferences", "/inbox/preferences", everyone(200)),
    Access("notifications.preferences", "/inbox/preferences", everyone(302), method="POST",
           data={"email": "", "quiet_from": "", "quiet_to": "", **URGENT_SMS}),
    Access("notifications.preferences", "/inbox/preferences", everyone(400), method="POST",
           data={"email": "not an address", "quiet_from": "99"}),
    Access("notifications.deliveries", "/admin/notifications", ADMIN),
    Access("notifications.deliveries", "/admin/notifications?status=failed&channel=sms&kind=case.red_card", ADMIN),
    Access("notifications.defaults", "/admin/notifications/defaults", ADMIN),
    Access("notifications.defaults", "/admin/notifications/defaults", {"admin": 302}, method="POST",
           data={"role": "trainee", "kind": "job.finished", "channels": ["inbox"]}),
]
