"""Settings from the environment, all validated at once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from webex.models import SecurityContext

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_WEBEX_API_URL = "https://webexapis.com/v1"
APIS = ("xml", "rest")
# WEBEXBOT_WORKER: the serving process's work thread, a worker process, or a worker process while bursts last
WORKERS = ("thread", "process", "auto")
WEBEX_NAMES = (  # any of them set: the environment names a Webex connection
    "WEBEX_API", "WEBEX_SITE_URL", "WEBEX_USER", "WEBEX_PASSWORD", "WEBEX_PASSWORD_FILE",
    "WEBEX_ACCESS_TOKEN", "WEBEX_ACCESS_TOKEN_FILE",
)  # fmt: skip


class SettingsError(ValueError):
    """Every problem found in the environment, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str = field(repr=False)
    webex_site_url: str
    webex_user: str
    webex_password: str = field(repr=False)
    webex_api: str = "xml"
    webex_api_url: str = DEFAULT_WEBEX_API_URL
    webex_access_token: str = field(default="", repr=False)
    webex_client_id: str = ""
    webex_client_secret: str = field(default="", repr=False)
    webex_refresh_token: str = field(default="", repr=False)
    public_url: str = ""
    webhook_secret: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_client_id: str = ""  # with the client secret: OAuth mode, installed in many workspaces
    slack_client_secret: str = field(default="", repr=False)
    secret_key: str = field(default="", repr=False)  # WEBEXBOT_SECRET_KEY: encrypts installations' tokens
    webex_site_name: str = ""
    webex_site_id: str = ""
    webex_partner_id: str = ""
    db_path: str = "./webexbot.db"
    admins: frozenset[str] = frozenset()
    default_duration: int = 60
    port: int = 3000
    webex_timeout_s: float = 10.0
    admin_channel: str = ""
    poll_seconds: float = 60.0
    remind_minutes: int = 10
    lease_seconds: float = 30.0  # a replica that stops renewing its claim on a piece of work loses it after this
    processes: int = 1  # serving processes on this machine (HTTP mode), one port between them
    worker: str = "auto"  # where the work after the ack runs: a worker process while there is work, a thread, ...
    worker_idle_seconds: float = 60.0  # WEBEXBOT_WORKER=auto: a worker handed nothing for this long ends

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        """Installed through Slack's OAuth flow into many workspaces (HTTP mode), not one SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_authorize_url(self) -> str:
        """Slack's install page, beside SLACK_API_URL (https://slack.com/oauth/v2/authorize)."""
        return urljoin(self.slack_api_url, "../oauth/v2/authorize")

    def webex_security(self) -> SecurityContext:
        """The service account's credentials, as every Webex request carries them."""
        return SecurityContext(
            webex_id=self.webex_user,
            password=self.webex_password,
            site_name=self.webex_site_name or None,
            site_id=self.webex_site_id or None,
            partner_id=self.webex_partner_id or None,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, mode: str = "auto") -> Settings:
        """Read and check every variable; raise SettingsError listing all problems.

        `mode` is "http", "socket" or "auto" (Socket Mode when SLACK_APP_TOKEN is set).
        """
        env = os.environ if env is None else env
        problems: list[str] = []
        app_token = env.get("SLACK_APP_TOKEN", "").strip()
        socket = mode == "socket" or (mode == "auto" and bool(app_token))
        slack = _slack(env, socket, problems)
        webex = _webex(env, bool(slack.get("slack_client_id")), problems)
        tuning = _tuning(env, socket, problems)
        admins = _admins(env, problems)
        if problems:
            raise SettingsError(problems)
        return cls(
            **slack,
            **webex,
            **tuning,
            db_path=env.get("WEBEXBOT_DB", "").strip() or "./webexbot.db",
            admins=admins,
            admin_channel=env.get("WEBEXBOT_ADMIN_CHANNEL", "").strip().lstrip("#"),
        )


