"""Block Kit for every reply, built with slack_sdk's models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from commands.backend import STARTABLE
from commands.grammar import HELP
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

from . import ids

Message = dict[str, Any]
KIND_NAMES = {
    "meeting": "Webex meeting",
    "training": "Webex training session",
    "event": "Webex event",
    "support": "Webex support session",
    "teleconference": "Webex teleconference",
}


def escape(text: str) -> str:
    """User text inside mrkdwn: Slack's three control characters, escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def when(moment: datetime | None) -> str:
    """A Slack date token, so every reader sees their own time zone."""
    if moment is None:
        return "time not set"
    fallback = moment.strftime("%a %d %b %Y %H:%M %Z").strip()
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def spaced(key: str) -> str:
    """123456789 -> 123 456 789, as Webex prints meeting numbers."""
    head = len(key) % 3 or 3
    return " ".join([key[:head]] + [key[i : i + 3] for i in range(head, len(key), 3)])


def length(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def _message(blocks: list[Block], text: str) -> Message:
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def _meeting_section(meeting: MeetingView, *, headline: str | None = None) -> SectionBlock:
    host = f"<@{meeting.host_user_id}>" if meeting.host_user_id else f"`{escape(meeting.host_webex_id)}`"
    title = headline or f"*{escape(meeting.topic)}*"
    fields = [
        MarkdownTextObject(text=f"*When*\n{when(meeting.start)}"),
        MarkdownTextObject(text=f"*Meeting number*\n{spaced(meeting.key)}"),
        MarkdownTextObject(text=f"*Host*\n{host}"),
    ]
    if meeting.duration_minutes:
        fields.insert(1, MarkdownTextObject(text=f"*Length*\n{length(meeting.duration_minutes)}"))
    invited = " ".join(f"<@{u}>" for u in meeting.invitee_user_ids)
    by_email = len(meeting.invitee_emails) - len(meeting.invitee_user_ids)
    if by_email > 0:
        invited += f" and {by_email} by email"
    if invited.strip():
        fields.append(MarkdownTextObject(text="*Invited*\n" + invited.strip()[:1900]))
    return SectionBlock(text=MarkdownTextObject(text=title), fields=fields)


def _join_button(meeting: MeetingView, action_id: str = ids.MEETING_CARD_JOIN, url: str | None = None) -> ButtonElement:
    return ButtonElement(text="Join", action_id=action_id, url=url or meeting.join_url, value=meeting.key)


def _start_button(meeting: MeetingView) -> ButtonElement:
    return ButtonElement(text="Start", action_id=ids.MEETING_CARD_START, value=meeting.key, style="primary")


def _more_menu(meeting: MeetingView) -> OverflowMenuElement:
    return OverflowMenuElement(
        action_id=ids.MEETING_CARD_MORE,
        options=[Option(value=f"reschedule:{meeting.key}", label="Reschedule")],
    )


def schedule_button() -> ButtonElement:
    return ButtonElement(text="Schedule a meeting", action_id=ids.SCHEDULE_OPEN, style="primary")


def _cancel_button(meeting: MeetingView) -> ButtonElement:
    return ButtonElement(
        text="Cancel",
        action_id=ids.MEETING_CARD_CANCEL,
        value=meeting.key,
        style="danger",
        confirm=ConfirmObject(
            title="Cancel this meeting?",
            text=f"{meeting.topic[:200]} will be cancelled for everyone.",
            confirm="Cancel meeting",
            deny="Keep it",
            style="danger",
        ),
    )


def card(meeting: MeetingView) -> Message:
    """The meeting card posted in the channel: Join link, Start (host only), Cancel."""
    kind = KIND_NAMES.get(meeting.kind, "Webex meeting")
    if meeting.status == "cancelled":
        blocks: list[Block] = [
            _meeting_section(meeting, headline=f"~{escape(meeting.topic)}~  *Cancelled*"),
            ContextBlock(elements=[MarkdownTextObject(text=f"{kind} · this meeting was cancelled")]),
        ]
        return _message(blocks, f"Cancelled: {meeting.topic}")
    if meeting.status == "ended":
        blocks = [
            _meeting_section(
                meeting, headline=f"*{escape(meeting.topic)}*  · ended, ran {length(meeting.duration_minutes)}"
            ),
            ContextBlock(elements=[MarkdownTextObject(text=f"{kind} · this meeting has ended")]),
        ]
        return _message(blocks, f"Ended: {meeting.topic}")
    live = meeting.status == "live"
    headline = f":red_circle: *{escape(meeting.topic)}* is live now" if live else None
    blocks = [_meeting_section(meeting, headline=headline), *_call_in(meeting)]
    buttons: list[ButtonElement | OverflowMenuElement] = [_join_button(meeting)] if meeting.join_url else []
    if meeting.kind in STARTABLE:
        buttons.append(_start_button(meeting))
    if not live:
        buttons.append(_cancel_button(meeting))
        if meeting.kind == "meeting":
            buttons.append(_more_menu(meeting))
    blocks.append(ActionsBlock(block_id=f"meeting.card.{meeting.key}", elements=buttons))
    hint = "only the host can start it" if meeting.kind in STARTABLE else "join by phone" if meeting.call_in else ""
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"{kind} · {hint}" if hint else kind)]))
    return _message(blocks, f"{kind}: {meeting.topic}")


