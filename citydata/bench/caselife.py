"""One case's life, as the case operations would have written it, for the benchmark city.

A case is reported, accepted (the category's limit starts, on its own clock), then self-handled
on the spot, voided with a second person's approval, or dispatched to its community, its street
or one or two departments, signed for, handled (sometimes with a granted extension, sometimes
failing verification once and reworked), verified on site and closed, and often return-visited.
Each step is written as the operations write it: a timeline event (from and to states, actor,
the light at that moment), the task rows, verifications, return visits, extensions, and the case's
milestones and counters. Deadlines, stage clocks and lights come from ``academy.cases.clock``
on the city's calendar. Where the next step would fall after the end of the history the case
stops, open, with its current stage's clock, so lists and the board show true lights.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from academy.cases import clock
from academy.cases.models import Case, CaseEvent, CaseTask, ClockKind, Extension, ReturnVisit, Verification
from academy.cases.operations.core import YELLOW_AT
from citydata.bench.casetasks import dispatch_and_handle

WORKING_HOURS = ClockKind.WORKING_HOURS


class Stage:
    """The clock of one stage: from ``start`` to ``due`` on ``kind``, with its light thresholds
    (as ``set_stage`` computes them), each worked out only when a light needs it."""

    def __init__(self, calendar: clock.Calendar, start: datetime, due: datetime, kind: ClockKind, red_card: float) -> None:
        self.calendar, self.start, self.due, self.kind, self.red_card_share = calendar, start, due, kind, red_card
        self._yellow: datetime | None = None
        self._red_card: datetime | None = None

    @property
    def yellow(self) -> datetime:
        if self._yellow is None:
            self._yellow = clock.point_in_limit(self.calendar, self.start, self.due, YELLOW_AT, self.kind)
        return self._yellow

    @property
    def red_card(self) -> datetime:
        if self._red_card is None:
            self._red_card = clock.point_in_limit(self.calendar, self.start, self.due, self.red_card_share, self.kind)
        return self._red_card

    def light(self, at: datetime) -> str:
        if at < self.due:
            return "green" if at < self.yellow else "yellow"
        return "red" if at < self.red_card else "red_card"


@dataclass(frozen=True)
class Place:
    """Where and by whom a case is reported, and who acts on it."""

    grid_id: int | None
    area_code: str
    reporter_worker_id: int | None
    reporter_user_id: int | None
    dispatcher: tuple[int, str]  # (user id, username) of the district's dispatcher
    approver: tuple[int, str]  # a second person for voids (the city dispatcher)
    handlers: dict  # level -> (user id, username) of the community's / street's dispatcher
    departments: list  # [(department id, (user id, username))] of the district


class CaseLife:
    """Writes cases and everything that belongs to them through ``city.writer``."""

    def __init__(self, city, calendar: clock.Calendar, accept_hours: int, verify_days: int, red_card: float) -> None:
        self.city, self.rng, self.calendar, self.end = city, city.rng, calendar, city.end
        self.accept_hours, self.verify_days, self.red_card = accept_hours, verify_days, red_card
        self.tables = {"case": Case.__table__, "event": CaseEvent.__table__, "task": CaseTask.__table__,
                       "extension": Extension.__table__, "check": Verification.__table__,
                       "visit": ReturnVisit.__table__}
        self.row: dict = {}
        self.stage: Stage | None = None
        self.row_dispatcher: tuple[int, str] = (None, "system")
        self.category_clock = WORKING_HOURS
        self.last_at: datetime | None = None  # the latest step so far: the next one never comes before it

    def stage_for(self, start: datetime, due: datetime, kind: ClockKind) -> Stage:
        return Stage(self.calendar, start, due, kind, self.red_card)

    def event(self, action: str, at: datetime, actor: tuple[int | None, str], before, after, note: str = "",
              task_id: int | None = None, still_open: bool = True) -> None:
        """A timeline entry; its light is the case's light at that moment (none once it is done)."""
        light = self.stage.light(at) if self.stage is not None and still_open else None
        self.last_at = at
        self.city.writer.add(self.tables["event"], {
            "case_id": self.row["id"], "task_id": task_id, "at": at, "actor_id": actor[0], "actor_name": actor[1],
            "action": action, "from_state": before, "to_state": after, "note": note, "light": light})
        self.city.count("case events")

    def stop(self, state: str) -> None:
        """The case stays open in ``state`` at the end of the history, its stage clock running."""
        row, stage = self.row, self.stage
        row["state"] = state
        if stage is not None:
            row.update(stage_started_at=stage.start, stage_due_at=stage.due, stage_yellow_at=stage.yellow,
                       stage_red_card_at=stage.red_card)

    def later(self, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
        return at + timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))

    # ---- the life ---------------------------------------------------------------------------

    def write(self, case_id: int, number: str, reported: datetime, category, channel: str, place: Place) -> None:
        """``category`` is (id, time limit, clock, self-handling allowed, default level, title)."""
        self.row = self._reported_row(case_id, number, reported, category, channel, place)
        self.stage, self.row_dispatcher, self.category_clock = None, place.dispatcher, category[2]
        reporter = (place.reporter_user_id, self.city.state["usernames"].get(place.reporter_user_id, "system"))
        self.event("submit", reported, reporter, "draft", "reported", f"Reported through {channel}.")
        self.stage = self.stage_for(reported, clock.deadline(self.calendar, reported, self.accept_hours, WORKING_HOURS),
                                    WORKING_HOURS)
        if channel == "worker" and category[3] and self.rng.random() < 0.35:
            return self._self_closed(reported, category, reporter)
        accepted = self.later(reported, 5, 200)
        if accepted > self.end:
            return self._stop_and_write("reported")
        self._accept(accepted, category, place)
        if self.rng.random() < 0.03:
            return self._voided(place)
        self._dispatch(category, place)  # writes the case row with its tasks

    def _reported_row(self, case_id, number, reported, category, channel, place: Place) -> dict:
        hotline = channel != "worker"
        return {"id": case_id, "number": number, "title": category[5], "description": f"{category[5]}，请尽快处理。",
                "category_id": category[0], "channel": channel, "grid_id": place.grid_id, "area_code": place.area_code,
                "location": f"{self.rng.randint(1, 40)}栋附近", "reporter_id": place.reporter_user_id,
                "reporter_worker_id": place.reporter_worker_id, "created_at": reported, "reported_at": reported,
                "resident_name": "居民" if hotline else "", "resident_phone": f"138{self.rng.randrange(10**8):08d}" if hotline else "",
                "state": "reported", "level": None}

    def _self_closed(self, at: datetime, category, reporter) -> None:
        """自办自结: accepted, handled and closed on the spot by the reporting worker."""
        row = self.row
        due = clock.deadline(self.calendar, at, category[1], category[2])
        self.event("accept", at, reporter, "reported", "accepted", "Simple case handled by the grid worker.")
        self.stage = self.stage_for(at, due, category[2])
        self.event("self_handle", at, reporter, "accepted", "handled")
        self.event("close_self", at, reporter, "handled", "closed", still_open=False)
        row.update(accepted_at=at, due_at=due, handled_at=at, closed_at=at, closed_on_time=True, level="self",
                   state="closed")
        self.city.writer.add(self.tables["case"], row)
        self.city.count("cases self-closed")

    def _accept(self, at: datetime, category, place: Place) -> None:
        due = clock.deadline(self.calendar, at, category[1], category[2])
        self.event("accept", at, place.dispatcher, "reported", "accepted")
        self.row.update(accepted_at=at, due_at=due)
        self.stage = self.stage_for(at, due, category[2])

    def _voided(self, place: Place) -> None:
        row, asked = self.row, self.later(self.row["accepted_at"], 10, 120)
        if asked > self.end:
            return self._stop_and_write("accepted")
        row["resume_state"] = "accepted"
        self.event("request_void", asked, place.dispatcher, "accepted", "void_pending", "重复上报")
        approved = self.later(asked, 10, 240)
        if approved > self.end:
            return self._stop_and_write("void_pending")
        self.event("approve_void", approved, place.approver, "void_pending", "voided", "同意作废", still_open=False)
        row.update(state="voided", voided_at=approved, resume_state=None)
        self.city.writer.add(self.tables["case"], row)
        self.city.count("cases voided")

    def _stop_and_write(self, state: str) -> None:
        self.stop(state)
        self.city.writer.add(self.tables["case"], self.row)

    def _dispatch(self, category, place: Place) -> None:
        dispatch_and_handle(self, category, place)
