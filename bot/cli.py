"""The `webexbot` command line."""

from __future__ import annotations

import argparse
import asyncio
import errno
import gc
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from .settings import Settings

LOCALE = re.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?")


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows each flag's default, except where there is none to show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default is False or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return int(args.run(args) or 0)


def _version() -> str:
    try:
        return version("webexbot")
    except PackageNotFoundError:
        return "unknown (not installed)"


AddCommand = Callable[..., argparse.ArgumentParser]  # a subcommand's parser, by name, help and options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="webexbot",
        description="Schedule, start and join Webex sessions from Slack.",
        epilog="Run `webexbot COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help: str, **options: Any) -> argparse.ArgumentParser:
        return commands.add_parser(
            name, help=help, description=options.pop("description", help), formatter_class=HelpFormatter, **options
        )

    for add in (_simulate_command, _demo_command, _serve_command, _doctor_command, _migrate_command, _parse_command):
        add(command)
    return parser


def _simulate_command(command: AddCommand) -> None:
    simulate = command("simulate-webex", "serve a stand-in Webex site (XML API and URL API pages)")
    simulate.add_argument("--host", default="127.0.0.1", help="address to listen on")
    simulate.add_argument("--port", type=int, default=8080, help="port to listen on (0 picks a free one)")
    simulate.add_argument("--latency-ms", type=int, default=0, help="delay added to every XML API reply")
    simulate.add_argument("--fail-rate", type=float, default=0.0, help="fraction (0-1) of XML API calls answered 503")
    simulate.add_argument("--guide", action="store_true", help="seed the site the guide's samples assume (XML)")
    simulate.add_argument(
        "--api", choices=("xml", "rest"), default="xml", help="the XML API with URL API pages, or the REST API (/v1)"
    )
    simulate.add_argument(
        "--reply-latency-ms", type=int, default=0, help="delay every XML API reply after the operation is carried out"
    )
    simulate.set_defaults(run=_simulate)


def _demo_command(command: AddCommand) -> None:
    demo = command(
        "demo", "try it with no accounts: a Slack-like web console driving the real bot and a simulated Webex site"
    )
    demo.add_argument("--port", type=int, default=3000, help="port of the web console (0 picks a free one)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on")
    demo.add_argument(
        "--db", help="keep the bot's data in this SQLite file (default: a temporary folder, removed on exit)"
    )
    demo.add_argument("--api", choices=("xml", "rest"), default="xml", help="the Webex API the demo site speaks")
    demo.set_defaults(run=_demo)


def _serve_command(command: AddCommand) -> None:
    serve = command(
        "serve",
        "run the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT)",
        description="Run the Slack app. Settings come from the environment (see the README); GET /healthz "
        "answers on PORT in both modes.",
    )
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--http", dest="mode", action="store_const", const="http", help="force HTTP mode")
    mode.add_argument("--socket", dest="mode", action="store_const", const="socket", help="force Socket Mode")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (the port is PORT, default 3000)")
    serve.set_defaults(run=_serve, mode="auto")


def _doctor_command(command: AddCommand) -> None:
    doctor = command(
        "doctor",
        "check the settings, Slack, Webex and the database, and say how to fix what fails",
        description="Check the settings (from the environment, as `serve` reads them), Slack (the bot token, "
        "its scopes, the app token), Webex (the service account) and the database, without changing "
        "anything; exit 1 when a check fails, 2 when settings are missing.",
    )
    doctor.add_argument("--team", default="", help="check this workspace's stored Webex connection (T…)")
    doctor.set_defaults(run=_doctor)


def _migrate_command(command: AddCommand) -> None:
    migrate = command(
        "migrate",
        "bring the database's tables up to date (serve also does it at start)",
        description="Apply the pending migrations to WEBEXBOT_DB (a SQLite file, created if missing, or a "
        "postgresql:// URL); safe to run while other processes start or serve.",
    )
    migrate.set_defaults(run=_migrate)


