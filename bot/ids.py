"""Action, block and callback ids, in one place."""

MEETING_CARD_JOIN = "meeting.card.join"
MEETING_CARD_START = "meeting.card.start"
MEETING_CARD_CANCEL = "meeting.card.cancel"
MEETING_CANCEL_CONFIRM = "meeting.cancel.confirm"
MEETING_CANCEL_KEEP = "meeting.cancel.keep"
MEETING_HOST_OPEN = "meeting.host.open"
MEETING_JOIN_OPEN = "meeting.join.open"

# Link buttons still send an action that must be acknowledged.
LINK_BUTTONS = (MEETING_CARD_JOIN, MEETING_HOST_OPEN, MEETING_JOIN_OPEN)

SCHEDULE_OPEN = "schedule.open"
SCHEDULE_SUBMIT = "schedule.modal.submit"
MESSAGE_SHORTCUT = "schedule.from_message"
START_NOW_SHORTCUT = "meeting.start_now"
START_NOW_SUBMIT = "start_now.modal.submit"
MEETING_CARD_MORE = "meeting.card.more"
MEETING_RESCHEDULE = "meeting.reschedule"
RESCHEDULE_SUBMIT = "reschedule.modal.submit"
HOME_LINK_OPEN = "home.link.open"
LINK_SUBMIT = "link.modal.submit"
HOME_WEBEX_CONNECT = "home.webex.connect"
WEBEX_CONNECT_SUBMIT = "webex.connect.submit"
