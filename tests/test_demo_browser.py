"""`webexbot demo` in a real browser: Playwright drives Debian's chromium through the console."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (.ci/run installs it)")


@pytest.fixture
def demo() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "WEBEXBOT_LOG_LEVEL": "WARNING"},
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "webexbot demo: open" in line, line
    yield line.split("open ", 1)[1].split()[0]
    process.terminate()
    process.wait(10)
    process.stdout.close()


async def test_schedule_start_join_live_cancel_and_the_modal_in_a_browser(demo: str):
    from playwright.async_api import async_playwright, expect

    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        page.set_default_timeout(10_000)
        await page.goto(demo)
        await expect(page.locator("#who")).to_have_value("U0ANA")

        # schedule by typing, as Ana, inviting Ben
        await page.fill("#text", "/webex schedule Design review tomorrow at 3pm for 45 min with @Ben")
        await page.press("#text", "Enter")
        card = page.locator(".msg", has=page.locator("[data-action-id='meeting.card.start']")).first
        await expect(card).to_contain_text("Design review")
        await expect(card).to_contain_text("Tomorrow")
        await expect(card.locator(".mention")).to_contain_text(["@Ana Lima", "@Ben Okafor"])
        await page.screenshot(path=ARTIFACTS / "01-card.png")

        # Start as the host: a private message with the host link, which starts the meeting
        await card.locator("[data-action-id='meeting.card.start']").click()
        start_link = page.locator(".msg.ephemeral a[data-action-id='meeting.host.open']").last
        await expect(start_link).to_be_visible()
        async with page.expect_popup() as opened:
            await start_link.click()
        host_page = await opened.value
        await expect(host_page.locator("h1")).to_contain_text("has started")
        await host_page.screenshot(path=ARTIFACTS / "02-host-page.png")

        # Join as Ben from the card
        await page.select_option("#who", "U0BEN")
        await expect(page.locator(".msg.ephemeral a[data-action-id='meeting.host.open']")).to_have_count(0)
        async with page.expect_popup() as opened:
            await card.locator("a[data-action-id='meeting.card.join']").click()
        join_page = await opened.value
        await expect(join_page.locator("h1")).to_contain_text("joined Design review")

        # /webex live shows it
        await page.fill("#text", "/webex live")
        await page.press("#text", "Enter")
        live = page.locator(".msg.ephemeral", has_text="In progress on Webex now").last
        await expect(live).to_contain_text("Design review")
        await page.screenshot(path=ARTIFACTS / "03-live.png")

        # the host ends it on the Webex page, then cancels it with /webex cancel and the confirmation
        key = await card.locator("[data-action-id='meeting.card.start']").get_attribute("data-value")
        await host_page.click("#action")
        await expect(host_page.locator("h1")).to_contain_text("has ended")
        await page.select_option("#who", "U0ANA")
        await page.fill("#text", f"/webex cancel {key}")
        await page.press("#text", "Enter")
        confirm = page.locator(".msg.ephemeral button[data-action-id='meeting.cancel.confirm']").last
        await confirm.click()
        await expect(page.locator(".msg.ephemeral", has_text="Cancelled").last).to_be_visible()
        await expect(page.locator(".msg", has_text="Design review").first).to_contain_text("Cancelled")
        await page.screenshot(path=ARTIFACTS / "04-cancelled.png")

        # schedule one through the modal
        await page.fill("#text", "/webex schedule")
        await page.press("#text", "Enter")
        dialog = page.locator(".dialog")
        await expect(dialog).to_contain_text("Schedule a meeting")
        await page.fill("#in-topic", "Quarterly planning")
        await page.fill("#in-date", (datetime.now() + timedelta(days=2)).date().isoformat())
        await page.fill("#in-time", "10:30")
        await page.select_option("#in-duration", "30")
        await page.screenshot(path=ARTIFACTS / "05-modal.png")
        await page.click("#modal-submit")
        await expect(dialog).to_have_count(0)
        await expect(page.locator(".msg", has_text="Quarterly planning").first).to_be_visible()

        # the Home tab lists it
        await page.click("#home-tab")
        await expect(page.locator("#home")).to_contain_text("Quarterly planning")
        await page.screenshot(path=ARTIFACTS / "06-home.png")
        await browser.close()


async def test_the_console_renders_untrusted_text_safely_and_reads_well(demo: str):
    from playwright.async_api import async_playwright, expect

    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = await (await browser.new_context(viewport={"width": 1000, "height": 800})).new_page()
        page.set_default_timeout(10_000)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(demo)
        await expect(page.locator("#who")).to_have_value("U0ANA")

        async def say(text: str) -> None:
            await page.fill("#text", text)
            await page.press("#text", "Enter")

        # links: only http(s) and mailto become live; nothing typed becomes markup
        await say("<javascript:alert(1)|js link> <data:text/html,<b>x</b>|data link> <https://example.com/a|web link>")
        await say('<img src=x onerror="alert(2)"> <b>bold?</b> <https://example.com/"onmouseover="alert(3)|quoted>')
        await expect(page.locator(".msg", has_text="web link")).to_have_count(1)
        await expect(page.locator(".msg", has_text="quoted")).to_have_count(1)
        messages = page.locator("#messages")
        assert await messages.locator("img, b, script").count() == 0
        hrefs = await messages.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
        assert await messages.locator("[onmouseover], [onerror]").count() == 0
        await expect(page.locator(".msg", has_text="js link")).not_to_contain_text("javascript")
        assert await page.evaluate(
            "[safeUrl('javascript:alert(1)'), safeUrl('data:text/html,x'), safeUrl(' jAvAsCrIpT:x')]"
        ) == [
            None,
            None,
            None,
        ]

        # long unbroken strings wrap; emoji show as emoji, or as their names where there is no emoji font
        await say("x" * 400)
        await say("Lunch :calendar: :alarm_clock:")
        long_one = page.locator(".msg", has_text="x" * 50).last
        assert await long_one.evaluate("node => node.scrollWidth <= node.clientWidth + 1")
        lunch = page.locator(".msg", has_text="Lunch").last
        if await page.evaluate("EMOJI_OK"):
            await expect(lunch.locator(".emoji")).to_have_count(2)
        else:
            await expect(lunch.locator(".emoji-text")).to_have_text([":calendar:", ":alarm_clock:"])
            await expect(page.locator("#start-now")).to_have_text("Start now")
        # messages typed while one is still on its way are all sent, in the order typed
        for word in ("first", "second", "third"):
            await say(f"quick {word}")
        quick = page.locator(".msg", has_text="quick")
        await expect(quick.locator(".who + div")).to_have_text(["quick first", "quick second", "quick third"])
        icon = await page.request.get(demo.rstrip("/") + "/favicon.ico")
        assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")
        await page.screenshot(path=ARTIFACTS / "07-untrusted-text.png")

        # #channel becomes a channel mention, so the admin command works from the console
        await say("/webex admin channel #design")
        answer = page.locator(".msg.ephemeral", has_text="report to").last
        await expect(answer.locator(".mention")).to_have_text("#design")
        await expect(answer).not_to_contain_text("didn't")
        await page.screenshot(path=ARTIFACTS / "08-admin-channel.png")

        # the time picker says which zone its time is in
        await say("/webex schedule")
        await expect(page.locator(".dialog")).to_contain_text("Schedule a meeting")
        await expect(page.locator("#in-time-zone")).to_have_text("America/New_York")
        await page.screenshot(path=ARTIFACTS / "09-modal-zone.png")
        assert dialogs == []
        await browser.close()


async def test_what_a_new_user_runs_into_in_a_browser(demo: str):
    """Invitations in the list, a live meeting offered only Join and Start, and an unlinked user asked to link
    before the schedule form, with the error beside the field."""
    from playwright.async_api import async_playwright, expect

    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        page.set_default_timeout(10_000)
        await page.goto(demo)
        await expect(page.locator("#who")).to_have_value("U0ANA")

        async def say(text: str) -> None:
            await page.fill("#text", text)
            await page.press("#text", "Enter")

        # Ben sees the meeting Ana invited him to, marked as an invitation, with Join only
        await say("/webex schedule Roadmap tomorrow at 2pm with @Ben")
        card = page.locator(".msg", has=page.locator("[data-action-id='meeting.card.start']")).first
        await expect(card).to_contain_text("Roadmap")
        await page.select_option("#who", "U0BEN")
        await say("/webex list")
        listed = page.locator(".msg.ephemeral", has_text="Your meetings").last
        await expect(listed).to_contain_text("invited by")
        await expect(listed.locator("[data-action-id='meeting.card.cancel']")).to_have_count(0)
        await page.screenshot(path=ARTIFACTS / "10-list-invited.png")

        # Ana starts it: her list and Home show it live, without Cancel or Reschedule, and only once
        await page.select_option("#who", "U0ANA")
        await card.locator("[data-action-id='meeting.card.start']").click()
        start_link = page.locator(".msg.ephemeral a[data-action-id='meeting.host.open']").last
        async with page.expect_popup() as opened:
            await start_link.click()
        host_page = await opened.value
        await expect(host_page.locator("h1")).to_contain_text("has started")
        await say("/webex list")
        live = page.locator(".msg.ephemeral", has_text="live now").last
        await expect(live).to_contain_text("Roadmap")
        await expect(live.locator("[data-action-id='meeting.card.cancel']")).to_have_count(0)
        await page.screenshot(path=ARTIFACTS / "11-list-live.png")
        await page.click("#home-tab")
        await expect(page.locator("#home")).to_contain_text("live now")
        await expect(page.locator("#home", has_text="Roadmap").locator("text=Roadmap")).to_have_count(1)
        await expect(page.locator("#home [data-action-id='meeting.reschedule']")).to_have_count(0)
        await page.screenshot(path=ARTIFACTS / "12-home-live.png")

        # Eve is not linked: Schedule asks her to link first, and a wrong account is refused beside the field
        await page.select_option("#who", "U0EVE")
        await expect(page.locator("#home")).to_contain_text("haven't linked")
        await page.locator("#home [data-action-id='schedule.open']").first.click()
        dialog = page.locator(".dialog")
        await expect(dialog).to_contain_text("link your Webex account first")
        await expect(dialog).to_contain_text("/webex admin link")
        await page.screenshot(path=ARTIFACTS / "13-link-first.png")
        await page.fill("#in-account", "ana")
        await page.click("#modal-submit")
        await expect(dialog.locator(".error")).to_contain_text("different email")
        await page.screenshot(path=ARTIFACTS / "14-link-refused.png")
        await browser.close()
