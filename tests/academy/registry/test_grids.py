"""Areas and grids: generated and validated codes, exclusive serials, retiring and splitting."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.database import city_today
from academy.extensions import db
from academy.registry import operations as ops
from academy.registry.models import Area, AssignmentRole, Grid, GridKind, UnitType


def new_grid(community, by, **values):
    values.setdefault("name", "测试网格")
    values.setdefault("households", 300)
    values.setdefault("valid_from", date(2024, 1, 1))
    return ops.create_grid(community, by, **values)


def test_grid_codes_are_generated_from_the_community(community, hr_user):
    first, second = new_grid(community, hr_user), new_grid(community, hr_user)
    assert (first.code, second.code) == ("320102002001001", "320102002001002")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "grid.create",
                                                          AuditEntry.object_id == str(first.id)))


def test_exclusive_grids_take_serials_from_900(community, hr_user):
    new_grid(community, hr_user)
    school = new_grid(community, hr_user, kind=GridKind.EXCLUSIVE, unit_type=UnitType.SCHOOL, name="第九中学")
    assert school.code == "320102002001900"
    assert new_grid(community, hr_user).code == "320102002001002"


def test_an_exclusive_grid_names_its_unit(community, hr_user):
    with pytest.raises(ops.RegistryError):
        new_grid(community, hr_user, kind=GridKind.EXCLUSIVE)


def test_a_full_serial_range_is_refused(community, hr_user):
    new_grid(community, hr_user, kind=GridKind.EXCLUSIVE, unit_type=UnitType.PARK, code="320102002001999")
    with pytest.raises(ops.RegistryError, match="no free grid code"):
        new_grid(community, hr_user, kind=GridKind.EXCLUSIVE, unit_type=UnitType.PARK)


@pytest.mark.parametrize("code, kind", [
    ("32010200200100", GridKind.COMPREHENSIVE),     # 14 digits
    ("320102002001900", GridKind.COMPREHENSIVE),    # reserved serial
    ("320102002001005", GridKind.EXCLUSIVE),        # exclusive outside 900-999
    ("320102002001000", GridKind.COMPREHENSIVE),    # serial 000
    ("320102002002001", GridKind.COMPREHENSIVE),    # another community
    ("32010200200100A", GridKind.COMPREHENSIVE),
])
def test_given_codes_are_validated(community, hr_user, code, kind):
    with pytest.raises(ops.RegistryError):
        new_grid(community, hr_user, code=code, kind=kind, unit_type=UnitType.SCHOOL)


def test_grids_belong_to_communities_only(community, hr_user):
    with pytest.raises(ops.RegistryError, match="community"):
        new_grid(community.parent, hr_user)


def test_area_codes_must_fit_their_parent(community, hr_user):
    street = community.parent
    assert ops.create_area("320102002002", "长江路社区", hr_user, parent=street).level.value == "community"
    for code in ("320104002003", "32010200200", "320102002002"):
        with pytest.raises(ops.RegistryError):
            ops.create_area(code, "x", hr_user, parent=street)


def test_retiring_keeps_the_grid_and_ends_its_assignments(community, hr_user, make_worker):
    grid = new_grid(community, hr_user)
    worker = make_worker("320102")
    assignment = ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME,
                                   starts_on=date(2024, 3, 1))
    ops.retire_grid(grid, hr_user, on=city_today(), reason="并入相邻网格")
    db.session.expire_all()
    assert db.session.get(Grid, grid.id).valid_to == city_today()
    assert assignment.ends_on == city_today() and assignment.grid_id == grid.id
    with pytest.raises(ops.RegistryError):
        ops.retire_grid(grid, hr_user, on=city_today(), reason="again")


def test_splitting_creates_successors_and_ends_the_original(community, hr_user):
    grid = new_grid(community, hr_user, households=900)
    parts = ops.split_grid(grid, hr_user, on=city_today(), parts=[
        {"name": "东片", "households": 450}, {"name": "西片", "households": 450}])
    assert [p.code for p in parts] == ["320102002001002", "320102002001003"]
    assert all(p.successor_of_id == grid.id and p.valid_from == city_today() for p in parts)
    assert grid.valid_to == city_today() and grid.end_reason
    with pytest.raises(ops.RegistryError):
        ops.split_grid(parts[0], hr_user, on=city_today() + timedelta(days=1), parts=[{"name": "只有一个"}])


def test_updating_a_grid_never_changes_its_code_or_kind(community, hr_user):
    grid = new_grid(community, hr_user)
    changed = ops.update_grid(grid, hr_user, name="新名字", kind=GridKind.EXCLUSIVE, households=410)
    assert changed == {"name": "新名字", "households": 410}
    assert grid.code == "320102002001001" and grid.kind == GridKind.COMPREHENSIVE
    assert ops.update_grid(grid, hr_user, name="新名字") == {}


def test_departments_have_unique_codes(community, hr_user):
    ops.create_department(hr_user, code="XW-CG", name="玄武区城市管理局", area=db.session.get(Area, community.parent.parent_id))
    with pytest.raises(ops.RegistryError):
        ops.create_department(hr_user, code="XW-CG", name="again", area=community)
