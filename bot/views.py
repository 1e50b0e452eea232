"""Block Kit for every reply, built as plain dicts (bot/blocks.py); the Home tab is checked by slack_sdk's View."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_sdk.models.views import View

from commands.backend import STARTABLE
from commands.cancelling import OCCURRENCE, SERIES, Choice
from commands.grammar import HELP
from commands.numbers import format_number
from commands.replies import (
    Cancelled,
    ConfirmCancel,
    Created,
    HostLink,
    JoinLink,
    MeetingList,
    MeetingView,
    Notice,
    SessionCard,
)
from commands.when.rules import describe_rule

from . import blocks as kit
from . import ids
from .blocks import Json
from .render import LIMITS, MAX_FIELDS, MAX_VIEW_BLOCKS, fit, local_text, mrkdwn
from .render import escape as escape

Message = dict[str, Any]
KIND_NAMES = {
    "meeting": "Webex meeting",
    "training": "Webex training session",
    "event": "Webex event",
    "support": "Webex support session",
    "teleconference": "Webex teleconference",
}


TOPIC = 600  # characters an escaped topic may take inside a larger text


def when(moment: datetime | None, tz: str | None = None) -> str:
    """A Slack date token, so every reader sees their own time zone; the fallback names the zone clearly."""
    if moment is None:
        return "time not set"
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{local_text(moment, tz)}>"


def spaced(key: str) -> str:
    """The meeting number as it is shown everywhere: 447 712 782."""
    return format_number(key)


def topic(meeting: MeetingView, budget: int = TOPIC) -> str:
    return mrkdwn(meeting.topic, budget)


def length(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def _message(blocks: list[Json], text: str) -> Message:
    """`text` is mrkdwn composed from escaped pieces: what notifications and screen readers show."""
    return {"text": fit(text, "text"), "blocks": blocks}


def _section(text: str, accessory: Json | None = None) -> Json:
    return kit.section(fit(text, "section"), accessory=accessory)


def _context(text: str) -> Json:
    return kit.context(fit(text, "context"))


def _meeting_section(meeting: MeetingView, *, headline: str | None = None, tz: str | None = None) -> Json:
    host = f"<@{meeting.host_user_id}>" if meeting.host_user_id else f"`{mrkdwn(meeting.host_webex_id, 200)}`"
    facts = [f"*When*\n{when(meeting.start, tz)}", f"*Meeting number*\n{spaced(meeting.key)}", f"*Host*\n{host}"]
    if meeting.duration_minutes:
        facts.insert(1, f"*Length*\n{length(meeting.duration_minutes)}")
    if meeting.recurrence:
        facts.insert(1, f"*Repeats*\n{repeats(meeting)}")
    invited = " ".join(f"<@{u}>" for u in meeting.invitee_user_ids)
    by_email = len(meeting.invitee_emails) - len(meeting.invitee_user_ids)
    if by_email > 0:
        invited += f" and {by_email} by email"
    if invited.strip():
        facts.append("*Invited*\n" + invited.strip())
    title = headline or f"*{topic(meeting)}*"
    return kit.section(fit(title, "section"), fields=[fit(fact, "field") for fact in facts[:MAX_FIELDS]])


def repeats(meeting: MeetingView) -> str:
    """A series' rule in words, in its host's time (“Every Monday and Wednesday at 16:00”)."""
    if not meeting.recurrence or meeting.start is None:
        return ""
    return mrkdwn(describe_rule(meeting.recurrence, meeting.start), 300)


def _join_button(meeting: MeetingView, action_id: str = ids.MEETING_CARD_JOIN, url: str | None = None) -> Json:
    return kit.button("Join", action_id, url=url or meeting.join_url, value=meeting.key)


def _start_button(meeting: MeetingView) -> Json:
    return kit.button("Start", ids.MEETING_CARD_START, value=meeting.key, style="primary")


def _more_menu(meeting: MeetingView) -> Json:
    return kit.overflow(ids.MEETING_CARD_MORE, [(f"reschedule:{meeting.key}", "Reschedule")])


def schedule_button() -> Json:
    return kit.button("Schedule a meeting", ids.SCHEDULE_OPEN, style="primary")


def _cancel_button(meeting: MeetingView) -> Json:
    text = f"{topic(meeting, 200)} will be cancelled for everyone."
    dialog = kit.confirm("Cancel this meeting?", fit(text, "confirm_text"), "Cancel meeting", "Keep it", "danger")
    return kit.button("Cancel", ids.MEETING_CARD_CANCEL, value=meeting.key, style="danger", confirm=dialog)


def _series_cancel_button(meeting: MeetingView) -> Json:
    """A series' Cancel asks next whether to cancel one meeting or all of them, so it needs no dialog here."""
    return kit.button("Cancel", ids.MEETING_CARD_CANCEL, value=meeting.key, style="danger")


