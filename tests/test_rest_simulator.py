"""The Webex REST API simulator over real HTTP: the contract the REST client is written against."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from webex.rest_simulator import (
    DEMO_ACCESS_TOKEN,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_INTEGRATION_ID,
    DEMO_INTEGRATION_SECRET,
    DEMO_REFRESH_TOKEN,
    FaultKind,
    RestSimulator,
    demo_host_refresh_token,
    demo_host_token,
    rest_demo_site,
)

NOW = datetime(2030, 3, 4, 9, 30, 20, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sim(clock: Clock) -> Iterator[RestSimulator]:
    simulator = RestSimulator(rest_demo_site(now=NOW), clock=clock, hang_seconds=3)
    simulator.start_in_thread()
    yield simulator
    simulator.stop_thread()


def api(sim: RestSimulator, token: str = DEMO_ACCESS_TOKEN, **options: Any) -> httpx.Client:
    return httpx.Client(base_url=f"{sim.url}/v1", headers={"Authorization": f"Bearer {token}"}, **options)


def at(minutes: int, zone: str = "+00:00") -> str:
    return (NOW + timedelta(minutes=minutes)).replace(second=0).isoformat().replace("+00:00", zone)


def meeting(client: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {"title": "Design review", "start": at(60), "end": at(90), **fields}
    reply = client.post("/meetings", json=body)
    assert reply.status_code == 200, reply.text
    return reply.json()


def error_of(reply: httpx.Response) -> str:
    body = reply.json()
    assert set(body) == {"message", "errors", "trackingId"}
    assert reply.headers["trackingid"] == body["trackingId"]
    return str(body["errors"][0]["description"])


# -- people and tokens ---------------------------------------------------------------------


def test_people_lookup_by_email_and_an_admin_sees_everyone(sim: RestSimulator) -> None:
    with api(sim) as admin, api(sim, demo_host_token("ana")) as ana:
        everyone = admin.get("/people").json()["items"]
        assert {p["emails"][0] for p in everyone} >= {"ana@example.com", "dara@example.com"}
        assert ana.get("/people").status_code == 400
        found = ana.get("/people", params={"email": "ben@example.com"}).json()["items"]
        assert [(p["displayName"], p["firstName"], p["lastName"]) for p in found] == [("Ben Okafor", "Ben", "Okafor")]
        assert found[0]["orgId"] and found[0]["id"]
        assert ana.get("/people/me").json()["emails"] == ["ana@example.com"]


def test_a_missing_or_unknown_token_gets_401_with_the_api_error_body(sim: RestSimulator) -> None:
    reply = httpx.get(f"{sim.url}/v1/people/me", headers={"TrackingID": "MINE_1"})
    assert reply.status_code == 401
    assert error_of(reply)
    assert reply.json()["trackingId"] == "MINE_1"
    assert api(sim, "nonsense").get("/people/me").status_code == 401


def test_refresh_gives_a_new_access_token_after_the_old_ones_expire(sim: RestSimulator) -> None:
    with api(sim) as admin:
        sim.expire_tokens()
        assert admin.get("/people/me").status_code == 401
    form = {
        "grant_type": "refresh_token",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
        "refresh_token": DEMO_REFRESH_TOKEN,
    }
    reply = httpx.post(f"{sim.url}/v1/access_token", data=form)
    assert reply.status_code == 200
    tokens = reply.json()
    assert set(tokens) == {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "token_type"}
    assert sim.refreshes == 1
    assert api(sim, tokens["access_token"]).get("/people/me").json()["displayName"] == "Webexbot Service"
    recorded = next(r for r in sim.received if r.operation == "POST /access_token")
    assert recorded.form["client_secret"] == "***" and recorded.form["refresh_token"] == "***"


def test_an_access_token_expires_after_its_lifetime(sim: RestSimulator, clock: Clock) -> None:
    with api(sim, demo_host_token("ana")) as ana:
        assert ana.get("/people/me").status_code == 200
        clock.now += timedelta(days=15)
        assert ana.get("/people/me").status_code == 401


def test_a_wrong_secret_or_refresh_token_is_refused(sim: RestSimulator) -> None:
    url = f"{sim.url}/v1/access_token"
    base = {"grant_type": "refresh_token", "client_id": DEMO_INTEGRATION_ID, "client_secret": DEMO_INTEGRATION_SECRET}
    bad_secret = httpx.post(url, data={**base, "client_secret": "x", "refresh_token": demo_host_refresh_token("ana")})
    assert bad_secret.status_code == 401 and "invalid_client" in error_of(bad_secret)
    bad_token = httpx.post(url, data={**base, "refresh_token": "stolen"})
    assert bad_token.status_code == 400 and "invalid_grant" in error_of(bad_token)
    other_app = httpx.post(url, data={**base, "refresh_token": DEMO_REFRESH_TOKEN})
    assert other_app.status_code == 400
    assert sim.refreshes == 0


# -- creating, reading, changing and deleting a meeting ---------------------------------------


def test_create_replies_with_the_meeting_in_its_own_time_zone(sim: RestSimulator) -> None:
    with api(sim) as admin:
        body = {"title": "Planning", "start": at(60), "end": at(105), "timezone": "Asia/Kolkata"}
        made = admin.post("/meetings", json={**body, "hostEmail": "chen@example.com", "agenda": "Q2"}).json()
    assert made["start"] == "2030-03-04T16:00:00+05:30" and made["end"] == "2030-03-04T16:45:00+05:30"
    assert made["timezone"] == "Asia/Kolkata"
    assert made["meetingType"] == "meetingSeries" and made["state"] == "active"
    assert made["hostEmail"] == "chen@example.com" and made["hostDisplayName"] == "Chen Wei"
    assert made["meetingNumber"].isdigit() and len(made["meetingNumber"]) >= 9
    assert made["password"] and made["agenda"] == "Q2"
    assert made["webLink"].startswith(sim.url) and made["sipAddress"].startswith(made["meetingNumber"] + "@")
    assert sim.received[-1].json["hostEmail"] == "chen@example.com"
    assert "authorization" not in {k.lower() for k in sim.received[-1].headers}


def test_start_is_rounded_to_the_minute(sim: RestSimulator) -> None:
    with api(sim) as admin:
        later = meeting(admin, start=(NOW + timedelta(minutes=29, seconds=50)).isoformat(), end=at(60))
        now = meeting(admin, start=(NOW + timedelta(seconds=10)).isoformat(), end=at(60))
    assert later["start"].endswith("10:00:00Z")
    assert now["start"] == "2030-03-04T09:31:00Z"  # within the current minute: the next minute


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"title": "x" * 129}, "128"),
        ({"agenda": "x" * 1301}, "1300"),
        ({"start": at(-5)}, "before current"),
        ({"end": at(69)}, "10 minutes"),
        ({"end": at(60 + 24 * 60)}, "23 hours"),
        ({"start": "next tuesday"}, "ISO 8601"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"integrationTags": ["a", "b", "c", "d"]}, "integrationTags"),
        ({"recurrence": "FREQ=SOMETIMES"}, "recurrence"),
    ],
)
def test_create_refuses_what_the_api_refuses(sim: RestSimulator, fields: dict[str, Any], words: str) -> None:
    with api(sim) as admin:
        body = {"title": "Planning", "start": at(60), "end": at(90), **fields}
        reply = admin.post("/meetings", json=body)
    assert reply.status_code == 400
    assert words in error_of(reply)
    assert not sim.state.series


def test_only_an_admin_may_schedule_for_another_host(sim: RestSimulator) -> None:
    with api(sim, demo_host_token("ana")) as ana:
        body = {"title": "T", "start": at(60), "end": at(90), "hostEmail": "ben@example.com"}
        reply = ana.post("/meetings", json=body)
        assert reply.status_code == 403 and error_of(reply)
        own = meeting(ana)
    assert own["hostEmail"] == "ana@example.com"


def test_get_patch_and_delete_a_meeting(sim: RestSimulator) -> None:
    with api(sim) as admin, api(sim, demo_host_token("ben")) as ben:
        made = meeting(admin, hostEmail="ana@example.com", invitees=[{"email": "ben@example.com"}])
        path = f"/meetings/{made['id']}"
        assert admin.get(path).status_code == 404  # an admin names the host it acts for
        assert admin.get(path, params={"hostEmail": "ana@example.com"}).json()["title"] == "Design review"
        assert ben.get(path).json()["id"] == made["id"]  # an invitee sees it
        assert ben.patch(path, json={"title": "Mine now"}).status_code == 403
        patched = admin.patch(path, json={"title": "Renamed", "hostEmail": "ana@example.com", "end": at(120)})
        assert patched.status_code == 200
        assert (patched.json()["title"], patched.json()["end"]) == ("Renamed", "2030-03-04T08:30:00-03:00")
        assert admin.delete(path, params={"hostEmail": "ana@example.com"}).status_code == 204
        gone = admin.get(path, params={"hostEmail": "ana@example.com"})
        assert gone.status_code == 404 and error_of(gone)


def test_the_timezone_header_sets_the_zone_of_the_reply(sim: RestSimulator) -> None:
    with api(sim, demo_host_token("ana")) as ana:
        made = meeting(ana, timezone="UTC")
        shown = ana.get(f"/meetings/{made['id']}", headers={"timezone": "Asia/Tokyo"}).json()
    assert (shown["start"], shown["timezone"]) == ("2030-03-04T19:30:00+09:00", "Asia/Tokyo")


# -- listing -------------------------------------------------------------------------------


def test_a_long_list_comes_in_pages_linked_by_the_link_header(sim: RestSimulator) -> None:
    sim.page_limit = 7
    with api(sim, demo_host_token("dara")) as dara:
        made = [meeting(dara, title=f"M{i}", start=at(60 + 30 * i), end=at(90 + 30 * i))["id"] for i in range(17)]
        seen, url, pages = [], "/meetings?meetingType=scheduledMeeting&max=50", 0
        while url:
            reply = dara.get(url)
            pages += 1
            seen += [item["meetingSeriesId"] for item in reply.json()["items"]]
            url = reply.links.get("next", {}).get("url", "")
        assert seen == made and pages == 3
        assert len(dara.get("/meetings").json()["items"]) == 7  # the page limit wins over the default of 10
        sim.page_limit = 100
        assert len(dara.get("/meetings").json()["items"]) == 10


def test_list_filters_by_number_tag_and_host(sim: RestSimulator) -> None:
    with api(sim) as admin, api(sim, demo_host_token("ana")) as ana:
        tagged = meeting(admin, hostEmail="ana@example.com", integrationTags=["slack:C1:123"])
        meeting(admin, hostEmail="ben@example.com", title="Ben's")
        by_tag = admin.get("/meetings", params={"integrationTag": "slack:C1:123", "hostEmail": "ana@example.com"})
        assert [m["id"] for m in by_tag.json()["items"]] == [tagged["id"]]
        assert by_tag.json()["items"][0]["integrationTags"] == ["slack:C1:123"]
        assert ana.get(f"/meetings/{tagged['id']}").json()["integrationTags"] == []  # another app's tags
        number = ana.get("/meetings", params={"meetingNumber": tagged["meetingNumber"]}).json()["items"]
        assert [m["id"] for m in number] == [tagged["id"]]
        bens = admin.get("/meetings", params={"hostEmail": "ben@example.com"}).json()["items"]
        assert [m["title"] for m in bens] == ["Ben's"]
        assert admin.get("/meetings", params={"meetingType": "everything"}).status_code == 400


# -- join links, starting and ending ---------------------------------------------------------


def test_join_gives_the_host_a_start_link_and_others_only_a_join_link(sim: RestSimulator) -> None:
    with api(sim) as admin, api(sim, demo_host_token("ben")) as ben:
        made = meeting(admin, hostEmail="ana@example.com", invitees=[{"email": "ben@example.com"}])
        ask = {"meetingId": made["id"], "joinDirectly": False}
        assert admin.post("/meetings/join", json=ask).status_code == 400  # a Service App names the host
        host = admin.post("/meetings/join", json={**ask, "hostEmail": "ana@example.com"}).json()
        assert set(host) == {"joinLink", "startLink", "expiration"}
        assert host["expiration"] == "2030-03-04T09:35:20Z"
        guest = ben.post("/meetings/join", json={"meetingNumber": made["meetingNumber"], "joinDirectly": False})
        assert set(guest.json()) == {"joinLink", "expiration"}
        direct = ben.post("/meetings/join", json={"meetingId": made["id"]})
        assert direct.status_code == 302 and direct.headers["Location"].startswith(sim.url)
        too_long = ben.post("/meetings/join", json={**ask, "expirationMinutes": 61})
        assert too_long.status_code == 400 and "60" in error_of(too_long)


def test_a_start_link_starts_the_meeting_once_and_a_page_ends_it(sim: RestSimulator) -> None:
    with api(sim, demo_host_token("ana")) as ana, api(sim) as admin:
        made = meeting(ana)
        links = ana.post("/meetings/join", json={"meetingId": made["id"], "joinDirectly": False}).json()
        assert "has not started" in httpx.get(links["joinLink"]).text
        started = httpx.get(links["startLink"])
        assert started.status_code == 200 and "has started" in started.text
        assert httpx.get(links["startLink"]).status_code == 403  # one time only
        live = ana.get("/meetings", params={"meetingType": "meeting", "state": "inProgress"}).json()["items"]
        assert [(m["meetingSeriesId"], m["meetingType"]) for m in live] == [(made["id"], "meeting")]
        assert ana.get(f"/meetings/{made['id']}").json()["state"] == "inProgress"
        org_wide = admin.get("/meetings", params={"meetingType": "meeting", "state": "inProgress"}).json()["items"]
        assert [m["id"] for m in org_wide] == [live[0]["id"]]  # an admin lists the whole org's live meetings
        assert "joined Design review" in httpx.get(links["joinLink"]).text
        refused = ana.delete(f"/meetings/{made['id']}")
        assert refused.status_code == 409 and "in progress" in error_of(refused)
        assert ana.patch(f"/meetings/{made['id']}", json={"title": "x"}).status_code == 409
        end_link = started.text.split("href='", 1)[1].split("'", 1)[0].replace("&amp;", "&")
        assert "has ended" in httpx.get(sim.url + end_link).text
        ended = ana.get(f"/meetings/{live[0]['id']}").json()
        assert ended["state"] == "ended" and "meetingNumber" not in ended


# -- recurrence -------------------------------------------------------------------------------


def test_a_series_lists_its_occurrences_and_one_can_be_deleted(sim: RestSimulator) -> None:
    with api(sim, demo_host_token("ben")) as ben:
        series = meeting(ben, recurrence="FREQ=WEEKLY;COUNT=3", timezone="Europe/London")
        listed = ben.get("/meetings", params={"meetingType": "scheduledMeeting", "meetingSeriesId": series["id"]})
        occurrences = listed.json()["items"]
        assert [o["start"] for o in occurrences] == [
            "2030-03-04T10:30:00+00:00",
            "2030-03-11T10:30:00+00:00",
            "2030-03-18T10:30:00+00:00",
        ]
        moved = ben.patch(f"/meetings/{occurrences[2]['id']}", json={"title": "Just this once"}).json()
        assert (moved["title"], moved["isModified"]) == ("Just this once", True)
        assert ben.get(f"/meetings/{series['id']}").json()["title"] == "Design review"
        assert ben.delete(f"/meetings/{occurrences[1]['id']}").status_code == 204
        left = ben.get("/meetings", params={"meetingType": "scheduledMeeting", "meetingSeriesId": series["id"]})
        assert [o["id"] for o in left.json()["items"]] == [occurrences[0]["id"], occurrences[2]["id"]]
        assert ben.delete(f"/meetings/{series['id']}").status_code == 204
        assert ben.get(f"/meetings/{occurrences[0]['id']}").status_code == 404


# -- webhooks ---------------------------------------------------------------------------------


class Receiver:
    """A webhook target over real HTTP that records each POST."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                posts.append((dict(self.headers), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int) -> bool:
        for _ in range(200):
            if len(self.posts) >= count:
                return True
            time.sleep(0.02)
        return False


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    target = Receiver()
    yield target
    target.server.shutdown()
    target.server.server_close()


