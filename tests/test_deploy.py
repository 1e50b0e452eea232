"""deploy/: the documented production layout (PostgreSQL, two replicas behind Caddy) is well formed. Docker is
not needed: the compose file is read as YAML and checked for what the README promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_two_replicas_serve_http_on_postgresql_with_health_checks():
    services = compose()["services"]
    replicas = {name: s for name, s in services.items() if s.get("command") == ["webexbot", "serve", "--http"]}
    assert sorted(replicas) == ["bot-1", "bot-2"]
    for service in replicas.values():
        assert service["environment"]["WEBEXBOT_DB"].startswith("postgresql://webexbot:${POSTGRES_PASSWORD")
        assert "/healthz" in " ".join(service["healthcheck"]["test"])
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["webexbot", "migrate"]
    database = services["db"]
    assert database["image"].startswith("postgres:") and "pg_isready" in " ".join(database["healthcheck"]["test"])


def test_the_proxy_sends_requests_to_every_replica_that_is_healthy():
    services = compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:") and "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    [upstreams] = re.findall(r"reverse_proxy ([^{]+)\{", caddyfile)
    assert sorted(upstreams.split()) == ["bot-1:3000", "bot-2:3000"]
    assert "health_uri /healthz" in caddyfile
    assert set(proxy["depends_on"]) == {"bot-1", "bot-2"}


def test_no_secret_is_written_into_the_layout():
    text = (DEPLOY / "compose.yaml").read_text()
    assert "${POSTGRES_PASSWORD:?" in text and not re.search(r"PASSWORD: [^$\s]", text)
