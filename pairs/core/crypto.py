"""Encryption at rest of the most sensitive free text (support notes).

Fernet (AES-128-CBC + HMAC-SHA256) with keys from ``settings.PAIRS_ENCRYPTION_KEYS``: the first key
encrypts, every key decrypts, so a key can be rotated by putting a new one first. Production
refuses to start without a key (pairs/settings/production.py); development and tests derive one
from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def derive_key(secret: str) -> str:
    """A valid Fernet key derived from any secret string (for development and tests)."""
    return base64.urlsafe_b64encode(hashlib.sha256(("pairs-notes:" + secret).encode()).digest()).decode()


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.PAIRS_ENCRYPTION_KEYS))


def encrypt(text: str) -> bytes:
    return _current().encrypt(text.encode("utf-8"))


class UnreadableText(Exception):
    """The stored text cannot be decrypted with the configured keys."""


def decrypt(token: bytes | memoryview) -> str:
    try:
        return _current().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken as exc:
        raise UnreadableText from exc
