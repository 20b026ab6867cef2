"""Public pages: activate an account with a letter's code, and reset a forgotten password by SMS.

Each is rate limited per address (``academy.web.ratelimit``); the codes are limited per code
(activation) and per person (reset) whatever the address, so spreading guesses over many
addresses gains nothing. Refusals are neutral and change nothing (the request cycle rolls back).
"""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from academy.accounts.operations import complete_login
from academy.accounts.sessions import start_session
from academy.activation import codes, operations, queries
from academy.activation.forms import ActivateForm, ForgotForm, ResetForm
from academy.activation.views import bp
from academy.web.cycle import on_refusal
from academy.web.errors import render_error
from academy.web.ratelimit import Limit, Verdict, client_address, hit, rate_limited


def _too_many(verdict: Verdict):
    return render_error(429)


def _throttled(name: str, default: str, key: str, template: str, form):
    """A 429 with the form again when ``key`` has used up limit ``name`` (else None)."""
    verdict = hit(Limit.configured(name, default), key)
    if verdict.allowed:
        return None
    flash(_("Too many tries. Try again in %(n)d minutes.", n=max(1, verdict.retry_after // 60)), "danger")
    return render_template(template, form=form), 429, verdict.headers()


def _signed_in(user, message: str):
    complete_login(user, client_address())
    start_session(user)
    flash(message, "success")
    return redirect(url_for("web.home"), 303)


@bp.route("/activate", methods=["GET", "POST"])
@rate_limited("activate", "30/600", refused=_too_many)
def activate():
    """Public: a worker's first sign-in with the code of his activation letter (the QR brings ``?code=``)."""
    form = ActivateForm()
    if request.method == "GET":
        form.code.data = codes.normalise(request.args.get("code", ""))[:12]
        return render_template("activation/activate.html", form=form)
    if not form.validate_on_submit():
        return render_template("activation/activate.html", form=form), 400
    key = "code:" + codes.code_hash(form.code.data)[:40]
    if (refused := _throttled("activate_code", "5/3600", key, "activation/activate.html", form)) is not None:
        return refused
    on_refusal(lambda _error: (render_template("activation/activate.html", form=form), 400))
    user = operations.activate_account(form.code.data, form.worker_number.data, form.id_tail.data,
                                       form.new_password.data)
    return _signed_in(user, _("Your account is active. Welcome!"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limited("password_reset", "20/3600", refused=_too_many, methods=("POST",))
def forgot_password():
    """Public: ask for a reset code by SMS. The answer is the same, after the same time, whether or
    not the number is registered."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("activation/forgot.html", form=form), 400 if form.errors else 200
    started = time.monotonic()
    operations.request_reset(form.identifier.data)
    session["reset_for"] = form.identifier.data.strip()[:40]
    time.sleep(max(0.0, float(current_app.config["RESET_ANSWER_SECONDS"]) - (time.monotonic() - started)))
    flash(_("If this number is registered, a code is on its way to the phone on record. It is valid for 10 minutes."),
          "info")
    return redirect(url_for("activation.reset_password"), 303)


@bp.route("/password/reset", methods=["GET", "POST"])
@rate_limited("password_reset", "20/3600", refused=_too_many, methods=("POST",))
def reset_password():
    """Public: the code from the text message and a new password."""
    form = ResetForm()
    if request.method == "GET":
        form.worker_number.data = session.get("reset_for", "")
        return render_template("activation/reset.html", form=form)
    if not form.validate_on_submit():
        return render_template("activation/reset.html", form=form), 400
    worker = queries.worker_for_identifier(form.worker_number.data)
    key = f"worker:{worker.id}" if worker is not None else "id:" + form.worker_number.data.strip().upper()
    if (refused := _throttled("reset_check", "5/900", key, "activation/reset.html", form)) is not None:
        return refused
    on_refusal(lambda _error: (render_template("activation/reset.html", form=form), 400))
    user = operations.reset_password(form.worker_number.data, form.code.data, form.new_password.data)
    session.pop("reset_for", None)
    return _signed_in(user, _("Your password has been changed."))
