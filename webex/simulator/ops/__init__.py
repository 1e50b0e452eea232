"""The operations the simulated site answers, by lower-cased operation name."""

from __future__ import annotations

from . import meetings, sessions, users
from .common import Call, Handler

HANDLERS: dict[str, Handler] = {
    "authenticateuser": users.authenticate_user,
    "getloginticket": users.get_login_ticket,
    "getuser": users.get_user,
    "lstsummaryuser": users.list_users,
    "createmeeting": meetings.create_meeting,
    "setmeeting": meetings.set_meeting,
    "getmeeting": meetings.get_meeting,
    "delmeeting": meetings.delete_meeting,
    "lstsummarymeeting": meetings.list_meetings,
    "gethosturlmeeting": meetings.host_url,
    "getjoinurlmeeting": meetings.join_url,
    "lstopensession": sessions.list_open,
    "lstsummarysession": sessions.list_sessions,
    "getsessioninfo": sessions.session_info,
    "delsession": sessions.delete_session,
    "createteleconferencesession": sessions.create_teleconference,
    "getteleconferencesession": sessions.get_teleconference,
    "createtrainingsession": sessions.create_training,
    "gettrainingsession": sessions.get_training,
    "deltrainingsession": sessions.delete_training,
    "lsttimezone": sessions.list_time_zones,
}

__all__ = ["HANDLERS", "Call", "Handler"]