def card(meeting: MeetingView) -> Message:
    """The meeting card posted in the channel: Join link, Start (host only), Cancel."""
    kind = KIND_NAMES.get(meeting.kind, "Webex meeting")
    if meeting.status == "cancelled":
        blocks: list[Json] = [
            _meeting_section(meeting, headline=f"~{topic(meeting)}~  *Cancelled*"),
            _context(f"{kind} · this meeting was cancelled"),
        ]
        return _message(blocks, f"Cancelled: {topic(meeting)}")
    if meeting.status == "ended":
        ran = length(meeting.duration_minutes)
        blocks = [
            _meeting_section(meeting, headline=f"*{topic(meeting)}*  · ended, ran {ran}"),
            _context(f"{kind} · this meeting has ended"),
        ]
        return _message(blocks, f"Ended: {topic(meeting)}")
    live = meeting.status == "live"
    headline = f":red_circle: *{topic(meeting)}* is live now" if live else None
    blocks = [_meeting_section(meeting, headline=headline), *_call_in(meeting)]
    buttons: list[Json] = [_join_button(meeting)] if meeting.join_url else []
    if meeting.kind in STARTABLE:
        buttons.append(_start_button(meeting))
    if not live:
        buttons.append(_series_cancel_button(meeting) if meeting.recurrence else _cancel_button(meeting))
        if meeting.kind == "meeting":
            buttons.append(_more_menu(meeting))
    blocks.append(kit.actions(buttons, block_id=f"meeting.card.{meeting.key}"))
    hint = "only the host can start it" if meeting.kind in STARTABLE else "join by phone" if meeting.call_in else ""
    blocks.append(_context(f"{kind} · {hint}" if hint else kind))
    return _message(blocks, f"{kind}: {topic(meeting)}")


def _call_in(meeting: MeetingView) -> list[Json]:
    if not meeting.call_in:
        return []
    return [_section(f"*Call in*\n{mrkdwn(meeting.call_in, LIMITS['section'] - 20)}")]


def session_card(reply: SessionCard, notes: list[str], tz: str | None = None) -> Message:
    """`/webex info`: the session's details; the password only where the caller may see it."""
    meeting = reply.meeting
    kind = KIND_NAMES.get(meeting.kind, "Webex session")
    state = {"live": "in progress", "cancelled": "cancelled"}.get(meeting.status, "not started")
    facts = [f"*Type*\n{kind}", f"*Status*\n{state}"]
    if reply.listing:
        facts.append(f"*Listed*\n{mrkdwn(reply.listing.lower(), 200)}")
    if reply.invitees:
        facts.append(f"*Invited*\n{reply.invitees}")
    if reply.password:
        facts.append(f"*Password*\n`{mrkdwn(reply.password, 200)}`")
    blocks: list[Json] = [
        _meeting_section(meeting, tz=tz),
        kit.section(fields=[fit(fact, "field") for fact in facts]),
        *_call_in(meeting),
    ]
    if reply.agenda:
        blocks.append(_section(f"*Agenda*\n{mrkdwn(reply.agenda, LIMITS['section'] - 20)}"))
    if meeting.join_url:
        blocks.append(kit.actions([_join_button(meeting, ids.MEETING_JOIN_OPEN)]))
    blocks.extend(_notes(notes))
    return _message(blocks, f"{kind}: {topic(meeting)}")


