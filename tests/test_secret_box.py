"""Secrets at rest: Webex credentials encrypted with WEBEXBOT_SECRET_KEY, key rotation, and errors that say
what is wrong without repeating a key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.secret_box import ENV, SecretBox, SecretKeyError, SecretUnreadable

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_a_secret_comes_back_and_is_not_readable_in_its_stored_form():
    box = SecretBox.from_env({ENV: OLD})
    stored = box.encrypt("pässword-123")
    assert "pässword" not in stored and "password" not in stored
    assert stored != box.encrypt("pässword-123")  # a fresh IV each time: equal secrets do not look equal
    assert box.decrypt(stored) == "pässword-123"


def test_after_a_new_key_is_put_first_old_secrets_still_open_and_rotate_moves_them_to_it():
    stored = SecretBox(OLD).encrypt("site-admin-password")
    both = SecretBox(f"{NEW}, {OLD}")
    assert both.decrypt(stored) == "site-admin-password"
    rotated = both.rotate(stored)
    assert SecretBox(NEW).decrypt(rotated) == "site-admin-password"
    with pytest.raises(SecretUnreadable):
        SecretBox(OLD).decrypt(rotated)
    assert SecretBox(NEW).decrypt(both.encrypt("x")) == "x"  # the first key encrypts


def test_a_secret_from_a_dropped_key_or_altered_is_refused_in_plain_words():
    stored = SecretBox(OLD).encrypt("secret")
    with pytest.raises(SecretUnreadable) as dropped:
        SecretBox(NEW).decrypt(stored)
    assert ENV in str(dropped.value) and "no longer listed" in str(dropped.value)
    altered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with pytest.raises(SecretUnreadable):
        SecretBox(OLD).decrypt(altered)
    with pytest.raises(SecretUnreadable):
        SecretBox(f"{NEW},{OLD}").rotate("not a token at all ü")


def test_a_missing_key_is_reported_with_how_to_make_one():
    for environ in ({}, {ENV: ""}, {ENV: "  "}):
        with pytest.raises(SecretKeyError) as missing:
            SecretBox.from_env(environ)
        assert f"{ENV} is not set" in str(missing.value) and "generate_key" in str(missing.value)


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("short-and-wrong-key-value", ENV),
        (OLD[:-4] + "!!!=", ENV),
        (f"{NEW},{OLD[:20]}", f"key 2 of 2 in {ENV}"),
        (f"{NEW},,{OLD}", f"key 2 of 3 in {ENV} is empty"),
    ],
)
def test_a_malformed_key_is_named_by_position_and_never_echoed(value: str, where: str):
    with pytest.raises(SecretKeyError) as malformed:
        SecretBox(value)
    message = str(malformed.value)
    assert where in message
    for part in value.split(","):
        if len(part) >= 8:
            assert part not in message and part[:8] not in message