def _call_in(meeting: MeetingView) -> list[Block]:
    if not meeting.call_in:
        return []
    return [SectionBlock(text=MarkdownTextObject(text=f"*Call in*\n{escape(meeting.call_in)[:2800]}"))]


def session_card(reply: SessionCard, notes: list[str]) -> Message:
    """`/webex info`: the session's details; the password only where the caller may see it."""
    meeting = reply.meeting
    kind = KIND_NAMES.get(meeting.kind, "Webex session")
    state = {"live": "in progress", "cancelled": "cancelled"}.get(meeting.status, "not started")
    facts = [f"*Type*\n{kind}", f"*Status*\n{state}"]
    if reply.listing:
        facts.append(f"*Listed*\n{reply.listing.lower()}")
    if reply.invitees:
        facts.append(f"*Invited*\n{reply.invitees}")
    if reply.password:
        facts.append(f"*Password*\n`{escape(reply.password)}`")
    blocks: list[Block] = [
        _meeting_section(meeting),
        SectionBlock(fields=[MarkdownTextObject(text=fact) for fact in facts]),
        *_call_in(meeting),
    ]
    if reply.agenda:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*Agenda*\n{escape(reply.agenda)[:2800]}")))
    if meeting.join_url:
        blocks.append(ActionsBlock(elements=[_join_button(meeting, ids.MEETING_JOIN_OPEN)]))
    blocks.extend(_notes(notes))
    return _message(blocks, f"{kind}: {meeting.topic}")


