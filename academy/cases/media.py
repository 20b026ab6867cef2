"""The background job that fetches the media a civic app linked to a request (``media_url``).

Each link is fetched once, without following redirects, with a time limit; only an http(s) URL
whose host resolves to a public address is asked (a request must not make the server reach into
its own network; ``OPEN311_MEDIA_PRIVATE_HOSTS`` allows private ones, for a city's own media server
and the tests). The answer must say it is a JPEG, PNG or WebP image, be no larger than a case photo
may be, and be one by its content; it then becomes one of the case's photos. A link that fails any
check is kept with the reason in words, so the case page says why no photo came of it.
"""
from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import gettext as _

from academy.cases import photos
from academy.cases.models import CaseMedia
from academy.cases.operations.open311 import MEDIA_JOB, attach_fetched_media
from academy.cases.queries import open311
from academy.extensions import db
from academy.jobs import JobContext, job_handler

log = logging.getLogger(__name__)

TIMEOUT = (5, 15)  # seconds to connect, to wait for each piece


class MediaRefused(Exception):
    """The link gave no acceptable photo; the message says why, for the case page."""


def _public_host(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaRefused(_("Not an http or https link."))
    if current_app.config.get("OPEN311_MEDIA_PRIVATE_HOSTS"):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except (OSError, UnicodeError) as error:
        raise MediaRefused(_("The link's server could not be found.")) from error
    if any(not ipaddress.ip_address(address.split("%")[0]).is_global for address in addresses):
        raise MediaRefused(_("The link points into a private network."))


def fetch(url: str) -> tuple[bytes, str]:
    """The photo behind ``url`` and its content type, or ``MediaRefused`` saying why not."""
    _public_host(url)
    limit = photos.max_bytes()
    try:
        with requests.get(url, stream=True, timeout=TIMEOUT, allow_redirects=False) as answer:
            if answer.status_code != 200:
                raise MediaRefused(_("The link answered with HTTP status %(code)d.", code=answer.status_code))
            declared = answer.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if declared not in photos.KINDS:
                raise MediaRefused(_("The link is not a JPEG, PNG or WebP image."))
            if int(answer.headers.get("Content-Length") or 0) > limit:
                raise MediaRefused(_("The image is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
            data = b""
            for chunk in answer.iter_content(64 * 1024):
                data += chunk
                if len(data) > limit:
                    raise MediaRefused(_("The image is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    except requests.RequestException as error:
        raise MediaRefused(_("The link could not be fetched.")) from error
    try:
        return data, photos.check_photo(data)
    except photos.PhotoError as error:
        raise MediaRefused(str(error)) from error


@job_handler(MEDIA_JOB)
def fetch_media(ctx: JobContext, case_id: int) -> dict:
    """Fetch every pending link of a case (read phase), then store the photos (write phase)."""
    outcomes: list[tuple[int, bytes | None, str, str]] = []
    for media in open311.pending_media(case_id):
        try:
            data, kind = fetch(media.url)
            outcomes.append((media.id, data, kind, ""))
        except MediaRefused as error:
            log.info("media %s of case %s refused: %s", media.id, case_id, error)
            outcomes.append((media.id, None, "", str(error)))
    ctx.begin_writes()
    fetched = sum(attach_fetched_media(db.session.get(CaseMedia, media_id), data, kind, problem)
                  for media_id, data, kind, problem in outcomes)
    db.session.flush()
    return {"message": _("%(n)d of %(total)d links fetched.", n=fetched, total=len(outcomes)), "fetched": fetched}
