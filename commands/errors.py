"""Errors a command raises for the user to read (bot/errors.py turns them into messages)."""

from __future__ import annotations


class CommandError(Exception):
    """Something the user can fix; the message is shown to them as it is."""


class UsageError(CommandError):
    """The command could not be understood; the message says how to write it."""


class NotAuthorized(CommandError):
    """The caller may not do this (not the host, not an admin)."""


class NotLinked(CommandError):
    """The caller has no linked Webex account."""


class NotFound(CommandError):
    """No such meeting, user or account."""


class Conflict(CommandError):
    """The request clashes with the current state (a meeting in progress, a link that exists)."""


class ProfileUnavailable(CommandError):
    """Slack would not tell the bot who the caller is (time zone, email): nothing is done on a guess."""

    def __init__(self) -> None:
        super().__init__(
            "I couldn't read your Slack profile (your time zone and email) just now, so I didn't do anything. "
            "Please try again in a minute."
        )


class NotConnected(CommandError):
    """The workspace has no Webex connection yet (installed in many workspaces, none in the environment)."""

    def __init__(self) -> None:
        super().__init__(
            "This workspace isn't connected to a Webex site yet, so I can't do anything with Webex here. "
            "Please ask a workspace admin to connect it from my Home tab (click my name, then Home)."
        )
