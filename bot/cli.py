"""The `webexbot` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence


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


if __name__ == "__main__":
    sys.exit(main())
