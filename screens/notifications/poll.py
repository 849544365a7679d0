"""Provides the unread count's polling: ``GET /notifications/unread`` every minute, five
minutes or never (the centre's ``i``), with the ETag the transport keeps, so a poll while
nothing changed is a bodiless 304. The interval is kept on the device
(``notifications.v1.json`` in the data folder). The count goes to ``app.unread`` and to
every screen of the stack that has ``show_unread`` (the shell's header, the centre).

A timer, not a long-running worker: each tick starts one short worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from client.errors import ApiError
from client.paths import data_dir

INTERVALS = (60, 300, 0)
"""The interval's cycle, in seconds (0: no polling); one minute by default."""
DEFAULT_INTERVAL = 60
FILE_NAME = "notifications.v1.json"


def settings_path(root: Path | str | None = None) -> Path:
    return data_dir(root) / FILE_NAME


def load_interval(root: Path | str | None = None) -> int:
    try:
        raw = json.loads(settings_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DEFAULT_INTERVAL
    value = raw.get("poll_s") if isinstance(raw, dict) else None
    return value if isinstance(value, int) and value in INTERVALS else DEFAULT_INTERVAL


def save_interval(seconds: int, root: Path | str | None = None) -> bool:
    """Keep the interval; False when the data folder cannot be written (nothing breaks)."""
    path = settings_path(root)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".notifications-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"poll_s": seconds}, fh)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


def next_interval(seconds: int) -> int:
    index = INTERVALS.index(seconds) if seconds in INTERVALS else -1
    return INTERVALS[(index + 1) % len(INTERVALS)]


class UnreadPoller:
    """The app's one poller (``app.unread_poller``)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.root = getattr(getattr(app, "options", None), "data_dir", None)
        self.interval = load_interval(self.root)
        self.timer: Any = None

    def start(self) -> None:
        self.fetch_now()
        self._arm()

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def _arm(self) -> None:
        self.stop()
        if self.interval:
            self.timer = self.app.set_interval(self.interval, self.fetch_now,
                                               name="notifications-poll")

    def set_interval(self, seconds: int) -> bool:
        """A new interval from now on; True when it was kept on the device."""
        self.interval = seconds
        self._arm()
        return save_interval(seconds, self.root)

    def fetch_now(self) -> None:
        if getattr(self.app, "shell_on", False):
            self.app.run_worker(self._fetch(), group="notifications-poll", exclusive=True,
                                exit_on_error=False, description="notifications: unread")

    async def _fetch(self) -> None:
        try:
            api = await self.app.api()
            if not api.signed_in:
                return
            count = await api.notifications.unread()
        except ApiError:
            return  # offline, or signed out meanwhile: the header keeps the last count
        self.set_count(count.unread)

    def set_count(self, unread: int) -> None:
        self.app.unread = unread
        for screen in list(self.app.screen_stack):
            show = getattr(screen, "show_unread", None)
            if show is not None:
                show(unread)


def poller(app: Any) -> UnreadPoller:
    found = getattr(app, "unread_poller", None)
    if found is None:
        found = UnreadPoller(app)
        app.unread_poller = found
    return found


def start_polling(app: Any) -> None:
    """At sign-in (tui.app): the count now, then at the kept interval."""
    poller(app).start()


def stop_polling(app: Any) -> None:
    """At sign-out: no more polls, no count left in the header."""
    found = getattr(app, "unread_poller", None)
    if found is not None:
        found.stop()
    app.unread = None
