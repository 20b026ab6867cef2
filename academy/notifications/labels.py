"""What the notifications' channels, urgencies, statuses and audit events are called."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.labels import Words
from academy.notifications.models import Channel, DeliveryStatus, Urgency

CHANNEL_LABELS = {
    Channel.INBOX: _l("Inbox"), Channel.EMAIL: _l("E-mail"), Channel.SMS: _l("SMS"),
    Channel.WECOM: _l("WeCom"), Channel.DINGTALK: _l("DingTalk"),
}
URGENCY_LABELS = {Urgency.NORMAL: _l("Normal"), Urgency.URGENT: _l("Urgent")}
DELIVERY_STATUS_LABELS = {
    DeliveryStatus.QUEUED: _l("Waiting to send"), DeliveryStatus.SENDING: _l("Sending"),
    DeliveryStatus.SENT: _l("Sent"), DeliveryStatus.FAILED: _l("Failed"),
}
EVENT_LABELS = {"notification_default.save": _l("Default notification channels saved")}
FIELD_LABELS = {"channels": _l("Channels")}
WORDS = Words(enums={Channel: CHANNEL_LABELS, Urgency: URGENCY_LABELS, DeliveryStatus: DELIVERY_STATUS_LABELS},
              events=EVENT_LABELS, fields=FIELD_LABELS)
