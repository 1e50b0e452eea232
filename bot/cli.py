"""The `webexbot` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return int(args.run(args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="webexbot", description="Schedule, start and join Webex sessions from Slack.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    simulate = commands.add_parser("simulate-webex", help="serve a stand-in Webex site (XML API and URL API pages)")
    simulate.add_argument("--host", default="127.0.0.1")
    simulate.add_argument("--port", type=int, default=8080)
    simulate.add_argument("--latency-ms", type=int, default=0, help="delay every XML API reply")
    simulate.add_argument("--fail-rate", type=float, default=0.0, help="fraction of XML API calls answered 503")
    simulate.add_argument("--guide", action="store_true", help="seed the site the guide's samples assume")
    simulate.set_defaults(run=_simulate)

    demo = commands.add_parser(
        "demo",
        help="try it with no accounts: a Slack-like web console driving the real bot and a simulated Webex site",
    )
    demo.add_argument("--port", type=int, default=3000, help="port of the web console (0 picks a free one)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--db", help="keep the bot's data in this SQLite file (default: a temporary directory)")
    demo.set_defaults(run=_demo)

    serve = commands.add_parser(
        "serve",
        help="run the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT)",
        description="Run the Slack app. Settings come from the environment; see the README.",
    )
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", dest="mode", action="store_const", const="http", help="force HTTP mode")
    mode.add_argument("--socket", dest="mode", action="store_const", const="socket", help="force Socket Mode")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on in HTTP mode")
    serve.set_defaults(run=_serve, mode="auto")

    doctor = commands.add_parser(
        "doctor", help="check the settings, Slack, Webex and the database, and say how to fix what fails"
    )
    doctor.set_defaults(run=_doctor)

    parse = commands.add_parser(
        "parse",
        help="show how a meeting request is understood (JSON)",
        description="Print the topic, start, duration and invitees read from TEXT as JSON; "
        'with --batch, read JSON lines {"text", "tz", "now", "locale"} from standard input.',
    )
    parse.add_argument("text", nargs="?", help="for example: Design review tomorrow at 3pm for 45 min")
    parse.add_argument("--tz", default="UTC", help="the user's IANA time zone (default UTC)")
    parse.add_argument("--now", help="ISO 8601 moment with offset to read relative words against (default: now)")
    parse.add_argument("--locale", default="en-US", help="the user's Slack locale (default en-US)")
    parse.add_argument("--batch", action="store_true", help="read JSON lines from standard input")
    parse.set_defaults(run=_parse)
    return parser


def _simulate(args: argparse.Namespace) -> int:
    from webex.simulator import Faults, WebexSimulator, demo_site, guide_site

    if not 0.0 <= args.fail_rate <= 1.0:
        print("--fail-rate must be between 0 and 1", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    state = guide_site() if args.guide else demo_site()
    simulator = WebexSimulator(state, faults=Faults(latency_ms=args.latency_ms, fail_rate=args.fail_rate))

    async def serve() -> None:
        url = await simulator.start(args.host, args.port)
        print(f"Webex simulator: site {state.site_name!r} at {url}/WBXService/XMLService", flush=True)
        try:
            await asyncio.Event().wait()
        finally:
            await simulator.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from sandbox.demo import run_demo

    from .logs import configure

    configure(os.environ.get("WEBEXBOT_LOG_LEVEL", "WARNING"))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_demo(args.host, args.port, args.db))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .app import build_bot
    from .http import HttpServer
    from .logs import configure
    from .settings import Settings, SettingsError
    from .socket_mode import socket_handler

    try:
        settings = Settings.from_env(mode=args.mode)
    except SettingsError as error:
        print("webexbot can't start; fix these settings:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    configure(os.environ.get("WEBEXBOT_LOG_LEVEL", "INFO"))

    async def serve() -> None:
        bot = build_bot(settings)
        try:
            if settings.socket_mode:
                print("webexbot: Socket Mode", flush=True)
                await bot.start_background()
                await socket_handler(bot).start_async()
            else:
                server = HttpServer(bot)
                url = await server.start(args.host, settings.port)
                print(f"webexbot: listening on {url}/slack/events", flush=True)
                try:
                    await asyncio.Event().wait()
                finally:
                    await server.stop()
        finally:
            await bot.aclose()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import Check, run_checks, table
    from .settings import Settings, SettingsError

    try:
        settings = Settings.from_env(mode="auto")
    except SettingsError as error:
        print(table([Check("settings", False, problem, "set it in the environment") for problem in error.problems]))
        return 2
    checks = asyncio.run(run_checks(settings))
    print(table(checks))
    return 0 if all(c.ok for c in checks) else 1


def _parse(args: argparse.Namespace) -> int:
    from commands.meeting_text import parse_meeting_text

    default_duration = _default_duration()

    def one(text: object, tz: object, now: object, locale: object) -> dict[str, object]:
        if not isinstance(text, str) or not isinstance(tz, str) or not isinstance(locale, str):
            return {"error": "each line needs text and tz as strings"}
        try:
            moment = datetime.fromisoformat(now) if isinstance(now, str) else datetime.now(UTC)
            ZoneInfo(tz)
        except (ValueError, ZoneInfoNotFoundError):
            return {"error": f"bad now or tz: {now!r}, {tz!r}"}
        if moment.tzinfo is None:
            return {"error": "now needs a UTC offset, like 2026-11-23T10:00:00-05:00"}
        return parse_meeting_text(text, tz=tz, now=moment, locale=locale, default_duration=default_duration).as_json()

    if args.batch:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                item = None
            if not isinstance(item, dict):
                print(json.dumps({"error": "not a JSON object"}), flush=True)
                continue
            reply = one(item.get("text"), item.get("tz"), item.get("now"), item.get("locale", "en-US"))
            print(json.dumps(reply, ensure_ascii=False))
        return 0
    if args.text is None:
        print(json.dumps({"error": "give the text to read, or --batch"}))
        return 1
    reply = one(args.text, args.tz, args.now, args.locale)
    print(json.dumps(reply, ensure_ascii=False))
    return 0 if "error" not in reply else 1


def _default_duration() -> int:
    raw = os.environ.get("WEBEXBOT_DEFAULT_DURATION", "60")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 1440 else 60


if __name__ == "__main__":
    sys.exit(main())
