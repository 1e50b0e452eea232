"""Secrets at rest: each workspace's Webex credentials, encrypted with the keys in WEBEXBOT_SECRET_KEY.

The variable holds one Fernet key, or several separated by commas to rotate keys: the first encrypts, every
one of them decrypts, and `rotate` re-encrypts a stored secret with the first. Error messages never repeat a
key or a secret."""

from __future__ import annotations

import os
from collections.abc import Mapping

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

ENV = "WEBEXBOT_SECRET_KEY"
HOW_TO_MAKE_ONE = (
    "make one with: python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class SecretKeyError(ValueError):
    """WEBEXBOT_SECRET_KEY is missing or is not a list of Fernet keys."""


class SecretUnreadable(Exception):
    """A stored secret that none of the keys opens: encrypted with a key no longer listed, or altered."""


class SecretBox:
    def __init__(self, keys: str) -> None:
        """`keys`: one Fernet key, or several separated by commas (the first encrypts)."""
        self._fernet = MultiFernet(_fernets(keys))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SecretBox:
        return cls((os.environ if environ is None else environ).get(ENV, ""))

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError) as problem:
            raise SecretUnreadable(_UNREADABLE) from problem

    def rotate(self, token: str) -> str:
        """The same secret encrypted with the first key (store it back after a new key was put first)."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except (InvalidToken, UnicodeEncodeError) as problem:
            raise SecretUnreadable(_UNREADABLE) from problem


_UNREADABLE = (
    f"a stored secret could not be decrypted with any key in {ENV}: it was encrypted with a key that is no longer "
    "listed, or it was altered. Put the old key back after the new one, or connect Webex again"
)


def _fernets(keys: str) -> list[Fernet]:
    if not keys.strip():
        raise SecretKeyError(f"{ENV} is not set: it encrypts each workspace's Webex credentials; {HOW_TO_MAKE_ONE}")
    parts = [part.strip() for part in keys.split(",")]
    fernets = []
    for number, part in enumerate(parts, start=1):
        where = f"key {number} of {len(parts)} in {ENV}" if len(parts) > 1 else ENV
        if not part:
            raise SecretKeyError(f"{where} is empty: separate keys with single commas")
        try:
            fernets.append(Fernet(part))
        except ValueError:  # bad base64 or the wrong length; the message must not repeat the key
            raise SecretKeyError(
                f"{where} is not a Fernet key (32 random bytes in URL-safe base64, 44 characters); {HOW_TO_MAKE_ONE}"
            ) from None
    return fernets
