"""The public verification page (no log-in): ``/verify/<number>`` and a search by number and name.

It shows the status with its dates, the type and the masked name, nothing more. An unknown number,
a malformed one and a name that does not match all get the very same answer (404, one text), so
the page tells a guesser nothing. Every request counts against the address's limit
(``RATELIMIT_VERIFY``, 30 per 10 minutes by default), shared with the JSON endpoint.
"""
from __future__ import annotations

from flask import render_template, request

from academy.web.ratelimit import Verdict, rate_limited
from courses.certificates import queries
from courses.certificates.forms import VerifyForm
from courses.certificates.views import bp

VERIFY_LIMIT = "30/600"


def _too_many(verdict: Verdict):
    response = render_template("certificates/verify_limited.html", minutes=max(1, verdict.retry_after // 60 + 1))
    return response, 429, {"Retry-After": str(verdict.retry_after)}


def _not_found():
    return render_template("certificates/verify.html", form=VerifyForm(formdata=None), facts=None, not_found=True), 404


@bp.get("/verify")
@rate_limited("verify", VERIFY_LIMIT, refused=_too_many)
def verify_search():
    form = VerifyForm(request.args)
    if not request.args:
        return render_template("certificates/verify.html", form=form, facts=None, not_found=False)
    if not form.validate():
        return render_template("certificates/verify.html", form=form, facts=None, not_found=False), 400
    certificate = queries.by_number(form.number.data)
    if certificate is None or not queries.same_name(form.name.data, certificate.worker.name):
        return _not_found()
    return render_template("certificates/verify.html", form=form, facts=queries.public_facts(certificate), not_found=False)


@bp.get("/verify/<path:number>")
@rate_limited("verify", VERIFY_LIMIT, refused=_too_many)
def verify(number: str):
    certificate = queries.by_number(number)
    if certificate is None:
        return _not_found()
    return render_template("certificates/verify.html", form=VerifyForm(formdata=None), facts=queries.public_facts(certificate),
                           not_found=False)
