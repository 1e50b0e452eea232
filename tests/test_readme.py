from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def setup_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup_commands()[1] in ci.splitlines()


def test_setup_commands_use_a_virtual_environment():
    for command in setup_commands():
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install")
        assert "python3 -m pip" not in command and " webexbot " not in f" {command} "


def test_ci_can_make_a_virtual_environment_on_a_fresh_debian():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3-venv" in ci and "import ensurepip" in ci


def test_links_stay_inside_the_repository():
    readme = (ROOT / "README.md").read_text()
    for target in re.findall(r"\]\(([^)]+)\)|`(\.\./[^`]*)`", readme):
        path = next(t for t in target if t)
        if "://" in path:
            continue
        assert not path.startswith(".."), path
        assert (ROOT / path.split("#")[0]).exists(), path
    assert "docs/DESIGN.md" in readme and "../" not in readme
    design = (ROOT / "docs" / "DESIGN.md").read_text()
    assert "seeds/" not in design and "digest/" not in design


def test_readme_says_what_a_first_deployment_needs():
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert "private channel must invite it" in readme
    assert "Ana Lima is the bot's admin" in readme
    assert "HTTPS" in readme and "tunnel" in readme
    assert ".env.example" in readme


def test_env_example_works_with_docker_env_file():
    from bot.settings import Settings

    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, value = line.split("=", 1)
        assert name.isupper() and " " not in name and not name.startswith("export")
        assert not value.startswith(("'", '"')), f"docker keeps quotes: {line}"
        names.add(name)
    assert {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "WEBEX_SITE_URL", "WEBEX_USER", "WEBEX_PASSWORD"} <= names
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line)
    assert Settings.from_env(example).socket_mode  # the example as given is a valid Socket Mode set-up
