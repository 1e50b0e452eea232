"""Where a request comes from in Slack: the team (workspace), its Enterprise Grid organization if any, and
the installation the app answers as. Rendered the way Slack puts it in slash-command forms, interactive
payloads and Events API envelopes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TeamContext:
    id: str
    domain: str
    bot_user: str  # the installation's bot user, named in events' `authorizations`
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    enterprise_install: bool = False  # the app is installed org-wide

    def form_fields(self) -> dict[str, str]:
        """The fields of a slash command's form."""
        fields = {"team_id": self.id, "team_domain": self.domain}
        if self.enterprise_id:
            fields.update(enterprise_id=self.enterprise_id, enterprise_name=self.enterprise_name or "")
        fields["is_enterprise_install"] = "true" if self.enterprise_install else "false"
        return fields

    def payload_fields(self) -> dict[str, Any]:
        """The fields of an interactive payload (block actions, shortcuts, view submissions)."""
        team: dict[str, Any] = {"id": self.id, "domain": self.domain}
        enterprise = None
        if self.enterprise_id:
            team.update(enterprise_id=self.enterprise_id, enterprise_name=self.enterprise_name)
            enterprise = {"id": self.enterprise_id, "name": self.enterprise_name}
        return {"team": team, "enterprise": enterprise, "is_enterprise_install": self.enterprise_install}

    def event_fields(self) -> dict[str, Any]:
        """The fields of an Events API envelope, with the installation in `authorizations`."""
        authorization = {
            "enterprise_id": self.enterprise_id,
            "team_id": None if self.enterprise_install else self.id,
            "user_id": self.bot_user,
            "is_bot": True,
            "is_enterprise_install": self.enterprise_install,
        }
        fields: dict[str, Any] = {"team_id": self.id, "authorizations": [authorization], "is_ext_shared_channel": False}
        if self.enterprise_id:
            fields["enterprise_id"] = self.enterprise_id
        return fields
