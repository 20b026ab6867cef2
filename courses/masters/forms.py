"""Forms of the blueprints package: offering a master in chosen branches (the plain buttons use
enrollment's ``ActionForm``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import DataRequired

from courses.enrollment.forms import ActionForm, MultiCheckboxField


class OfferForm(FlaskForm):
    branch_ids = MultiCheckboxField(_l("Branch academies"), coerce=int, choices=[],
                                    validators=[DataRequired(message=_l("Choose at least one branch."))])
    submit = SubmitField(_l("Offer in branches"))

    def __init__(self, *args, branches, **kwargs):
        """``branches``: the branches that may still get a copy."""
        super().__init__(*args, **kwargs)
        self.branch_ids.choices = [(b.id, f"{b.name} ({b.code})") for b in branches]


__all__ = ["ActionForm", "OfferForm"]
