"""Translated labels of the registry's enums, for pages, exports and the import templates.

The import accepts a value's code (``full_time``), its English label or its Chinese label, so
spreadsheets typed by people in either language read the same.
"""
from __future__ import annotations

from flask_babel import get_locale, lazy_pgettext
from flask_babel import lazy_gettext as _l

from academy.labels import Words
from academy.registry.models import (
    AreaLevel,
    AssignmentRole,
    Education,
    Employment,
    Gender,
    GridKind,
    PoliticalStatus,
    UnitType,
    WorkerStatus,
)

# The worker list's sort select (its orders: ``queries.WORKER_ORDERS``), the list's own order first.
WORKER_SORT_LABELS = {
    "number": lazy_pgettext("sort", "Worker number"),
    "name": lazy_pgettext("sort", "Name"),
    "area": lazy_pgettext("sort", "Area"),
    "hired_newest": lazy_pgettext("sort", "Hired, newest first"),
    "hired_oldest": lazy_pgettext("sort", "Hired, oldest first"),
}

LABELS = {
    AreaLevel: {AreaLevel.CITY: _l("City"), AreaLevel.DISTRICT: _l("District"),
                AreaLevel.STREET: _l("Street"), AreaLevel.COMMUNITY: _l("Community")},
    GridKind: {GridKind.COMPREHENSIVE: _l("Comprehensive grid"), GridKind.EXCLUSIVE: _l("Exclusive grid")},
    UnitType: {UnitType.SCHOOL: _l("School"), UnitType.ENTERPRISE: _l("Enterprise"), UnitType.PARK: _l("Park"),
               UnitType.INSTITUTION: _l("Institution"), UnitType.HOSPITAL: _l("Hospital"),
               UnitType.MARKET: _l("Market"), UnitType.OTHER: _l("Other unit")},
    Gender: {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female")},
    Education: {Education.JUNIOR_HIGH: _l("Junior high school"), Education.SENIOR_HIGH: _l("Senior high school"),
                Education.VOCATIONAL: _l("Vocational school"), Education.JUNIOR_COLLEGE: _l("Junior college"),
                Education.BACHELOR: _l("Bachelor"), Education.MASTER: _l("Master or above")},
    PoliticalStatus: {PoliticalStatus.PARTY_MEMBER: _l("Party member"),
                      PoliticalStatus.PROBATIONARY: _l("Probationary party member"),
                      PoliticalStatus.LEAGUE_MEMBER: _l("League member"),
                      PoliticalStatus.OTHER_PARTY: _l("Other party"), PoliticalStatus.MASSES: _l("The masses")},
    Employment: {Employment.FULL_TIME: _l("Full-time"), Employment.PART_TIME: _l("Part-time"),
                 Employment.AUXILIARY: _l("Auxiliary")},
    WorkerStatus: {WorkerStatus.RECRUITED: _l("Recruited"), WorkerStatus.IN_TRAINING: _l("In training"),
                   WorkerStatus.ON_DUTY: _l("On duty"), WorkerStatus.SUSPENDED: _l("Suspended"),
                   WorkerStatus.EXITED: _l("Exited")},
    AssignmentRole: {AssignmentRole.LEADER: _l("Grid leader"), AssignmentRole.FULL_TIME: _l("Full-time worker"),
                     AssignmentRole.PART_TIME: _l("Part-time worker"), AssignmentRole.AUXILIARY: _l("Auxiliary worker")},
}

EVENT_LABELS = {
    "area.create": _l("Area created"), "area.update": _l("Area changed"),
    "grid.create": _l("Grid created"), "grid.update": _l("Grid changed"), "grid.retire": _l("Grid retired"),
    "worker.create": _l("Grid worker registered"), "worker.update": _l("Grid worker's record changed"),
    "worker.status": _l("Grid worker's status changed"), "worker.reveal_id_number": _l("ID number shown in full"),
    "worker.photo": _l("Grid worker's photo uploaded"), "worker.photo_remove": _l("Grid worker's photo removed"),
    "worker.account_link": _l("Log-in linked to a grid worker"), "worker.accounts_create": _l("Log-ins created for grid workers"),
    "assignment.create": _l("Grid worker assigned to a grid"), "assignment.update": _l("Grid assignment changed"),
    "assignment.end": _l("Grid assignment ended"), "assignment.held": _l("Grid assignment awaits qualification"),
    "assignment.effective": _l("Grid assignment took effect"),
    "department.create": _l("Department created"), "department.update": _l("Department changed"),
    "registry.import": _l("Registry imported"), "staff.import": _l("Staff imported"),
}
FIELD_LABELS = {
    "gender": _l("Gender"), "birth_date": _l("Date of birth"), "phone": _l("Phone"), "education": _l("Education"),
    "political_status": _l("Political status"), "employment": _l("Employment"), "hired_on": _l("Hired on"),
    "kind": _l("Kind"), "unit_type": _l("Unit type"), "households": _l("Households"), "residents": _l("Residents"),
    "boundary_east": _l("Boundary east"), "boundary_south": _l("Boundary south"), "boundary_west": _l("Boundary west"),
    "boundary_north": _l("Boundary north"), "boundary_geojson": _l("Boundary map"),
    "responsible_unit": _l("Responsible unit"), "valid_from": _l("Valid from"), "valid_to": _l("Valid to"),
    "starts_on": _l("Starts on"), "ends_on": _l("Ends on"), "awaiting_qualification": _l("Awaiting qualification"),
    "assignments_ended": _l("Assignments ended"), "status": _l("Status"), "number": _l("Worker number"),
    "name": _l("Name"), "id_number": _l("ID number"),
}
OBJECT_LABELS = {"Area": _l("Area"), "Grid": _l("Grid"), "Worker": _l("Grid worker"),
                 "Assignment": _l("Grid assignment"), "Department": _l("Department")}
WORDS = Words(enums=LABELS, events=EVENT_LABELS, fields=FIELD_LABELS, objects=OBJECT_LABELS,
              links={"Grid": ("registry.grid", "grid_id"), "Worker": ("registry.worker", "worker_id")})

# Chinese names the import accepts whatever the user's language (spreadsheets are typed in Chinese).
CHINESE = {
    "comprehensive": "综合网格", "exclusive": "专属网格",
    "school": "学校", "enterprise": "企业", "park": "园区", "institution": "机关事业单位", "hospital": "医院",
    "market": "市场", "other": "其他",
    "male": "男", "female": "女",
    "junior_high": "初中", "senior_high": "高中", "vocational": "中专", "junior_college": "大专",
    "bachelor": "本科", "master": "研究生",
    "party_member": "中共党员", "probationary": "中共预备党员", "league_member": "共青团员",
    "other_party": "民主党派", "masses": "群众",
    "full_time": "专职", "part_time": "兼职", "auxiliary": "辅助",
    "leader": "网格长",
}
ROLE_CHINESE = {"leader": "网格长", "full_time": "专职网格员", "part_time": "兼职网格员", "auxiliary": "辅助力量"}


def label(value) -> str:
    """The translated label of an enum member (empty for None)."""
    if value is None:
        return ""
    return str(LABELS[type(value)][value])


def rank(value) -> int:
    """Where ``value`` stands among its enum's members, in the order they are labelled (leader first)."""
    return list(LABELS[type(value)]).index(value)


def choices(enum_cls) -> list[tuple[str, str]]:
    return [(member.value, label) for member, label in LABELS[enum_cls].items()]


def _names(enum_cls, locale: str) -> dict[str, object]:
    key = (enum_cls, locale)
    if key not in _NAME_CACHE:
        names = {}
        for member, translated in LABELS[enum_cls].items():
            for name in (member.value, str(translated._args[0]), CHINESE.get(member.value, ""), str(translated),
                         ROLE_CHINESE.get(member.value, "") if enum_cls is AssignmentRole else ""):
                if name:
                    names.setdefault(name.lower(), member)
        _NAME_CACHE[key] = names
    return _NAME_CACHE[key]


_NAME_CACHE: dict[tuple, dict[str, object]] = {}


def parse(enum_cls, text: str):
    """The member of ``enum_cls`` that ``text`` names (code, English or Chinese label), or None."""
    wanted = (text or "").strip().lower()
    if not wanted:
        return None
    return _names(enum_cls, str(get_locale())).get(wanted)
