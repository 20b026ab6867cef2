"""The case page in words: the timeline names people by name and role (never a user name or "system"
in English), the channel by its word, the states by theirs."""
from __future__ import annotations

import re

from academy.cases import operations
from tests.fixtures.cases import report
from tests.support import log_in


def _timeline(html: str) -> str:
    block = re.search(r'data-testid="timeline">(.*?)</ol>', html, flags=re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block))


def test_the_timeline_says_who_by_name_and_role(client, cases_world):
    world = cases_world
    world.trainee.display_name, world.dispatcher.display_name = "张娟", "王调度"
    case = report(world)
    operations.accept_case(case, world.dispatcher)
    log_in(client, world.dispatcher.username)

    html = client.get(f"/cases/{case.id}", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    timeline = _timeline(html)
    assert "张娟 · 学员（网格员）" in timeline and "王调度 · 调度员" in timeline
    assert world.trainee.username not in timeline and world.dispatcher.username not in timeline
    assert "上报渠道：网格员上报。" in timeline  # the intake note names the channel in words
    assert re.search(r'data-testid="channel">网格员上报<', html)

    english = _timeline(client.get(f"/cases/{case.id}", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "王调度 · Dispatcher" in english and "张娟 · Trainee (grid worker)" in english  # the note keeps its words
