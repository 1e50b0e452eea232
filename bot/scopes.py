"""The Slack scopes the app asks for when it is installed, read from app_manifest.yaml, the one source of truth
(`oauth_config.scopes.bot` and `.user`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MANIFEST = "app_manifest.yaml"


class ManifestError(Exception):
    """The manifest is missing or does not say which scopes to ask for."""


@dataclass(frozen=True)
class Scopes:
    bot: tuple[str, ...]
    user: tuple[str, ...] = ()


def manifest_path() -> Path:
    """The manifest beside the packages (a checkout), else in the working directory (the Docker image's /app)."""
    candidates = (Path(__file__).resolve().parents[1] / MANIFEST, Path.cwd() / MANIFEST)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = " and ".join(str(c.parent) for c in candidates)
    raise ManifestError(f"{MANIFEST} was not found (looked in {looked}); the install flow takes its scopes from it")


def read_scopes(path: Path | None = None) -> Scopes:
    """The bot and user scopes the manifest asks for."""
    source = path or manifest_path()
    try:
        manifest = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as problem:
        raise ManifestError(f"{source} could not be read as YAML: {problem}") from problem
    scopes = _at(manifest, "oauth_config", "scopes")
    bot = _names(scopes.get("bot"), source, "bot")
    if not bot:
        raise ManifestError(f"{source} lists no bot scopes under oauth_config.scopes.bot")
    return Scopes(bot, _names(scopes.get("user"), source, "user"))


def _at(tree: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree if isinstance(tree, dict) else {}


def _names(value: Any, source: Path, kind: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) and name for name in value):
        raise ManifestError(f"{source}: oauth_config.scopes.{kind} must be a list of scope names")
    return tuple(value)
