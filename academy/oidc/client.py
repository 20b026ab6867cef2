"""The academy as a client of the city's identity provider (OpenID Connect, through Authlib).

Discovery reads the issuer's ``.well-known/openid-configuration``; the authorization code flow runs
with PKCE (S256), a state and a nonce kept in the session; the ID token's signature is checked
against the provider's JWKS and its ``iss``, ``aud``, ``exp`` and nonce by Authlib. Every way this can
fail becomes a ``SignInRefused`` with a reason, so the person gets a clear message, never a 500.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app
from flask_babel import gettext as _
from joserfc.errors import JoseError

from academy.oidc import errors

log = logging.getLogger(__name__)
CLIENT_NAME = "city"
TIMEOUT_SECONDS = 10  # a provider that hangs must not hold a web worker for long


@dataclass(frozen=True)
class Settings:
    issuer: str
    client_id: str
    client_secret: str
    name: str
    scopes: str
    worker_number_claim: str
    id_number_claim: str

    @property
    def display_name(self) -> str:
        return self.name or _("the city's identity service")


def settings() -> Settings | None:
    """The configured provider, or None when sign-in through it is not offered."""
    config = current_app.config
    issuer, client_id, secret = (config.get(f"OIDC_{key}") for key in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"))
    if not (issuer and client_id and secret):
        return None
    scopes = config.get("OIDC_SCOPES") or "openid"
    if "openid" not in scopes.split():
        scopes = "openid " + scopes  # without it there is no ID token, so nothing to verify
    return Settings(issuer.rstrip("/"), client_id, secret, config.get("OIDC_NAME") or "", scopes,
                    config.get("OIDC_WORKER_NUMBER_CLAIM") or "", config.get("OIDC_ID_NUMBER_CLAIM") or "")


def _client(found: Settings) -> FlaskOAuth2App:
    """One Authlib client per configuration, kept by the app (it caches the discovery document)."""
    clients = current_app.extensions.setdefault("academy.oidc", {})
    if found not in clients:
        clients[found] = FlaskOAuth2App(
            FlaskIntegration(CLIENT_NAME), CLIENT_NAME, client_id=found.client_id, client_secret=found.client_secret,
            server_metadata_url=f"{found.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": found.scopes, "code_challenge_method": "S256", "timeout": TIMEOUT_SECONDS},
        )
    return clients[found]


def _discover(found: Settings, client: FlaskOAuth2App) -> None:
    """Read the discovery document; it must name the configured issuer (OpenID Connect Discovery 4.3)."""
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        log.warning("identity provider unreachable: %s", type(error).__name__)
        raise errors.SignInRefused(errors.UNREACHABLE, found.display_name) from error
    if str(metadata.get("issuer", "")).rstrip("/") != found.issuer:
        client.server_metadata.pop("_loaded_at", None)  # read again next time
        log.warning("identity provider's discovery names another issuer")
        raise errors.SignInRefused(errors.TOKEN, found.display_name)


def authorize_redirect(found: Settings, redirect_uri: str):
    """The redirect to the provider's authorization endpoint (state, nonce, PKCE kept in the session)."""
    client = _client(found)
    _discover(found, client)
    return client.authorize_redirect(redirect_uri)


def verified_claims(found: Settings) -> dict:
    """The claims of the ID token the provider sends back to the callback, once every check passed."""
    client = _client(found)
    _discover(found, client)
    try:
        token = client.authorize_access_token()
    except MismatchingStateError as error:
        raise errors.SignInRefused(errors.STATE, found.display_name) from error
    except OAuthError as error:  # the provider said no (the person declined, a bad code...)
        log.info("identity provider refused: %s", error.error)
        raise errors.SignInRefused(errors.DENIED, found.display_name) from error
    except requests.RequestException as error:
        log.warning("identity provider unreachable: %s", type(error).__name__)
        raise errors.SignInRefused(errors.UNREACHABLE, found.display_name) from error
    except (JoseError, ValueError, KeyError, TypeError) as error:  # bad signature, expired, wrong iss/aud/nonce
        log.warning("ID token refused: %s", type(error).__name__)
        raise errors.SignInRefused(errors.TOKEN, found.display_name) from error
    if not token.get("userinfo"):  # no ID token at all: Authlib verified nothing
        raise errors.SignInRefused(errors.TOKEN, found.display_name)
    return dict(token["userinfo"])
