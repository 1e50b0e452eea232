"""Every message bot/views.py builds as plain dicts is what slack_sdk's models, which validate each field,
make of it: parsed into the models and written back, each block comes out the same (nothing unknown,
misplaced, missing or over a limit)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk.models.blocks import Block, ButtonElement, ConfirmObject, MarkdownTextObject
from slack_sdk.models.views import View

from bot import blocks as kit
from bot import views
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

START = datetime(2030, 3, 12, 20, 0, tzinfo=UTC)
LONG = "Quarterly <planning> & review " * 40  # escaped, then cut to each field's limit


def meeting(**changes: Any) -> MeetingView:
    fields: dict[str, Any] = dict(
        key="447712782",
        topic="Design review",
        start=START,
        duration_minutes=45,
        host_webex_id="ana",
        join_url="https://demo.webex.com/demo/m.php?AT=JM&MK=447712782",
        host_user_id="U0ANA",
    )
    return MeetingView(**{**fields, **changes})


MEETINGS = {
    "scheduled": meeting(invitee_user_ids=("U0BEN",), invitee_emails=("ben@example.com", "x@example.com")),
    "live": meeting(status="live"),
    "cancelled": meeting(status="cancelled"),
    "ended": meeting(status="ended"),
    "series": meeting(recurrence="FREQ=WEEKLY;BYDAY=MO,WE"),
    "teleconference": meeting(kind="teleconference", join_url="", call_in="+1 555 0100, access code 123"),
    "training": meeting(kind="training"),
    "long topic": meeting(topic=LONG, host_user_id=None),
}
NOTES = ["Times are in America/New_York (your Slack zone)."]


def messages() -> list[tuple[str, dict[str, Any]]]:
    made: list[tuple[str, dict[str, Any]]] = []
    for name, shown in MEETINGS.items():
        made += [
            (f"card {name}", views.card(shown)),
            (f"receipt {name}", views.created_receipt(Created(shown), NOTES, "missing")),
            (f"receipt now {name}", views.created_receipt(Created(shown, host_url="https://h/x"), NOTES, "posted")),
            (f"join {name}", views.join_link(JoinLink(shown, shown.join_url), NOTES)),
            (f"reminder host {name}", views.reminder(shown, host=True)),
            (f"reminder {name}", views.reminder(shown, host=False)),
            (f"moved {name}", views.moved(shown, was=START)),
            (f"invitation {name}", views.invitation(shown)),
            (f"invitation one day {name}", views.invitation(shown, cancelled_on=START)),
            (f"info {name}", views.session_card(SessionCard(shown, "Agenda", "PUBLIC", 2, "pw"), NOTES)),
            (f"confirm {name}", views.confirm_cancel(ConfirmCancel(shown, START), NOTES)),
            (f"confirm whole {name}", views.confirm_cancel(ConfirmCancel(shown), NOTES)),
            (f"cancelled {name}", views.cancelled_receipt(Cancelled(shown, START))),
            (f"host {name}", views.host_link(HostLink(shown, "https://h/x"), NOTES)),
            (f"went live {name}", views.went_live(shown)),
            (f"ready {name}", views.ready_to_start(shown, NOTES)),
        ]
    every = tuple(MEETINGS.values()) * 3
    made += [
        ("list", views.private(MeetingList("Your meetings", every, "None"), NOTES, viewer="U0BEN")),
        ("empty list", views.private(MeetingList("Your meetings", (), "Nothing scheduled."), [])),
        ("notice", views.private(Notice(LONG), NOTES)),
        ("help", views.help_message()),
    ]
    return made


@pytest.mark.parametrize(("name", "message"), messages(), ids=[name for name, _ in messages()])
def test_each_block_is_what_the_models_make_of_it(name: str, message: dict[str, Any]) -> None:
    assert message["blocks"] and isinstance(message["text"], str)
    for block in message["blocks"]:
        assert Block.parse(block).to_dict() == block


def test_the_home_tab_is_a_valid_view() -> None:
    every = MeetingList("Upcoming", tuple(MEETINGS.values()), "None")
    home = views.home("You are `ana`.", False, every, MeetingList("Live", (), "Nothing live."), "Moved.")
    assert View(**home).to_dict() == home


def test_a_dict_button_with_a_dialog_matches_the_model() -> None:
    dialog = kit.confirm("Cancel this meeting?", "*x* goes", "Cancel meeting", "Keep it", "danger")
    made = kit.button("Cancel", "meeting.card.cancel", value="1", style="danger", confirm=dialog)
    model = ButtonElement(
        text="Cancel",
        action_id="meeting.card.cancel",
        value="1",
        style="danger",
        confirm=ConfirmObject(
            title="Cancel this meeting?",
            text=MarkdownTextObject(text="*x* goes"),
            confirm="Cancel meeting",
            deny="Keep it",
            style="danger",
        ),
    )
    assert made == model.to_dict()
