"""StartOptions: the command line's flags become settings arguments, never os.environ."""

from __future__ import annotations

import os
from pathlib import Path

from client.options import StartOptions
from client.paths import credentials_path, embedded_database_path
from client.session import RememberedDevice, SessionStore, server_key
from tui.__main__ import parse, start_options

DEVICE = RememberedDevice("dev-1", "refresh-token-1234567890", "ivan@example.ru")


def test_flags_become_options_and_the_environment_stays(monkeypatch, tmp_path):
    before = dict(os.environ)
    args = parse(["--server", "https://buhta.example", "--lang", "en", "--data-dir",
                  str(tmp_path / "x"), "--no-remember"])
    options = start_options(args)
    assert options == StartOptions(server="https://buhta.example", lang="en",
                                   data_dir=tmp_path / "x", remember_allowed=False)
    settings = options.settings()
    assert (settings.server, settings.lang, settings.data_dir, settings.remember_allowed) == (
        "https://buhta.example", "en", tmp_path / "x", False)
    assert dict(os.environ) == before


def test_no_flags_leave_the_environment_in_charge(monkeypatch, tmp_path):
    monkeypatch.setenv("BUHTA_SERVER", "https://from.env")
    monkeypatch.setenv("BUHTA_REMEMBER_ALLOWED", "false")
    options = start_options(parse([]))
    assert options.overrides() == {}
    settings = options.settings()
    assert settings.server == "https://from.env" and settings.remember_allowed is False
    # A flag wins over its variable.
    flagged = start_options(parse(["export", "--server", "https://from.flag"])).settings()
    assert flagged.server == "https://from.flag"


def test_remembered_follows_the_options_like_the_settings(monkeypatch, tmp_path):
    elsewhere = tmp_path / "profile"
    SessionStore(credentials_path(elsewhere)).save(
        server_key(None, embedded_database_path(elsewhere)), DEVICE)
    assert StartOptions().remembered() is None  # BUHTA_DATA_DIR (the tests' home) is empty
    assert StartOptions(data_dir=elsewhere).remembered() == DEVICE
    assert StartOptions(data_dir=elsewhere, remember_allowed=False).remembered() is None
    monkeypatch.setenv("BUHTA_REMEMBER_ALLOWED", "no")
    assert StartOptions(data_dir=elsewhere).remembered() is None
    monkeypatch.setenv("BUHTA_DATA_DIR", str(elsewhere))
    monkeypatch.delenv("BUHTA_REMEMBER_ALLOWED")
    assert StartOptions().remembered() == DEVICE
    remote = StartOptions(server="https://buhta.example", data_dir=elsewhere)
    assert remote.remembered() is None  # remembered for the embedded server only


def test_paths_take_the_folder_passed_in(monkeypatch, tmp_path):
    monkeypatch.setenv("BUHTA_DATA_DIR", str(tmp_path / "env"))
    assert embedded_database_path() == tmp_path / "env" / "buhta.sqlite3"
    assert embedded_database_path(tmp_path / "flag") == tmp_path / "flag" / "buhta.sqlite3"
    assert credentials_path("~/b").parent == Path("~/b").expanduser() / "credentials"
