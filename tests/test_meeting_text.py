"""How people ask for a meeting: a table of phrases, each with a fixed now, zone and locale."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.meeting_text import MeetingRequest, Refusal, parse_meeting_text

# Each "now" is a Thursday afternoon unless said otherwise.
NOWS = {
    "Europe/London": "2026-12-10T16:00:00+00:00",
    "America/New_York": "2026-11-23T10:00:00-05:00",  # a Monday
    "Europe/Paris": "2026-12-10T16:00:00+01:00",
    "Europe/Madrid": "2026-12-10T16:00:00+01:00",
    "Europe/Berlin": "2026-12-10T16:00:00+01:00",
    "Asia/Kolkata": "2026-12-10T16:00:00+05:30",  # a half-hour offset
    "Australia/Sydney": "2026-12-10T16:00:00+11:00",  # east of UTC+10, daylight saving
    "Pacific/Auckland": "2026-12-10T16:00:00+13:00",
    "Europe/Rome": "2026-12-10T16:00:00+01:00",
    "America/Sao_Paulo": "2026-12-10T16:00:00-03:00",
    "Europe/Amsterdam": "2026-12-10T16:00:00+01:00",
    "America/Los_Angeles": "2026-03-07T10:00:00-08:00",  # a Saturday, the day before DST starts
}
LOCALES = {
    "Europe/London": "en-GB",
    "America/New_York": "en-US",
    "Europe/Paris": "fr-FR",
    "Europe/Madrid": "es-ES",
    "Europe/Berlin": "de-DE",
    "Asia/Kolkata": "en-IN",
    "Australia/Sydney": "en-AU",
    "Pacific/Auckland": "en-NZ",
    "Europe/Rome": "it-IT",
    "America/Sao_Paulo": "pt-BR",
    "Europe/Amsterdam": "nl-NL",
    "America/Los_Angeles": "en-US",
}
NO = None  # refused

LONDON = "Europe/London"
CASES: list[tuple[str, str, str | None, int | None, str | None, tuple[str, ...]]] = [
    # (text, zone, expected start, duration, topic, invitees)
    ("Team sync tomorrow at 10am for 30 min", LONDON, "2026-12-11T10:00:00+00:00", 30, "Team sync", ()),
    ("Customer demo friday 11:30", LONDON, "2026-12-11T11:30:00+00:00", 60, "Customer demo", ()),
    ("Retro Dec 14 3pm-4pm", LONDON, "2026-12-14T15:00:00+00:00", 60, "Retro", ()),
    ("Standup at 8:45", LONDON, "2026-12-11T08:45:00+00:00", 60, "Standup", ()),
    ("Call at 1pm EST", LONDON, "2026-12-10T18:00:00+00:00", 60, "Call", ()),
    ("Planning in 90 minutes", LONDON, "2026-12-10T17:30:00+00:00", 60, "Planning", ()),
    ("Lunch last tuesday", LONDON, NO, None, None, ()),
    ("Coffee at 5pm", LONDON, "2026-12-10T17:00:00+00:00", 60, "Coffee", ()),
    ("Coffee at 3pm", LONDON, "2026-12-11T15:00:00+00:00", 60, "Coffee", ()),
    ("Sync at 3", LONDON, "2026-12-11T15:00:00+00:00", 60, "Sync", ()),
    ("Sync at 10", LONDON, "2026-12-11T10:00:00+00:00", 60, "Sync", ()),
    ("Sync at 3:30", LONDON, "2026-12-11T15:30:00+00:00", 60, "Sync", ()),
    ("Review thursday 5pm", LONDON, "2026-12-10T17:00:00+00:00", 60, "Review", ()),
    ("Review thursday 9am", LONDON, "2026-12-17T09:00:00+00:00", 60, "Review", ()),
    ("Board meeting next thursday 9am", LONDON, "2026-12-17T09:00:00+00:00", 60, "Board meeting", ()),
    ("Offsite planning 14 December 2pm", LONDON, "2026-12-14T14:00:00+00:00", 60, "Offsite planning", ()),
    ("Kickoff January 5th at 9:30", LONDON, "2027-01-05T09:30:00+00:00", 60, "Kickoff", ()),
    ("Kickoff 5 Jan 9:30am", LONDON, "2027-01-05T09:30:00+00:00", 60, "Kickoff", ()),
    ("Kickoff 12/1 at 9", LONDON, "2027-01-12T09:00:00+00:00", 60, "Kickoff", ()),
    ("Year end 2026-12-31 15:00 for 2 hours", LONDON, "2026-12-31T15:00:00+00:00", 120, "Year end", ()),
    ("Old thing 2025-12-31 15:00", LONDON, NO, None, None, ()),
    ("Drinks tonight at 8", LONDON, "2026-12-10T20:00:00+00:00", 60, "Drinks", ()),
    ("Drinks tonight", LONDON, "2026-12-10T20:00:00+00:00", 60, "Drinks", ()),
    ("Sync now", LONDON, "2026-12-10T16:00:00+00:00", 60, "Sync", ()),
    ("Quick call in 20 minutes", LONDON, "2026-12-10T16:20:00+00:00", 60, "Quick call", ()),
    ("Quick call in 2 hours", LONDON, "2026-12-10T18:00:00+00:00", 60, "Quick call", ()),
    ("Quick call in an hour", LONDON, "2026-12-10T17:00:00+00:00", 60, "Quick call", ()),
    ("Quick call in half an hour", LONDON, "2026-12-10T16:30:00+00:00", 60, "Quick call", ()),
    ("Lunch noon", LONDON, "2026-12-11T12:00:00+00:00", 60, "Lunch", ()),
    ("Release midnight for 30 min", LONDON, "2026-12-11T00:00:00+00:00", 30, "Release", ()),
    ("Budget 2-3pm tomorrow", LONDON, "2026-12-11T14:00:00+00:00", 60, "Budget", ()),
    ("Interview 10:30-11:15 tomorrow", LONDON, "2026-12-11T10:30:00+00:00", 45, "Interview", ()),
    ("Workshop from 2pm to 3:30pm on Monday", LONDON, "2026-12-14T14:00:00+00:00", 90, "Workshop", ()),
    ("Deep dive tomorrow 9am for 1h", LONDON, "2026-12-11T09:00:00+00:00", 60, "Deep dive", ()),
    ("Deep dive tomorrow 9am for 1h30", LONDON, "2026-12-11T09:00:00+00:00", 90, "Deep dive", ()),
    ("Deep dive tomorrow 9am 90m", LONDON, "2026-12-11T09:00:00+00:00", 90, "Deep dive", ()),
    ("Deep dive tomorrow 9am for 1.5 hours", LONDON, "2026-12-11T09:00:00+00:00", 90, "Deep dive", ()),
    ("Deep dive tomorrow 9am for an hour", LONDON, "2026-12-11T09:00:00+00:00", 60, "Deep dive", ()),
    ("Deep dive tomorrow 9am for half an hour", LONDON, "2026-12-11T09:00:00+00:00", 30, "Deep dive", ()),
    ("Deep dive tomorrow 9am for 45 mins", LONDON, "2026-12-11T09:00:00+00:00", 45, "Deep dive", ()),
    ("Deep dive tomorrow 9am for 2 hours 15 minutes", LONDON, "2026-12-11T09:00:00+00:00", 135, "Deep dive", ()),
    ("Zero tomorrow 9am for 0 min", LONDON, NO, None, None, ()),
    ("Negative tomorrow 9am for -30 min", LONDON, NO, None, None, ()),
    ("Marathon tomorrow 9am for 25 hours", LONDON, NO, None, None, ()),
    ("Nothing to see here", LONDON, NO, None, None, ()),
    ("Retro tomorrow", LONDON, NO, None, None, ()),
    ("1:1 with <@U024BE7LH|ana> tomorrow at 10", LONDON, "2026-12-11T10:00:00+00:00", 60, "1:1", ("U024BE7LH",)),
    ("Q4 review friday 2pm", LONDON, "2026-12-11T14:00:00+00:00", 60, "Q4 review", ()),
    ("May offsite planning tomorrow 11am", LONDON, "2026-12-11T11:00:00+00:00", 60, "May offsite planning", ()),
    (
        "Sync with <@U1ABC> and <@U2DEF> tomorrow 9am",
        LONDON,
        "2026-12-11T09:00:00+00:00",
        60,
        "Sync",
        ("U1ABC", "U2DEF"),
    ),
    ("Sync with ana@example.com tomorrow 9am", LONDON, "2026-12-11T09:00:00+00:00", 60, "Sync", ("ana@example.com",)),
    (
        "Sync with <mailto:ben@example.com|ben@example.com> tomorrow 9am",
        LONDON,
        "2026-12-11T09:00:00+00:00",
        60,
        "Sync",
        ("ben@example.com",),
    ),
    ("Coffee with Ana tomorrow 9am", LONDON, "2026-12-11T09:00:00+00:00", 60, "Coffee with Ana", ()),
    ("Look at the numbers tomorrow 9am", LONDON, "2026-12-11T09:00:00+00:00", 60, "Look at the numbers", ()),
    ("Sync 9am Pacific", LONDON, "2026-12-10T17:00:00+00:00", 60, "Sync", ()),
    ("Ops review 10:00 UTC tomorrow", LONDON, "2026-12-11T10:00:00+00:00", 60, "Ops review", ()),
    ("EU call 4pm CET", LONDON, "2026-12-11T15:00:00+00:00", 60, "EU call", ()),
    ("Call 3pm UTC+2 tomorrow", LONDON, "2026-12-11T13:00:00+00:00", 60, "Call", ()),
    ("Lunch yesterday at noon", LONDON, NO, None, None, ()),
    ("Retro 3 days ago", LONDON, NO, None, None, ()),
    ("Sync on the 14th at 3pm", LONDON, "2026-12-14T15:00:00+00:00", 60, "Sync", ()),
    ("Sync on the 9th at 3pm", LONDON, "2027-01-09T15:00:00+00:00", 60, "Sync", ()),
    ("Party Feb 29 at 6pm", LONDON, "2028-02-29T18:00:00+00:00", 60, "Party", ()),
    ("Party Feb 30 at 6pm", LONDON, NO, None, None, ()),
    ("Broken at 25:00 tomorrow", LONDON, NO, None, None, ()),
    ("Standup at 8:45 am", LONDON, "2026-12-11T08:45:00+00:00", 60, "Standup", ()),
    ("Hack day 11/12 at 9am", LONDON, "2026-12-11T09:00:00+00:00", 60, "Hack day", ()),
    # en-US, Monday 23 November 2026, 10:00 in New York
    (
        "Design review tomorrow at 3pm for 45 min with <@U024BE7LH>",
        "America/New_York",
        "2026-11-24T15:00:00-05:00",
        45,
        "Design review",
        ("U024BE7LH",),
    ),
    ("Planning 12/3 at 9am", "America/New_York", "2026-12-03T09:00:00-05:00", 60, "Planning", ()),
    ("Planning 3/12 at 9am", "America/New_York", "2027-03-12T09:00:00-05:00", 60, "Planning", ()),
    ("Planning March 16 at 9am", "America/New_York", "2027-03-16T09:00:00-04:00", 60, "Planning", ()),
    ("Standup at 9", "America/New_York", "2026-11-24T09:00:00-05:00", 60, "Standup", ()),
    ("Sync at 11", "America/New_York", "2026-11-23T11:00:00-05:00", 60, "Sync", ()),
    ("Thanksgiving prep Thursday 2pm", "America/New_York", "2026-11-26T14:00:00-05:00", 60, "Thanksgiving prep", ()),
    ("Call 1pm PST", "America/New_York", "2026-11-23T16:00:00-05:00", 60, "Call", ()),
    ("Sync in 45 minutes", "America/New_York", "2026-11-23T10:45:00-05:00", 60, "Sync", ()),
    ("Night deploy 11pm-1am", "America/New_York", "2026-11-23T23:00:00-05:00", 120, "Night deploy", ()),
    ("Lunch 11-1pm", "America/New_York", "2026-11-23T11:00:00-05:00", 120, "Lunch", ()),
    ("Sprint review Dec 1, 2026 at 10am", "America/New_York", "2026-12-01T10:00:00-05:00", 60, "Sprint review", ()),
    ("Sprint review 12/1/2027 10am", "America/New_York", "2027-12-01T10:00:00-05:00", 60, "Sprint review", ()),
    # fr-FR, Thursday 10 December 2026, 16:00 in Paris
    ("Réunion vendredi à 14h", "Europe/Paris", "2026-12-11T14:00:00+01:00", 60, "Réunion", ()),
    (
        "Point d'équipe demain à 10h pendant 30 minutes",
        "Europe/Paris",
        "2026-12-11T10:00:00+01:00",
        30,
        "Point d'équipe",
        (),
    ),
    ("Revue lundi à 9h30", "Europe/Paris", "2026-12-14T09:30:00+01:00", 60, "Revue", ()),
    ("Séminaire le 14 décembre à 15h", "Europe/Paris", "2026-12-14T15:00:00+01:00", 60, "Séminaire", ()),
    ("Atelier de 14h à 15h30 demain", "Europe/Paris", "2026-12-11T14:00:00+01:00", 90, "Atelier", ()),
    ("Appel dans 20 minutes", "Europe/Paris", "2026-12-10T16:20:00+01:00", 60, "Appel", ()),
    ("Appel maintenant", "Europe/Paris", "2026-12-10T16:00:00+01:00", 60, "Appel", ()),
    ("Dîner ce soir à 20h", "Europe/Paris", "2026-12-10T20:00:00+01:00", 60, "Dîner", ()),
    ("Déjeuner demain midi", "Europe/Paris", "2026-12-11T12:00:00+01:00", 60, "Déjeuner", ()),
    ("Rétro vendredi prochain à 11h", "Europe/Paris", "2026-12-11T11:00:00+01:00", 60, "Rétro", ()),
    ("Formation demain à 9h pendant 2 heures", "Europe/Paris", "2026-12-11T09:00:00+01:00", 120, "Formation", ()),
    ("Point hier à 10h", "Europe/Paris", NO, None, None, ()),
    ("Réunion 12/3 à 10h", "Europe/Paris", "2027-03-12T10:00:00+01:00", 60, "Réunion", ()),
    ("Revue le 14/12 à 15h", "Europe/Paris", "2026-12-14T15:00:00+01:00", 60, "Revue", ()),
    ("Bilan demain 9h avec <@U0PARIS>", "Europe/Paris", "2026-12-11T09:00:00+01:00", 60, "Bilan", ("U0PARIS",)),
    # es-ES, Thursday 10 December 2026, 16:00 in Madrid
    ("Revisión mañana a las 15:00", "Europe/Madrid", "2026-12-11T15:00:00+01:00", 60, "Revisión", ()),
    ("Reunión el lunes a las 9:30", "Europe/Madrid", "2026-12-14T09:30:00+01:00", 60, "Reunión", ()),
    ("Comité el 14 de diciembre a las 15:00", "Europe/Madrid", "2026-12-14T15:00:00+01:00", 60, "Comité", ()),
    ("Taller de 14:00 a 15:30 mañana", "Europe/Madrid", "2026-12-11T14:00:00+01:00", 90, "Taller", ()),
    ("Llamada en 20 minutos", "Europe/Madrid", "2026-12-10T16:20:00+01:00", 60, "Llamada", ()),
    ("Llamada ahora", "Europe/Madrid", "2026-12-10T16:00:00+01:00", 60, "Llamada", ()),
    ("Cena esta noche a las 9", "Europe/Madrid", "2026-12-10T21:00:00+01:00", 60, "Cena", ()),
    ("Revisión mañana a las 10 durante 45 minutos", "Europe/Madrid", "2026-12-11T10:00:00+01:00", 45, "Revisión", ()),
    ("Reunión el viernes que viene a las 11:00", "Europe/Madrid", "2026-12-11T11:00:00+01:00", 60, "Reunión", ()),
    ("Almuerzo mañana a mediodía", "Europe/Madrid", "2026-12-11T12:00:00+01:00", 60, "Almuerzo", ()),
    ("Reunión ayer a las 10:00", "Europe/Madrid", NO, None, None, ()),
    ("Revisión 12/3 a las 10:00", "Europe/Madrid", "2027-03-12T10:00:00+01:00", 60, "Revisión", ()),
    # de-DE, Thursday 10 December 2026, 16:00 in Berlin
    ("Besprechung morgen um 14 Uhr", "Europe/Berlin", "2026-12-11T14:00:00+01:00", 60, "Besprechung", ()),
    ("Planung am Montag um 9:30", "Europe/Berlin", "2026-12-14T09:30:00+01:00", 60, "Planung", ()),
    ("Workshop am 14. Dezember um 15 Uhr", "Europe/Berlin", "2026-12-14T15:00:00+01:00", 60, "Workshop", ()),
    ("Workshop von 14 bis 15:30 Uhr morgen", "Europe/Berlin", "2026-12-11T14:00:00+01:00", 90, "Workshop", ()),
    ("Anruf in 20 Minuten", "Europe/Berlin", "2026-12-10T16:20:00+01:00", 60, "Anruf", ()),
    ("Anruf jetzt", "Europe/Berlin", "2026-12-10T16:00:00+01:00", 60, "Anruf", ()),
    ("Abendessen heute Abend um 20 Uhr", "Europe/Berlin", "2026-12-10T20:00:00+01:00", 60, "Abendessen", ()),
    ("Review morgen um 10 Uhr für 45 Minuten", "Europe/Berlin", "2026-12-11T10:00:00+01:00", 45, "Review", ()),
    ("Retro nächsten Freitag um 11 Uhr", "Europe/Berlin", "2026-12-11T11:00:00+01:00", 60, "Retro", ()),
    ("Termin 14.12. um 10 Uhr", "Europe/Berlin", "2026-12-14T10:00:00+01:00", 60, "Termin", ()),
    ("Termin gestern um 10 Uhr", "Europe/Berlin", NO, None, None, ()),
    ("Mittagessen morgen um 12.30 Uhr", "Europe/Berlin", "2026-12-11T12:30:00+01:00", 60, "Mittagessen", ()),
    ("Übergabe übermorgen um 9 Uhr", "Europe/Berlin", "2026-12-12T09:00:00+01:00", 60, "Übergabe", ()),
    # en-IN, +05:30
    ("Standup tomorrow 9:15am", "Asia/Kolkata", "2026-12-11T09:15:00+05:30", 60, "Standup", ()),
    ("Call 10:00 UTC tomorrow", "Asia/Kolkata", "2026-12-11T15:30:00+05:30", 60, "Call", ()),
    ("Review 5/1 at 11am", "Asia/Kolkata", "2027-01-05T11:00:00+05:30", 60, "Review", ()),
    ("Handover 4:30pm IST", "Asia/Kolkata", "2026-12-10T16:30:00+05:30", 60, "Handover", ()),
    # en-AU, Sydney, +11:00 in December, +10:00 from April
    ("Sync tomorrow 9am", "Australia/Sydney", "2026-12-11T09:00:00+11:00", 60, "Sync", ()),
    ("Quarterly April 6 at 10am", "Australia/Sydney", "2027-04-06T10:00:00+10:00", 60, "Quarterly", ()),
    ("Call 3pm PST", "Australia/Sydney", "2026-12-11T10:00:00+11:00", 60, "Call", ()),
    ("Sync in 2 hours", "Australia/Sydney", "2026-12-10T18:00:00+11:00", 60, "Sync", ()),
    # en-NZ, Auckland, +13:00 in December
    ("Sync tomorrow 8:30am", "Pacific/Auckland", "2026-12-11T08:30:00+13:00", 60, "Sync", ()),
    ("Sync 10:00 UTC", "Pacific/Auckland", "2026-12-10T23:00:00+13:00", 60, "Sync", ()),
    # en-US, Los Angeles, the day before daylight saving starts
    ("Brunch tomorrow 11am", "America/Los_Angeles", "2026-03-08T11:00:00-07:00", 60, "Brunch", ()),
    ("Early call tomorrow 2:30am", "America/Los_Angeles", "2026-03-08T03:30:00-07:00", 60, "Early call", ()),
    ("Sync tonight at 9", "America/Los_Angeles", "2026-03-07T21:00:00-08:00", 60, "Sync", ()),
]


def parse(text: str, zone: str):
    return parse_meeting_text(
        text, tz=zone, now=datetime.fromisoformat(NOWS[zone]), locale=LOCALES[zone], default_duration=60
    )


@pytest.mark.parametrize(("text", "zone", "start", "duration", "topic", "invitees"), CASES)
def test_phrase(text, zone, start, duration, topic, invitees):
    result = parse(text, zone)
    if start is None:
        assert isinstance(result, Refusal), result
        assert result.reason
        return
    assert isinstance(result, MeetingRequest), result
    assert result.start.isoformat() == start
    assert (
        result.start.tzinfo == ZoneInfo(zone) or result.start.utcoffset() == datetime.fromisoformat(start).utcoffset()
    )
    assert (result.duration_minutes, result.topic, result.invitees) == (duration, topic, invitees)
    assert result.recurrence is None


def test_the_table_covers_enough():
    assert len(CASES) >= 100
    assert len({zone for _, zone, *_ in CASES}) >= 6
    assert len({LOCALES[zone][:2] for _, zone, *_ in CASES}) >= 4


def test_refusals_say_what_to_do():
    past = parse("Lunch last tuesday", LONDON)
    assert isinstance(past, Refusal) and "past" in past.reason and "tomorrow at 3pm" in past.reason
    missing = parse("Retro with <@U1>", LONDON)
    assert isinstance(missing, Refusal) and "When should it start" in missing.reason
    assert (missing.topic, missing.invitees) == ("Retro", ("U1",))  # kept, to prefill a form
    long = parse("Marathon tomorrow 9am for 25 hours", LONDON)
    assert isinstance(long, Refusal) and "24 hours" in long.reason


def test_the_default_duration_is_configurable():
    result = parse_meeting_text(
        "Sync tomorrow 9am", tz=LONDON, now=datetime.fromisoformat(NOWS[LONDON]), default_duration=25
    )
    assert isinstance(result, MeetingRequest) and result.duration_minutes == 25


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=120),
    zone=st.sampled_from(sorted(NOWS)),
)
def test_any_text_gives_a_result_or_a_refusal(text, zone):
    result = parse(text, zone)
    assert isinstance(result, (MeetingRequest, Refusal))
    if isinstance(result, MeetingRequest):
        assert 0 < result.duration_minutes <= 24 * 60
        assert result.start >= datetime.fromisoformat(NOWS[zone]).replace(second=0)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(
            [
                "at",
                "3pm",
                "tomorrow",
                "for",
                "45",
                "min",
                "friday",
                "in",
                "99999999999",
                "hours",
                "-",
                "12/31",
                "2026-02-30",
                "noon",
                "<@U1>",
                "a@b.co",
                "demain",
                "à",
                "14h",
                "um",
                "Uhr",
                "last",
                "ago",
                "PST",
                "UTC+14",
                "9999-12-31",
                "23:59",
                "0",
                "1h30",
                "half",
                "an",
                "hour",
                "tonight",
                "next",
                "every",
                "other",
                "monday",
                "weekday",
                "last",
                "of",
                "month",
                "until",
                "the",
                "18th",
                "10",
                "times",
                "daily",
                "morning",
                "evening",
                "end",
                "day",
                "half",
                "past",
                "quarter",
                "to",
                "three",
                "o'clock",
                "Paris",
                "time",
                "ET",
                "tmrw",
                "wensday",
                "week",
                "days",
                "jeden",
                "halb",
                "vier",
                "de la tarde",
                "tous les",
                "2040-01-01",
            ]
        ),
        max_size=12,
    ),
    zone=st.sampled_from(sorted(NOWS)),
)
def test_date_like_word_soup_never_raises(words, zone):
    assert isinstance(parse(" ".join(words), zone), (MeetingRequest, Refusal))


def test_a_start_too_far_ahead_is_refused_not_an_error():
    result = parse("Sync in 99999999999 hours", LONDON)
    assert isinstance(result, Refusal) and "too far ahead" in result.reason
