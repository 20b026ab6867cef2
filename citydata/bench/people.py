"""The benchmark city's log-ins: trainees (one per trainee worker) and the staff of each district.

Usernames carry the city code (``b3201-t000001``, ``b3201-dispatcher-320102`` ...), so a second
city added with ``--append`` never collides. All share the bench password, checked against the
password policy once and hashed once: argon2 at production cost takes 0.2 s a hash on purpose,
and 3,500 separate hashes would add ten minutes without changing anything a page does.
"""
from __future__ import annotations

from academy.accounts.models import RoleGrant, User
from academy.accounts.passwords import hash_password, password_problem
from academy.database import utcnow
from academy.permissions import Role
from citydata.bench.city import BenchCity, BenchDataError


def _password_hash(city: BenchCity) -> str:
    if "password_hash" not in city.state:
        problem = password_problem(city.options.password)
        if problem:
            raise BenchDataError(f"The bench password is refused by the password policy: {problem}")
        city.state["password_hash"] = hash_password(city.options.password)
    return city.state["password_hash"]


def add_users(city: BenchCity, people: list[tuple[str, str, list[tuple[Role, str | None]]]]) -> list[int]:
    """Write users (username, display name, [(role, area code or None)]) in bulk; returns their ids."""
    password_hash, now = _password_hash(city), utcnow()
    ids = list(city.writer.ids(User.__table__, len(people)))
    for user_id, (username, display_name, grants) in zip(ids, people, strict=True):
        city.writer.add(User.__table__, {"id": user_id, "username": username.lower(), "display_name": display_name,
                                         "password_hash": password_hash, "active": True, "created_at": now,
                                         "password_changed_at": now, "timezone": "Asia/Shanghai"})
        for role, area in grants:
            city.writer.add(RoleGrant.__table__, {"user_id": user_id, "role": role.value, "area_code": area,
                                                  "area_label": area or "", "granted_at": now})
    names = city.state.setdefault("usernames", {})
    names.update({user_id: person[0].lower() for user_id, person in zip(ids, people, strict=True)})
    city.count("users", len(people))
    return ids


def username(city: BenchCity, *parts: str) -> str:
    return "-".join([f"b{city.state['city_code']}", *parts])


def trainee_users(city: BenchCity, count: int) -> list[int]:
    """Log-ins for the first ``count`` workers, with the trainee role (their own records)."""
    people = [(username(city, f"t{n + 1:06d}"), f"学员{n + 1}", [(Role.TRAINEE, None)]) for n in range(count)]
    ids = add_users(city, people)
    city.state["trainee_users"] = dict(zip(ids, (name for name, _d, _g in people), strict=True))
    city.count("trainees", count)
    return ids


def run_staff(city: BenchCity) -> None:
    """City-wide admin, HR, dispatcher and viewer; in each district its own HR, dispatcher,
    viewer and instructor; a dispatcher for each street and community (they handle the tasks
    sent there); one handler per functional department."""
    people = [(username(city, "admin"), "基准管理员", [(Role.ADMIN, None)])]
    for role in (Role.HR, Role.DISPATCHER, Role.VIEWER):
        people.append((username(city, role.value), f"市级{role.value}", [(role, None)]))
    for district in city.state["districts"]:
        for role in (Role.HR, Role.DISPATCHER, Role.VIEWER, Role.INSTRUCTOR):
            people.append((username(city, role.value, district), f"{district}{role.value}", [(role, district)]))
    for code in sorted({c[:9] for c in city.state["communities"]} | set(city.state["communities"])):
        people.append((username(city, Role.DISPATCHER.value, code), f"{code}调度员", [(Role.DISPATCHER, code)]))
    for _dept_id, code in city.state["departments"]:
        people.append((username(city, "dept", code.lower()), f"{code}办理人", [(Role.DEPARTMENT, None)]))
    ids = add_users(city, people)
    city.state["staff"] = {name: user_id for (name, _d, _g), user_id in zip(people, ids, strict=True)}
