"""The comparison app, written the way Bolt's docs teach: `slack_bolt.App`, a `/webex` listener that acks and
then does the one Webex call with `requests` and posts the reply to the response URL with `requests`, served
by waitress. `bench/load.py --compare` drives it next to webexbot; it is not part of webexbot.

    python3 -m bench.anchor_sync_bolt [--tuned] [--port 0]

"default": waitress's defaults (4 threads, 100 connections) and Bolt's (5 listener threads), `requests.post`.
"tuned": waitress with 16 threads and 1000 connections, 100 listener threads, one pooled `requests.Session`.
`join N` asks GetjoinurlMeeting (XML) or POST /meetings/join (REST); `schedule TOPIC WHEN` sends
CreateMeeting (XML) or POST /meetings (REST) for the caller's linked host. Settings come from the same
variables as webexbot's, plus ANCHOR_CONFIG: a JSON file with `links` (Slack user -> Webex host), `meetings`
(number -> host) and `people` (Slack user -> email), what webexbot keeps in its store and learns from Slack.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import dateparser
import requests
import waitress
from lxml import etree
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

SERV = "http://www.webex.com/schemas/2002/06/service"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
ZONE, ZONE_ID = "America/New_York", "11"  # the Slack stand-in's people live there; 11 is Webex's Eastern
SCHEDULE = re.compile(r"schedule\s+(?P<topic>.+?)\s+(?P<when>(?:today|tomorrow|next\s+\w+|on\s+.+)(?:\s+at\s+.+)?)$")


@dataclass
class Webex:
    """The one Webex call per command, on either API, with `requests`."""

    http: Any  # the requests module (default) or a pooled requests.Session (tuned)
    env: dict[str, str]
    config: dict[str, dict[str, str]]

    def join_link(self, number: str, user_id: str, name: str) -> str:
        if self.env.get("WEBEX_API") == "rest":
            body = {"meetingNumber": number, "email": self.config["people"][user_id], "displayName": name,
                    "hostEmail": self.config["meetings"].get(number, ""), "joinDirectly": False}
            return str(self._rest("meetings/join", body)["joinLink"])
        attendee = [("attendeeName", name), ("attendeeEmail", self.config["people"][user_id])]
        reply = self._xml("GetjoinurlMeeting", [("sessionKey", number), *attendee])
        return _text(reply, "joinMeetingURL")

    def schedule(self, host: str, topic: str, start: datetime) -> str:
        """The new meeting's number."""
        if self.env.get("WEBEX_API") == "rest":
            end = start + timedelta(minutes=60)
            body = {"title": topic, "start": start.isoformat(), "end": end.isoformat(), "timezone": ZONE,
                    "hostEmail": host}
            return str(self._rest("meetings", body)["meetingNumber"])
        schedule = [("startDate", start.strftime("%m/%d/%Y %H:%M:%S")), ("duration", "60"),
                    ("timeZoneID", ZONE_ID), ("hostWebExID", host)]
        reply = self._xml("CreateMeeting", [("metaData", [("confName", topic)]), ("schedule", schedule)])
        return _text(reply, "meetingkey")

    def _rest(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.env['WEBEX_ACCESS_TOKEN']}"}
        reply = self.http.post(f"{self.env['WEBEX_API_URL']}/{path}", json=body, headers=headers, timeout=10)
        reply.raise_for_status()
        return dict(reply.json())

    def _xml(self, operation: str, fields: list[tuple[str, Any]]) -> etree._Element:
        message = etree.Element(f"{{{SERV}}}message", nsmap={"serv": SERV, "xsi": XSI})
        security = etree.SubElement(etree.SubElement(message, "header"), "securityContext")
        _fill(security, [("siteName", self.env["WEBEX_SITE_NAME"]), ("webExID", self.env["WEBEX_USER"]),
                         ("password", self.env["WEBEX_PASSWORD"])])
        content = etree.SubElement(etree.SubElement(message, "body"), "bodyContent")
        content.set(f"{{{XSI}}}type", f"java:com.webex.service.binding.meeting.{operation}")
        _fill(content, fields)
        url = f"{self.env['WEBEX_SITE_URL']}/WBXService/XMLService"
        reply = self.http.post(url, data=etree.tostring(message, xml_declaration=True, encoding="UTF-8"), timeout=10)
        reply.raise_for_status()
        root = etree.fromstring(reply.content, PARSER)
        if _text(root, "result") != "SUCCESS":
            raise RuntimeError(f"{operation}: {_text(root, 'exceptionID')}")
        return root


def _fill(parent: etree._Element, fields: list[tuple[str, Any]]) -> None:
    for name, value in fields:
        child = etree.SubElement(parent, name)
        if isinstance(value, list):
            _fill(child, value)
        else:
            child.text = value


def _text(root: etree._Element, name: str) -> str:
    """The first element of that local name, in any case (the API mixes meetingkey and meetingKey)."""
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname.lower() == name.lower():
            return (element.text or "").strip()
    return ""


def escape(text: str) -> str:
    """User text as Slack mrkdwn shows it literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_app(env: dict[str, str], config: dict[str, dict[str, str]], tuned: bool) -> App:
    client = WebClient(token=env["SLACK_BOT_TOKEN"], base_url=env["SLACK_API_URL"])
    executor = ThreadPoolExecutor(max_workers=100) if tuned else None
    app = App(client=client, signing_secret=env["SLACK_SIGNING_SECRET"], listener_executor=executor)
    http: Any = requests
    if tuned:
        http = requests.Session()
        http.mount("http://", requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=100))
    webex = Webex(http, env, config)

    @app.command("/webex")
    def webex_command(ack: Ack, command: dict[str, str]) -> None:
        ack()
        try:
            reply = answer(webex, config, command)
        except Exception as error:  # the user hears of every failure; the benchmark counts it
            reply = {"response_type": "ephemeral", "text": f"Sorry, Webex failed: {type(error).__name__}"}
        http.post(command["response_url"], json=reply, timeout=10)

    return app


def answer(webex: Webex, config: dict[str, dict[str, str]], command: dict[str, str]) -> dict[str, str]:
    text, user = command["text"].strip(), command["user_id"]
    if text.startswith("join "):
        number = text.split()[1]
        url = webex.join_link(number, user, command["user_name"])
        return {"response_type": "ephemeral", "text": f"<{url}|Join meeting {escape(number)}>"}
    found = SCHEDULE.match(text)
    settings = {"TIMEZONE": ZONE, "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "future"}
    start = dateparser.parse(found["when"], languages=["en"], settings=settings) if found else None
    if found is None or start is None or user not in config["links"]:
        return {"response_type": "ephemeral", "text": "Sorry, I can't read that: try `/webex schedule TOPIC WHEN`."}
    number = webex.schedule(config["links"][user], found["topic"], start)
    return {"response_type": "in_channel", "text": f"Scheduled *{escape(found['topic'])}*: meeting {number}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tuned", action="store_true", help="16 waitress threads, 100 listener threads, pooling")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    env = dict(os.environ)
    with open(env["ANCHOR_CONFIG"]) as handle:
        config = json.load(handle)
    handler = SlackRequestHandler(build_app(env, config, args.tuned))
    tuning: dict[str, Any] = {"threads": 16, "connection_limit": 1000} if args.tuned else {}
    server: Any = waitress.create_server(handler, host=args.host, port=args.port, **tuning)
    print(f"anchor ({'tuned' if args.tuned else 'default'}) at http://{args.host}:{server.effective_port}/slack/events",
          flush=True)
    server.run()


if __name__ == "__main__":
    main()
