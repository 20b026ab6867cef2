"""Importing a question file as an instructor does: upload, read the preview, confirm."""
from __future__ import annotations

import html
import io
import re

from tests.support import post_form


def upload(client, name: str, data: bytes):
    """The upload alone: the preview (200) or the problems (400); nothing is written."""
    return post_form(client, "/exams/bank/import", {"file": (io.BytesIO(data), name)},
                     token_from="/exams/bank/import", content_type="multipart/form-data")


def confirm(client, preview_html: str, activate: bool = True):
    """Confirm the previewed file as the preview page's own form sends it."""
    fields = {name: html.unescape(value) for name, value in
              re.findall(r'name="(confirm-(?:content|filename))"[^>]*value="([^"]*)"', preview_html)}
    fields["confirm-confirm"] = "Import"
    if activate:
        fields["confirm-activate"] = "y"
    return post_form(client, "/exams/bank/import", fields, token_from="/exams/bank/import")


def import_file(client, name: str, data: bytes, activate: bool = True):
    """Upload, then confirm when the preview came; the last answer (302 imported, 400 refused)."""
    response = upload(client, name, data)
    if response.status_code != 200:
        return response
    return confirm(client, response.get_data(as_text=True), activate)
