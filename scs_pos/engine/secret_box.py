"""Secrets kept encrypted in the database, keyed by a secret outside it.

The key is derived (HKDF-SHA256) from the server's ``scs_secret_key`` option
and a purpose, so that one option serves several secrets without reusing a key;
the token is Fernet (AES-128-CBC with an HMAC-SHA256, timestamped).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_KEY_LENGTH = 16

__all__ = ["MIN_KEY_LENGTH", "InvalidToken", "seal", "unseal"]


def _fernet(secret_key, purpose):
    if len(secret_key or "") < MIN_KEY_LENGTH:
        raise ValueError(f"the secret key must have at least {MIN_KEY_LENGTH} characters")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret_key, purpose, plain):
    """The token (ASCII text) of ``plain`` under ``secret_key`` for ``purpose``."""
    return _fernet(secret_key, purpose).encrypt(plain.encode()).decode("ascii")


def unseal(secret_key, purpose, token):
    """``plain`` back; ``InvalidToken`` if the key, the purpose or the token differ."""
    return _fernet(secret_key, purpose).decrypt(token.encode("ascii")).decode()
