"""Each workspace's own Webex connection (OAuth mode): what an admin gave on the App Home, kept in the store with
its credentials encrypted by the SecretBox, and read back as the Settings a backend is built from. The
environment's Webex settings, when given, are the connection of every workspace without one of its own."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from storage import Store, WebexConnectionRecord

from .settings import DEFAULT_WEBEX_API_URL, Settings, first_label

if TYPE_CHECKING:
    from .secret_box import SecretBox  # cryptography loads in OAuth mode only


@dataclass(frozen=True)
class Connection:
    api: str  # "xml" or "rest"
    site_url: str = ""
    site_name: str = ""
    webex_user: str = ""
    password: str = field(default="", repr=False)
    api_url: str = DEFAULT_WEBEX_API_URL
    access_token: str = field(default="", repr=False)
    refresh_token: str = field(default="", repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)

    @property
    def site(self) -> str:
        """What the Home tab and admin status show: the site's address (REST: the API's, without a site URL)."""
        return self.site_url or self.api_url

    def settings(self, base: Settings) -> Settings:
        """The bot's settings with this connection's Webex part (what backends and doctor's checks take)."""
        return replace(
            base,
            webex_api=self.api,
            webex_site_url=self.site_url,
            webex_site_name=self.site_name or first_label(self.site_url),
            webex_site_id="",
            webex_partner_id="",
            webex_user=self.webex_user,
            webex_password=self.password,
            webex_api_url=self.api_url,
            webex_access_token=self.access_token,
            webex_refresh_token=self.refresh_token,
            webex_client_id=self.client_id,
            webex_client_secret=self.client_secret,
            public_url="",  # Webex webhooks serve the environment's connection only
            webhook_secret="",
        )


class Connections:
    def __init__(self, settings: Settings, store: Store, box: SecretBox) -> None:
        self.base = settings
        self.store = store
        self.box = box

    @property
    def has_default(self) -> bool:
        """Whether the environment names a Webex site, for workspaces without a connection of their own."""
        return bool(self.base.webex_site_url or self.base.webex_access_token)

    def connected(self, team_id: str) -> bool:
        return self.has_default or self.store.webex_connection_version(team_id) > 0

    def record(self, team_id: str) -> WebexConnectionRecord | None:
        """The workspace's own connection (without its credentials opened), or None."""
        return self.store.webex_connection(team_id)

    def version(self, team_id: str) -> int:
        return self.store.webex_connection_version(team_id)

    def settings_for(self, team_id: str) -> tuple[int, Settings] | None:
        """(version, settings) of the workspace's connection: its own, else the environment's (version 0)."""
        record = self.store.webex_connection(team_id)
        if record is not None:
            return record.version, Connection(**json.loads(self.box.decrypt(record.data))).settings(self.base)
        return (0, self.base) if self.has_default else None

    def save(self, team_id: str, connection: Connection, actor: str) -> WebexConnectionRecord:
        sealed = self.box.encrypt(json.dumps(asdict(connection)))
        return self.store.save_webex_connection(
            team_id, connection.api, connection.site, connection.site_name, actor, sealed
        )
