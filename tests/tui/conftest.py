"""Fixtures for driving the app with the Pilot against the real server app in-process."""

from __future__ import annotations

import asyncio
import io
import re

import httpx
import pytest
from rich.console import Console
from textual import events
from textual.keys import _character_to_key

from client.api import ApiClient
from client.i18n import set_locale
from client.paths import credentials_path
from client.session import SessionStore
from tui.app import BuhtaApp


@pytest.fixture(autouse=True)
def _russian():
    set_locale("ru")
    yield
    set_locale("ru")


def make_api(server_app, *, raise_errors: bool = True) -> ApiClient:
    return ApiClient(
        base_url="http://embedded.test",
        server_key="embedded:test",
        transport=httpx.ASGITransport(app=server_app, raise_app_exceptions=raise_errors),
        store=SessionStore(credentials_path()),
        embedded=True,
        backoff_s=(0,),
        device_name="pilot-terminal",
    )


@pytest.fixture
async def api(server_app):
    client = make_api(server_app)
    yield client
    await client.aclose()


@pytest.fixture
def app(api) -> BuhtaApp:
    return BuhtaApp(api=api)


async def settle(pilot, until=None, *, timeout_s: float = 10) -> None:
    """Let workers finish and their messages be handled (and ``until()`` hold, if given)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    app = pilot.app
    seen = None
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        now = (app.current_mode, tuple(id(s) for s in app.screen_stack), app.focused)
        busy = any(not w.is_finished for w in app.workers)
        stable = now == seen and not busy
        seen = now
        if (stable and (until is None or until())) or loop.time() > deadline:
            return
        await asyncio.sleep(0.02)


def screen_text(app) -> str:
    """Everything the terminal shows now, as plain text (what a user reads)."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    # What a user reads: a no-break space looks like any other.
    return console.export_text(styles=False).replace("\u00a0", " ")


async def type_text(pilot, text: str) -> None:
    """Type ``text`` as key presses, as a terminal delivers them.

    The events go through the app's normal key dispatch, like ``pilot.press``,
    but without its wait after every key (100 ms each here), then one pause.
    """
    app = pilot.app
    for ch in text:
        key = ch if ch.isalnum() else _character_to_key(ch)
        event = events.Key(key, ch)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


async def mail_code(api: ApiClient, pattern: str) -> str:
    for message in await api.auth.local_mailbox():
        found = re.search(pattern, message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"nothing matching {pattern!r} in the local mailbox")


async def ensure_org(pilot, api: ApiClient) -> None:
    """A new user lands on "create your first organisation": make one through the API."""
    from core import contract as m
    from screens.orgs import OrgFormScreen

    app = pilot.app
    await settle(pilot)
    if isinstance(app.screen, OrgFormScreen) and app.screen.first:
        org = await api.orgs.create(m.OrgIn.model_validate(ORG))
        app.switch_to(org.id)
        await settle(pilot, until=lambda: app.org is not None)


ORG = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва, ул. Вавилова, 19", "director": "Иванов И. И.",
    "tax_regime": "usn_income", "vat_mode": "none",
    "bank_accounts": [{"bik": "044525225", "account": "40817810899910004312",
                       "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк"}],
}
SMS_CODE = r"\b(\d{6})\b"
MAIL_TOKEN = r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b"
