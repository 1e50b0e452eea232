"""The /webex grammar: which sub-command, and its argument."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

HELP = """*Webex from Slack*
• `/webex` or `/webex now [topic]`: start a meeting now, hosted by you
• `/webex schedule <topic> <when> [for <length>] [with @people]`: for example
  `/webex schedule Design review tomorrow at 3pm for 45 min with @ana`
• `/webex schedule training …` or `/webex schedule teleconference …`: a Training Center session or a
  teleconference-only session, the same way
• `/webex join <meeting number>`: a Join button for you
• `/webex info <session number>`: what Webex knows about any session
• `/webex host <meeting number>` (or `start`): a Start button, for the meeting's host only
• `/webex list`: your meetings in the next 14 days
• `/webex live`: sessions in progress on the Webex site
• `/webex cancel <meeting number>`: cancel a meeting you host
• `/webex link <Webex ID or email>`, `/webex unlink`, `/webex whoami`: your Webex account
Admins: `/webex admin` (link, unlink, users, channel, status).
Meeting numbers may have spaces or dashes: `123 456 789`."""

NEEDS_NUMBER = {"join", "host", "cancel", "info"}
ALIASES = {"start": "host", "help": "help", "?": "help", "ls": "list", "delete": "cancel"}
NAMES = {
    "help",
    "link",
    "unlink",
    "whoami",
    "now",
    "schedule",
    "join",
    "host",
    "list",
    "live",
    "cancel",
    "info",
    "admin",
}


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""


def parse(text: str) -> Command:
    """`schedule Design review tomorrow 3pm` -> Command("schedule", "Design review tomorrow 3pm")."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return Command("now")
    word = words[0].lower()
    name = ALIASES.get(word, word)
    argument = words[1].strip() if len(words) > 1 else ""
    if name not in NAMES:
        raise UsageError(f"I don't know `{words[0][:40]}`. Here is what I can do:\n{HELP}")
    if name in NEEDS_NUMBER:
        if not argument:
            raise UsageError(f"Which meeting? Add its number, like `/webex {name} 123 456 789`.")
        return Command(name, meeting_number(argument, name))
    if name == "link" and not argument:
        raise UsageError("Link to which account? Add your Webex ID or email, like `/webex link ana@example.com`.")
    return Command(name, argument)


def meeting_number(text: str, command: str = "join") -> str:
    digits = "".join(ch for ch in text if ch not in " -\u00a0")
    if not digits.isascii() or not digits.isdigit() or not 6 <= len(digits) <= 12:
        raise UsageError(
            f"`{text[:40]}` is not a meeting number. Use the digits Webex gave, like `/webex {command} 123 456 789`."
        )
    return digits
