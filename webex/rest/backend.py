"""The meetings backend (commands/backend.py) on the Webex REST API, acting for hosts with `hostEmail`.

Keys shown to users are meeting numbers; the API wants meeting ids. What replies say about a number (its
series id, host and webLink) is kept in a bounded cache; a number not in it is looked up with
`GET /meetings?meetingNumber=`. On REST an account's `webex_id` is its email, which `hostEmail` takes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from commands.backend import Account, BackendError, NewSession, Problem, Session, SessionDetails

from . import operations as ops
from .client import RestClient
from .errors import RestError
from .join_links import LIFETIME_MINUTES, JoinLinks
from .models import Meeting, Person, Webhook
from .rules import check_new, check_times, integration_tag, wire_times
from .webhooks import ensure_webhooks

T = TypeVar("T")
Outcome = Callable[[Problem | None], None]
SITE_PROBLEMS = (Problem.BAD_CREDENTIALS, Problem.RATE_LIMITED, Problem.UNAVAILABLE, Problem.TIMEOUT)
CACHE_SIZE = 5000
PAGE = "100"
OCCURRENCE_WINDOW = timedelta(minutes=1)  # the spec's largest page for GET /meetings


@dataclass(frozen=True)
class MeetingRef:
    id: str  # the series id: what GET, PATCH, DELETE and join take for the whole meeting
    host_email: str
    web_link: str
    recurrence: str | None = None  # a series' rule: a scheduled meeting's own reply does not carry it


class RestBackend:
    """`on_outcome` hears, after every call, the site-wide problem it met (None when Webex answered).
    `host_of(number)` names the host of a meeting the bot knows (from its store): Webex finds a meeting
    number for an admin only when asked on behalf of a host who sees it."""

    name = "REST API"
    ids_are_emails = True
    kinds: tuple[str, ...] = ("meeting",)

    def __init__(
        self,
        client: RestClient,
        *,
        call_timeout: float = 10.0,
        on_outcome: Outcome | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        host_of: Callable[[str], str | None] = lambda number: None,
        site_url: str = "",
    ) -> None:
        """`site_url`: the Webex site (WEBEX_SITE_URL), sent as `siteUrl` where the API takes one."""
        self.site = urlsplit(site_url).hostname or ""
        self.client = client.with_timeout(call_timeout)
        self.on_outcome = on_outcome
        self.host_of = host_of
        self.clock = clock
        self._refs: OrderedDict[str, MeetingRef] = OrderedDict()
        self.join_links = JoinLinks()

    async def _call(self, pending: Awaitable[T], *, write: bool = False) -> T:
        try:
            result = await pending
        except RestError as error:
            problem = error.problem
            if self.on_outcome is not None:
                self.on_outcome(problem if problem in SITE_PROBLEMS else None)
            raise BackendError(problem, str(error), maybe_applied=write and error.request_sent) from error
        if self.on_outcome is not None:
            self.on_outcome(None)
        return result

    # -- accounts ----------------------------------------------------------------------------

    async def find_account(self, webex_id_or_email: str) -> Account | None:
        wanted = webex_id_or_email.strip()
        if "@" not in wanted:
            return None  # on REST an account is known by its email
        matches = await self.accounts_with_email(wanted)
        return matches[0] if len(matches) == 1 else None

    async def accounts_with_email(self, email: str) -> list[Account]:
        people = await self._call(ops.people_with_email(self.client, email))
        wanted = email.strip().lower()
        accounts = []
        for person in people:
            match = next((e for e in person.emails if e.lower() == wanted), None)
            if match is not None:
                accounts.append(_account(person, match))
        return accounts

    # -- creating ----------------------------------------------------------------------------

    async def create(self, new: NewSession) -> Session:
        start = check_new(new, self.clock())
        meeting = await self._call(ops.create_meeting(self.client, create_body(new, start, self.site)), write=True)
        self._remember(meeting, new.host_webex_id)
        return _session(meeting, new.host_webex_id)

    async def find_created(self, new: NewSession) -> Session | None:
        if not new.request_id:
            return None
        tag = integration_tag(new.request_id)
        window = timedelta(days=1, minutes=new.duration_minutes)
        found = await self._call(
            _collect(
                ops.list_meetings(
                    self.client,
                    meetingType="meetingSeries",
                    integrationTag=tag,
                    hostEmail=new.host_webex_id,
                    siteUrl=self.site,
                    **{"from": _iso(new.start - window), "to": _iso(new.start + window)},
                    max=PAGE,
                )
            )
        )
        for meeting in found:
            if tag in meeting.integration_tags and meeting.number:
                self._remember(meeting, new.host_webex_id)
                return _session(meeting, new.host_webex_id)
        return None

    # -- one meeting ---------------------------------------------------------------------------

    async def session(self, key: str) -> Session:
        meeting = await self._meeting(key)
        return _session(meeting, "", self._refs.get(key))

    async def details(self, key: str) -> SessionDetails:
        meeting = await self._meeting(key)
        ref = await self._ref(key)
        try:
            invitees = tuple(await self._call(ops.invitee_emails(self.client, ref.id, host_email=ref.host_email)))
        except BackendError as error:
            if error.problem not in (Problem.NO_PRIVILEGE, Problem.NOT_FOUND, Problem.INVALID_INPUT):
                raise
            invitees = ()
        return SessionDetails(
            _session(meeting, "", ref),
            agenda=meeting.agenda,
            call_in=meeting.call_in,
            listing="public" if meeting.public else "",
            host_email=meeting.host_email or ref.host_email,
            invitee_emails=invitees,
            password=meeting.password,
        )

    def public_join_link(self, key: str, kind: str = "meeting") -> str:
        ref = self._refs.get(key)
        return ref.web_link if ref is not None else ""

    async def join_link(self, key: str, *, kind: str, name: str, email: str | None) -> str:
        ref = await self._ref(key)
        if not email:
            # Without an email Webex would make the link in the bot's own name: the page link is better.
            return ref.web_link
        display_name = (name or email)[:128]
        kept = self.join_links.get(ref.id, email, display_name)
        if kept is not None:
            return kept
        body = {
            "meetingId": ref.id,
            "email": email,
            "displayName": display_name,
            "hostEmail": ref.host_email,
            "expirationMinutes": LIFETIME_MINUTES,
        }
        links = await self._call(ops.join(self.client, _without_empty(body)))
        self.join_links.keep(ref.id, email, display_name, links.join_link, links.expiration)
        return links.join_link or ref.web_link

    async def host_link(self, key: str) -> str:
        """The start link: it logs its holder in as the host. Never logged, never in an error."""
        ref = await self._ref(key)
        body = {"meetingId": ref.id, "email": ref.host_email, "hostEmail": ref.host_email}
        links = await self._call(ops.join(self.client, _without_empty(body)))
        if not links.start_link:
            raise BackendError(Problem.NO_PRIVILEGE, f"POST /meetings/join: no start link for meeting {key}")
        return links.start_link

    async def cancel(self, key: str, kind: str) -> None:
        ref = await self._ref(key)
        self.join_links.forget(ref.id)
        await self._call(ops.delete_meeting(self.client, ref.id, host_email=ref.host_email), write=True)
        self._refs.pop(key, None)

    async def cancel_occurrence(self, key: str, start: datetime) -> None:
        """Delete the one meeting of a series that starts at `start` (DELETE with its occurrence id); the rest
        of the series stays."""
        ref = await self._ref(key)
        window = {"from": _iso(start - OCCURRENCE_WINDOW), "to": _iso(start + OCCURRENCE_WINDOW)}
        listed = await self._call(
            _collect(
                ops.list_meetings(
                    self.client,
                    meetingSeriesId=ref.id,
                    meetingType="scheduledMeeting",
                    hostEmail=ref.host_email,
                    **window,
                )
            )
        )
        found = next((m for m in listed if m.start is not None and m.start == start), None)
        if found is None:
            raise BackendError(Problem.NOT_FOUND, f"GET /meetings: meeting {key} has no occurrence at {_iso(start)}")
        await self._call(ops.delete_meeting(self.client, found.id, host_email=ref.host_email), write=True)

    async def reschedule(self, key: str, start: datetime, duration_minutes: int, time_zone: str) -> None:
        begin = check_times(start, duration_minutes, self.clock())
        ref = await self._ref(key)
        body: dict[str, Any] = {**wire_times(begin, duration_minutes, time_zone), "hostEmail": ref.host_email}
        self.join_links.forget(ref.id)
        await self._call(ops.patch_meeting(self.client, ref.id, _without_empty(body)), write=True)

    # -- lists ---------------------------------------------------------------------------------

    async def upcoming(self, host_webex_id: str, start: datetime, end: datetime) -> list[Session]:
        query = {"from": _iso(start), "to": _iso(end)}
        meetings = await self._call(
            _collect(
                ops.list_meetings(
                    self.client,
                    meetingType="scheduledMeeting",
                    hostEmail=host_webex_id,
                    siteUrl=self.site,
                    max=PAGE,
                    **query,
                )
            )
        )
        host = host_webex_id.lower()
        hosted = [m for m in meetings if not m.host_email or m.host_email.lower() == host]
        return self._sessions(hosted, host_webex_id)

    async def live(self) -> list[Session]:
        meetings = await self._call(
            _collect(
                ops.list_meetings(self.client, meetingType="meeting", state="inProgress", siteUrl=self.site, max=PAGE)
            )
        )
        return self._sessions(meetings, "")

    async def ensure_webhooks(self, target_url: str, secret: str) -> list[Webhook]:
        """Register (or reuse) the `meetings` started and ended webhooks at `target_url`."""
        return await self._call(ensure_webhooks(self.client, target_url, secret), write=True)

    async def number_of(self, event_meeting_id: str, series_id: str = "") -> str | None:
        """The meeting number a webhook's meeting (or its series) has: from what this backend has seen, else
        from Webex. None when Webex does not know it."""
        for number, ref in self._refs.items():
            if ref.id in (event_meeting_id, series_id):
                return number
        for meeting_id in (series_id, event_meeting_id):
            if not meeting_id:
                continue
            try:
                meeting = await self._call(ops.get_meeting(self.client, meeting_id))
            except BackendError:
                continue
            self._remember(meeting, "")
            return meeting.number or None
        return None

    # -- meeting numbers and ids -----------------------------------------------------------------

    async def _meeting(self, key: str) -> Meeting:
        ref = await self._ref(key)
        meeting = await self._call(ops.get_meeting(self.client, ref.id, host_email=ref.host_email, current=True))
        self._remember(meeting, ref.host_email)
        return meeting

    async def _ref(self, key: str) -> MeetingRef:
        number = key.strip()
        ref = self._refs.get(number)
        if ref is not None:
            self._refs.move_to_end(number)
            return ref
        if not number.isdigit():
            raise BackendError(Problem.NOT_FOUND, f"{number!r} is not a meeting number")
        host = self.host_of(number) or ""
        found = await self._call(_collect(ops.list_meetings(self.client, meetingNumber=number, hostEmail=host)))
        for meeting in found:
            if meeting.number == number:
                self._remember(meeting, host)
                return self._refs[number]
        raise BackendError(Problem.NOT_FOUND, f"GET /meetings: no meeting number {number}")

    def _remember(self, meeting: Meeting, host_email: str) -> None:
        if not meeting.number:
            return
        known = self._refs.get(meeting.number)
        self._refs[meeting.number] = MeetingRef(
            id=meeting.series_id or meeting.id,
            host_email=meeting.host_email or host_email or (known.host_email if known else ""),
            web_link=meeting.web_link or (known.web_link if known else ""),
            recurrence=meeting.recurrence if meeting.meeting_type == "meetingSeries" else _recurrence(known),
        )
        self._refs.move_to_end(meeting.number)
        while len(self._refs) > CACHE_SIZE:
            self._refs.popitem(last=False)

    def _sessions(self, meetings: list[Meeting], host_email: str) -> list[Session]:
        seen: set[str] = set()
        sessions = []
        for meeting in meetings:
            if not meeting.number or meeting.id in seen:
                continue
            seen.add(meeting.id)
            self._remember(meeting, host_email)
            sessions.append(_session(meeting, host_email))
        return sessions


def create_body(new: NewSession, start: datetime, site: str = "") -> dict[str, Any]:
    invitees = [_without_empty({"email": email, "displayName": name[:128]}) for name, email in new.invitee_emails]
    body: dict[str, Any] = {
        "title": new.topic,
        "agenda": new.agenda,
        "password": new.password,
        **wire_times(start, new.duration_minutes, new.time_zone),
        "hostEmail": new.host_webex_id,
        "invitees": invitees,
        "recurrence": new.recurrence,
        "integrationTags": [integration_tag(new.request_id)] if new.request_id else None,
        "siteUrl": site,
    }
    return _without_empty(body)


def _recurrence(ref: MeetingRef | None) -> str | None:
    return ref.recurrence if ref is not None else None


def _without_empty(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value not in (None, "", [])}


def _session(meeting: Meeting, host_email: str, ref: MeetingRef | None = None) -> Session:
    return Session(
        key=meeting.number,
        topic=meeting.title,
        host_webex_id=meeting.host_email or host_email,
        start=meeting.start,
        duration_minutes=meeting.duration_minutes,
        in_progress=meeting.in_progress,
        kind="meeting",
        join_url=meeting.web_link,
        recurrence=meeting.recurrence or (ref.recurrence if ref else None),
    )


def _account(person: Person, email: str) -> Account:
    return Account(
        webex_id=email,
        email=email,
        name=person.display_name or " ".join(p for p in (person.first_name, person.last_name) if p) or email,
        active=person.login_enabled,
        is_host=person.may_host,
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def _collect(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]
