"""Access rows of the blueprints package: the administrators alone keep master courses (the city
academy's courses). The world's course is made a master here; its copy is offered to district 320104."""
from __future__ import annotations

from courses.masters import operations
from tests.access import Access
from tests.fixtures.courses import create_branch, create_course

ADMIN = {"admin": 200}


def build(world) -> None:
    master = create_course(code="ACC-MASTER")
    operations.mark_master(master, None)
    operations.offer_in_branches(master, None, [create_branch("320104")])
    world["master"] = master
    world["plain_course"] = create_course(code="ACC-PLAIN")


ACCESS = [
    Access("masters.master", lambda w: f"/courses/{w['master'].id}/master", ADMIN),
    Access("masters.master", "/courses/999999/master", {"admin": 404}),
    Access("masters.mark", lambda w: f"/courses/{w['plain_course'].id}/master/mark", {"admin": 302}, method="POST"),
    # No branch chosen: the form is refused and nothing is made.
    Access("masters.offer", lambda w: f"/courses/{w['master'].id}/master/offer", {"admin": 400}, method="POST"),
    Access("masters.push", lambda w: f"/courses/{w['master'].id}/master/push", {"admin": 302}, method="POST"),
]
