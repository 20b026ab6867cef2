"""The case pages through HTTP: the worker's phone form with photos, bad and hostile input,
double submits, duplicates, the hotline, workflow steps by URL and access by area."""
import io
import re

import sqlalchemy as sa

from academy.cases.models import Case, CaseEvent, CasePhoto, CaseState
from academy.extensions import db
from tests.fixtures.cases import report
from tests.support import csrf_token, log_in

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def report_form(client, w, **overrides):
    data = {"csrf_token": csrf_token(client, "/cases/report"), "category": str(w.category.id), "grid": str(w.grid.id),
            "title": "Fallen tree", "description": "A tree fell across the path", "location": "Gate 2",
            "latitude": "32.05", "longitude": "118.78", "submission_key": "k" * 24}
    data.update(overrides)
    return data


def test_worker_reports_with_photos(client, cases_world, app, tmp_path):
    log_in(client, "worker")
    data = report_form(client, cases_world, photos=[(io.BytesIO(JPEG), "a.jpg"), (io.BytesIO(PNG), "b.png")])
    response = client.post("/cases/report", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.state == CaseState.REPORTED and case.grid_id == cases_world.grid.id and len(case.photos) == 2
    photo = case.photos[0]
    # Stored under a random name of the server's, never the uploader's (a hex name may end in "a").
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.stored_name) and photo.content_type == "image/jpeg"
    shown = client.get(f"/cases/{case.id}/photos/{photo.id}")
    assert shown.status_code == 200 and shown.data == JPEG