def _parse_command(command: AddCommand) -> None:
    parse = command(
        "parse",
        "show how a meeting request is understood (JSON)",
        description="Print the topic, start, duration and invitees read from TEXT as JSON; "
        'with --batch, read JSON lines {"text", "tz", "now", "locale"} from standard input.',
    )
    parse.add_argument("text", nargs="?", help="for example: Design review tomorrow at 3pm for 45 min")
    parse.add_argument("--tz", default="UTC", help="the user's IANA time zone")
    parse.add_argument("--now", help="ISO 8601 moment with offset to read relative words against (default: now)")
    parse.add_argument("--locale", default="en-US", help="the user's Slack locale, like en-GB or fr-FR")
    parse.add_argument("--batch", action="store_true", help="read JSON lines from standard input")
    parse.set_defaults(run=_parse)


def _run_server(main: Coroutine[Any, Any, None], host: str, port: int) -> int:
    """Runs a server until interrupted (SIGTERM too, so it cleans up); a port in use is one line and exit 1."""
    try:
        asyncio.run(_until_stopped(main))
    except KeyboardInterrupt:  # Ctrl-C: asyncio.run has cancelled `main` (so it cleaned up) and says so
        pass
    except OSError as error:
        return _port_refused(error, host, port)
    return 0


async def _until_stopped(main: Coroutine[Any, Any, None]) -> None:
    """`main`, cancelled on SIGTERM from inside the loop, as asyncio.run does on Ctrl-C. (A KeyboardInterrupt
    raised from the signal could land halfway through the loop's own bookkeeping and lose a task's wake-up,
    and the clean-up then waited for that task for ever.)"""
    task = asyncio.current_task()
    assert task is not None
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        task.cancel()

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop)
    try:
        await main
    except asyncio.CancelledError:
        if not stopped:
            raise


def _port_refused(error: OSError, host: str, port: int) -> int:
    if error.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
        raise error
    reason = {errno.EADDRINUSE: "is already in use", errno.EACCES: "needs more privileges"}
    print(
        f"webexbot: {host}:{port} {reason.get(error.errno, 'is not an address of this machine')}; "
        "choose another port (or stop what is using it)",
        file=sys.stderr,
    )
    return 1


