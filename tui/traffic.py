"""Provides TrafficLine, the status line of the link, and the low-bandwidth mode.

The line (above the keys, on every shell screen) says whether the server answers, the
bytes of this session each way and the writes waiting in the queue::

    в сети · ↑3 КБ ↓41 КБ · в очереди: 2
    Нет связи — данные на 14:05 03.12 (2 ч назад) · ↑3 КБ ↓41 КБ · в очереди: 2

While offline (or with writes waiting) it asks the server every ``SYNC_EVERY_S`` seconds
whether it is back and has the queue sent (``OfflineLayer.sync``), as the app's worker;
it says so when the link drops and when it returns.

The low-bandwidth mode (``BUHTA_LOW_BANDWIDTH=1``, ctrl+b, the palette; kept on the device):
no animations (``App.animation_level = "none"``), the line redrawn every 10 s instead of
every second, and notifications gathered into one digest every ``DIGEST_EVERY_S`` seconds
(errors still come at once).
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.widgets import Static

from client.i18n import t

if TYPE_CHECKING:
    from client.offline import OfflineLayer

SYNC_EVERY_S = 10.0
DIGEST_EVERY_S = 30.0


def human_size(n: int) -> str:
    """``512 Б``, ``41 КБ``, ``1,2 МБ`` (1 КБ = 1024 Б, rounded)."""
    if n < 1024:
        return t("size.b", n=n)
    if n < 1024 * 1024:
        return t("size.kb", n=round(n / 1024))
    return t("size.mb", n=f"{n / 1024 / 1024:.1f}".replace(".", ","))


def ago_text(seconds: float) -> str:
    """``только что``, ``5 мин назад``, ``2 ч назад``, ``3 дн. назад`` (whole units, down)."""
    if seconds < 60:
        return t("ago.now")
    if seconds < 3600:
        return t("ago.minutes", n=int(seconds // 60))
    if seconds < 86400:
        return t("ago.hours", n=int(seconds // 3600))
    return t("ago.days", n=int(seconds // 86400))


def offline_text(layer: OfflineLayer, now: float | None = None) -> str:
    """«Нет связи — данные на 14:05 03.12 (2 ч назад)»."""
    now = time.time() if now is None else now
    if layer.data_as_of is None:
        return t("offline.line_nodata")
    stamp = datetime.fromtimestamp(layer.data_as_of).strftime("%H:%M %d.%m")
    return t("offline.line", time=stamp, ago=ago_text(now - layer.data_as_of))


def line_text(layer: OfflineLayer | None, *, low: bool = False, now: float | None = None) -> str:
    if layer is None:
        return ""
    parts = [t("traffic.online") if layer.online else offline_text(layer, now),
             t("traffic.bytes", sent=human_size(layer.bytes_sent),
               received=human_size(layer.bytes_received))]
    waiting, refused = layer.counts()
    if waiting:
        parts.append(t("traffic.queued", n=waiting))
    if refused:
        parts.append(t("traffic.refused", n=refused))
    if low:
        parts.append(t("traffic.low"))
    return " · ".join(parts)


@dataclass
class _LinkState:
    online: bool = True
    syncing: bool = False
    last_sync: float = 0.0


_STATES: weakref.WeakKeyDictionary[Any, _LinkState] = weakref.WeakKeyDictionary()


def _state(layer: OfflineLayer) -> _LinkState:
    state = _STATES.get(layer)
    if state is None:
        state = _STATES[layer] = _LinkState()
    return state


class TrafficLine(Static):
    """The link's status line above the keys; it finds the API on the app (``app._api``)."""

    DEFAULT_CSS = """
    TrafficLine {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    TrafficLine.-offline {
        background: $error;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="traffic-line", markup=False)
        self.shown = ""

    def on_mount(self) -> None:
        self.set_interval(10.0 if low_bandwidth(self.app) else 1.0, self.tick)
        self.tick()

    def offline_layer(self) -> OfflineLayer | None:
        # (Not ``layer``: that is Textual's, the widget's drawing layer.)
        api = getattr(self.app, "_api", None)
        return getattr(api, "offline", None)

    def tick(self) -> None:
        layer = self.offline_layer()
        if layer is None or getattr(self.app, "_keys", None):
            return  # keys being delivered one by one (tui.app): nothing to redraw now
        text = line_text(layer, low=low_bandwidth(self.app))
        if text != self.shown:
            self.shown = text
            self.update(text)
        self.set_class(not layer.online, "-offline")
        state = _state(layer)
        if state.online != layer.online:
            state.online = layer.online
            self.app.notify(t("offline.back") if layer.online else t("offline.went"),
                            severity="information" if layer.online else "warning", timeout=6)
        maybe_sync(self.app, layer)


def maybe_sync(app: App[Any], layer: OfflineLayer, *, now: float | None = None) -> bool:
    """Start a sync when offline or with writes waiting (one at a time, not too often)."""
    state = _state(layer)
    now = time.monotonic() if now is None else now
    every = SYNC_EVERY_S * (3 if low_bandwidth(app) else 1)  # fewer polls on a thin link
    if state.syncing or now - state.last_sync < every:
        return False
    if layer.online and layer.counts()[0] == 0:
        return False
    state.syncing = True
    state.last_sync = now
    app.run_worker(_sync(app, layer, state), group="link-sync", exit_on_error=False)
    return True


async def _sync(app: App[Any], layer: OfflineLayer, state: _LinkState) -> None:
    try:
        result = await layer.sync()
    except Exception as exc:  # never a crash from a background sync
        from tui.errors import log_exception

        log_exception(exc)
        return
    finally:
        state.syncing = False
        state.last_sync = time.monotonic()
    if result.sent or result.refused:
        app.notify(t("offline.replayed", sent=result.sent, refused=result.refused),
                   severity="warning" if result.refused else "information", timeout=8)


# --- the low-bandwidth mode ------------------------------------------------------------


def low_bandwidth(app: App[Any]) -> bool:
    return bool(getattr(app, "_buhta_low_bandwidth", False))


def apply_low_bandwidth(app: App[Any], on: bool) -> None:
    """Animations off and notifications in a digest (or back to normal)."""
    app._buhta_low_bandwidth = on  # type: ignore[attr-defined]
    app.animation_level = "none" if on else "full"
    digest = getattr(app, "_buhta_digest", None)
    if on and digest is None:
        app._buhta_digest = _Digest(app)  # type: ignore[attr-defined]
    elif not on and digest is not None:
        digest.stop()
        app._buhta_digest = None  # type: ignore[attr-defined]


def toggle_low_bandwidth(app: App[Any], root: Any = None) -> bool:
    """Switch the mode and keep the choice on the device; the new state."""
    from client.offline_settings import LinkSettings, save

    on = not low_bandwidth(app)
    apply_low_bandwidth(app, on)
    save(LinkSettings(low_bandwidth=on), root)
    app.notify(t("lowbw.on") if on else t("lowbw.off"), timeout=4)
    return on


class _Digest:
    """Gathers the app's notifications (not errors) and shows them as one every 30 s."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.original = app.notify
        self.waiting: list[str] = []
        app.notify = self.notify  # type: ignore[method-assign]
        self.timer = app.set_interval(DIGEST_EVERY_S, self.flush)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        if severity == "error" or message in (t("lowbw.on"), t("lowbw.off")):
            self.original(message, title=title, severity=severity, timeout=timeout,
                          markup=markup)
            return
        self.waiting.append(f"{title}: {message}" if title else message)

    def flush(self) -> None:
        if not self.waiting:
            return
        waiting, self.waiting = self.waiting, []
        text = waiting[0] if len(waiting) == 1 else t("lowbw.digest", n=len(waiting),
                                                        first=" · ".join(waiting))
        self.original(text, timeout=10, markup=False)

    def stop(self) -> None:
        self.timer.stop()
        self.flush()
        self.app.notify = self.original  # type: ignore[method-assign]


