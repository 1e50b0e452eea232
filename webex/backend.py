"""The meetings backend (commands/backend.py) on the Webex XML API, with the bot's service account."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from commands.backend import (
    JOINABLE_BY_LINK,
    Account,
    BackendError,
    NewSession,
    Problem,
    Session,
    SessionDetails,
)

from . import urlapi
from .client import WebexClient, collect
from .errors import ErrorKind, WebexError, WebexServiceError, WebexTimeout, WebexTransportError
from .join_facts import JoinFacts
from .models import (
    Invitee,
    MeetingChanges,
    NewMeeting,
    NewTeleconference,
    NewTraining,
    ServiceType,
    SessionInfo,
    SessionStatus,
    SessionSummary,
    User,
    UserSummary,
)
from .repeat import Repeat, UnsupportedRule, from_rule, to_rule
from .timezones import zone_id_for

T = TypeVar("T")
TELECONFERENCE_ONLY = 16  # the AUO session type
KIND_PLURALS = {"training": "training sessions", "teleconference": "teleconferences"}
FIND_WINDOW = timedelta(minutes=5)  # how far around a create's start find_created looks

_PROBLEMS = {
    ErrorKind.NOT_FOUND: Problem.NOT_FOUND,
    ErrorKind.NO_PRIVILEGE: Problem.NO_PRIVILEGE,
    ErrorKind.IN_PROGRESS: Problem.IN_PROGRESS,
    ErrorKind.RATE_LIMITED: Problem.RATE_LIMITED,
    ErrorKind.BAD_CREDENTIALS: Problem.BAD_CREDENTIALS,
    ErrorKind.INVALID_INPUT: Problem.INVALID_INPUT,
    ErrorKind.UNAVAILABLE: Problem.UNAVAILABLE,
    ErrorKind.UNKNOWN: Problem.UNKNOWN,
}
_KINDS = {
    ServiceType.MEETING_CENTER: "meeting",
    ServiceType.TRAINING_CENTER: "training",
    ServiceType.EVENT_CENTER: "event",
    ServiceType.SUPPORT_CENTER: "support",
}


Outcome = Callable[[Problem | None], None]
SITE_PROBLEMS = (Problem.BAD_CREDENTIALS, Problem.RATE_LIMITED, Problem.UNAVAILABLE, Problem.TIMEOUT)


class XmlApiBackend:
    """`on_outcome` hears, after every call, the site-wide problem it met (None when Webex answered).

    A write that fails with `BackendError.maybe_applied` may have been carried out: before trying
    again, a create is looked up with `find_created`, and a cancel with `session(key)`, which raises
    a NOT_FOUND BackendError once the session is gone.
    """

    name = "XML API"
    ids_are_emails = False
    kinds: tuple[str, ...] = ("meeting", "training", "teleconference")

    def __init__(
        self, client: WebexClient, *, site_name: str, call_timeout: float = 10.0, on_outcome: Outcome | None = None
    ) -> None:
        self.client = client.with_timeout(call_timeout)
        self.site_name = site_name
        self.on_outcome = on_outcome
        self.join_facts = JoinFacts()

    async def _call(self, pending: Awaitable[T], *, write: bool = False) -> T:
        try:
            result = await _call(pending, write=write)
        except BackendError as error:
            if self.on_outcome is not None:
                self.on_outcome(error.problem if error.problem in SITE_PROBLEMS else None)
            raise
        if self.on_outcome is not None:
            self.on_outcome(None)
        return result

    async def find_account(self, webex_id_or_email: str) -> Account | None:
        wanted = webex_id_or_email.strip()
        if "@" in wanted:
            matches = await self.accounts_with_email(wanted)
            return matches[0] if len(matches) == 1 else None
        try:
            return _account(await self._call(self.client.get_user(wanted)))
        except BackendError as error:
            if error.problem is Problem.NOT_FOUND:
                return None
            raise

    async def accounts_with_email(self, email: str) -> list[Account]:
        users = await self._call(collect(self.client.list_users(email=email)))
        return [_summary_account(u) for u in users if u.email.lower() == email.lower()]

    async def create(self, new: NewSession) -> Session:
        repeat = series_repeat(new)
        zone_id = zone_id_for(new.time_zone, new.start.date()) if new.time_zone else None
        people = tuple(Invitee(name, email) for name, email in new.invitee_emails)
        if new.kind == "training":
            training = NewTraining(
                topic=new.topic,
                start=new.start,
                duration_minutes=new.duration_minutes,
                time_zone_id=zone_id,
                host_webex_id=new.host_webex_id,
                password=new.password,
                agenda=new.agenda,
                attendees=people,
            )
            key = await self._call(self.client.create_training_session(training), write=True)
        elif new.kind == "teleconference":
            teleconference = NewTeleconference(
                topic=new.topic,
                start=new.start,
                duration_minutes=new.duration_minutes,
                time_zone_id=zone_id,
                password=new.password,
                full_access=people,
            )
            key = await self._call(self.client.create_teleconference(teleconference), write=True)
        else:
            meeting = NewMeeting(
                topic=new.topic,
                start=new.start,
                duration_minutes=new.duration_minutes,
                host_webex_id=new.host_webex_id,
                invitees=people,
                password=new.password,
                agenda=new.agenda,
                time_zone_id=zone_id,
                repeat=repeat,
            )
            key = (await self._call(self.client.create_meeting(meeting), write=True)).key
        made = Session(key, new.topic, new.host_webex_id, new.start, new.duration_minutes, kind=new.kind)
        return self._linked(replace(made, recurrence=new.recurrence))

    def series_refusal(self, new: NewSession) -> str | None:
        """Why the XML meeting service cannot hold this series (None: it can), said before anything is made."""
        try:
            series_repeat(new)
        except BackendError as error:
            return error.detail
        return None

    async def find_created(self, new: NewSession) -> Session | None:
        """The session a create whose outcome is unknown made, if Webex has it: the host's sessions
        within a few minutes of the start, matched on kind, exact topic and start to the minute.
        The XML API keeps no request id, so of two identical sessions the first listed is taken."""
        hosts = [new.host_webex_id]
        if new.kind == "teleconference" and self.client.security.webex_id.lower() != new.host_webex_id.lower():
            hosts.append(self.client.security.webex_id)  # CreateTeleconferenceSession names no host
        wanted = _to_minute(new.start)
        for host in hosts:
            listed = self.client.list_sessions(
                host_webex_id=host, start_from=new.start - FIND_WINDOW, start_to=new.start + FIND_WINDOW
            )
            for summary in await self._call(collect(listed)):
                found = self._summary_session(summary)
                if found.kind == new.kind and found.topic == new.topic and _to_minute(found.start) == wanted:
                    return found
        return None

    async def session(self, key: str) -> Session:
        info = await self._call(self.client.get_session_info(key))
        self.join_facts.heard(key, info)
        return self._linked(_session(info, key))

    def recent_session(self, key: str) -> Session | None:
        """The session as GetSessionInfo gave it in the last minute, for joining it (never for changing it)."""
        info = self.join_facts.info(key)
        return self._linked(_session(info, key)) if info is not None else None

    async def details(self, key: str) -> SessionDetails:
        """GetSessionInfo, then the call for its kind; the kind's call is owner-only, so for a session
        the bot's account did not schedule, what GetSessionInfo says is what there is."""
        info = await self._call(self.client.get_session_info(key))
        session = self._linked(_session(info, key))
        basic = SessionDetails(session, listing=info.list_status, host_email=info.host_email, password=info.password)
        try:
            if session.kind == "meeting":
                meeting = await self._call(self.client.get_meeting(key))
                recurrence = to_rule(meeting.repeat) if meeting.repeat is not None else None
                return replace(
                    basic,
                    session=replace(session, recurrence=recurrence),
                    agenda=meeting.agenda,
                    invitee_emails=tuple(i.email for i in meeting.invitees),
                    password=meeting.password or basic.password,
                )
            if session.kind == "training":
                training = await self._call(self.client.get_training_session(key))
                return replace(
                    basic,
                    agenda=training.agenda or training.description,
                    invitee_emails=tuple(p.email for p in training.attendees + training.presenters),
                    password=training.password or basic.password,
                )
            if session.kind == "teleconference":
                call = await self._call(self.client.get_teleconference(key))
                return replace(basic, call_in=call.call_in_description, password=call.password or basic.password)
        except BackendError as error:
            if error.problem is not Problem.NO_PRIVILEGE:
                raise
        return basic

    def public_join_link(self, key: str, kind: str = "meeting") -> str:
        return urlapi.join_url(self.client.site_url, self.site_name, key, kind=kind)

    async def join_link(self, key: str, *, kind: str, name: str, email: str | None) -> str:
        """For a meeting, GetSessionInfo (once a minute per meeting: its password builds everyone's link with the
        URL API), and GetjoinurlMeeting only when the password is hidden from the bot's account."""
        if kind == "meeting" and self.join_facts.info(key) is None:
            await self.session(key)
        password = self.join_facts.password(key) if kind == "meeting" else None
        if kind == "meeting" and password is None:
            return await self._call(self.client.get_join_url(key, attendee_name=name[:32], attendee_email=email))
        return urlapi.join_url(
            self.client.site_url,
            self.site_name,
            key,
            kind=kind,
            attendee_name=name,
            attendee_email=email,
            password=password or None,
        )

    async def host_link(self, key: str) -> str:
        return await self._call(self.client.get_host_url(key))

    async def upcoming(self, host_webex_id: str, start: datetime, end: datetime) -> list[Session]:
        summaries = await self._call(
            collect(self.client.list_sessions(host_webex_id=host_webex_id, start_from=start, start_to=end))
        )
        return [self._summary_session(s) for s in summaries]

    async def live(self) -> list[Session]:
        sessions = await self._call(self.client.list_open_sessions())
        return [
            self._linked(
                Session(
                    key=s.key,
                    topic=s.name,
                    host_webex_id=s.host_webex_id,
                    start=s.start,
                    duration_minutes=0,
                    in_progress=True,
                    kind=_KINDS[s.service_type],
                )
            )
            for s in sessions
        ]

    async def cancel(self, key: str, kind: str) -> None:
        """DelMeeting, DelTrainingSession or DelSession. When it fails with `maybe_applied`, `session(key)`
        tells: a NOT_FOUND BackendError means the delete happened."""
        self.join_facts.forget(key)
        if kind == "meeting":
            await self._call(self.client.delete_meeting(key), write=True)
        elif kind == "training":
            await self._call(self.client.delete_training_session(key), write=True)
        else:
            await self._call(self.client.delete_session(key), write=True)

    async def reschedule(self, key: str, start: datetime, duration_minutes: int, time_zone: str) -> None:
        changes = MeetingChanges(
            start=start, duration_minutes=duration_minutes, time_zone_id=zone_id_for(time_zone, start.date())
        )
        self.join_facts.forget(key)
        await self._call(self.client.set_meeting(key, changes), write=True)

    def _linked(self, session: Session) -> Session:
        """The session with its public join link, for the kinds that are joined by link."""
        if session.kind not in JOINABLE_BY_LINK or not session.key:
            return session
        return replace(session, join_url=self.public_join_link(session.key, session.kind))

    def _summary_session(self, summary: SessionSummary) -> Session:
        return self._linked(
            Session(
                key=summary.key,
                topic=summary.topic,
                host_webex_id=summary.host_webex_id,
                start=summary.start,
                duration_minutes=summary.duration_minutes,
                in_progress=summary.status is SessionStatus.INPROGRESS,
                kind=_kind(summary.service_type, summary.session_type),
            )
        )


