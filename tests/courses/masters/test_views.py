"""Blueprint pages: the administrator makes a master and offers it; a branch's instructor sees what the
master keeps, changes his copy's own parts and is refused a synced one."""
from __future__ import annotations

from academy.extensions import db
from academy.permissions import Role
from courses.enrollment.models import Course
from courses.masters import queries
from courses.syllabus.models import Trainer
from tests.support import log_in, post_form


def test_the_administrator_makes_a_master_offers_it_and_pushes(client, make_user, make_course, make_lesson, make_branch):
    make_user("cityadmin", Role.ADMIN)
    course = make_course(code="CITY-9")
    make_lesson(course, title="Basics")
    other = make_branch("320104")
    log_in(client, "cityadmin")
    url = f"/courses/{course.id}/master"
    assert 'data-testid="master-link"' in client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert post_form(client, f"{url}/mark", token_from=url).status_code == 302
    db.session.expire_all()
    assert course.is_master
    refused = post_form(client, f"{url}/offer", {"branch_ids": ["999999"]}, token_from=url)
    assert refused.status_code == 400 and queries.copies_of(course) == []
    made = post_form(client, f"{url}/offer", {"branch_ids": [str(other.id)]}, token_from=url, follow_redirects=True)
    assert made.status_code == 200 and "1 branch copy made" in made.get_data(as_text=True)
    [copy] = queries.copies_of(course)
    assert copy.branch_id == other.id and [lesson.title for lesson in queries.lessons_of(copy)] == ["Basics"]
    pushed = post_form(client, f"{url}/push", token_from=url, follow_redirects=True).get_data(as_text=True)
    assert "1 branch copy updated." in pushed and "CITY-9-B320104" in pushed
    page = client.get(f"/courses/{copy.id}").get_data(as_text=True)
    assert 'data-testid="copy-synced"' in page and "Synced from the master course CITY-9" in page


def test_a_branch_instructor_keeps_his_copys_own_parts_and_is_refused_the_synced_ones(client, make_user, make_course,
                                                                                     make_lesson, make_branch):
    from courses.masters import operations

    master = make_course(code="CITY-8")
    make_lesson(master, title="Basics")
    operations.mark_master(master, None)
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    teacher = make_user("branchteacher", Role.INSTRUCTOR)
    db.session.add(Trainer(user_id=teacher.id, branch_id=copy.branch_id))
    db.session.flush()
    log_in(client, "branchteacher")
    url = f"/courses/{copy.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="copy-kept"' in page and "ask an administrator of the city academy" in page
    units = page[page.index('data-testid="copy-units"'):].split("</fieldset>")[0]  # listed, not to be ticked
    assert 'type="checkbox"' not in units and all(f'name="unit_ids" value="{u.id}"' in units for u in copy.units)
    form = {"code": copy.code, "title": copy.title, "description": "", "kind": copy.kind.value,
            "delivery": copy.delivery.value, "branch_id": str(copy.branch_id), "unit_ids": [str(u.id) for u in copy.units],
            "instructor_ids": [str(teacher.id)], "capacity": "30", "self_enrol": "y",
            "enrol_opens_on": str(copy.enrol_opens_on), "enrol_closes_on": str(copy.enrol_closes_on),
            "starts_on": str(copy.starts_on), "ends_on": str(copy.ends_on), "prerequisite_certificate": "",
            "completion_lessons": "none"}
    refused = post_form(client, url, form | {"title": "Our own title"}, token_from=url)
    assert refused.status_code == 400 and "kept by the master" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Course, copy.id).title == master.title
    kept = post_form(client, url, form | {"capacity": "12"}, token_from=url)
    assert kept.status_code == 302
    db.session.expire_all()
    copy = db.session.get(Course, copy.id)
    assert copy.capacity == 12 and [u.username for u in copy.instructors] == ["branchteacher"]
    lesson = queries.lessons_of(copy)[0]
    course_page = client.get(f"/courses/{copy.id}").get_data(as_text=True)
    assert "Add lesson" not in course_page and 'data-testid="copy-synced"' in course_page
    edit = post_form(client, f"/lessons/{lesson.id}/edit", {"title": "Ours", "body_markdown": "x", "video_url": "",
                                                            "hours": "1", "completion": "mark", "min_seconds": "60",
                                                            "position": "0", "published": "y"},
                     token_from=f"/lessons/{lesson.id}/edit")
    assert edit.status_code == 400 and "kept by the master" in edit.get_data(as_text=True)
    db.session.expire_all()
    assert queries.lessons_of(copy)[0].title == "Basics"


def test_no_one_but_the_administrator_keeps_masters(client, make_user, make_course):
    course = make_course()
    make_user("teach", Role.INSTRUCTOR)
    log_in(client, "teach")
    assert client.get(f"/courses/{course.id}/master").status_code == 403
    assert post_form(client, f"/courses/{course.id}/master/mark", token_from="/account").status_code == 403
    db.session.expire_all()
    assert not db.session.get(Course, course.id).is_master
