"""Keys in a burst through a real terminal: the real ``buhta`` in tmux at 80x24.

One ``send-keys`` carries a whole form (the way a paste, tmux or a slow SSH link
delivers it: in one read); the screen then shows every value in its own field.
Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """A detached tmux session of 80x24 running the app."""

    def __init__(self, data_dir: Path) -> None:
        self.name = f"buhta-burst-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-L", self.name]
        env = {k: v for k, v in os.environ.items() if not k.startswith("BUHTA_")}
        env.update({"BUHTA_DATA_DIR": str(data_dir), "BUHTA_LANG": "ru",
                    "BUHTA_ARGON2_TIME_COST": "1", "BUHTA_ARGON2_MEMORY_KIB": "1024",
                    "BUHTA_ARGON2_PARALLELISM": "1", "TERM": "xterm-256color"})
        command = f"cd {ROOT} && exec {sys.executable} -m tui"
        # A server of its own (-L): nothing shared with other tmux sessions on the machine.
        subprocess.run([*self.tmux, "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24",
                        command], env=env, check=True)

    def keys(self, *keys: str) -> None:
        """One ``send-keys``: tmux writes the keys to the terminal in one go."""
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, *keys], check=True)

    def text(self) -> str:
        return subprocess.run([*self.tmux, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, wanted: str, timeout_s: float = 30) -> str:
        deadline = time.monotonic() + timeout_s
        while True:
            screen = self.text()
            if wanted in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} never showed:\n{screen}")
            time.sleep(0.1)

    def line_with(self, label: str) -> str:
        return next((line for line in self.text().splitlines() if label in line), "")

    def wait_line(self, label: str, wanted: str, timeout_s: float = 20) -> str:
        """The line with ``label`` once it shows ``wanted`` (keys may still be arriving)."""
        deadline = time.monotonic() + timeout_s
        while True:
            line = self.line_with(label)
            if wanted in line:
                return line
            if time.monotonic() > deadline:
                raise AssertionError(f"{label!r} never showed {wanted!r}:\n{self.text()}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    term = Terminal(tmp_path / "data")
    yield term
    term.close()


def test_login_form_in_one_write(terminal):
    terminal.wait_for("Запомнить")
    # One literal write: e-mail, a Tab character, the password.
    terminal.keys("-l", "ivan@example.ru\tсекрет 42")
    terminal.wait_line("Пароль", "•" * len("секрет 42"))
    email = terminal.line_with("Электронная почта")
    assert "ivan@example.ru" in email and "секрет" not in email, email


def test_registration_right_after_f2_in_one_send_keys(terminal):
    terminal.wait_for("Запомнить")
    # F2 opens the form; the rest arrives before it has mounted.
    terminal.keys("F2", "a@b.ru", "Tab", "8 916 111-22-33")
    terminal.wait_line("Мобильный телефон", "8 916 111-22-33")
    email = terminal.line_with("Электронная почта")
    assert "a@b.ru" in email and "916" not in email, terminal.text()