async def _call(pending: Awaitable[T], *, write: bool = False) -> T:
    """Await a client call; its WebexError becomes a BackendError."""
    try:
        return await pending
    except WebexTimeout as error:
        raise BackendError(Problem.TIMEOUT, str(error), maybe_applied=write and error.maybe_applied) from error
    except WebexTransportError as error:
        raise BackendError(Problem.UNAVAILABLE, str(error), maybe_applied=write and error.maybe_applied) from error
    except WebexServiceError as error:
        raise BackendError(_PROBLEMS[error.kind], f"{error.operation} {error.exception_id} {error.reason}") from error
    except WebexError as error:
        problem = _PROBLEMS.get(error.kind, Problem.UNKNOWN)
        raise BackendError(problem, str(error), maybe_applied=write and error.maybe_applied) from error


def series_repeat(new: NewSession) -> Repeat | None:
    """The `repeat` element for a series; a rule it cannot hold, or a series of another kind than a meeting,
    is refused before anything is sent."""
    if not new.recurrence:
        return None
    if new.kind != "meeting":
        kinds = KIND_PLURALS.get(new.kind, new.kind)
        raise BackendError(Problem.INVALID_INPUT, f"Webex repeats meetings here, not {kinds}.")
    try:
        return from_rule(new.recurrence, new.start)
    except UnsupportedRule as error:
        raise BackendError(Problem.INVALID_INPUT, str(error)) from error


def _to_minute(moment: datetime | None) -> datetime | None:
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def _kind(service: ServiceType, session_type: int | None) -> str:
    return "teleconference" if session_type == TELECONFERENCE_ONLY else _KINDS[service]


def _session(info: SessionInfo, key: str) -> Session:
    return Session(
        key=info.key or key,
        topic=info.topic,
        host_webex_id=info.host_webex_id,
        start=info.start,
        duration_minutes=info.duration_minutes,
        in_progress=info.status is SessionStatus.INPROGRESS,
        kind=_kind(info.service_type, info.session_type),
    )


def _account(user: User) -> Account:
    return Account(
        webex_id=user.webex_id,
        email=user.email,
        name=user.display_name,
        active=user.active,
        is_host=user.is_host or user.is_site_admin,
    )


def _summary_account(user: UserSummary) -> Account:
    name = " ".join(p for p in (user.first_name, user.last_name) if p) or user.webex_id
    return Account(webex_id=user.webex_id, email=user.email, name=name, active=user.active)