def test_meeting_start_and_end_are_posted_signed_to_webhooks(sim: RestSimulator, receiver: Receiver) -> None:
    with api(sim) as admin, api(sim, demo_host_token("ana")) as ana:
        for event in ("started", "ended"):
            hook = {"name": f"bot {event}", "targetUrl": receiver.url, "resource": "meetings", "event": event}
            assert admin.post("/webhooks", json={**hook, "secret": "s3cret", "ownedBy": "org"}).status_code == 200
        assert len(admin.get("/webhooks").json()["items"]) == 2
        assert ana.get("/webhooks").json()["items"] == []  # another app's registrations
        made = meeting(ana)
    sim.start_meeting(made["id"])
    sim.end_meeting(made["id"])
    assert receiver.wait(2)
    for (headers, body), event in zip(receiver.posts, ("started", "ended"), strict=True):
        expected = hmac.new(b"s3cret", body, hashlib.sha1).hexdigest()
        assert headers["X-Spark-Signature"] == expected
        payload = json.loads(body)
        assert (payload["resource"], payload["event"]) == ("meetings", event)
        assert payload["data"]["meetingSeriesId"] == made["id"]
        assert payload["data"]["state"] == ("inProgress" if event == "started" else "ended")
        assert payload["data"]["meetingNumber"] == made["meetingNumber"]
        assert "password" not in payload["data"]


