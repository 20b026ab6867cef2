"""WeCom and DingTalk work notices against a local peer of their APIs: the token asked once and
kept until it expires or is refused, the request shapes each API documents, the person's own user
id from his preferences, and the group robot for whoever gave none."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.notifications import operations
from academy.notifications.models import Channel, Delivery, DeliveryStatus
from academy.permissions import Role
from tests.academy.notifications.peers import WorkNoticePeer, work_notice_peer
from tests.fixtures.registry import create_worker

CHANNELS = {"case.returned": ["inbox", "wecom", "dingtalk"]}


@pytest.fixture
def api(app, peers, monkeypatch):
    server = work_notice_peer()
    base = f"http://127.0.0.1:{server.server_port}"
    for key, value in {"WECOM_API": f"{base}/wecom", "WECOM_CORP_ID": "ww-corp", "WECOM_CORP_SECRET": "wecom-secret",
                       "WECOM_AGENT_ID": "1000002", "DINGTALK_API": f"{base}/dingtalk", "DINGTALK_APP_KEY": "ding-key",
                       "DINGTALK_APP_SECRET": "ding-secret", "DINGTALK_AGENT_ID": "2000003"}.items():
        monkeypatch.setitem(app.config, key, value)
    yield WorkNoticePeer
    server.shutdown()


@pytest.fixture
def person(app, make_user):
    user = make_user("sun", Role.TRAINEE)
    user.locale = "en"
    create_worker(user=user)
    with app.test_request_context():
        operations.save_preferences(user, email="", channels=CHANNELS, quiet_from=None, quiet_to=None,
                                    wecom_user_id="SunWei", dingtalk_user_id="manager4220")
    return user


def _returned(app, people, number):
    with app.test_request_context():
        operations.notify("case.returned", people, {"number": f"SJ-{number}", "title": "Broken cover"},
                          key=f"case.returned:{number}", link=f"/cases/{number}")
    db.session.commit()


def test_work_notices_reach_the_persons_own_ids_with_one_token_each(app, api, person, run_jobs):
    _returned(app, [person], 1)
    run_jobs()
    _returned(app, [person], 2)
    run_jobs()
    tokens = [(path, query) for path, query, body in api.received if body is None]
    assert sorted(tokens) == [("dingtalk/gettoken", {"appkey": "ding-key", "appsecret": "ding-secret"}),
                              ("wecom/gettoken", {"corpid": "ww-corp", "corpsecret": "wecom-secret"})]  # kept for the 2nd
    wecom = [(query, body) for path, query, body in api.received if path == "wecom/message/send"]
    (wecom_token,) = {query["access_token"] for query, _body in wecom}
    assert len(wecom) == 2 and wecom_token.startswith("wecom-token-")
    assert wecom[0][1] == {"touser": "SunWei", "msgtype": "text", "agentid": 1000002,
                           "text": {"content": "Case SJ-1 was returned\nBroken cover\n/cases/1"}}
    ding = [(query, body) for path, query, body in api.received
            if path == "dingtalk/topapi/message/corpconversation/asyncsend_v2"]
    (ding_token,) = {query["access_token"] for query, _body in ding}
    assert len(ding) == 2 and ding_token.startswith("dingtalk-token-")
    assert ding[1][1] == {"agent_id": 2000003, "userid_list": "manager4220",
                          "msg": {"msgtype": "text", "text": {"content": "Case SJ-2 was returned\nBroken cover\n/cases/2"}}}
    sent = db.session.scalars(sa.select(Delivery).where(Delivery.channel.in_([Channel.WECOM, Channel.DINGTALK])))
    assert {(d.address, d.status) for d in sent} == {("user:SunWei", DeliveryStatus.SENT),
                                                     ("user:manager4220", DeliveryStatus.SENT)}


def test_a_refused_token_is_asked_again_on_the_retry(app, api, person, run_jobs, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with app.test_request_context():
        operations.save_preferences(person, email="", channels={"case.returned": ["inbox", "wecom"]}, quiet_from=None,
                                    quiet_to=None, wecom_user_id="SunWei")
    _returned(app, [person], 1)
    run_jobs()
    api.revoked.add("wecom-token-1")
    _returned(app, [person], 2)
    run_jobs()
    refused = db.session.scalar(sa.select(Delivery).where(Delivery.event_key == "case.returned:2",
                                                          Delivery.channel == Channel.WECOM))
    assert refused.status == DeliveryStatus.QUEUED and "42001" in refused.last_error
    app.test_cli_runner().invoke(args=["academy", "notify-due"])
    run_jobs()
    db.session.refresh(refused)
    assert refused.status == DeliveryStatus.SENT
    assert api.issued == ["wecom-token-1", "wecom-token-2"]


def test_without_his_user_id_the_group_robot_carries_it(app, api, make_user, run_jobs, peers):
    _mailbox, robots = peers
    user = make_user("zhou", Role.TRAINEE)
    user.locale = "en"
    worker = create_worker(user=user)
    with app.test_request_context():
        operations.save_preferences(user, email="", channels={"case.returned": ["inbox", "wecom"]}, quiet_from=None,
                                    quiet_to=None)
    _returned(app, [user], 3)
    run_jobs()
    assert api.received == []
    ((name, body),) = robots.received
    assert name == "wecom" and body["text"]["mentioned_mobile_list"] == [worker.phone]