def went_live(meeting: MeetingView) -> Message:
    """Told in the card's thread when a meeting starts."""
    join = _join_button(meeting, ids.MEETING_JOIN_OPEN) if meeting.join_url else None
    blocks: list[Json] = [_section(f":red_circle: *{topic(meeting)}* has started.", join)]
    return _message(blocks, f"{topic(meeting)} has started")


def reminder(meeting: MeetingView, *, host: bool, tz: str | None = None) -> Message:
    """A direct message before the start: Start for the host (a fresh link on click), Join for the others."""
    if host:
        text = f":alarm_clock: *{topic(meeting)}*, which you host, starts {when(meeting.start, tz)}."
        button = _start_button(meeting) if meeting.kind in STARTABLE else None
    else:
        text = f":alarm_clock: *{topic(meeting)}* starts {when(meeting.start, tz)}."
        button = _join_button(meeting, ids.MEETING_JOIN_OPEN) if meeting.join_url else None
    blocks: list[Json] = [_section(text, button), *_call_in(meeting)]
    return _message(blocks, f"Reminder: {topic(meeting)}")


def moved(meeting: MeetingView, tz: str | None = None, was: datetime | None = None) -> Message:
    """Told to invitees when a meeting is rescheduled: from when, to when."""
    since = f" from {when(was, tz)}" if was else ""
    blocks: list[Json] = [
        _meeting_section(meeting, headline=f":arrows_counterclockwise: *{topic(meeting)}* has moved{since}", tz=tz),
        kit.actions([_join_button(meeting, ids.MEETING_JOIN_OPEN)]),
    ]
    return _message(blocks, f"Moved: {topic(meeting)}{since} to {when(meeting.start, tz)}")


def moved_receipt(meeting: MeetingView, was: datetime | None, tz: str | None = None) -> Message:
    """Told to whoever moved it."""
    since = f" from {when(was, tz)}" if was else ""
    invited = len(meeting.invitee_user_ids)
    told = f" I told {invited} invitee{'s' if invited != 1 else ''}." if invited else ""
    return notice(f"Moved *{topic(meeting)}*{since} to {when(meeting.start, tz)}.{told}")


def invitation(meeting: MeetingView, tz: str | None = None, *, cancelled_on: datetime | None = None) -> Message:
    """The invitation an invitee gets; once the meeting is cancelled, the same message without Join (the bot
    edits the invitation into it and sends it again as the notice). `cancelled_on`: only that meeting of the
    series is cancelled."""
    host = f"<@{meeting.host_user_id}>" if meeting.host_user_id else "Someone"
    if meeting.status == "cancelled":
        headline = f"~{topic(meeting)}~  *Cancelled*: {host} cancelled it"
        blocks: list[Json] = [_meeting_section(meeting, headline=headline, tz=tz)]
        return _message(blocks, f"Cancelled: {topic(meeting)}")
    if cancelled_on is not None:
        text = f"{host} cancelled the meeting of *{topic(meeting)}* on {when(cancelled_on, tz)}; the others stay."
        join = _join_button(meeting, ids.MEETING_JOIN_OPEN) if meeting.join_url else None
        return _message([_section(text, join)], f"Cancelled on one day: {topic(meeting)}")
    blocks = [
        _meeting_section(meeting, headline=f"{host} invited you to *{topic(meeting)}*", tz=tz),
        kit.actions([_join_button(meeting, ids.MEETING_JOIN_OPEN)]),
    ]
    return _message(blocks, f"You're invited to {topic(meeting)}")


