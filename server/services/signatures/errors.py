"""Provides ``SignatureRefused``: why a signature does not verify (a catalogue code)."""

from __future__ import annotations


class SignatureRefused(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail
