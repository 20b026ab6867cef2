"""A small, real OpenID Connect provider the tests run on 127.0.0.1 in a thread.

It serves discovery, a JWKS with a real RSA key, ``/authorize`` (which checks the request and
redirects back with a code) and ``/token`` (which checks the client's secret, the code, the redirect
URI and the PKCE verifier, and answers a signed ID token carrying the nonce it was given). A test
says who signs in (``identity``) and how the answer goes wrong (``token_changes``, ``tamper``,
``sign_with``).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import urlencode

from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "grid-academy", "s3cret-of-the-academy"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "city-1"})
        self.sign_with = self.key  # a test may sign with another key
        self.identity: dict = {}
        self.token_changes: dict = {}  # claims to override in the next ID token (exp, iss, aud, nonce)
        self.tamper = None  # a function that changes the encoded ID token
        self.deny = False  # the person declines at the provider: it sends the error back
        self.authorize_requests: list[dict] = []
        self._codes: dict[str, dict] = {}
        self._server = make_server("127.0.0.1", 0, self._app(), threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> Provider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def reset(self) -> None:
        self.sign_with, self.identity, self.token_changes, self.tamper, self.deny = self.key, {}, {}, None, False
        self.authorize_requests.clear()

    def _app(self) -> Flask:
        app = Flask("test-oidc-provider")
        app.add_url_rule("/.well-known/openid-configuration", view_func=self._discovery)
        app.add_url_rule("/jwks", view_func=lambda: jsonify({"keys": [self.key.as_dict(private=False)]}))
        app.add_url_rule("/authorize", view_func=self._authorize)
        app.add_url_rule("/token", view_func=self._token, methods=["POST"])
        return app

    def _discovery(self):
        return jsonify({
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
        })

    def _authorize(self):
        args = request.args.to_dict()
        self.authorize_requests.append(args)
        if (args.get("response_type") != "code" or args.get("client_id") != CLIENT_ID
                or args.get("code_challenge_method") != "S256" or not args.get("code_challenge")
                or "openid" not in args.get("scope", "").split()):
            return "bad authorization request", 400
        if self.deny:
            return redirect(f"{args['redirect_uri']}?{urlencode({'error': 'access_denied', 'state': args.get('state', '')})}")
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"challenge": args["code_challenge"], "nonce": args.get("nonce"),
                             "redirect_uri": args["redirect_uri"], "identity": dict(self.identity)}
        return redirect(f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args.get('state', '')})}")

    def _token(self):
        form = request.form
        grant = self._codes.pop(form.get("code", ""), None)
        auth = request.authorization
        secret_ok = (auth and auth.username == CLIENT_ID and auth.password == CLIENT_SECRET) or (
            form.get("client_id") == CLIENT_ID and form.get("client_secret") == CLIENT_SECRET)
        if not secret_ok:
            return jsonify({"error": "invalid_client"}), 401
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri") or challenge != grant["challenge"]:
            return jsonify({"error": "invalid_grant"}), 400
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "subject-" + secrets.token_hex(4), "aud": CLIENT_ID,
                  "iat": now, "exp": now + 300, "nonce": grant["nonce"], **grant["identity"], **self.token_changes}
        id_token = jwt.encode({"alg": "RS256", "kid": "city-1"}, claims, self.sign_with)
        if self.tamper:
            id_token = self.tamper(id_token)
        return jsonify({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                        "id_token": id_token})
