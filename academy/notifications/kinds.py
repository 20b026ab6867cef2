"""Every event kind: who may receive it, its urgency, the channels it goes by unless a person or the
admin says otherwise, and its words, rendered in the recipient's language (``render`` runs inside
``force_locale``). The README lists the same kinds with their recipients.

``to`` names the roles whose holders are sent the kind, and ``WORKER`` a person with a worker record
(his own training, certificates and exams, and the cases he handles himself): the preferences page
offers a person only the kinds he may receive (``kinds_for``), the admin all of them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.notifications.models import Channel, Urgency
from academy.permissions import Role

INBOX, EMAIL, SMS, WECOM, DINGTALK = Channel
WORKER = "worker"  # not a role: a log-in linked to a worker record
OWN = (WORKER,)  # his own training, certificates and exams
HANDLERS = (WORKER, Role.DEPARTMENT, Role.DISPATCHER)  # who holds a case's task (cases.people.handler_user_ids)


@dataclass(frozen=True)
class Kind:
    key: str
    to: tuple[str, ...]  # roles (and WORKER) whose holders receive it
    label: object  # a lazy string: what the preferences page calls the kind
    urgency: Urgency
    channels: tuple[Channel, ...]
    title: Callable[[dict], str]
    body: Callable[[dict], str]


def kinds_for(roles, is_worker: bool) -> list[Kind]:
    """The kinds a person with ``roles`` (and a worker record, if ``is_worker``) may receive, in order;
    the admin is offered every kind (he sets the defaults of all of them)."""
    if Role.ADMIN in roles:
        return list(KINDS.values())
    own = set(roles) | ({WORKER} if is_worker else set())
    return [kind for kind in KINDS.values() if own.intersection(kind.to)]


def _kinds(*kinds: Kind) -> dict[str, Kind]:
    return {kind.key: kind for kind in kinds}


KINDS = _kinds(
    Kind("training.assigned", OWN, _l("Mandatory training assigned"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("Mandatory training: %(course)s", course=c["course"]),
         lambda c: _("Complete the course %(course)s by %(due)s.", course=c["course"], due=c["due"])),
    Kind("training.due_soon", OWN, _l("Training due soon"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("%(course)s is due in %(days)s days", course=c["course"], days=c["days"]),
         lambda c: _("Complete the course %(course)s by %(due)s.", course=c["course"], due=c["due"])),
    Kind("training.overdue", OWN, _l("Training overdue"), Urgency.URGENT, (INBOX, SMS),
         lambda c: _("Overdue: %(course)s", course=c["course"]),
         lambda c: _("The course %(course)s was due on %(due)s.", course=c["course"], due=c["due"])),
    Kind("training.overdue_hr", (Role.HR,), _l("Overdue training of your workers"), Urgency.NORMAL, (INBOX,),
         lambda c: _("%(name)s is overdue: %(course)s", name=c["name"], course=c["course"]),
         lambda c: _("The course %(course)s was due on %(due)s.", course=c["course"], due=c["due"])),
    Kind("training.extension_decided", OWN, _l("Extension decided"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: (_("Extension granted: %(course)s", course=c["course"]) if c["granted"]
                    else _("Extension refused: %(course)s", course=c["course"])),
         lambda c: (_("The new due date is %(due)s.", due=c["due"]) if c["granted"]
                    else _("Complete the course %(course)s by %(due)s.", course=c["course"], due=c["due"]))),
    Kind("enrollment.seated", OWN, _l("Seat from the waitlist"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("You have a seat on %(course)s", course=c["course"]),
         lambda c: _("A seat became free: you are now enrolled.")),
    Kind("training.session_changed", OWN, _l("Classroom session changed"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("Session of %(course)s changed", course=c["course"]),
         lambda c: _("It is now on %(when)s, %(hours)s h, at %(place)s.", when=c["when"], hours=c["hours"],
                     place=c["place"] or "—")),
    Kind("training.session_cancelled", OWN, _l("Classroom session cancelled"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("Session of %(course)s cancelled", course=c["course"]),
         lambda c: _("The session on %(when)s at %(place)s will not take place.", when=c["when"],
                     place=c["place"] or "—")),
    Kind("certificate.renewal_window", OWN, _l("Renewal window opened"), Urgency.NORMAL, (INBOX, SMS, EMAIL),
         lambda c: _("The renewal window of your certificate %(number)s is open", number=c["number"]),
         lambda c: _("Renew it before %(until)s: see what is still missing under My certificates.", until=c["until"])),
    Kind("certificate.expiring", OWN, _l("Certificate expiring"), Urgency.NORMAL, (INBOX, SMS, EMAIL),
         lambda c: _("Your certificate %(number)s expires on %(until)s", number=c["number"], until=c["until"]),
         lambda c: _("Renew it before it expires: you go off duty without it.")),
    Kind("certificate.issued", OWN, _l("Certificate issued"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("Certificate %(number)s issued to you", number=c["number"]),
         lambda c: _("Valid until %(until)s.", until=c["until"])),
    Kind("certificate.suspended", OWN, _l("Certificate suspended"), Urgency.URGENT, (INBOX, SMS),
         lambda c: _("Your certificate %(number)s is suspended", number=c["number"]),
         lambda c: _("You are off duty until it is valid again.")),
    Kind("certificate.revoked", OWN, _l("Certificate revoked"), Urgency.URGENT, (INBOX, SMS),
         lambda c: _("Your certificate %(number)s is revoked", number=c["number"]),
         lambda c: _("You are off duty until it is valid again.")),
    Kind("certificate.hr_suspended", (Role.HR,), _l("A worker's certificate suspended"), Urgency.NORMAL, (INBOX,),
         lambda c: _("Certificate %(number)s of %(name)s is suspended", number=c["number"], name=c["name"]),
         lambda c: _("%(name)s is off duty until it is valid again.", name=c["name"])),
    Kind("certificate.hr_revoked", (Role.HR,), _l("A worker's certificate revoked"), Urgency.NORMAL, (INBOX,),
         lambda c: _("Certificate %(number)s of %(name)s is revoked", number=c["number"], name=c["name"]),
         lambda c: _("%(name)s is off duty until it is valid again.", name=c["name"])),
    Kind("certificate.expired", OWN, _l("Certificate expired"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("Your certificate %(number)s has expired", number=c["number"]),
         lambda c: _("You are off duty until it is valid again.")),
    Kind("case.dispatched", HANDLERS, _l("Case dispatched to you"), Urgency.URGENT, (INBOX, SMS, WECOM),
         lambda c: _("Case %(number)s dispatched to you", number=c["number"]),
         lambda c: c.get("title", "")),
    Kind("case.returned", (Role.DISPATCHER,), _l("Case returned"), Urgency.NORMAL, (INBOX, WECOM),
         lambda c: _("Case %(number)s was returned", number=c["number"]),
         lambda c: c.get("title", "")),
    Kind("case.extension_decided", HANDLERS, _l("Case extension decided"), Urgency.NORMAL, (INBOX, WECOM),
         lambda c: (_("Extension granted: case %(number)s", number=c["number"]) if c["granted"]
                    else _("Extension refused: case %(number)s", number=c["number"])),
         lambda c: (_("The task is now due at %(due)s.", due=c["due"]) if c["granted"]
                    else _("Keep to the task's deadline: %(title)s", title=c["title"]))),
    Kind("case.red_card", (Role.VIEWER,), _l("Red card escalated"), Urgency.URGENT, (INBOX, SMS, DINGTALK),
         lambda c: _("Red card: case %(number)s", number=c["number"]),
         lambda c: _("Case %(number)s in %(area)s is past its time limit.", number=c["number"], area=c["area"])),
    Kind("case.yellow_light", HANDLERS, _l("Yellow light on a case"), Urgency.NORMAL, (INBOX, WECOM),
         lambda c: _("Yellow light: case %(number)s", number=c["number"]),
         lambda c: _("Case %(number)s is near its time limit (%(due)s).", number=c["number"], due=c["due"])),
    Kind("case.red_light", HANDLERS, _l("Red light on a case"), Urgency.URGENT, (INBOX, SMS, WECOM),
         lambda c: _("Red light: case %(number)s", number=c["number"]),
         lambda c: _("Case %(number)s is past its time limit (%(due)s).", number=c["number"], due=c["due"])),
    Kind("case.dissatisfied", (Role.DISPATCHER,), _l("Dissatisfied return visit"), Urgency.NORMAL, (INBOX, WECOM),
         lambda c: _("Dissatisfied return visit: case %(number)s", number=c["number"]),
         lambda c: c.get("title", "")),
    Kind("exam.result_released", OWN, _l("Exam result released"), Urgency.NORMAL, (INBOX,),
         lambda c: _("Your result of %(exam)s is out", exam=c["exam"]),
         lambda c: _("Open it to see your score and each answer.")),
    Kind("exam.opened", OWN, _l("Exam open"), Urgency.NORMAL, (INBOX,),
         lambda c: _("The exam %(exam)s is open", exam=c["exam"]),
         lambda c: _("Take it before %(closes)s.", closes=c["closes"])),
    Kind("exam.closing", OWN, _l("Exam closing soon"), Urgency.NORMAL, (INBOX, SMS),
         lambda c: _("The exam %(exam)s closes within 24 hours", exam=c["exam"]),
         lambda c: _("You have not taken it yet: it closes at %(closes)s.", closes=c["closes"])),
    Kind("exam.essays_waiting", (Role.INSTRUCTOR,), _l("Essays waiting for marking"), Urgency.NORMAL, (INBOX,),
         lambda c: _("%(count)s essays of %(exam)s are waiting to be marked", count=c["count"], exam=c["exam"]),
         lambda c: _("Some have waited more than %(days)s days.", days=c["days"])),
    Kind("job.finished", (Role.HR,), _l("Background job finished"), Urgency.NORMAL, (INBOX,),
         lambda c: _("Finished: %(what)s", what=c["what"]), lambda c: c.get("message", "")),
    Kind("job.failed", (Role.HR,), _l("Background job failed"), Urgency.NORMAL, (INBOX,),
         lambda c: _("Failed: %(what)s", what=c["what"]),
         lambda c: c.get("message") or _("Open the job's page to see why.")),
)
