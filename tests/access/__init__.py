"""The access table: every registered endpoint, every role, and the status each must get.

Each package adds a module ``tests/access/table_<package>.py`` defining

- ``ACCESS``: a list of ``Access`` rows, one or more per endpoint;
- optionally ``build(world)``: create the objects its URLs need (it runs after the tables
  before it, in name order, so later packages can use earlier packages' objects).

``test_every_endpoint.py`` finds the tables, walks every row with every role, and fails when
an endpoint of the application has no row.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Scoped roles come twice: in the home district, and the same role in another district.
HOME_AREA = "320102"
OTHER_AREA = "320104"
ROLES = (
    "anonymous", "admin", "hr", "hr_other", "instructor", "trainee", "trainee_other",
    "dispatcher", "dispatcher_other", "department", "department_other", "viewer", "viewer_other",
)
SCOPED = {"hr": "hr", "dispatcher": "dispatcher", "department": "department", "viewer": "viewer"}


@dataclass
class World:
    """The objects the access test's URLs point at, shared by the tables' builders."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self.objects[name] = value


@dataclass
class Access:
    """One request and the status each role must get (``default`` for the roles not named)."""

    endpoint: str
    url: Callable[[World], str] | str
    expect: dict[str, int]
    default: int = 403
    method: str = "GET"
    data: Callable[[World], dict] | dict | None = None

    def status_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous":
            return 302  # every non-public page sends a stranger to the log-in page
        return self.default

    def resolve_url(self, world: World) -> str:
        return self.url(world) if callable(self.url) else self.url

    def resolve_data(self, world: World) -> dict:
        if self.data is None:
            return {}
        return self.data(world) if callable(self.data) else dict(self.data)


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Every logged-in role gets ``status``, except the ones named."""
    expect = {role: status for role in ROLES if role != "anonymous"}
    expect.update(overrides)
    return expect
