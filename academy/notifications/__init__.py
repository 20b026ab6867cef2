"""Notifications: an event becomes messages for its recipients, in each one's language, on the
channels their preferences and the event's urgency allow, delivered by background jobs.

- ``kinds``: every event kind, its urgency, default channels and words;
- ``models``: the inbox message (``InboxMessage``), one ``Delivery`` per channel, preferences;
- ``operations``: ``notify`` (the one way in), reading, preferences;
- ``channels``: the inbox, e-mail (SMTP), SMS (the activation package's provider), WeCom and
  DingTalk group robots, each a small class behind one interface;
- ``delivery``: the job that sends, with retries, back-off and at most one resend after a crash.

It sits above accounts and the registry (it reads a worker's phone); the teaching side calls
``notify`` from its own operations, and the cases' events arrive by their signal.
"""