def test_photo_that_is_an_executable_is_refused(client, cases_world):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is checked in English
    log_in(client, "worker")
    data = report_form(client, cases_world, photos=[(io.BytesIO(EXE), "holiday.jpg")])
    response = client.post("/cases/report", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "JPEG, PNG or WebP" in response.get_data(as_text=True)
    assert count(Case) == 0 and count(CasePhoto) == 0


def test_more_than_five_photos_are_refused(client, cases_world):
    log_in(client, "worker")
    files = [(io.BytesIO(PNG), f"{i}.png") for i in range(6)]
    response = client.post("/cases/report", data=report_form(client, cases_world, photos=files),
                           content_type="multipart/form-data")
    assert response.status_code == 400 and count(Case) == 0


def test_oversized_photo_and_huge_upload_are_refused(client, cases_world, app):
    log_in(client, "worker")
    app.config["CASES_PHOTO_MAX_BYTES"] = 1024
    try:
        big = PNG + b"\x00" * 2048
        response = client.post("/cases/report", data=report_form(client, cases_world, photos=[(io.BytesIO(big), "b.png")]),
                               content_type="multipart/form-data")
        assert response.status_code == 400 and count(Case) == 0
    finally:
        app.config.pop("CASES_PHOTO_MAX_BYTES")
    huge = io.BytesIO(b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post("/cases/report", data=report_form(client, cases_world, photos=[(huge, "huge.png")]),
                           content_type="multipart/form-data")
    assert response.status_code == 413 and count(Case) == 0


def test_unknown_grid_and_hostile_text_are_refused(client, cases_world):
    log_in(client, "worker")
    response = client.post("/cases/report", data=report_form(client, cases_world, grid="999999"))
    assert response.status_code == 400
    response = client.post("/cases/report", data=report_form(client, cases_world, title="x" * 500))
    assert response.status_code == 400
    response = client.post("/cases/report", data=report_form(client, cases_world, latitude="91", submission_key="bad"))
    assert response.status_code == 400 and count(Case) == 0


def test_double_submit_files_one_case(client, cases_world):
    log_in(client, "worker")
    data = report_form(client, cases_world)
    first = client.post("/cases/report", data=data)
    second = client.post("/cases/report", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert count(Case) == 1


def test_similar_open_case_is_shown_and_can_be_linked(client, cases_world):
    existing = report(cases_world, title="Fallen tree", description="A tree fell across the path")
    log_in(client, "worker")
    page = client.post("/cases/report", data=report_form(client, cases_world))
    assert page.status_code == 200 and existing.number in page.get_data(as_text=True)
    assert count(Case) == 1
    linked = client.post(f"/cases/{existing.id}/do/link", data={"csrf_token": csrf_token(client, "/cases/report"),
                                                                "note": "Seen again"})
    assert linked.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, existing.id).report_count == 2
    anyway = client.post("/cases/report", data=report_form(client, cases_world, file_anyway="y", submission_key="z" * 24))
    assert anyway.status_code == 302 and count(Case) == 2


def test_hotline_operator_files_a_call(client, cases_world):
    log_in(client, "dispatch")
    data = {"csrf_token": csrf_token(client, "/cases/hotline"), "category": str(cases_world.category.id),
            "place": f"g:{cases_world.grid.id}", "title": "Noise at night", "description": "Karaoke until 2 am",
            "resident_name": "Ms Li", "resident_phone": "13900000000", "submission_key": "h" * 24}
    assert client.post("/cases/hotline", data=data).status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.channel == "hotline" and case.resident_phone == "13900000000"
    bad = dict(data, place="g:999999", submission_key="i" * 24)
    assert client.post("/cases/hotline", data=bad).status_code == 400


def test_dispatcher_accepts_and_whistles_by_url(client, cases_world):
    case = report(cases_world)
    log_in(client, "dispatch")
    token = csrf_token(client, f"/cases/{case.id}")
    assert client.post(f"/cases/{case.id}/do/accept", data={"csrf_token": token}).status_code == 302
    data = {"csrf_token": token, "level": "department", "departments": [str(cases_world.dept.id), str(cases_world.dept2.id)],
            f"limit_{cases_world.dept.id}": "1"}
    assert client.post(f"/cases/{case.id}/do/dispatch", data=data).status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.state == CaseState.DISPATCHED and len(case.tasks) == 2


def test_step_not_allowed_by_url_is_refused_and_leaves_the_case(client, cases_world):
    case = report(cases_world)
    log_in(client, "dispatch")
    token = csrf_token(client, f"/cases/{case.id}")
    response = client.post(f"/cases/{case.id}/do/verify", data={"csrf_token": token, "outcome": "pass"})
    assert response.status_code == 400
    assert client.post(f"/cases/{case.id}/do/nonsense", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.REPORTED
    assert count(CaseEvent) == 1


def test_closed_case_sent_again_is_refused(client, cases_world):
    case = report(cases_world, category=cases_world.simple, handled_on_spot=True)
    log_in(client, "dispatch")
    token = csrf_token(client, f"/cases/{case.id}")
    response = client.post(f"/cases/{case.id}/do/dispatch", data={"csrf_token": token, "level": "community"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.CLOSED


def test_other_district_cannot_see_or_act(client, cases_world, make_user):
    from academy.permissions import Role

    case = report(cases_world)
    make_user("far-dispatch", Role.DISPATCHER, area="320104")
    log_in(client, "far-dispatch")
    assert client.get(f"/cases/{case.id}").status_code == 403
    token = csrf_token(client, "/cases")
    assert client.post(f"/cases/{case.id}/do/accept", data={"csrf_token": token}).status_code == 403
    assert case.number not in client.get("/cases").get_data(as_text=True)


def test_department_sees_only_what_was_dispatched_to_it(client, cases_world):
    case = report(cases_world)
    log_in(client, "handler")
    assert client.get(f"/cases/{case.id}").status_code == 403
    assert client.get("/cases/mine").status_code == 200


def test_department_lists_the_case_once_dispatched_to_it(client, cases_world):
    from academy.cases import operations as ops
    from academy.cases.models import Level

    case = report(cases_world)
    log_in(client, "handler")
    assert case.number not in client.get("/cases").get_data(as_text=True)
    ops.accept_case(case, cases_world.dispatcher)
    ops.dispatch_case(case, cases_world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(cases_world.dept, None)]))
    db.session.commit()
    assert case.number in client.get("/cases").get_data(as_text=True)


def test_board_counts_lights(client, cases_world):
    report(cases_world)
    log_in(client, "leader")
    page = client.get("/cases/board").get_data(as_text=True)
    assert 'data-light="green">1<' in page


def test_board_pages_through_all_open_cases(client, cases_world):
    for n in range(51):
        report(cases_world, title=f"Broken lamp {n}")
    db.session.commit()
    log_in(client, "leader")
    first = client.get("/cases/board").get_data(as_text=True)
    assert 'data-light="green">51<' in first and "第 1 页，共 2 页" in first
    second = client.get("/cases/board?page=2").get_data(as_text=True)
    assert "第 2 页，共 2 页" in second and second.count('data-testid="light"') == 1
    green = client.get("/cases/board?light=green").get_data(as_text=True)  # a light filter: counted apart
    assert "第 1 页，共 2 页" in green
    # One pager with the words of a list, the filter kept on the next page, no previous on the first.
    assert "下一页" in green and "上一题" not in green and "下一题" not in green
    assert 'href="/cases/board?light=green&amp;page=2"' in green and 'rel="prev"' not in green


def test_every_board_filter_has_a_visible_label(client, cases_world):
    log_in(client, "leader")
    page = client.get("/cases/board").get_data(as_text=True)
    for name, words in (("q", "编号或摘要"), ("area", "区域"), ("category", "类别"), ("light", "亮灯"),
                        ("state", "状态"), ("department", "部门"), ("handler", "处置人")):
        assert f'<label class="form-label small mb-0" for="{name}">{words}</label>' in page, name
    assert '<select class="form-select form-select-sm" id="light" name="light"><option value="">全部</option>' in page


def test_admin_edits_a_category_and_the_calendar(client, cases_world, make_user):
    from academy.permissions import Role

    make_user("boss", Role.ADMIN)
    log_in(client, "boss")
    token = csrf_token(client, "/cases/admin/categories/new")
    data = {"csrf_token": token, "code": "DISP-1", "name": "Neighbour dispute", "parent_id": "0",
            "default_level": "community", "time_limit": "5", "clock": "working_days", "active": "y"}
    assert client.post("/cases/admin/categories/new", data=data).status_code == 302
    assert client.post("/cases/admin/categories/new", data=data).status_code == 400  # code taken
    bad = {"csrf_token": token, "work_start": "18:00", "work_end": "09:00", "weekend_days": "5,6",
           "red_card_multiple": "2", "accept_limit_hours": "2", "verify_limit_days": "1"}
    assert client.post("/cases/admin/calendar", data=bad).status_code == 400
    holiday = {"csrf_token": token, "day": "2026-10-01", "name": "National Day"}
    assert client.post("/cases/admin/holidays", data=holiday).status_code == 302


def test_board_filters_by_department_handler_and_light(client, cases_world):
    from academy.cases import operations as ops
    from academy.cases.models import Level

    whistled, other = report(cases_world), report(cases_world, title="Noise")
    ops.accept_case(whistled, cases_world.dispatcher)
    ops.dispatch_case(whistled, cases_world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(cases_world.dept, None)]))
    log_in(client, "dispatch")
    by_dept = client.get("/cases/board", query_string={"department": cases_world.dept.id}).get_data(as_text=True)
    assert whistled.number in by_dept and other.number not in by_dept
    by_handler = client.get("/cases/board", query_string={"handler": "handler"}).get_data(as_text=True)
    assert whistled.number in by_handler and other.number not in by_handler
    assert other.number not in client.get("/cases/board", query_string={"light": "red"}).get_data(as_text=True)
    assert client.get("/cases/board", query_string={"light": "<script>", "area": "x" * 99}).status_code == 200


def test_department_finishes_with_a_result_photo_and_bad_photo_is_refused(client, cases_world):
    from academy.cases import operations as ops
    from academy.cases.models import Level

    case = report(cases_world)
    ops.accept_case(case, cases_world.dispatcher)
    ops.dispatch_case(case, cases_world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(cases_world.dept, None)]))
    task = case.tasks[0]
    ops.start_task(task, cases_world.handler)
    log_in(client, "handler")
    token = csrf_token(client, f"/cases/{case.id}")
    url = f"/cases/{case.id}/tasks/{task.id}/finish"
    bad = client.post(url, data={"csrf_token": token, "result": "Done", "photos": [(io.BytesIO(EXE), "x.png")]},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and count(CasePhoto) == 0
    good = client.post(url, data={"csrf_token": token, "result": "Done", "photos": [(io.BytesIO(PNG), "after.png")]},
                       content_type="multipart/form-data")
    assert good.status_code == 302 and count(CasePhoto) == 1
    db.session.expire_all()
    assert db.session.get(Case, case.id).state == CaseState.VERIFYING


def test_report_offers_only_leaf_categories(client, cases_world):
    from tests.fixtures.cases import create_category

    parent = create_category("Disputes")
    create_category("Neighbours", parent=parent)
    log_in(client, "worker")
    page = client.get("/cases/report").get_data(as_text=True)
    assert f'value="{parent.id}"' not in page and "Disputes / Neighbours" in page
