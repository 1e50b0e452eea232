"""Every store behaviour, on both engines: a SQLite file and a PostgreSQL database of a throwaway cluster."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import Intent, MeetingRecord, Store
from storage.store import Invitation

TEAM, OTHER = "T1", "T2"


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "webexbot.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(target: str) -> Iterator[Store]:
    opened = Store(target)
    yield opened
    opened.close()


def meeting(key: str, start: str = "2030-01-01T10:00:00+00:00", **fields: object) -> MeetingRecord:
    values: dict[str, object] = {
        "meeting_key": key,
        "team_id": TEAM,
        "channel_id": "C1",
        "card_ts": "",
        "host_webex_id": "ana",
        "host_slack_user_id": "U1",
        "topic": f"Topic {key}",
        "start": start,
        "duration_minutes": 30,
        "created_by": "U1",
        "status": "scheduled",
        "created_at": "2029-12-01T00:00:00+00:00",
        **fields,
    }
    return MeetingRecord(**values)  # type: ignore[arg-type]


def intent(key: str, payload: str = "{}") -> Intent:
    return Intent(key=key, team_id=TEAM, user_id="U1", channel_id="C1", action="command", payload=payload)


def test_links_replace_and_move_an_account_between_users(store: Store):
    store.link(TEAM, "U1", "Ana", "ana@example.com", "email-match", "U1")
    assert store.link_for(TEAM, "U1").webex_id == "Ana"  # type: ignore[union-attr]
    assert store.slack_user_for(TEAM, "ana") == "U1"  # the Webex id matches whatever its case
    store.link(TEAM, "U2", "ben", "ben@example.com", "admin", "BOSS")
    assert [link.slack_user_id for link in store.links(TEAM)] == ["U1", "U2"]  # by Webex id, byte order

    moved = store.link(TEAM, "U2", "ana", "ana@example.com", "admin", "BOSS")  # the account moves to U2
    assert moved.slack_user_id == "U2" and store.link_for(TEAM, "U1") is None
    assert [(link.slack_user_id, link.webex_id) for link in store.links(TEAM)] == [("U2", "ana")]
    assert store.links(OTHER) == []

    assert store.unlink(TEAM, "U2", "U2").webex_id == "ana"  # type: ignore[union-attr]
    assert store.unlink(TEAM, "U2", "U2") is None and store.links(TEAM) == []
    actions = [entry["action"] for entry in store.audit_log(TEAM)]
    assert actions == ["link", "link", "link", "unlink"]


def test_meetings_are_recorded_updated_and_tracked(store: Store):
    store.record_intent(intent("req-1"))
    store.record_meeting(meeting("100", intent_key="req-1", invitees='["U2", "U3"]'), "U1")
    store.record_meeting(meeting("200", start="2030-01-01T09:00:00+00:00"), "U1")
    assert store.intent("req-1").meeting_key == "100"  # type: ignore[union-attr]
    assert store.meeting_for_intent(TEAM, "req-1").meeting_key == "100"  # type: ignore[union-attr]
    assert store.meeting_for_intent(TEAM, "") is None and store.meeting(TEAM, "999") is None
    assert store.meeting(TEAM, "100").invitee_ids == ("U2", "U3")  # type: ignore[union-attr]

    store.record_meeting(meeting("200", start="2030-01-01T11:00:00+00:00", topic="Renamed"), "U1")
    store.set_card(TEAM, "100", "C9", "1700000000.000100")
    store.move_meeting(TEAM, "100", "2030-01-02T10:00:00+00:00", 45)
    first = store.meeting(TEAM, "100")
    assert first is not None and (first.channel_id, first.card_ts, first.duration_minutes) == (
        "C9",
        "1700000000.000100",
        45,
    )
    assert [m.meeting_key for m in store.meetings(TEAM)] == ["200", "100"]
    assert store.meeting(TEAM, "200").topic == "Renamed"  # type: ignore[union-attr]

    store.mark_live(TEAM, "100", "2030-01-02T10:01:00+00:00")
    assert store.meeting(TEAM, "100").started_at == "2030-01-02T10:01:00+00:00"  # type: ignore[union-attr]
    store.mark_ended(TEAM, "100", "2030-01-02T10:40:00+00:00")
    store.set_status(TEAM, "200", "cancelled", "U1")
    assert store.tracked_meetings() == []
    assert [m.status for m in store.meetings(TEAM)] == ["cancelled", "ended"]
    assert store.counts(TEAM) == {"links": 0, "meetings": 2} and store.counts(OTHER) == {"links": 0, "meetings": 0}


def test_a_claim_is_won_once_even_when_two_processes_race(store: Store, target: str):
    assert store.claim("once") is True and store.claim("once") is False
    rival = Store(target)
    keys = [f"race-{n}" for n in range(20)]
    wins: dict[str, list[bool]] = {key: [] for key in keys}
    start = threading.Barrier(2)

    def claim_all(claimant: Store) -> None:
        start.wait()
        for key in keys:
            wins[key].append(claimant.claim(key))

    threads = [threading.Thread(target=claim_all, args=(s,)) for s in (store, rival)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rival.close()
    assert all(sorted(results) == [False, True] for results in wins.values())


def test_durable_intents_from_record_to_prune(store: Store):
    payload = json.dumps({"password": "s3cret", "new": {"password": "x", "topic": "T"}, "text": "standup"})
    assert store.record_intent(intent("a", payload=payload)) is True
    assert store.record_intent(intent("a")) is False  # a repeated delivery
    assert store.claim("a") is False  # the claim and the intent are one
    store.record_intent(intent("b"))
    assert [i.key for i in store.unfinished_intents()] == ["a", "b"]

    running = store.begin_intent("a")
    assert (running.state, running.attempts) == ("running", 1)
    assert store.begin_intent("a").attempts == 2
    store.intent_progress("a", "ack")
    store.intent_progress("a", "card", "1700.1")
    assert store.intent("a").done_steps == {"ack": True, "card": "1700.1"}  # type: ignore[union-attr]
    store.intent_progress("missing", "ack")  # nothing to do, no error

    store.finish_intent("a", "done", "Scheduled.")
    done = store.intent("a")
    assert done is not None and (done.state, done.outcome) == ("done", "Scheduled.")
    assert done.args == {"new": {"password": None, "topic": "T"}, "text": "standup"}
    assert [i.key for i in store.unfinished_intents()] == ["b"]

    assert store.prune("9999-01-01T00:00:00+00:00") == 3  # keys a and b, intent a (b is unfinished)
    assert store.intent("a") is None and store.intent("b") is not None
    assert store.claim("a") is True


def test_reminders_through_every_state(store: Store):
    store.add_reminders(TEAM, "100", [("U1", "host"), ("U2", "invitee")], "2030-01-01T09:50:00+00:00")
    store.add_reminders(TEAM, "200", [("U3", "invitee")], "2030-01-05T09:50:00+00:00")
    assert [r.slack_user_id for r in store.reminders_of(TEAM, "100")] == ["U1", "U2"]
    due = store.reminders_to_hand_over("2030-01-02T00:00:00+00:00")
    assert [r.slack_user_id for r in due] == ["U1", "U2"]

    host = due[0]
    store.handing_over(host.id, "D1", "2030-01-01T08:00:00+00:00")
    store.handed_over(host.id, "Q123")
    held = store.reminders_of(TEAM, "100")[0]
    assert (held.channel_id, held.sent_at, held.scheduled_id) == ("D1", "2030-01-01T08:00:00+00:00", "Q123")
    assert [r.slack_user_id for r in store.reminders_to_hand_over("2030-01-02T00:00:00+00:00")] == ["U2"]

    store.move_reminders(TEAM, "100", "2030-01-03T09:50:00+00:00")  # the held one is retracted, both made anew
    assert [r.scheduled_id for r in store.reminders_to_retract()] == ["Q123"]
    assert [(r.slack_user_id, r.due_at) for r in store.reminders_of(TEAM, "100")] == [
        ("U1", "2030-01-03T09:50:00+00:00"),
        ("U2", "2030-01-03T09:50:00+00:00"),
    ]
    store.forget_reminder(store.reminders_to_retract()[0].id)
    assert store.reminders_to_retract() == []

    store.drop_reminders(TEAM, "200")  # never handed over: simply forgotten
    assert store.reminders_of(TEAM, "200") == [] and store.reminders_to_retract() == []


def test_audit_log_settings_and_secrets(store: Store):
    heard: list[tuple[str, str, str, str, dict[str, object]]] = []
    store.on_audit = lambda *entry: heard.append(entry)
    store.audit(TEAM, "U1", "custom", "thing", {"b": 1, "a": "x"})
    store.set_setting(TEAM, "admin_channel", "C1", "BOSS")
    store.set_setting(TEAM, "admin_channel", "C2", "BOSS")
    store.set_setting(OTHER, "admin_channel", "C1", "BOSS")
    assert store.setting(TEAM, "admin_channel") == "C2" and store.setting(TEAM, "missing") is None
    assert store.setting_values("admin_channel") == ["C1", "C2"]

    log = store.audit_log(TEAM)
    assert [(e["action"], e["subject"]) for e in log] == [
        ("custom", "thing"),
        ("setting", "admin_channel"),
        ("setting", "admin_channel"),
    ]
    assert json.loads(str(log[0]["detail"])) == {"a": "x", "b": 1} and log[0]["actor"] == "U1"
    assert [entry[2] for entry in heard] == ["custom", "setting", "setting", "setting"]

    store.put_secret("webex_refresh_token", "one")
    store.put_secret("webex_refresh_token", "two")
    assert store.secret("webex_refresh_token") == "two" and store.secret("missing") is None
    assert all("two" not in json.dumps(e) for e in store.audit_log(TEAM))


def test_reopening_applies_nothing_twice(store: Store, target: str):
    store.claim("kept")
    again = Store(target)
    assert again.pending_migrations() == [] and again.claim("kept") is False
    assert again.problem() is None
    again.close()


# -- replicas: claims, leases and transitions that one process wins ------------------------------------


def expire(store: Store, table: str) -> None:
    """Ends every lease in `table` now, as if its holder had stopped renewing it long ago."""
    column = "held_until" if table == "leases" else "lease_until"
    store.engine.execute(f"update {table} set {column} = 0 where {column} is not null", [])


def test_a_lease_has_one_holder_until_it_lapses(store: Store):
    assert store.take_lease("poll", "A", 30) is True
    assert store.take_lease("poll", "B", 30) is False
    assert store.take_lease("poll", "A", 30) is True  # renewed by its holder
    assert store.lease_holder("poll") == "A"
    expire(store, "leases")
    assert store.lease_holder("poll") is None
    assert store.take_lease("poll", "B", 30) is True and store.take_lease("poll", "A", 30) is False
    store.drop_lease("poll", "A")  # not A's: nothing happens
    assert store.lease_holder("poll") == "B"
    store.drop_lease("poll", "B")
    assert store.take_lease("poll", "A", 30) is True


def test_an_intent_is_carried_out_by_the_replica_holding_its_lease(store: Store):
    store.record_intent(intent("a"), owner="A", lease_s=30)
    store.record_intent(intent("b"))  # an older file's row: nobody's
    assert store.claim_intent("a", "B", 30) is None
    assert [i.key for i in store.intents_to_take_over("B")] == ["b"]
    running = store.claim_intent("a", "A", 30)
    assert running is not None and (running.state, running.attempts, running.owner) == ("running", 1, "A")
    assert store.renew_intents("A", ["a", "b"], 30) == 1 and store.renew_intents("B", ["a"], 30) == 0

    expire(store, "intents")  # A died
    assert [i.key for i in store.intents_to_take_over("B")] == ["a", "b"]
    taken = store.claim_intent("a", "B", 30)
    assert taken is not None and (taken.owner, taken.attempts) == ("B", 2)
    assert store.claim_intent("a", "A", 30) is None  # A is back, too late
    assert store.claim_intent("b", "A", 30) is not None and store.release_intents("A") == 1  # A stops
    assert store.claim_intent("b", "B", 30) is not None
    store.finish_intent("a", "done", "Scheduled.")
    finished = store.intent("a")
    assert finished is not None and finished.owner is None and store.claim_intent("a", "B", 30) is None


def test_an_intent_raced_for_by_two_replicas_is_claimed_once(store: Store, target: str):
    keys = [f"race-{n}" for n in range(20)]
    for key in keys:
        store.record_intent(intent(key))
    rival = Store(target)
    won: dict[str, list[str]] = {key: [] for key in keys}
    start = threading.Barrier(2)

    def claim_all(claimant: Store, name: str) -> None:
        start.wait()
        for key in keys:
            if claimant.claim_intent(key, name, 30) is not None:
                won[key].append(name)

    threads = [threading.Thread(target=claim_all, args=pair) for pair in ((store, "A"), (rival, "B"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rival.close()
    assert all(len(names) == 1 for names in won.values())


def test_one_store_serves_two_threads_at_once(store: Store):
    """The bot's ack loop and work loop share one Store: statements and transactions of the two threads
    never interleave inside one another (one SQLite connection), and each delivery is recorded once."""
    keys = [f"both-{n}" for n in range(150)]
    fresh: dict[str, list[bool]] = {key: [] for key in keys}
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def record_all(name: str) -> None:
        start.wait()
        try:
            for key in keys:
                fresh[key].append(store.record_intent(intent(key), owner=name, lease_s=30))
                store.set_intent_progress(key, {name: True})
                store.link(TEAM, f"U-{name}", f"{name}@example.com", "", "admin", name)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=record_all, args=(name,)) for name in ("ack", "work")]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can: interleavings are likely
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert all(sorted(answers) == [False, True] for answers in fresh.values())
    assert len(store.unfinished_intents()) == len(keys)


def test_reminders_are_claimed_by_one_replica_at_a_time(store: Store):
    store.add_reminders(TEAM, "100", [("U1", "host"), ("U2", "invitee")], "2030-01-01T09:50:00+00:00")
    retract, due = store.claim_reminders("2030-01-02T00:00:00+00:00", "A", 30)
    assert retract == [] and [(r.slack_user_id, r.owner) for r in due] == [("U1", "A"), ("U2", "A")]
    assert store.claim_reminders("2030-01-02T00:00:00+00:00", "B", 30) == ([], [])
    store.handing_over(due[0].id, "D1", "2030-01-01T08:00:00+00:00")
    store.handed_over(due[0].id, "Q1")
    expire(store, "reminders")  # A died before handing over U2's
    _, left = store.claim_reminders("2030-01-02T00:00:00+00:00", "B", 30)
    assert [(r.slack_user_id, r.owner) for r in left] == [("U2", "B")]
    store.drop_reminders(TEAM, "100")  # U1's is held by Slack: to retract
    retract, _ = store.claim_reminders("2030-01-02T00:00:00+00:00", "B", 30)
    assert [r.scheduled_id for r in retract] == ["Q1"]


def test_a_meeting_goes_live_ends_and_is_cancelled_once(store: Store):
    heard: list[str] = []
    store.on_audit = lambda *entry: heard.append(entry[2])
    store.record_meeting(meeting("100"), "U1")
    store.record_meeting(meeting("200"), "U1")
    assert store.mark_ended(TEAM, "100", "2030-01-01T10:30:00+00:00") is False  # not live yet
    assert store.mark_live(TEAM, "100", "2030-01-01T10:01:00+00:00") is True
    assert store.mark_live(TEAM, "100", "2030-01-01T10:02:00+00:00") is False
    assert store.meeting(TEAM, "100").started_at == "2030-01-01T10:01:00+00:00"  # type: ignore[union-attr]
    assert store.mark_ended(TEAM, "100", "2030-01-01T10:30:00+00:00") is True
    assert store.mark_ended(TEAM, "100", "2030-01-01T10:31:00+00:00") is False
    assert store.set_status(TEAM, "200", "cancelled", "U1") is True
    assert store.set_status(TEAM, "200", "cancelled", "webex") is False
    assert store.set_status(TEAM, "999", "cancelled", "U1") is True  # not made through the bot: still audited
    assert heard == ["create_meeting", "create_meeting", "meeting_cancelled", "meeting_cancelled"]


def test_installations_bots_and_oauth_states(store: Store):
    store.save_installation("", TEAM, "U1", False, "first")
    store.save_installation("", TEAM, "U2", False, "second")
    store.save_installation("E1", "", "W1", True, "org")
    assert store.installation_data("", TEAM) == "second"  # the latest
    assert store.installation_data("", TEAM, "U1") == "first"
    assert store.installation_data("", OTHER) is None and store.installation_data("E1", TEAM) is None
    store.save_installation("", TEAM, "U1", False, "again")
    assert store.installation_data("", TEAM) == "again"
    store.save_bot("", TEAM, False, "bot")
    store.save_bot("", TEAM, False, "rotated")
    store.save_bot("E1", "", True, "org bot")
    assert store.bot_data("", TEAM) == "rotated" and store.bot_data("E1", "") == "org bot"
    assert store.installed_teams() == [("", TEAM), ("E1", "")]
    assert store.delete_installations("", TEAM, "U2") == 1 and store.installation_data("", TEAM) == "again"
    assert store.delete_bot("", TEAM) == 1 and store.bot_data("", TEAM) is None
    assert store.delete_installations("", TEAM) == 1 and store.installation_data("", TEAM) is None
    assert store.installation_data("E1", "") == "org"
    store.issue_state("s1", 100.0)
    store.issue_state("s2", 100.0)
    assert store.consume_state("s1", 99.0) is True
    assert store.consume_state("s1", 99.0) is False  # once
    assert store.consume_state("s2", 100.5) is False  # expired
    assert store.consume_state("forged", 1.0) is False


def test_an_uninstalled_workspace_loses_its_reminders_and_unfinished_intents(store: Store):
    store.record_meeting(meeting("m1"), "U1")
    store.record_meeting(meeting("m2", team_id=OTHER), "U1")
    store.add_reminders(TEAM, "m1", [("U1", "host")], "2030-01-01T09:50:00+00:00")
    store.add_reminders(OTHER, "m2", [("U1", "host")], "2030-01-01T09:50:00+00:00")
    store.record_intent(intent("i1"))
    store.record_intent(Intent(key="i2", team_id=OTHER, user_id="U1", channel_id="C1", action="command", payload="{}"))
    assert store.forget_workspace_work(TEAM, "uninstalled") == (1, 1)
    assert store.reminders_of(TEAM, "m1") == [] and len(store.reminders_of(OTHER, "m2")) == 1
    assert store.intent("i1").state == "failed" and store.intent("i2").state == "pending"  # type: ignore[union-attr]


def test_the_organization_of_a_grid_workspace_and_each_teams_setting(store: Store):
    assert store.organization_of(TEAM) is None
    store.remember_organization(TEAM, "E1", False)
    store.remember_organization(TEAM, "E1", True)
    assert store.organization_of(TEAM) == ("E1", True) and store.organization_of(OTHER) is None
    store.set_setting(TEAM, "admin_channel", "C1", "U1")
    store.set_setting(OTHER, "admin_channel", "C2", "U2")
    assert sorted(store.setting_places("admin_channel")) == sorted([(TEAM, "C1"), (OTHER, "C2")])


def test_a_row_read_by_a_key_from_a_payload_is_the_asking_workspaces_only(store: Store):
    store.record_intent(intent("req-1"))
    store.record_meeting(meeting("100", intent_key="req-1"), "U1")
    store.record_invitation(Invitation(TEAM, "100", "U2", "D2", "1.0"))
    assert store.meeting(TEAM, "100") is not None and store.meeting(OTHER, "100") is None
    assert store.meeting_elsewhere(OTHER, "100") and not store.meeting_elsewhere(TEAM, "100")
    assert not store.meeting_elsewhere(OTHER, "999")
    assert store.meeting_for_intent(OTHER, "req-1") is None and store.meeting_for_intent(TEAM, "req-1") is not None
    assert store.invitations_of(OTHER, "100") == [] and len(store.invitations_of(TEAM, "100")) == 1


def test_a_workspaces_webex_connection_is_replaced_with_a_new_version_and_audited(store: Store):
    assert store.webex_connection(TEAM) is None and store.webex_connection_version(TEAM) == 0
    first = store.save_webex_connection(TEAM, "xml", "https://acme.webex.com", "acme", "U1", "sealed-1")
    assert (first.api, first.site_name, first.connected_by, first.version, first.data) == (
        "xml", "acme", "U1", 1, "sealed-1"
    )  # fmt: skip
    second = store.save_webex_connection(TEAM, "rest", "https://webexapis.com/v1", "", "U2", "sealed-2")
    assert second.version == 2 and store.webex_connection_version(TEAM) == 2
    assert (second.api, second.connected_by, second.data) == ("rest", "U2", "sealed-2")
    assert "sealed" not in repr(second)
    assert store.webex_connection(OTHER) is None and store.webex_connection_version(OTHER) == 0
    assert [entry["action"] for entry in store.audit_log(TEAM)] == ["webex_connected", "webex_connected"]
    assert "sealed" not in json.dumps(store.audit_log(TEAM))


def test_the_same_number_in_two_workspaces_is_two_meetings_kept_apart(store: Store):
    store.record_meeting(meeting("100", topic="Ours", invitees='["U2"]'), "U1")
    store.record_meeting(meeting("100", team_id=OTHER, topic="Theirs", channel_id="C2"), "U9")
    store.set_card(OTHER, "100", "C2", "2.0")
    store.move_meeting(OTHER, "100", "2030-02-01T10:00:00+00:00", 60)
    ours, theirs = store.meeting(TEAM, "100"), store.meeting(OTHER, "100")
    assert ours is not None and (ours.topic, ours.card_ts, ours.duration_minutes) == ("Ours", "", 30)
    assert theirs is not None and (theirs.topic, theirs.card_ts, theirs.duration_minutes) == ("Theirs", "2.0", 60)
    assert [m.topic for m in store.meetings(TEAM)] == ["Ours"]
    assert [m.topic for m in store.meetings(OTHER)] == ["Theirs"]

    assert store.mark_live(OTHER, "100", "2030-02-01T10:01:00+00:00") is True
    assert store.meeting(TEAM, "100").status == "scheduled"  # type: ignore[union-attr]
    assert store.mark_live(TEAM, "100", "2030-01-01T10:01:00+00:00") is True  # its own, once
    assert store.mark_ended(TEAM, "100", "2030-01-01T10:30:00+00:00") is True
    assert store.meeting(OTHER, "100").status == "live"  # type: ignore[union-attr]
    assert store.set_status(OTHER, "100", "cancelled", "U9") is True
    assert store.meeting(TEAM, "100").status == "ended"  # type: ignore[union-attr]

    store.add_reminders(TEAM, "100", [("U1", "host")], "2030-01-01T09:50:00+00:00")
    store.add_reminders(OTHER, "100", [("U9", "host")], "2030-02-01T09:50:00+00:00")
    store.move_reminders(OTHER, "100", "2030-02-01T09:40:00+00:00")
    assert [(r.team_id, r.due_at) for r in store.reminders_of(TEAM, "100")] == [(TEAM, "2030-01-01T09:50:00+00:00")]
    store.drop_reminders(OTHER, "100")
    assert store.reminders_of(OTHER, "100") == [] and len(store.reminders_of(TEAM, "100")) == 1
    _, claimed = store.claim_reminders("2030-03-01T00:00:00+00:00", "A", 30)
    assert [(r.team_id, r.meeting_key) for r in claimed] == [(TEAM, "100")]

    store.record_invitation(Invitation(TEAM, "100", "U2", "D2", "1.0"))
    store.record_invitation(Invitation(OTHER, "100", "U2", "D8", "8.0"))
    assert [i.channel_id for i in store.invitations_of(TEAM, "100")] == ["D2"]
    assert [i.channel_id for i in store.invitations_of(OTHER, "100")] == ["D8"]
    assert [e["subject"] for e in store.audit_log(OTHER) if e["action"] == "meeting_cancelled"] == ["100"]
    assert [e["action"] for e in store.audit_log(TEAM)] == ["create_meeting"]


def test_a_number_is_another_workspaces_only_when_both_are_on_one_webex_site(store: Store):
    store.record_meeting(meeting("100"), "U1")
    assert store.meeting_elsewhere(OTHER, "100")  # both on the environment's site
    assert [m.team_id for m in store.meetings_on_default_site("100")] == [TEAM]
    store.save_webex_connection(OTHER, "xml", "https://other.example", "other", "U9", "sealed")
    assert not store.meeting_elsewhere(OTHER, "100")  # its own site: its own meeting 100, if any
    store.save_webex_connection(TEAM, "xml", "https://other.example", "other", "U1", "sealed")
    assert store.meeting_elsewhere(OTHER, "100")  # the same site again
    assert store.meetings_on_default_site("100") == []  # webhooks serve the environment's site only
    store.record_meeting(meeting("100", team_id="T3"), "U3")
    assert [m.team_id for m in store.meetings_on_default_site("100")] == ["T3"]
