"""HR's workbench count of workers awaiting activation: its own district only, leading to the worker
list filtered to exactly them."""
from __future__ import annotations

import re

from academy.permissions import Role
from academy.registry import queries
from academy.registry.models import WorkerStatus
from tests.support import log_in


def test_workers_awaiting_activation_in_each_hrs_district(make_user, make_worker, client, read_workbench):
    waiting = [make_worker("320102"), make_worker("320102")]
    make_worker("320102", user=make_user("active-one", Role.TRAINEE))  # has a log-in already
    make_worker("320102", status=WorkerStatus.EXITED)  # left: nobody waits for him
    make_worker("320104")
    make_user("hr-xuanwu", Role.HR, area="320102")
    make_user("hr-qinhuai", Role.HR, area="320104")
    assert queries.awaiting_activation_count(["320102"]) == 2
    assert queries.awaiting_activation_count(["320104"]) == 1
    log_in(client, "hr-xuanwu")
    number, href = read_workbench(client.get("/").get_data(as_text=True))["registry.awaiting_activation"]
    assert (number, href) == (2, "/registry/workers?login=awaiting")
    listed = set(re.findall(r'href="/registry/workers/(\d+)"', client.get(href).get_data(as_text=True)))
    assert listed == {str(worker.id) for worker in waiting}
