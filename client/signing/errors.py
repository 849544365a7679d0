"""Provides ``SigningError``: a refusal on the device, with its Russian (or English) text."""

from __future__ import annotations

from client.i18n import t


class SigningError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(t(key, **params))

    @property
    def text(self) -> str:
        return t(self.key, **self.params)