# --- the app's side ---------------------------------------------------------------------


def install(app: App[Any], data_dir: Any = None) -> None:
    """The traffic line on every full screen of the shell, and the low-bandwidth mode as
    the device (``link.v1.json``) or ``BUHTA_LOW_BANDWIDTH`` set it."""
    import os

    from client.offline_settings import load

    env = os.environ.get("BUHTA_LOW_BANDWIDTH", "").strip().lower()
    if env in ("1", "true", "yes", "on") or (env == "" and load(data_dir).low_bandwidth):
        apply_low_bandwidth(app, True)
    app.screen_change_signal.subscribe(app, lambda screen: _later(app, screen))


def _later(app: App[Any], screen: Any) -> None:
    try:
        screen.call_after_refresh(add_line, app, screen)
    except Exception:  # a screen on its way out
        return


def add_line(app: App[Any], screen: Any) -> None:
    """Mount a TrafficLine on ``screen`` (a full screen while signed in) unless it has one."""
    from textual.screen import ModalScreen

    if not getattr(app, "shell_on", False) or isinstance(screen, ModalScreen):
        return
    if not screen.is_attached or screen.query(TrafficLine):
        return
    # Docked at the bottom over the keys' line (its margin); the screen's content ends
    # above both.
    try:
        screen.mount(TrafficLine())
    except Exception:  # never a crash for the status line
        return