def went_live(meeting: MeetingView) -> Message:
    """Told in the card's thread when a meeting starts."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=f":red_circle: *{escape(meeting.topic)}* has started."),
            accessory=_join_button(meeting, ids.MEETING_JOIN_OPEN) if meeting.join_url else None,
        )
    ]
    return _message(blocks, f"{meeting.topic} has started")


def reminder(meeting: MeetingView, *, host: bool) -> Message:
    """A direct message before the start: Start for the host (a fresh link on click), Join for the others."""
    if host:
        text = f":alarm_clock: *{escape(meeting.topic)}*, which you host, starts {when(meeting.start)}."
        button = _start_button(meeting) if meeting.kind in STARTABLE else None
    else:
        text = f":alarm_clock: *{escape(meeting.topic)}* starts {when(meeting.start)}."
        button = _join_button(meeting, ids.MEETING_JOIN_OPEN) if meeting.join_url else None
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text), accessory=button), *_call_in(meeting)]
    return _message(blocks, f"Reminder: {meeting.topic}")


def moved(meeting: MeetingView) -> Message:
    """Told to invitees when a meeting is rescheduled."""
    blocks: list[Block] = [
        _meeting_section(meeting, headline=f":arrows_counterclockwise: *{escape(meeting.topic)}* has moved"),
        ActionsBlock(elements=[_join_button(meeting, ids.MEETING_JOIN_OPEN)]),
    ]
    return _message(blocks, f"Moved: {meeting.topic}")


def invitation(meeting: MeetingView) -> Message:
    host = f"<@{meeting.host_user_id}>" if meeting.host_user_id else "Someone"
    blocks: list[Block] = [
        _meeting_section(meeting, headline=f"{host} invited you to *{escape(meeting.topic)}*"),
        ActionsBlock(elements=[_join_button(meeting, ids.MEETING_JOIN_OPEN)]),
    ]
    return _message(blocks, f"You're invited to {meeting.topic}")


def notice(text: str, notes: list[str] | None = None) -> Message:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=text[:2900]))]
    blocks.extend(_notes(notes))
    return _message(blocks, text[:300])


def _notes(notes: list[str] | None) -> list[Block]:
    return [ContextBlock(elements=[MarkdownTextObject(text=n)]) for n in notes or []]


def help_message() -> Message:
    return notice(HELP)


CARD_PLACES = {
    "posted": "I posted the card.",
    "unowned": "I posted the card, but I'm not a member of this conversation, so I can't update it later; "
    "invite me to keep it current.",
    "missing": "I couldn't post the card in that conversation; invite me there.",
}


def created_receipt(reply: Created, notes: list[str], card: str) -> Message:
    meeting = reply.meeting
    where = CARD_PLACES[card]
    if reply.host_url:
        blocks: list[Block] = [
            SectionBlock(
                text=MarkdownTextObject(text=f"*{escape(meeting.topic)}* is ready. {where} Start it as the host:"),
                accessory=ButtonElement(
                    text="Start meeting", action_id=ids.MEETING_HOST_OPEN, url=reply.host_url, style="primary"
                ),
            )
        ]
    else:
        invited = len(meeting.invitee_user_ids)
        told = f" I sent {invited} invitation{'s' if invited != 1 else ''}." if invited else ""
        blocks = [
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"Scheduled *{escape(meeting.topic)}* for {when(meeting.start)}, "
                    f"meeting number {spaced(meeting.key)}. {where}{told}"
                )
            )
        ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Scheduled {meeting.topic}")


def join_link(reply: JoinLink, notes: list[str]) -> Message:
    meeting = reply.meeting
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=f"*{escape(meeting.topic)}* · meeting {spaced(meeting.key)}"),
            accessory=_join_button(meeting, ids.MEETING_JOIN_OPEN, reply.url),
        )
    ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Join {meeting.topic}")


def host_link(reply: HostLink, notes: list[str]) -> Message:
    """Sent to the host alone; the URL logs its holder in as the host."""
    meeting = reply.meeting
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"You're the host of *{escape(meeting.topic)}* (meeting {spaced(meeting.key)}). "
                "This button signs you in to Webex as the host, so keep it to yourself:"
            ),
            accessory=ButtonElement(
                text="Start meeting", action_id=ids.MEETING_HOST_OPEN, url=reply.url, style="primary"
            ),
        )
    ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Start {meeting.topic}")


def meeting_list(reply: MeetingList, notes: list[str]) -> Message:
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=f"*{reply.title}*"))]
    if not reply.meetings:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=reply.empty_text)))
        if reply.caller_hosts:
            blocks.append(ActionsBlock(elements=[schedule_button()]))
    for meeting in reply.meetings[:15]:
        kind = KIND_NAMES.get(meeting.kind, "Webex meeting")
        state = " · *live*" if meeting.status == "live" else ""
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{escape(meeting.topic)}*{state}\n{when(meeting.start)} · {spaced(meeting.key)} · {kind}"
                )
            )
        )
        buttons = [_join_button(meeting)] if meeting.join_url else []
        if reply.caller_hosts:
            buttons += [_start_button(meeting)] if meeting.kind in STARTABLE else []
            buttons.append(_cancel_button(meeting))
        if buttons:
            blocks.append(ActionsBlock(elements=buttons))
    if len(reply.meetings) > 15:
        blocks.append(ContextBlock(elements=[PlainTextObject(text=f"and {len(reply.meetings) - 15} more")]))
    blocks.extend(_notes(notes))
    return _message(blocks, reply.title)


def confirm_cancel(reply: ConfirmCancel, notes: list[str]) -> Message:
    meeting = reply.meeting
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Cancel *{escape(meeting.topic)}* on {when(meeting.start)} (meeting {spaced(meeting.key)}) "
                "for everyone?"
            )
        ),
        ActionsBlock(
            elements=[
                ButtonElement(
                    text="Cancel meeting", action_id=ids.MEETING_CANCEL_CONFIRM, value=meeting.key, style="danger"
                ),
                ButtonElement(text="Keep it", action_id=ids.MEETING_CANCEL_KEEP, value=meeting.key),
            ]
        ),
    ]
    blocks.extend(_notes(notes))
    return _message(blocks, f"Cancel {meeting.topic}?")


def cancelled_receipt(reply: Cancelled) -> Message:
    return notice(f"Cancelled *{escape(reply.meeting.topic)}* (meeting {spaced(reply.meeting.key)}).")


def private(
    reply: Notice | JoinLink | HostLink | MeetingList | SessionCard | ConfirmCancel, notes: list[str]
) -> Message:
    """Any reply shown to the caller alone."""
    if isinstance(reply, Notice):
        return notice(reply.text, notes)
    if isinstance(reply, JoinLink):
        return join_link(reply, notes)
    if isinstance(reply, HostLink):
        return host_link(reply, notes)
    if isinstance(reply, MeetingList):
        return meeting_list(reply, notes)
    if isinstance(reply, SessionCard):
        return session_card(reply, notes)
    return confirm_cancel(reply, notes)


def home(
    link_text: str,
    linked: bool,
    upcoming: MeetingList | None,
    live: MeetingList | None,
    notice_text: str = "",
) -> dict[str, Any]:
    """The App Home: link status, the viewer's upcoming meetings, what is live, and Schedule."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text="*Webex*"), accessory=schedule_button())]
    if notice_text:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=notice_text[:1900])]))
    link_button = None if linked else ButtonElement(text="Link my Webex account", action_id=ids.HOME_LINK_OPEN)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=link_text), accessory=link_button))
    for listing in (upcoming, live):
        if listing is None:
            continue
        blocks.append(DividerBlock())
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{listing.title}*")))
        if not listing.meetings:
            blocks.append(ContextBlock(elements=[MarkdownTextObject(text=listing.empty_text)]))
        for meeting in listing.meetings[:20]:
            kind = KIND_NAMES.get(meeting.kind, "Webex meeting")
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(
                        text=f"*{escape(meeting.topic)}*\n{when(meeting.start)} · {spaced(meeting.key)} · {kind}"
                    )
                )
            )
            buttons: list[ButtonElement] = [_join_button(meeting)] if meeting.join_url else []
            if listing.caller_hosts:
                if meeting.kind in STARTABLE:
                    buttons.append(_start_button(meeting))
                buttons.append(_cancel_button(meeting))
                if meeting.kind == "meeting":
                    buttons.append(
                        ButtonElement(text="Reschedule", action_id=ids.MEETING_RESCHEDULE, value=meeting.key)
                    )
            if buttons:
                blocks.append(ActionsBlock(elements=buttons))
    return View(type="home", blocks=blocks[:100]).to_dict()
