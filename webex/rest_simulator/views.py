"""The JSON objects the API returns: people, meeting series, scheduled meetings, instances, webhooks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .schedule import Occurrence, find_occurrence, occurrence_state, series_state
from .state import Instance, Person, RestState, Series, Webhook
from .times import iso, zone


def person(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "emails": [p.email],
        "displayName": p.display_name,
        "nickName": p.first_name,
        "firstName": p.first_name,
        "lastName": p.last_name,
        "orgId": p.org_id,
        "created": iso(p.created, UTC),
        "timezone": p.timezone,
        "type": "person",
    }


def webhook_object(hook: Webhook) -> dict[str, Any]:
    data = {
        "id": hook.id,
        "name": hook.name,
        "targetUrl": hook.target_url,
        "resource": hook.resource,
        "event": hook.event,
        "status": hook.status,
        "created": iso(hook.created, UTC),
        "ownedBy": hook.owned_by,
    }
    if hook.filter:
        data["filter"] = hook.filter
    if hook.secret:
        data["secret"] = hook.secret
    return data


@dataclass(frozen=True)
class Render:
    """Meeting objects as one request sees them: times in `reply_zone`, or else each meeting's own zone."""

    state: RestState
    base_url: str
    now: datetime
    reply_zone: str | None = None
    client_id: str = ""  # integration tags are shown only to the app that set them

    def series(self, series: Series, shown: Occurrence | None = None) -> dict[str, Any]:
        """A `meetingSeries`; `shown` picks the occurrence whose start and end it carries."""
        start, end = (shown.start, shown.end) if shown else (series.start, series.end)
        data = {
            "id": series.id,
            "title": series.title,
            "meetingType": "meetingSeries",
            "state": series_state(self.state, series, self.now),
            **self._times(series, start, end),
            **self._common(series),
        }
        if series.agenda is not None:
            data["agenda"] = series.agenda
        if series.recurrence:
            data["recurrence"] = series.recurrence
        return data

    def occurrence(self, occurrence: Occurrence) -> dict[str, Any]:
        series = occurrence.series
        data = {
            "id": occurrence.key,
            "meetingSeriesId": series.id,
            "title": occurrence.title,
            "meetingType": "scheduledMeeting",
            "state": occurrence_state(self.state, occurrence, self.now),
            "isModified": occurrence.modified,
            **self._times(series, occurrence.start, occurrence.end),
            **self._common(series),
        }
        live = [i for i in self.state.instances.values() if i.occurrence_key == occurrence.key and i.in_progress]
        if live:
            data["hostDidJoin"] = True
            data["attendeeDidJoin"] = bool(live[0].joined)
        if occurrence.agenda is not None:
            data["agenda"] = occurrence.agenda
        return data

    def instance(self, instance: Instance) -> dict[str, Any]:
        series = self.state.series[instance.series_id]
        occurrence = find_occurrence(self.state, instance.occurrence_key)
        scheduled_end = occurrence.end if occurrence else series.end
        end = instance.ended_at or max(scheduled_end, instance.started_at)
        data = {
            "id": instance.id,
            "meetingSeriesId": series.id,
            "scheduledMeetingId": instance.occurrence_key,
            "title": occurrence.title if occurrence else series.title,
            "meetingType": "meeting",
            "state": "inProgress" if instance.in_progress else "ended",
            **self._times(series, instance.started_at, end),
            **self._common(series),
        }
        if instance.in_progress:
            data["hostDidJoin"] = True
            data["attendeeDidJoin"] = bool(instance.joined)
        else:
            del data["meetingNumber"], data["password"]  # the API omits them for ended instances
        return data

    def _times(self, series: Series, start: datetime, end: datetime) -> dict[str, Any]:
        name = self.reply_zone or series.timezone
        tz = zone(name)
        return {"timezone": name, "start": iso(start, tz), "end": iso(end, tz)}

    def _common(self, series: Series) -> dict[str, Any]:
        host = self.state.people[series.host_id]
        site = self.state.site_url
        return {
            "meetingNumber": series.meeting_number,
            "password": series.password,
            "hostUserId": host.id,
            "hostDisplayName": host.display_name,
            "hostEmail": host.email,
            "hostKey": series.meeting_number[-6:],
            "siteUrl": site,
            "webLink": f"{self.base_url}/{self.state.site_name}/j.php?MTID=m{series.web_token}",
            "sipAddress": f"{series.meeting_number}@{site}",
            "scheduledType": series.scheduled_type,
            "enabledJoinBeforeHost": series.enabled_join_before_host,
            "joinBeforeHostMinutes": series.join_before_host_minutes,
            "integrationTags": list(series.integration_tags) if series.created_by_app == self.client_id else [],
        }
