"""Encryption at rest for TOTP secrets (Fernet: AES-128-CBC with HMAC-SHA256).

The keys come from ``TWO_FACTOR_ENCRYPTION_KEY``: one or more comma-separated secrets,
the first encrypting and every one decrypting (so a key can be rotated: put the new one
first, re-save the devices, then drop the old one). Each is stretched to a Fernet key with
HKDF-SHA256. Unset, the key is derived from ``SECRET_KEY``."""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet_key(material: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"practice two-factor secrets").derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(derived)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def _keys() -> tuple[str, ...]:
    configured = settings.TWO_FACTOR_ENCRYPTION_KEY or settings.SECRET_KEY
    keys = tuple(key.strip() for key in configured.split(",") if key.strip())
    if not keys:
        raise ImproperlyConfigured("TWO_FACTOR_ENCRYPTION_KEY (or SECRET_KEY) must be set.")
    return keys


def encrypt_secret(secret: str) -> str:
    return _fernet(_keys()).encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A two-factor secret cannot be decrypted: TWO_FACTOR_ENCRYPTION_KEY changed without keeping the old key."
        ) from exc
