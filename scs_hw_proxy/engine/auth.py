"""Who may call the proxy: a paired POS origin with the pairing token.

Odoo's own IoT box answers any origin without a token; a proxy that can open the
cash drawer and print fiscal receipts must not.
"""

import hmac
from dataclasses import dataclass

MIN_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class ProxySecurity:
    token: str
    origins: tuple

    @classmethod
    def from_options(cls, token, origins):
        """Build from config strings; an unset or short token refuses every call."""
        token = (token or "").strip()
        allowed = tuple(o.strip().rstrip("/") for o in (origins or "").split(",") if o.strip())
        return cls(token=token, origins=allowed)

    @property
    def configured(self):
        return len(self.token) >= MIN_TOKEN_LENGTH

    def cors_origin(self, origin):
        """The origin to echo in Access-Control-Allow-Origin, or None (never ``*``)."""
        origin = (origin or "").rstrip("/")
        return origin if origin and origin in self.origins else None

    def authorized(self, authorization):
        """True when the Authorization header carries the pairing token."""
        if not self.configured or not authorization:
            return False
        scheme, _sep, value = authorization.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode(), self.token.encode())