def notice(text: str, notes: list[str] | None = None) -> Message:
    """`text` is mrkdwn the commands composed (user text in it already escaped)."""
    blocks: list[Json] = [_section(text)]
    blocks.extend(_notes(notes))
    return _message(blocks, fit(text, 300))


def _notes(notes: list[str] | None) -> list[Json]:
    return [_context(n) for n in notes or []]


def help_message() -> Message:
    return notice(HELP)


CARD_PLACES = {
    "posted": "I posted the card.",
    "unowned": "I posted the card, but I'm not a member of this conversation, so I can't update it later; "
    "invite me to keep it current.",
    "missing": "I couldn't post the card in that conversation; invite me there.",
}


def created_receipt(reply: Created, notes: list[str], card: str, tz: str | None = None) -> Message:
    meeting = reply.meeting
    where = CARD_PLACES[card]
    if reply.host_url:
        start = kit.button("Start meeting", ids.MEETING_HOST_OPEN, url=reply.host_url, style="primary")
        blocks: list[Json] = [_section(f"*{topic(meeting)}* is ready. {where} Start it as the host:", start)]
    else:
        invited = len(meeting.invitee_user_ids)
        told = f" I sent {invited} invitation{'s' if invited != 1 else ''}." if invited else ""
        # where no card could be posted, the receipt carries what the card would have: the number and Join
        join = _join_button(meeting, ids.MEETING_JOIN_OPEN) if card == "missing" and meeting.join_url else None
        series = f" It repeats: {repeats(meeting)}." if meeting.recurrence else ""
        blocks = [
            _section(
                f"Scheduled *{topic(meeting)}* for {when(meeting.start, tz)}, "
                f"meeting number {spaced(meeting.key)}.{series} {where}{told}",
                join,
            )
        ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"{topic(meeting)} is ready" if reply.host_url else f"Scheduled {topic(meeting)}")


def ready_to_start(meeting: MeetingView, notes: list[str]) -> Message:
    """A meeting starting now with no conversation to show its receipt in: Start (a fresh link on click), Join."""
    buttons: list[Json] = [_start_button(meeting)] if meeting.kind in STARTABLE else []
    buttons += [_join_button(meeting, ids.MEETING_JOIN_OPEN)] if meeting.join_url else []
    invited = len(meeting.invitee_user_ids)
    told = f" I sent {invited} invitation{'s' if invited != 1 else ''}." if invited else ""
    blocks: list[Json] = [
        _section(f"*{topic(meeting)}* is ready (meeting {spaced(meeting.key)}). No card was posted.{told}"),
        *([kit.actions(buttons)] if buttons else []),
        *_notes(notes),
    ]
    return _message(blocks, f"{topic(meeting)} is ready")


def join_link(reply: JoinLink, notes: list[str]) -> Message:
    """A Join button; for a teleconference (no URL) its call-in details instead."""
    meeting = reply.meeting
    if not reply.url:
        blocks: list[Json] = [_section(f"*{topic(meeting)}* is a teleconference: join by phone.")]
        blocks += _call_in(meeting) or [_section("Ask the host for the number.")]
        blocks.extend(_notes(notes))
        return _message(blocks, f"Join {topic(meeting)} by phone")
    join = _join_button(meeting, ids.MEETING_JOIN_OPEN, reply.url)
    blocks = [_section(f"*{topic(meeting)}* · meeting {spaced(meeting.key)}", join)]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Join {topic(meeting)}")