def _slack(env: Mapping[str, str], socket: bool, problems: list[str]) -> dict[str, Any]:
    """The Slack side: one bot token or the install flow's settings, and how Slack reaches the bot."""
    app_token = env.get("SLACK_APP_TOKEN", "").strip()
    oauth = {} if socket else _oauth(env, problems)
    bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
    if not bot_token and not oauth:
        problems.append("SLACK_BOT_TOKEN is missing: the bot token (xoxb-...) from the Slack app's OAuth page")
    if bot_token and not bot_token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip()
    if socket:
        if not app_token:
            problems.append("SLACK_APP_TOKEN is missing: Socket Mode needs an app-level token (xapp-...)")
        elif not app_token.startswith("xapp-"):
            problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp-")
    elif not signing_secret:
        problems.append("SLACK_SIGNING_SECRET is missing: HTTP mode verifies every request with it")
    api_url = env.get("SLACK_API_URL", DEFAULT_SLACK_API_URL).strip() or DEFAULT_SLACK_API_URL
    _check_url("SLACK_API_URL", api_url, problems)
    return {
        "slack_bot_token": bot_token,
        "slack_signing_secret": signing_secret,
        "slack_app_token": app_token if socket else "",
        "slack_api_url": api_url if api_url.endswith("/") else api_url + "/",
        **oauth,
    }


def _webex(env: Mapping[str, str], oauth: bool, problems: list[str]) -> dict[str, Any]:
    """The Webex site and the account the bot uses on it (XML) or its token (REST)."""
    api = env.get("WEBEX_API", "").strip().lower() or "xml"
    if api not in APIS:
        problems.append(f"WEBEX_API must be xml or rest, not {api!r}")
    rest = api == "rest"
    site_url = env.get("WEBEX_SITE_URL", "").strip().rstrip("/")
    # in OAuth mode each workspace may connect its own site: the environment's is then only a default
    webex_given = not oauth or any(env.get(name, "").strip() for name in WEBEX_NAMES)
    if not site_url and not rest and webex_given:
        problems.append("WEBEX_SITE_URL is missing: your Webex site, like https://acme.webex.com")
    if site_url:
        _check_url("WEBEX_SITE_URL", site_url, problems)
    webex_user, password = ("", "") if rest or not webex_given else _xml_account(env, problems)
    return {
        "webex_site_url": site_url,
        "webex_site_name": env.get("WEBEX_SITE_NAME", "").strip() or first_label(site_url),
        "webex_site_id": env.get("WEBEX_SITE_ID", "").strip(),
        "webex_partner_id": env.get("WEBEX_PARTNER_ID", "").strip(),
        "webex_user": webex_user,
        "webex_password": password,
        "webex_api": api,
        **(_rest(env, problems) if rest and webex_given else {}),
    }


def _tuning(env: Mapping[str, str], socket: bool, problems: list[str]) -> dict[str, Any]:
    """The numbers, each within its range."""
    tuning: dict[str, Any] = {
        "default_duration": _integer(env, "WEBEXBOT_DEFAULT_DURATION", 60, 1, 1440, problems),
        "port": _integer(env, "PORT", 3000, 0, 65535, problems),
        "webex_timeout_s": _seconds(env, "WEBEXBOT_WEBEX_TIMEOUT", 10.0, 0.1, 120.0, problems),
        "poll_seconds": _seconds(env, "WEBEXBOT_POLL_SECONDS", 60.0, 0.05, 3600.0, problems),
        "remind_minutes": _integer(env, "WEBEXBOT_REMIND_MINUTES", 10, 0, 1440, problems),
        "lease_seconds": _seconds(env, "WEBEXBOT_LEASE_SECONDS", 30.0, 0.5, 3600.0, problems),
        "processes": _integer(env, "WEBEXBOT_PROCESSES", 1, 1, 64, problems),
        "worker_idle_seconds": _seconds(env, "WEBEXBOT_WORKER_IDLE_SECONDS", 60.0, 0.5, 86400.0, problems),
    }
    tuning["worker"] = env.get("WEBEXBOT_WORKER", "auto").strip().lower() or "auto"
    if tuning["worker"] not in WORKERS:
        problems.append(f"WEBEXBOT_WORKER must be {', '.join(WORKERS)}, not {tuning['worker']!r}")
    if tuning["processes"] > 1 and socket:
        problems.append("WEBEXBOT_PROCESSES above 1 needs HTTP mode: in Socket Mode run one process")
    return tuning


def _admins(env: Mapping[str, str], problems: list[str]) -> frozenset[str]:
    admins = frozenset(a for a in env.get("WEBEXBOT_ADMINS", "").replace(",", " ").split() if a)
    bad = sorted(a for a in admins if a[:1] not in ("U", "W") or not a.isalnum())
    if bad:
        problems.append(f"WEBEXBOT_ADMINS must list Slack user ids like U024BE7LH, not {', '.join(bad)}")
    return admins


