"""Who may write, and proof that a form came from our own page: the edit token, the editor's cookie,
CSRF tokens, and the headers every response carries."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

#: The editor's cookie, and the form field holding the CSRF token.
EDITOR_COOKIE = "quotes_editor"
CSRF_FIELD = "csrf"
#: Environment variable holding the edit token when --token is not given.
TOKEN_ENV = "QUOTES_EDIT_TOKEN"
#: A token shorter than this is refused: it would be guessed.
MIN_TOKEN = 12

#: Everything from our own origin, nothing inline that could run: pages have no script at all.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class Guard:
    """Signs and checks the editor's cookie and CSRF tokens with a secret made per server process."""

    def __init__(self, token: str | None):
        self.token = token
        self._secret = secrets.token_bytes(32)

    def _sign(self, what: str) -> str:
        return hmac.new(self._secret, what.encode(), hashlib.sha256).hexdigest()

    def token_matches(self, given: str | None) -> bool:
        """Is ``given`` the edit token? (Constant time.)"""
        if not self.token or not given:
            return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    def new_editor_cookie(self) -> str:
        """A cookie value naming a new editor's session."""
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign('editor:' + nonce)}"

    def is_editor(self, cookie: str | None) -> bool:
        if not self.token or not cookie or "." not in cookie:
            return False
        nonce, signature = cookie.split(".", 1)
        return hmac.compare_digest(signature, self._sign("editor:" + nonce))

    def csrf_token(self, cookie: str | None) -> str:
        """The CSRF token of forms on pages shown to the editor with ``cookie``."""
        return self._sign("csrf:" + (cookie or ""))

    def csrf_ok(self, cookie: str | None, given: str | None) -> bool:
        return bool(cookie and given) and hmac.compare_digest(given, self.csrf_token(cookie))


def same_origin(origin: str | None, referer: str | None, host: str | None) -> bool:
    """Does the request come from a page of ours? Browsers send Origin with a form POST (or at least
    Referer); one naming another host is a cross-site request."""
    source = origin if origin and origin != "null" else referer
    if not source:
        return origin is None  # no browser hint at all (a script): the CSRF token decides
    return urlsplit(source).netloc == (host or "")
