"""Access rows of stem images: uploading is for whoever may edit the bank; an image is shown to them
and to the trainee whose running attempt shows a question with it, and is 404 for everyone else
(the same trainee role in another area included, and staff outside the bank)."""
from __future__ import annotations

from courses.exams.operations import attempts as attempt_ops
from tests.access import Access, everyone
from tests.fixtures.exam_images import create_exam_showing, create_image, create_question_with_image

TEACH = {"admin": 200, "instructor": 200}
BANK_ONLY = everyone(404, admin=200, instructor=200)


def build(world) -> None:
    shown = create_image(name="shown.png")
    exam = create_exam_showing(world["course"], create_question_with_image(shown))
    attempt_ops.start_attempt(exam, world["exam_worker"], world.users["trainee"])
    world["shown_image"] = shown
    world["bank_image"] = create_image(name="unused.png")  # uploaded, in no question yet


ACCESS = [
    Access("exams.stem_images", "/exams/bank/images", TEACH),
    # Posted empty (no file): refused with the form's message for bank staff.
    Access("exams.stem_images", "/exams/bank/images", {"admin": 400, "instructor": 400}, method="POST"),
    Access("exams.stem_image", lambda w: f"/exams/images/{w['shown_image'].key}", everyone(404, admin=200, instructor=200,
                                                                                              trainee=200)),
    Access("exams.stem_image", lambda w: f"/exams/images/{w['bank_image'].key}", BANK_ONLY),
    Access("exams.stem_image", "/exams/images/" + "0" * 32, everyone(404)),
    Access("exams.stem_image", "/exams/images/..%5C..%5Csecret_key", everyone(404)),
    # An encoded slash leaves the route altogether: not found, before any log-in.
    Access("exams.stem_image", "/exams/images/..%2F..%2Fsecret_key", everyone(404, anonymous=404)),
]
