"""Modals: scheduling, starting now, rescheduling and linking; built with slack_sdk's view models,
and read back from a view_submission's state."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserMultiSelectElement,
)
from slack_sdk.models.blocks import (
    ButtonElement as Button,
)
from slack_sdk.models.views import View

from commands.forms import ScheduleForm
from commands.replies import HostLink
from commands.series import REPEAT_CHOICES, RULE_PREFIX
from commands.topics import TOPIC_LIMIT
from commands.when.rules import describe_rule

from . import ids
from .render import fit, mrkdwn, plain
from .views import TOPIC, spaced

VALUE = "value"
AGENDA_LIMIT = 1000
DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240, 480)
KIND_CHOICES = (("meeting", "Webex meeting"), ("training", "Training session"), ("teleconference", "Teleconference"))


def schedule_modal(
    form: ScheduleForm,
    *,
    channel: str = "",
    thread_ts: str = "",
    tz: str = "UTC",
    kinds: tuple[str, ...] = ("meeting", "training", "teleconference"),
) -> dict[str, Any]:
    """`kinds`: the session kinds the Webex backend can make; the Type choice offers those only."""
    blocks: list[Block] = []
    choices = tuple(choice for choice in KIND_CHOICES if choice[0] in kinds)
    if form.note:
        note = fit(f":information_source: {mrkdwn(form.note, 1900)}", "context")
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    blocks += [
        InputBlock(
            block_id="topic",
            label="Topic",
            element=PlainTextInputElement(
                action_id=VALUE, initial_value=plain(form.topic, TOPIC_LIMIT) or None, max_length=TOPIC_LIMIT
            ),
        ),
        *_when_blocks(form, tz),
        InputBlock(block_id="repeat", label="Repeat", element=_select(_repeat_choices(form), form.repeat)),
    ]
    if len(choices) > 1:
        kind = form.kind if form.kind in kinds else choices[0][0]
        blocks.append(InputBlock(block_id="kind", label="Type", element=_select(choices, kind)))
    blocks += [
        InputBlock(
            block_id="invitees",
            label="Invite",
            optional=True,
            element=UserMultiSelectElement(action_id=VALUE, initial_users=list(form.invitee_ids) or None),
        ),
        InputBlock(
            block_id="agenda",
            label="Agenda",
            optional=True,
            element=PlainTextInputElement(
                action_id=VALUE,
                multiline=True,
                initial_value=plain(form.agenda, AGENDA_LIMIT) or None,
                max_length=AGENDA_LIMIT,
            ),
        ),
        InputBlock(
            block_id="password",
            label="Meeting password",
            optional=True,
            element=PlainTextInputElement(action_id=VALUE, max_length=16),
        ),
        InputBlock(
            block_id="conversation",
            label="Post the card in",
            optional=True,
            element=ConversationSelectElement(
                action_id=VALUE, initial_conversation=channel or None, default_to_current_conversation=not channel
            ),
        ),
    ]
    view = View(
        type="modal",
        callback_id=ids.SCHEDULE_SUBMIT,
        title="Schedule a meeting",
        submit="Schedule",
        close="Cancel",
        private_metadata=json.dumps({"channel": channel, "thread_ts": thread_ts}),
        blocks=blocks,
    )
    return view.to_dict()


def _when_blocks(form: ScheduleForm, tz: str) -> list[Block]:
    durations = sorted({*DURATIONS, form.duration_minutes})
    return [
        InputBlock(
            block_id="date",
            label="Date",
            element=DatePickerElement(action_id=VALUE, initial_date=form.day.isoformat() if form.day else None),
        ),
        InputBlock(
            block_id="time",
            label="Time",
            element=TimePickerElement(
                action_id=VALUE, initial_time=form.at.strftime("%H:%M") if form.at else None, timezone=tz
            ),
        ),
        InputBlock(
            block_id="duration",
            label="Length",
            element=_select(((str(m), _minutes(m)) for m in durations), str(form.duration_minutes)),
        ),
    ]


REPEAT_LABELS = {
    "none": "Does not repeat",
    "daily": "Daily",
    "weekdays": "Every weekday (Monday to Friday)",
    "weekly": "Weekly on the meeting's weekday",
    "biweekly": "Every 2 weeks on the meeting's weekday",
    "monthly": "Monthly on the meeting's date (the 14th ...)",
    "monthly_weekday": "Monthly on the meeting's weekday (the 2nd Tuesday ...)",
}


def _repeat_choices(form: ScheduleForm) -> list[tuple[str, str]]:
    """The Repeat choices; a rule the text parser understood comes first, said in words."""
    choices = [(choice, REPEAT_LABELS[choice]) for choice in REPEAT_CHOICES]
    if form.repeat.startswith(RULE_PREFIX) and form.day and form.at:
        start = datetime.combine(form.day, form.at)
        said = describe_rule(form.repeat.removeprefix(RULE_PREFIX), start)
        choices.insert(0, (form.repeat, plain(said, 75)))
    return choices


def _select(choices: Any, initial: str) -> StaticSelectElement:
    options = [Option(value=value, label=label) for value, label in choices]
    chosen = next((o for o in options if o.value == initial), None)
    return StaticSelectElement(action_id=VALUE, options=options, initial_option=chosen)


def _minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if hours and rest else f"{hours} h" if hours else f"{rest} min"


def start_now_modal() -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=ids.START_NOW_SUBMIT,
        title="Start a meeting now",
        submit="Start",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id="topic",
                label="Topic",
                optional=True,
                element=PlainTextInputElement(action_id=VALUE, max_length=TOPIC_LIMIT),
            ),
            InputBlock(
                block_id="invitees", label="Invite", optional=True, element=UserMultiSelectElement(action_id=VALUE)
            ),
            InputBlock(
                block_id="conversation",
                label="Post the card in",
                optional=True,
                element=ConversationSelectElement(action_id=VALUE),
            ),
        ],
    )
    return view.to_dict()


def reschedule_modal(key: str, topic: str, form: ScheduleForm, tz: str, channel: str = "") -> dict[str, Any]:
    """`channel`: where it was opened from, where the host's confirmation goes."""
    view = View(
        type="modal",
        callback_id=ids.RESCHEDULE_SUBMIT,
        title="Reschedule",
        submit="Move it",
        close="Cancel",
        private_metadata=json.dumps({"key": key, "channel": channel}),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(text=fit(f"*{mrkdwn(topic, TOPIC)}* · meeting {spaced(key)}", "section"))
            ),
            *_when_blocks(form, tz),
        ],
    )
    return view.to_dict()


