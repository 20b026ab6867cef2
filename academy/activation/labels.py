"""What the activation package's codes and audit events are called, in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.activation.models import CodePurpose
from academy.labels import Words

PURPOSE_LABELS = {CodePurpose.ACTIVATION: _l("Activation letter"), CodePurpose.RESET: _l("Password reset by SMS")}
EVENT_LABELS = {
    "activation.letters": _l("Activation letters requested"), "activation.reset": _l("Activation letter reprinted"),
    "activation.codes_issued": _l("Activation codes issued"), "activation.activate": _l("Account activated"),
    "activation.reset_code_sent": _l("Reset code sent by SMS"), "activation.reset_password": _l("Password reset with a code"),
    "activation.letters_purged": _l("Activation letters deleted (their codes are spent)"),
}
FIELD_LABELS = {"workers": _l("Grid workers"), "expires_at": _l("Expires at")}
WORDS = Words(enums={CodePurpose: PURPOSE_LABELS}, events=EVENT_LABELS, fields=FIELD_LABELS)
