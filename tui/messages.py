"""Provides the app's own messages."""

from __future__ import annotations

from typing import Any

from textual.message import Message


class OrgChanged(Message):
    """The active organisation changed (or there is none): screens redraw what depends on it."""

    def __init__(self, org: Any) -> None:
        super().__init__()
        self.org = org
