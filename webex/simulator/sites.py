"""Ready-made simulated sites: a small demo site, and the site the guide's samples assume."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

from ..models import ServiceType
from ..timezones import from_webex
from .state import SimPerson, SimSession, SimUser, SiteState

DEMO_ADMIN = "webexbot-svc"
DEMO_ADMIN_PASSWORD = "demo-admin-pass"
DEMO_HOST_PASSWORD = "demo-host-pass"
DEMO_HOSTS = (
    ("ana", "Ana", "Lima", 11),
    ("ben", "Ben", "Okafor", 21),
    ("chen", "Chen", "Wei", 45),
    ("dara", "Dara", "Singh", 41),
)


def demo_site(domain: str = "example.com") -> SiteState:
    """Site `demo`: one site-admin service account and four hosts (password demo-host-pass)."""
    state = SiteState(site_name="demo", site_id="0000")
    state.add_user(
        SimUser(
            webex_id=DEMO_ADMIN,
            email=f"{DEMO_ADMIN}@{domain}",
            passwords=frozenset({DEMO_ADMIN_PASSWORD}),
            first_name="Webexbot",
            last_name="Service",
            is_host=True,
            is_site_admin=True,
        )
    )
    for webex_id, first, last, zone_id in DEMO_HOSTS:
        state.add_user(
            SimUser(
                webex_id=webex_id,
                email=f"{webex_id}@{domain}",
                passwords=frozenset({DEMO_HOST_PASSWORD}),
                first_name=first,
                last_name=last,
                time_zone_id=zone_id,
            )
        )
    return state


# Every password a guide sample sends for these accounts (the samples are not consistent).
_GUIDE_HOST_PASSWORDS = frozenset({"hostpassword", "hostPassword", "passw0rd"})


def guide_site() -> SiteState:
    """Site `acme` (siteID 0000) holding every user, credential and session the samples use."""
    state = SiteState(site_name="acme", site_id="0000")
    _guide_users(state)
    _guide_sessions(state)
    return state


def _guide_users(state: SiteState) -> None:
    registered = datetime(2010, 4, 21, 21, 13, 39, tzinfo=UTC)
    state.add_user(
        SimUser(
            "hostid",
            "hostid@acme.com",
            _GUIDE_HOST_PASSWORDS,
            "aa",
            "bb",
            registered=registered,
            schedule_for=("siteadmin",),
        )
    )
    state.add_user(
        SimUser(
            "siteadmin",
            "siteadmin@acme.com",
            frozenset({"pass"}),
            "site",
            "admin",
            is_site_admin=True,
            registered=registered,
        )
    )
    state.add_user(
        SimUser(
            "admincred",
            "admincred@acme.com",
            frozenset({"P@ssword123"}),
            is_site_admin=True,
            registered=registered,
        )
    )
    state.add_user(SimUser("hostname", "hostname@acme.com", frozenset({"P@ssword123"}), registered=registered))
    state.add_user(
        SimUser(
            "username.on.ciintegration@acme.com",
            "username.on.ciintegration@acme.com",
            frozenset({"P@ssword000"}),
            registered=registered,
        )
    )
    for name in ("host1", "host3"):
        state.add_user(SimUser(name, f"{name}@test.com", frozenset({"pass"}), registered=registered))


def _guide_sessions(state: SiteState) -> None:
    session = partial(_guide_session, state)
    mc = ServiceType.MEETING_CENTER
    session(
        "48591508",
        mc,
        1,
        "Sample Meeting",
        "05/10/2010 19:00:00",
        4,
        agenda="Test",
        password="123456",
        invitees=[SimPerson("site admin", "siteadmin@acme.com", "HOST")],
    )
    session("123456789", mc, 2, "meeting", "09/12/2007 11:04:11", 4, password="111111")
    session(
        "37480497", mc, 16, "Test Setting Teleconf-only", "04/18/2015 15:15:17", 16, password="111111", call_in="xmlSet"
    )
    session(
        "76736484",
        ServiceType.TRAINING_CENTER,
        11,
        "jimz hol test",
        "04/11/2004 10:00:00",
        46,
        password="111111",
        presenters=[SimPerson("alternatehost1", "host1@test.com", "HOST")],
    )
    session("101072918", ServiceType.TRAINING_CENTER, 11, "Training to delete", "04/11/2004 10:00:00", 46)
    live = session("82679427", mc, 1, "Sample Meeting", "08/05/2014 12:10:00", 4, listing="UNLISTED")
    live.started_at = live.start
    session("805705806", mc, 6, "Weekly review", "05/07/2010 05:45:00", 45)


def _guide_session(
    state: SiteState,
    key: str,
    service: ServiceType,
    session_type: int,
    topic: str,
    start: str,
    zone_id: int,
    **extra: object,
) -> SimSession:
    """A session the samples use, hosted by `hostid`, an hour long; `start` as Webex writes it, in `zone_id`."""
    return state.add_session(
        SimSession(
            key=key,
            service=service,
            session_type=session_type,
            topic=topic,
            host="hostid",
            created_by="hostid",
            start=from_webex(start, zone_id).astimezone(UTC),
            zone_id=zone_id,
            duration=60,
            conf_id=state.new_conf_id(),
            guest_token=state.new_token(),
            **extra,  # type: ignore[arg-type]
        )
    )


def bulk_meetings(state: SiteState, host: str, count: int, first: datetime | None = None) -> list[str]:
    """Add `count` meetings hosted by `host`, an hour apart; for paging tests and benchmarks."""
    start = first or datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    keys = []
    for index in range(count):
        key = state.new_key()
        state.add_session(
            SimSession(
                key=key,
                service=ServiceType.MEETING_CENTER,
                session_type=3,
                topic=f"Meeting {index + 1}",
                host=host,
                created_by=host,
                start=start + timedelta(hours=index),
                zone_id=21,
                duration=30,
                conf_id=state.new_conf_id(),
            )
        )
        keys.append(key)
    return keys