def test_an_unreachable_webhook_is_logged_and_the_site_goes_on(sim: RestSimulator) -> None:
    with api(sim, demo_host_token("ana")) as ana:
        hook = {"name": "gone", "targetUrl": "http://127.0.0.1:9/nowhere", "resource": "meetings", "event": "started"}
        made_hook = ana.post("/webhooks", json=hook).json()
        made = meeting(ana)
        sim.start_meeting(made["id"])
        for _ in range(200):
            if sim.deliveries:
                break
            time.sleep(0.02)
        assert sim.deliveries[0].status is None and sim.deliveries[0].error
        assert ana.get(f"/meetings/{made['id']}").json()["state"] == "inProgress"
        assert ana.delete(f"/webhooks/{made_hook['id']}").status_code == 204
        assert ana.get(f"/webhooks/{made_hook['id']}").status_code == 404


# -- faults -----------------------------------------------------------------------------------


def test_rate_limit_and_server_errors_use_the_api_error_body(sim: RestSimulator) -> None:
    sim.faults.fail_next(FaultKind.HTTP_429, operation="GET /people/me", retry_after=7)
    sim.faults.fail_next(FaultKind.HTTP_503)
    with api(sim) as admin:
        limited = admin.get("/people/me")
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "7" and error_of(limited)
        assert admin.get("/meetings").status_code == 503
        assert admin.get("/people/me").status_code == 200


