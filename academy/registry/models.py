"""Areas, grids, grid workers, assignments and functional departments.

Codes are hierarchical text: city 4 digits (the GB/T 2260 prefix), district 6, street 9,
community 12, grid 15. A grid belongs to a community. Nothing here is deleted: grids and
assignments end with a date, workers exit with a date and a reason, so history stays true.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow
from academy.database import value_enum as _enum
from academy.extensions import db


class AreaLevel(enum.StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"


CODE_LENGTHS = {AreaLevel.CITY: 4, AreaLevel.DISTRICT: 6, AreaLevel.STREET: 9, AreaLevel.COMMUNITY: 12}
GRID_CODE_LENGTH = 15
EXCLUSIVE_SERIALS = range(900, 1000)  # serials reserved for exclusive grids


class GridKind(enum.StrEnum):
    COMPREHENSIVE = "comprehensive"
    EXCLUSIVE = "exclusive"


class UnitType(enum.StrEnum):
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    PARK = "park"
    INSTITUTION = "institution"
    HOSPITAL = "hospital"
    MARKET = "market"
    OTHER = "other"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class Education(enum.StrEnum):
    JUNIOR_HIGH = "junior_high"
    SENIOR_HIGH = "senior_high"
    VOCATIONAL = "vocational"
    JUNIOR_COLLEGE = "junior_college"
    BACHELOR = "bachelor"
    MASTER = "master"


class PoliticalStatus(enum.StrEnum):
    PARTY_MEMBER = "party_member"
    PROBATIONARY = "probationary"
    LEAGUE_MEMBER = "league_member"
    OTHER_PARTY = "other_party"
    MASSES = "masses"


class Employment(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    AUXILIARY = "auxiliary"


class WorkerStatus(enum.StrEnum):
    RECRUITED = "recruited"
    IN_TRAINING = "in_training"
    ON_DUTY = "on_duty"
    SUSPENDED = "suspended"
    EXITED = "exited"


class AssignmentRole(enum.StrEnum):
    LEADER = "leader"  # 网格长
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    AUXILIARY = "auxiliary"


# 持证上岗: the roles that cover a grid, and so are held until their worker is on duty.
QUALIFIED_ROLES = frozenset({AssignmentRole.LEADER, AssignmentRole.FULL_TIME})


def awaits_qualification(role: AssignmentRole, status: WorkerStatus) -> bool:
    """Is an assignment in ``role`` of a worker in ``status`` held (not in force) for want of duty?"""
    return role in QUALIFIED_ROLES and status != WorkerStatus.ON_DUTY


class Area(db.Model):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(12), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    level: Mapped[AreaLevel] = mapped_column(_enum(AreaLevel))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    valid_to: Mapped[date | None] = mapped_column(sa.Date)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.code")

    def path(self) -> list[Area]:
        """This area and its ancestors, city first."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def full_name(self) -> str:
        return " / ".join(area.name for area in self.path() if area.level != AreaLevel.CITY)

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name}>"


class Grid(db.Model):
    __tablename__ = "grids"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(15), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[GridKind] = mapped_column(_enum(GridKind))
    unit_type: Mapped[UnitType | None] = mapped_column(_enum(UnitType))
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    households: Mapped[int] = mapped_column(default=0)
    residents: Mapped[int] = mapped_column(default=0)
    boundary_east: Mapped[str] = mapped_column(sa.String(200), default="")
    boundary_south: Mapped[str] = mapped_column(sa.String(200), default="")
    boundary_west: Mapped[str] = mapped_column(sa.String(200), default="")
    boundary_north: Mapped[str] = mapped_column(sa.String(200), default="")
    boundary_geojson: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    responsible_unit: Mapped[str] = mapped_column(sa.String(200), default="")
    valid_from: Mapped[date] = mapped_column(sa.Date)
    valid_to: Mapped[date | None] = mapped_column(sa.Date, index=True)
    end_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    successor_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grids.id"))  # set when split from a grid

    community: Mapped[Area] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="grid", order_by="Assignment.starts_on")

    def active_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def __repr__(self) -> str:
        return f"<Grid {self.code} {self.name}>"


class Worker(db.Model):
    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50), index=True)
    gender: Mapped[Gender] = mapped_column(_enum(Gender))
    birth_date: Mapped[date] = mapped_column(sa.Date)
    id_number_encrypted: Mapped[str] = mapped_column(sa.Text)
    id_number_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    id_number_masked: Mapped[str] = mapped_column(sa.String(18))
    phone: Mapped[str] = mapped_column(sa.String(20), default="")
    education: Mapped[Education] = mapped_column(_enum(Education))
    political_status: Mapped[PoliticalStatus] = mapped_column(_enum(PoliticalStatus))
    employment: Mapped[Employment] = mapped_column(_enum(Employment))
    status: Mapped[WorkerStatus] = mapped_column(_enum(WorkerStatus), default=WorkerStatus.RECRUITED, index=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)  # where the worker is employed
    hired_on: Mapped[date] = mapped_column(sa.Date)
    exited_on: Mapped[date | None] = mapped_column(sa.Date)
    exit_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), unique=True)  # the trainee's log-in
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The photo on the record (the certificate prints it): a re-encoded JPEG under FILES_DIR/workers.
    photo_name: Mapped[str | None] = mapped_column(sa.String(64))

    area: Mapped[Area] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="worker", order_by="Assignment.starts_on")
    status_changes: Mapped[list[WorkerStatusChange]] = relationship(
        back_populates="worker", order_by="WorkerStatusChange.at"
    )

    def __repr__(self) -> str:
        return f"<Worker {self.number} {self.name}>"


class WorkerStatusChange(db.Model):
    """One step of a worker's lifecycle: recruited -> in training -> on duty ... -> exited."""

    __tablename__ = "worker_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    from_status: Mapped[WorkerStatus | None] = mapped_column(_enum(WorkerStatus))
    to_status: Mapped[WorkerStatus] = mapped_column(_enum(WorkerStatus))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    worker: Mapped[Worker] = relationship(back_populates="status_changes")


class Assignment(db.Model):
    """A worker holding a grid in a role, from a date until (exclusive) an end date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    grid_id: Mapped[int] = mapped_column(sa.ForeignKey("grids.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(_enum(AssignmentRole))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    end_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    # Held while its worker is not on duty (a full-time or leader role before the on-duty certificate,
    # or during a suspension): planned, shown, but never counted as coverage.
    awaiting_qualification: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    worker: Mapped[Worker] = relationship(back_populates="assignments")
    grid: Mapped[Grid] = relationship(back_populates="assignments")

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class Department(db.Model):
    """A functional department that handles cases blown up to it (吹哨报到)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)  # the area it serves
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship()
