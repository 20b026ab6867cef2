"""What a bulk action will touch, said before it is done: in the dialog (``static/js/confirm.js``) and,
without JavaScript, on a confirmation page the server answers to the first POST.

A preview endpoint takes the same fields as the action's form, as a GET, and answers
``{"count": n, "allowed": bool, "message": text}``: the server counts, the dialog shows the
message ("为 214 名网格员报名") and enables its confirm button only when the action may go ahead.
When the person confirms, confirm.js adds ``confirmed=1`` to the form. A POST without it (the browser
ran no script) does nothing yet: ``ask_first`` answers a page that states the same count, from the same
``count`` call, and posts the same fields again with ``confirmed=1``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, render_template, request
from flask_babel import gettext as _

from academy.web.pickers import refuse_invalid  # noqa: F401  (the preview endpoints refuse a bad form with it)


@dataclass(frozen=True)
class Preview:
    count: int
    allowed: bool
    message: str


def count(count_of: Callable[[], int], message_of: Callable[[int], str], limit: int) -> Preview:
    """``count_of()`` rows, which may be at most ``limit`` and at least one; ``message_of(n)`` says what
    the action does to them."""
    n = count_of()
    if n > limit:
        return Preview(n, False, _("More than %(n)d match; narrow the selection.", n=limit))
    if n == 0:
        return Preview(0, False, _("Nothing matches this selection."))
    return Preview(n, True, message_of(n))


def as_json(preview: Preview):
    """The preview as the dialog reads it."""
    return jsonify(count=preview.count, allowed=preview.allowed, message=preview.message)


def confirmed() -> bool:
    """Whether the posted form says the person confirmed (the dialog's, or the confirmation page's)."""
    return request.form.get("confirmed") == "1"


def ask_first(preview: Preview, *, title: str, back: str):
    """The confirmation page of a bulk action posted without ``confirmed=1``: the count and what it does,
    and a button that posts the same fields again, confirmed (none, and a 400, when the action may not go ahead)."""
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in ("csrf_token", "confirmed")]
    page = render_template("confirm_page.html", preview=preview, title=title, fields=fields, back=back,
                           action=request.full_path.rstrip("?"))
    return page, 200 if preview.allowed else 400  # nothing, or too many: refused, said why