def host_link(reply: HostLink, notes: list[str]) -> Message:
    """Sent to the host alone; the URL logs its holder in as the host."""
    meeting = reply.meeting
    start = kit.button("Start meeting", ids.MEETING_HOST_OPEN, url=reply.url, style="primary")
    blocks: list[Json] = [
        _section(
            f"You're the host of *{topic(meeting)}* (meeting {spaced(meeting.key)}). "
            "This button signs you in to Webex as the host, so keep it to yourself:",
            start,
        )
    ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Start {topic(meeting)}")


def _listed(meeting: MeetingView, tz: str | None, viewer: str | None = None) -> Json:
    """One meeting in a list: live ones say so, invitations say who hosts them."""
    kind = KIND_NAMES.get(meeting.kind, "Webex meeting")
    state = " · :red_circle: *live now*" if meeting.status == "live" else ""
    if _invited(meeting, viewer):
        host = f"<@{meeting.host_user_id}>" if meeting.host_user_id else f"`{mrkdwn(meeting.host_webex_id, 200)}`"
        state += f" · you're invited by {host}"
    moment = "" if meeting.status == "live" else f"{when(meeting.start, tz)} · "  # live: its start is by the way
    return _section(f"*{topic(meeting)}*{state}\n{moment}{spaced(meeting.key)} · {kind}")


def _invited(meeting: MeetingView, viewer: str | None) -> bool:
    return bool(viewer) and viewer in meeting.invitee_user_ids and meeting.host_user_id != viewer


def meeting_list(reply: MeetingList, notes: list[str], tz: str | None = None, viewer: str | None = None) -> Message:
    """`viewer`: who reads it, so that meetings they are invited to get Join only."""
    blocks: list[Json] = [_section(f"*{reply.title}*")]
    if not reply.meetings:
        blocks.append(_section(reply.empty_text))
        if reply.caller_hosts:
            blocks.append(kit.actions([schedule_button()]))
    for meeting in reply.meetings[:15]:
        blocks.append(_listed(meeting, tz, viewer))
        buttons = _home_buttons(meeting, reply.caller_hosts and not _invited(meeting, viewer), reschedule=False)
        if buttons:
            blocks.append(kit.actions(buttons))
    if len(reply.meetings) > 15:
        more = {"type": "plain_text", "text": f"and {len(reply.meetings) - 15} more"}
        blocks.append({"type": "context", "elements": [more]})
    blocks.extend(_notes(notes))
    return _message(blocks, reply.title)


def confirm_cancel(reply: ConfirmCancel, notes: list[str], tz: str | None = None) -> Message:
    meeting = reply.meeting
    if meeting.recurrence:
        return _confirm_series_cancel(reply, notes, tz)
    blocks: list[Json] = [
        _section(
            f"Cancel *{topic(meeting)}* on {when(meeting.start, tz)} (meeting {spaced(meeting.key)}) for everyone?"
        ),
        kit.actions(
            [
                kit.button("Cancel meeting", ids.MEETING_CANCEL_CONFIRM, value=meeting.key, style="danger"),
                _keep_button(meeting),
            ]
        ),
    ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Cancel {topic(meeting)}?")


def _keep_button(meeting: MeetingView) -> Json:
    return kit.button("Keep it", ids.MEETING_CANCEL_KEEP, value=meeting.key)


def _confirm_series_cancel(reply: ConfirmCancel, notes: list[str], tz: str | None) -> Message:
    """A series: its next meeting alone (where Webex allows it) or the whole series. Each choice is a section
    with its own button, so the two share the confirm action id without sharing a block."""
    meeting = reply.meeting
    whole = Choice(meeting.key, SERIES)
    blocks: list[Json] = [
        _section(f"*{topic(meeting)}* (meeting {spaced(meeting.key)}) repeats: {repeats(meeting)}. What should go?")
    ]
    if reply.occurrence is not None:
        one = Choice(meeting.key, OCCURRENCE, reply.occurrence)
        blocks.append(
            _section(
                f"Only the meeting on {when(reply.occurrence, tz)}; the others stay.",
                kit.button("Cancel this one", ids.MEETING_CANCEL_CONFIRM, value=one.value),
            )
        )
        series_text = "The whole series, for everyone."
    else:
        series_text = "The whole series, for everyone: Webex can't cancel one meeting of a series here."
    blocks.append(
        _section(
            series_text,
            kit.button("Cancel the series", ids.MEETING_CANCEL_CONFIRM, value=whole.value, style="danger"),
        )
    )
    blocks.append(kit.actions([_keep_button(meeting)]))
    blocks.extend(_notes(notes))
    return _message(blocks, f"Cancel {topic(meeting)}?")


def cancelled_receipt(reply: Cancelled) -> Message:
    meeting = reply.meeting
    if reply.occurrence is not None:
        after = f" The next is {when(meeting.start)}." if meeting.start and meeting.start > reply.occurrence else ""
        return notice(
            f"Cancelled the meeting of *{topic(meeting)}* on {when(reply.occurrence)} "
            f"(meeting {spaced(meeting.key)}); the rest of the series stays.{after}"
        )
    what = "the series" if meeting.recurrence else ""
    return notice(f"Cancelled {what} *{topic(meeting)}* (meeting {spaced(meeting.key)}).".replace("  ", " "))


def private(
    reply: Notice | JoinLink | HostLink | MeetingList | SessionCard | ConfirmCancel,
    notes: list[str],
    tz: str | None = None,
    viewer: str | None = None,
) -> Message:
    """Any reply shown to the caller alone; `tz` is the caller's zone, for times written as text."""
    if isinstance(reply, Notice):
        return notice(reply.text, notes)
    if isinstance(reply, JoinLink):
        return join_link(reply, notes)
    if isinstance(reply, HostLink):
        return host_link(reply, notes)
    if isinstance(reply, MeetingList):
        return meeting_list(reply, notes, tz, viewer)
    if isinstance(reply, SessionCard):
        return session_card(reply, notes, tz)
    return confirm_cancel(reply, notes, tz)


def home(
    link_text: str,
    linked: bool,
    upcoming: MeetingList | None,
    live: MeetingList | None,
    notice_text: str = "",
    tz: str | None = None,
    viewer: str | None = None,
    webex: list[Json] | None = None,
) -> dict[str, Any]:
    """The App Home: link status, the viewer's upcoming meetings, what is live (each meeting once), Schedule;
    `webex`: the workspace's Webex connection (OAuth mode)."""
    blocks: list[Json] = [_section("*Webex*", schedule_button())]
    if notice_text:
        blocks.append(_context(notice_text))
    blocks += webex or []
    link_button = None if linked else kit.button("Link my Webex account", ids.HOME_LINK_OPEN)
    blocks.append(_section(link_text, link_button))
    if upcoming is not None and live is not None:
        shown = {m.key for m in upcoming.meetings}
        others = tuple(m for m in live.meetings if m.key not in shown)
        if len(others) < len(live.meetings):
            live = replace(live, meetings=others, empty_text="Nothing else is in progress on the Webex site right now.")
    for listing in (upcoming, live):
        if listing is None:
            continue
        blocks.append({"type": "divider"})
        blocks.append(_section(f"*{listing.title}*"))
        if not listing.meetings:
            blocks.append(_context(listing.empty_text))
        for meeting in listing.meetings[:20]:
            blocks.append(_listed(meeting, tz, viewer))
            buttons = _home_buttons(meeting, listing.caller_hosts and not _invited(meeting, viewer))
            if buttons:
                blocks.append(kit.actions(buttons))
    return View(type="home", blocks=blocks[:MAX_VIEW_BLOCKS]).to_dict()


def _home_buttons(meeting: MeetingView, hosts: bool, *, reschedule: bool = True) -> list[Json]:
    """Join for everyone; Start for the host; Cancel and Reschedule only before the meeting starts."""
    buttons: list[Json] = [_join_button(meeting)] if meeting.join_url else []
    if hosts:
        if meeting.kind in STARTABLE:
            buttons.append(_start_button(meeting))
        if meeting.status != "live":
            buttons.append(_cancel_button(meeting))
        if reschedule and meeting.kind == "meeting" and meeting.status != "live":
            buttons.append(kit.button("Reschedule", ids.MEETING_RESCHEDULE, value=meeting.key))
    return buttons