def _simulate(args: argparse.Namespace) -> int:
    from webex.simulator import Faults, WebexSimulator, demo_site, guide_site

    if not 0.0 <= args.fail_rate <= 1.0:
        print("--fail-rate must be between 0 and 1", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.api == "rest":
        from webex.rest_simulator.cli import main_rest

        main_rest(args.port, args.host, args.latency_ms, args.fail_rate)
        return 0
    state = guide_site() if args.guide else demo_site()
    faults = Faults(latency_ms=args.latency_ms, fail_rate=args.fail_rate, reply_latency_ms=args.reply_latency_ms)
    simulator = WebexSimulator(state, faults=faults)

    serving = simulator.serve(
        args.host, args.port, lambda url: f"Webex simulator: site {state.site_name!r} at {url}/WBXService/XMLService"
    )
    return _run_server(serving, args.host, args.port)


def _demo(args: argparse.Namespace) -> int:
    from sandbox.demo import run_demo

    from .logs import configure

    configure(os.environ.get("WEBEXBOT_LOG_LEVEL", "WARNING"))
    return _run_server(run_demo(args.host, args.port, args.db, api=args.api), args.host, args.port)


def _serve(args: argparse.Namespace) -> int:
    from .logs import configure
    from .settings import Settings, SettingsError

    try:
        settings = Settings.from_env(mode=args.mode)
    except SettingsError as error:
        print("webexbot can't start; fix these settings:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    configure(os.environ.get("WEBEXBOT_LOG_LEVEL", "INFO"))
    if settings.processes == 1:
        return _run_server(_serve_one(settings, args.host, settings.port), args.host, settings.port)
    from .processes import Children, reserve

    try:
        port = reserve(args.host, settings.port)
    except OSError as error:
        return _port_refused(error, args.host, settings.port)
    with port:
        bound = int(port.getsockname()[1])
        serve = partial(_serve_child, settings, args.host, bound)
        return Children(settings.processes, serve).run()


def _serve_child(settings: Settings, host: str, port: int, slot: int, ready: Callable[[], None]) -> int:
    return _run_server(_serve_one(settings, host, port, slot=slot, ready=ready), host, port)


async def _serve_one(
    settings: Settings, host: str, port: int, *, slot: int = 0, ready: Callable[[], None] | None = None
) -> None:
    """One serving process. With `ready` (called once it serves), one of several on the port (bot/processes.py),
    `slot` its place among them."""
    from .app import build_bot
    from .http import HttpServer

    bot = build_bot(settings, process=slot)
    server = HttpServer(bot, slack_events=not settings.socket_mode)
    try:
        url = await server.start(host, port, reuse_port=ready is not None)
        if os.environ.get("WEBEXBOT_GC_FREEZE", "1") != "0":
            gc.collect()
            gc.freeze()  # what start-up built lives as long as the process: the collector need not scan it
        if settings.worker != "thread":  # once this process serves: until the worker is ready, it does the work
            from .worker_link import WorkerLink

            mode = "socket" if settings.socket_mode else "http"
            idle_s = settings.worker_idle_seconds if settings.worker == "auto" else 0
            bot.worker = WorkerLink(bot.replica.identity, mode, idle_s=idle_s, retired=bot.runner.take_back)
            bot.store.leave_checkpoints_to_worker()
            bot.worker.start()
        if settings.socket_mode:
            from .socket_mode import socket_handler  # its client loads only in Socket Mode

            print(f"webexbot: Socket Mode; health check at {url}/healthz", flush=True)
            handler = socket_handler(bot)
            try:
                await handler.start_async()
            finally:
                await handler.close_async()
        else:
            print(f"webexbot: listening on {url}/slack/events (health check at {url}/healthz)", flush=True)
            if ready is not None:
                ready()
            await asyncio.Event().wait()
    finally:
        await server.stop()
        if bot.worker is not None:
            await bot.worker.stop()
        await bot.aclose()


def _doctor(args: argparse.Namespace) -> int:
    from .doctor import run_checks, settings_checks, table
    from .settings import Settings, SettingsError

    try:
        settings = Settings.from_env(mode="auto")
    except SettingsError as error:
        print(table(settings_checks(error.problems, os.environ)))
        return 2
    checks = asyncio.run(run_checks(settings, args.team.strip()))
    print(table(checks))
    return 0 if all(c.ok for c in checks) else 1


def _migrate(args: argparse.Namespace) -> int:
    from storage import StoreUnavailable
    from storage.engine import masked, open_engine
    from storage.versions import migrate

    from .settings import Settings

    target = os.environ.get("WEBEXBOT_DB", "").strip() or Settings.db_path
    try:
        engine = open_engine(target)
        try:
            applied = migrate(engine)
        finally:
            engine.close()
    except StoreUnavailable as error:
        print(f"webexbot migrate: {masked(target)}: {error.reason}; nothing was changed", file=sys.stderr)
        return 1
    done = f"applied {', '.join(applied)}" if applied else "already up to date"
    print(f"webexbot migrate: {masked(target)}: {done}")
    return 0


def _parse(args: argparse.Namespace) -> int:
    from commands.meeting_text import parse_meeting_text

    default_duration = _default_duration()

    def one(text: object, tz: object, now: object, locale: object) -> dict[str, object]:
        if not isinstance(text, str) or not isinstance(tz, str) or not isinstance(locale, str):
            return {"error": "each line needs text, tz and locale as strings"}
        problem = _zone_problem(tz) or _locale_problem(locale)
        moment = _moment(now)
        if problem or isinstance(moment, str):
            return {"error": problem or str(moment)}
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


def _zone_problem(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ValueError, ZoneInfoNotFoundError):
        return f"unknown time zone {tz!r}: give an IANA zone name, like Europe/Paris or America/New_York"
    return ""


def _locale_problem(locale: str) -> str:
    from dateparser.data.languages_info import language_order

    found = LOCALE.fullmatch(locale)
    if found is None or found.group(1).lower() not in language_order:
        return f"unknown locale {locale!r}: give a language and region, like en-US, en-GB or fr-FR"
    return ""


def _moment(now: object) -> datetime | str:
    """The moment to read relative words against, or what is wrong with it."""
    if now is None:
        return datetime.now(UTC)
    example = "like 2026-11-23T10:00:00-05:00"
    try:
        moment = datetime.fromisoformat(now) if isinstance(now, str) else None
    except ValueError:
        moment = None
    if moment is None:
        return f"now must be an ISO 8601 date and time, {example}, not {now!r}"
    if moment.tzinfo is None:
        return f"now needs a UTC offset, {example}"
    return moment


def _default_duration() -> int:
    raw = os.environ.get("WEBEXBOT_DEFAULT_DURATION", "60")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 1440 else 60


if __name__ == "__main__":
    sys.exit(main())
