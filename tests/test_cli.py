from __future__ import annotations

import subprocess
import sys

import httpx

from webex.xml import Node, parse_document


def test_help_lists_the_commands():
    shown = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "simulate-webex" in shown


def test_simulate_webex_serves_the_guide_site_on_a_free_port():
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "simulate-webex", "--port", "0", "--guide"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "site 'acme'" in line
        endpoint = line.rsplit(" ", 1)[-1].strip()
        request = (
            b'<serv:message xmlns:serv="http://www.webex.com/schemas/2002/06/service" '
            b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><header><securityContext>'
            b"<webExID>hostid</webExID><password>hostpassword</password><siteID>0000</siteID>"
            b'</securityContext></header><body><bodyContent xsi:type="java:com.webex.service.binding.'
            b'meeting.GetMeeting"><meetingKey>48591508</meetingKey></bodyContent></body></serv:message>'
        )
        reply = Node(parse_document(httpx.post(endpoint, content=request, timeout=10).content))
        assert reply.text("header/response/result") == "SUCCESS"
        assert reply.text("body/bodyContent/metaData/confName") == "Sample Meeting"
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def test_bad_fail_rate_is_refused():
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate-webex", "--fail-rate", "2"], capture_output=True, text=True
    )
    assert run.returncode == 2 and "fail-rate" in run.stderr


def run_parse(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "parse", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


def test_parse_prints_one_json_object():
    import json

    run = run_parse(
        "Design review tomorrow at 3pm for 45 min with <@U024BE7LH>",
        "--tz",
        "America/New_York",
        "--now",
        "2026-11-23T10:00:00-05:00",
        "--locale",
        "en-US",
    )
    assert run.returncode == 0
    assert json.loads(run.stdout) == {
        "topic": "Design review",
        "start": "2026-11-24T15:00:00-05:00",
        "duration_minutes": 45,
        "invitees": ["U024BE7LH"],
    }


def test_parse_refusal_is_an_error_object_and_exit_1():
    import json

    run = run_parse("Lunch last tuesday", "--tz", "Europe/London", "--now", "2026-12-10T16:00:00+00:00")
    assert run.returncode == 1
    assert "past" in json.loads(run.stdout)["error"]


def test_parse_uses_the_configured_default_duration():
    import json

    run = run_parse(
        "Sync tomorrow 9am",
        "--tz",
        "UTC",
        "--now",
        "2026-12-10T16:00:00+00:00",
        env={"WEBEXBOT_DEFAULT_DURATION": "25"},
    )
    assert json.loads(run.stdout)["duration_minutes"] == 25


def test_parse_batch_answers_each_line_in_order():
    import json

    lines = [
        {"text": "Réunion vendredi à 14h", "tz": "Europe/Paris", "now": "2026-12-10T16:00:00+01:00", "locale": "fr-FR"},
        "not json",
        {"text": "Lunch last tuesday", "tz": "Europe/London", "now": "2026-12-10T16:00:00+00:00"},
        {"text": "Sync 9am", "tz": "Not/AZone", "now": "2026-12-10T16:00:00+00:00"},
        {"text": "Sync in 20 minutes", "tz": "Asia/Kolkata", "now": "2026-12-10T16:00:00+05:30"},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    run = run_parse("--batch", stdin=stdin)
    assert run.returncode == 0
    replies = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(replies) == 5
    assert replies[0]["start"] == "2026-12-11T14:00:00+01:00" and replies[0]["topic"] == "Réunion"
    assert set(replies[1]) == {"error"} and set(replies[2]) == {"error"} and set(replies[3]) == {"error"}
    assert replies[4]["start"] == "2026-12-10T16:20:00+05:30"


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def test_version_is_printed():
    from importlib.metadata import version

    run = cli("--version")
    assert run.returncode == 0 and run.stdout.strip() == f"webexbot {version('webexbot')}"


def test_every_flag_has_help_and_shows_its_default(monkeypatch):
    import argparse

    from bot.cli import build_parser

    monkeypatch.setenv("COLUMNS", "400")  # no wrapping inside "(default: en-US)"

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"simulate-webex", "demo", "serve", "doctor", "migrate", "parse"}
    for name, command in commands.choices.items():
        shown = " ".join(command.format_help().split())
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
                assert f"(default: {action.default})" in shown, f"{name} {action.option_strings} hides its default"
    simulate = " ".join(cli("simulate-webex", "--help").stdout.split())
    assert "--host HOST address to listen on (default: 127.0.0.1)" in simulate
    assert "(default: 8080)" in simulate


def test_parse_errors_are_in_plain_words():
    import json

    zone = json.loads(cli("parse", "Sync 9am", "--tz", "Not/AZone").stdout)["error"]
    assert zone.startswith("unknown time zone 'Not/AZone'") and "Europe/Paris" in zone
    moment = json.loads(cli("parse", "Sync 9am", "--now", "yesterday").stdout)["error"]
    assert "ISO 8601" in moment and "'yesterday'" in moment
    for locale in ("xx-YY", "klingon", "en-"):
        refused = cli("parse", "Sync 9am", "--locale", locale)
        assert refused.returncode == 1
        assert json.loads(refused.stdout)["error"].startswith(f"unknown locale {locale!r}")
    for locale in ("en-GB", "fr-FR", "es-LA", "pt_BR", "de"):
        assert cli("parse", "Sync tomorrow 9am", "--locale", locale).returncode == 0, locale


def test_a_port_in_use_is_one_line_not_a_traceback():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        for command in (("simulate-webex", "--port", port), ("demo", "--port", port)):
            run = cli(*command)
            assert run.returncode == 1, run.stderr
            assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
            assert f"127.0.0.1:{port} is already in use" in run.stderr


def test_the_demo_removes_its_temporary_folder_on_exit(tmp_path):
    import os

    demo = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    try:
        assert demo.stdout is not None
        line = demo.stdout.readline()
        assert "webexbot demo: open" in line
        folders = list(tmp_path.glob("webexbot-demo-*"))
        assert len(folders) == 1 and (folders[0] / "webexbot.db").exists()
    finally:
        demo.terminate()
        _, errors = demo.communicate(timeout=20)
    assert demo.returncode == 0, errors
    assert "Traceback" not in errors
    assert list(tmp_path.glob("webexbot-demo-*")) == []