def test_garbage_hang_and_dropped_connections(sim: RestSimulator) -> None:
    sim.faults.fail_next(FaultKind.GARBAGE, operation="GET /people/me")
    sim.faults.fail_next(FaultKind.HANG, operation="GET /people/me")
    sim.faults.fail_next(FaultKind.DROP, operation="GET /people/me")
    with api(sim, timeout=0.5) as admin:
        garbage = admin.get("/people/me")
        with pytest.raises(json.JSONDecodeError):
            garbage.json()
        with pytest.raises(httpx.ReadTimeout):
            admin.get("/people/me")
        with pytest.raises(httpx.RemoteProtocolError):
            admin.get("/people/me")
        assert admin.get("/people/me").status_code == 200


def test_an_applied_write_is_done_even_though_its_reply_fails(sim: RestSimulator) -> None:
    sim.faults.fail_next(FaultKind.APPLIED_500, operation="POST /meetings")
    sim.faults.fail_next(FaultKind.APPLIED_DROP, operation="DELETE /meetings/{id}")
    with api(sim, demo_host_token("ana")) as ana:
        failed = ana.post("/meetings", json={"title": "Uncertain", "start": at(60), "end": at(90)})
        assert failed.status_code == 500
        made = ana.get("/meetings").json()["items"]
        assert [m["title"] for m in made] == ["Uncertain"]
        with pytest.raises(httpx.RemoteProtocolError):
            ana.delete(f"/meetings/{made[0]['id']}")
        assert ana.get(f"/meetings/{made[0]['id']}").status_code == 404
    assert sim.operations().count("DELETE /meetings/{id}") == 1


def test_a_fail_rate_of_one_answers_every_call_503(sim: RestSimulator) -> None:
    sim.faults.fail_rate = 1.0
    with api(sim) as admin:
        assert admin.get("/people/me").status_code == 503
    sim.faults.clear()
    with api(sim) as admin:
        assert admin.get("/people/me").status_code == 200