def _oauth(env: Mapping[str, str], problems: list[str]) -> dict[str, str]:
    """The install flow's settings (HTTP mode): the app's client id and secret, and the key for the tokens."""
    client_id = env.get("SLACK_CLIENT_ID", "").strip()
    client_secret = _secret(env, "SLACK_CLIENT_SECRET", problems)
    if not client_id and not client_secret:
        return {}
    if not (client_id and client_secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        problems.append(f"{missing} is missing: installing in many workspaces needs the app's client id and secret")
    from .secret_box import ENV, SecretBox, SecretKeyError  # cryptography: for OAuth mode only

    key = env.get(ENV, "").strip()
    try:
        SecretBox(key)
    except SecretKeyError as problem:
        problems.append(f"{problem} (the install flow keeps each workspace's tokens encrypted)")
    return {"slack_client_id": client_id, "slack_client_secret": client_secret, "secret_key": key}


def _xml_account(env: Mapping[str, str], problems: list[str]) -> tuple[str, str]:
    """The XML API's service account: its webExID and password."""
    user = env.get("WEBEX_USER", "").strip()
    if not user:
        problems.append("WEBEX_USER is missing: the webExID of the site-admin service account that schedules for hosts")
    password = _secret(env, "WEBEX_PASSWORD", problems)
    if not password:
        problems.append("WEBEX_PASSWORD or WEBEX_PASSWORD_FILE is missing: the service account's password")
    return user, password


def _rest(env: Mapping[str, str], problems: list[str]) -> dict[str, str]:
    """The REST API's settings: the base URL, the token, what renews it, and the webhook address."""
    api_url = env.get("WEBEX_API_URL", "").strip().rstrip("/") or DEFAULT_WEBEX_API_URL
    _check_url("WEBEX_API_URL", api_url, problems)
    token = _secret(env, "WEBEX_ACCESS_TOKEN", problems)
    if not token:
        problems.append(
            "WEBEX_ACCESS_TOKEN or WEBEX_ACCESS_TOKEN_FILE is missing: a Service App's access token with the admin "
            "meeting scopes (meeting:admin_schedule_write and the rest)"
        )
    names = ("WEBEX_CLIENT_ID", "WEBEX_CLIENT_SECRET", "WEBEX_REFRESH_TOKEN")
    renewal = {name: env.get(name, "").strip() for name in names}
    if any(renewal.values()) and not all(renewal.values()):
        missing = ", ".join(name for name, value in renewal.items() if not value)
        problems.append(
            f"{missing} missing: renewing the access token needs the client id, its secret and a refresh token"
        )
    public_url = env.get("WEBEXBOT_PUBLIC_URL", "").strip().rstrip("/")
    secret = env.get("WEBEX_WEBHOOK_SECRET", "").strip()
    if public_url:
        if not public_url.startswith("https://"):
            problems.append(f"WEBEXBOT_PUBLIC_URL must be the bot's public https:// address, not {public_url!r}")
        if not secret:
            problems.append("WEBEX_WEBHOOK_SECRET is missing: webhooks to WEBEXBOT_PUBLIC_URL are verified with it")
    return {
        "webex_api_url": api_url,
        "webex_access_token": token,
        "webex_client_id": renewal["WEBEX_CLIENT_ID"],
        "webex_client_secret": renewal["WEBEX_CLIENT_SECRET"],
        "webex_refresh_token": renewal["WEBEX_REFRESH_TOKEN"],
        "public_url": public_url,
        "webhook_secret": secret,
    }


def _secret(env: Mapping[str, str], name: str, problems: list[str]) -> str:
    """NAME, or the contents of the file NAME_FILE names."""
    path = env.get(f"{name}_FILE", "").strip()
    if not path:
        return env.get(name, "").strip()
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        problems.append(f"{name}_FILE cannot be read: {error.strerror}")
        return ""


def _check_url(name: str, value: str, problems: list[str]) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{name} must be an http(s) URL, not {value!r}")


def first_label(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.split(".")[0] if host else ""


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        problems.append(f"{name} must be a whole number from {low} to {high}, not {raw!r}")
        return default
    return int(raw)


def _seconds(env: Mapping[str, str], name: str, default: float, low: float, high: float, problems: list[str]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        problems.append(f"{name} must be seconds from {low:g} to {high:g}, not {raw!r}")
        return default
    return value