NO_MATCH = "No Webex account with your Slack email? Ask a Webex bot admin to link yours with `/webex admin link`."


def link_modal(problem: str = "", *, then_schedule_in: str | None = None) -> dict[str, Any]:
    """`then_schedule_in`: the conversation of a schedule form this stands in for; it opens once linked."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="Your Webex ID or the email of your Webex account. It must be the email your Slack profile has."
            )
        ),
        InputBlock(block_id="account", label="Webex ID or email", element=PlainTextInputElement(action_id=VALUE)),
        ContextBlock(elements=[MarkdownTextObject(text=NO_MATCH)]),
    ]
    if problem:
        warning = fit(f":warning: {mrkdwn(problem, 1900)}", "context")
        blocks.insert(0, ContextBlock(elements=[MarkdownTextObject(text=warning)]))
    then = {"then": "schedule", "channel": then_schedule_in} if then_schedule_in is not None else {}
    view = View(
        type="modal",
        callback_id=ids.LINK_SUBMIT,
        title="Link your Webex account",
        submit="Link",
        close="Cancel",
        private_metadata=json.dumps(then),
        blocks=blocks,
    )
    return view.to_dict()


def host_link_modal(reply: HostLink) -> dict[str, Any]:
    """The Start link from the Home tab (which has no response URL), shown to the host alone."""
    meeting = reply.meeting
    view = View(
        type="modal",
        title="Start the meeting",
        close="Close",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=fit(
                        f"You're the host of *{mrkdwn(meeting.topic, TOPIC)}*. This signs you in "
                        "to Webex as the host, so keep it to yourself:",
                        "section",
                    )
                ),
                accessory=Button(text="Start meeting", action_id=ids.MEETING_HOST_OPEN, url=reply.url, style="primary"),
            )
        ],
    )
    return view.to_dict()


def notice_modal(title: str, text: str) -> dict[str, Any]:
    """`text` is mrkdwn the caller composed (user text in it already escaped)."""
    view = View(
        type="modal",
        title=plain(title, "modal_title"),
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=fit(text, "section")))],
    )
    return view.to_dict()


# -- reading a submission ------------------------------------------------------------------


def values(view: dict[str, Any]) -> dict[str, Any]:
    """{block_id: the value the user gave} for every input in a submitted view."""
    found: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        action: dict[str, Any] = actions.get(VALUE) or next(iter(actions.values()), {})
        found[block_id] = (
            action.get("value")
            if "value" in action
            else action.get("selected_date")
            or action.get("selected_time")
            or action.get("selected_users")
            or action.get("selected_conversation")
            or (action.get("selected_option") or {}).get("value")
        )
    return found


def form_from(view: dict[str, Any], default_duration: int) -> ScheduleForm:
    given = values(view)
    return ScheduleForm(
        topic=str(given.get("topic") or ""),
        day=_date(given.get("date")),
        at=_time(given.get("time")),
        duration_minutes=int(given.get("duration") or default_duration),
        invitee_ids=tuple(given.get("invitees") or ()),
        agenda=str(given.get("agenda") or ""),
        password=str(given.get("password") or ""),
        kind=str(given.get("kind") or "meeting"),
        repeat=str(given.get("repeat") or "none"),
    )


def metadata(view: dict[str, Any]) -> dict[str, str]:
    try:
        loaded = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _date(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _time(text: object) -> time | None:
    try:
        return datetime.strptime(str(text), "%H:%M").time() if text else None
    except ValueError:
        return None
