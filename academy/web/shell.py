"""The shell every page wears: the navigation a user may follow, grouped by domain, with the
current page marked and the badges of what waits; and the workbench counts of the home.

The numbers come from the "work" slot (``WorkCount``): each one query of its package's
``queries.py``. The home and the badges ask the same ``tally``, once a request (kept on ``g``)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, request, url_for
from flask_babel import lazy_gettext as _l

from academy.contributions import JobKind, NavItem, NextStep, Tab, Tally, WorkCount, contribute, contributions
from academy.jobs.queries import waiting_count
from academy.permissions import Role, has_role
from academy.web.labels import ACADEMY_GROUPS, NAV_GROUP_LABELS


@dataclass
class NavGroup:
    key: str
    label: str
    in_academy: bool
    entries: list[NavEntry]


@dataclass
class NavEntry:
    item: NavItem
    url: str
    current: bool = False
    badge: Tally | None = None
    badge_label: str = ""


def _may_see(user, entry: NavItem | WorkCount) -> bool:
    if not user.is_authenticated:
        return False
    if entry.personal:
        return bool(user.roles.intersection(entry.roles))
    return has_role(user, *entry.roles)


def is_staff(user) -> bool:
    """Anyone holding a role besides trainee: staff get the sidebar, trainees a plain top bar."""
    return user.is_authenticated and bool(set(user.roles) - {Role.TRAINEE})


def only_watches(user) -> bool:
    """A leader who reads figures and acts on nothing: his workbench shows key figures, not work."""
    roles = set(user.roles) if user.is_authenticated else set()
    return Role.VIEWER in roles and roles <= {Role.VIEWER, Role.TRAINEE}


def visible_nav(user) -> list[NavItem]:
    """The navigation entries ``user`` may follow, in their contributed order."""
    return [item for item in contributions("nav") if _may_see(user, item)]


def _tally(count: WorkCount, user) -> Tally:
    kept = g.setdefault("work_tallies", {})
    if count.key not in kept:
        kept[count.key] = count.tally(user)
    return kept[count.key]


def workbench(user) -> list[tuple[WorkCount, Tally]]:
    """Every count of what waits that ``user`` may act on, with its number and its list; those with
    something waiting first, each part in its contributed order."""
    tallies = [(count, _tally(count, user)) for count in contributions("work") if _may_see(user, count)]
    return sorted(tallies, key=lambda pair: pair[1].n == 0)


def _current(entries: list[NavEntry]) -> None:
    """Mark the entry of this page: its own endpoint, else the longest entry path this page lies under
    (a case's page under "my cases" is not marked; an exam's grading queue lies under "exams")."""
    exact = [entry for entry in entries if entry.item.endpoint == request.endpoint]
    under = sorted((entry for entry in entries if request.path.startswith(entry.url.rstrip("/") + "/")),
                   key=lambda entry: len(entry.url), reverse=True)
    for entry in (exact or under)[:1]:
        entry.current = True


def nav_groups(user, badges: bool = True) -> list[NavGroup]:
    """The entries ``user`` may follow, in the groups' order, with badges and the current one marked.
    An error page on our side asks for no badges: the database may be what failed."""
    counts = {count.key: count for count in contributions("work") if badges and _may_see(user, count)}
    entries = [NavEntry(item, url_for(item.endpoint)) for item in visible_nav(user)]
    _current(entries)
    for entry in entries:
        if entry.item.badge in counts:
            count = counts[entry.item.badge]
            entry.badge, entry.badge_label = _tally(count, user), str(count.label)
    groups = []
    for key, label in NAV_GROUP_LABELS.items():
        mine = [entry for entry in entries if entry.item.group == key]
        if mine:
            groups.append(NavGroup(key, str(label), key in ACADEMY_GROUPS, mine))
    return groups


@dataclass
class TabEntry:
    tab: Tab
    url: str
    current: bool = False


def has_tab_bar(user) -> bool:
    """Trainees and field workers (no staff role) get the bottom tab bar on phones."""
    return user.is_authenticated and not is_staff(user)


def tab_bar(user) -> list[TabEntry]:
    """The tabs ``user`` sees, in their contributed order, the one of this page marked (its own
    endpoint first, else the tab whose blueprints hold this page)."""
    if not has_tab_bar(user):
        return []
    entries = [TabEntry(tab, url_for(tab.endpoint)) for tab in contributions("tabs")
               if tab.show is None or tab.show(user)]
    exact = [entry for entry in entries if entry.tab.endpoint == request.endpoint]
    under = [entry for entry in entries if request.blueprint in entry.tab.blueprints]
    for entry in (exact or under)[:1]:
        entry.current = True
    return entries


# The inbox's entry: the top bar's bell leads there, with the number unread, on every page.
BELL = "notifications.inbox"


def desk_menu(user) -> list[NavEntry]:
    """The trainee's own pages that have no tab (his certificates, his worker record): on a desk they sit
    in the account menu, as under "me" on a phone, so that his top navigation fits one line."""
    if not has_tab_bar(user):
        return []
    tabs = {tab.endpoint for tab in contributions("tabs")}
    return [NavEntry(item, url_for(item.endpoint)) for item in visible_nav(user)
            if item.personal and item.endpoint not in tabs]


def off_desk_bar(user) -> set[str]:
    """The endpoints the trainee's top navigation leaves out on a desk (the phone's menu keeps them):
    those of the account menu, and the inbox, which the bell opens."""
    if not has_tab_bar(user):
        return set()
    return {entry.item.endpoint for entry in desk_menu(user)} | {BELL}


def next_steps(user) -> list[NextStep]:
    """The cards of the trainee's home, those with something to do first."""
    if not has_tab_bar(user):
        return []
    steps = [step for contribute_step in contributions("next_steps") if (step := contribute_step(user))]
    return sorted(steps, key=lambda step: step.n == 0)


def job_kinds() -> dict[str, JobKind]:
    """What each kind of background job is called and which page shows one (the "job_kinds" slot)."""
    return {kind.kind: kind for kind in contributions("job_kinds")}


def jobs_waiting_tally(user) -> Tally:
    """The user's own jobs not yet done with: queued, running, or failed in the last week."""
    return Tally(waiting_count(user), url_for("web.my_jobs", waiting=1))


def init_app(app: Flask) -> None:
    """The shell's own entry: HR's background jobs (imports, letters, batches), with the badge of those
    still waiting on him."""
    contribute(app, "nav", NavItem("web.my_jobs", _l("Background jobs"), (Role.HR,), group="system",
                                   icon="hourglass-split", badge="jobs.waiting"), order=990)
    contribute(app, "work", WorkCount("jobs.waiting", _l("Background jobs waiting"), (Role.HR,), jobs_waiting_tally,
                                      group="system", icon="hourglass-split"), order=990)
