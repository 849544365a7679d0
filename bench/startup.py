"""Start-up time: the app from launch to the login screen, against a bare Textual app.

Both run as whole processes, headless, and exit right after their first frame.
Runs alternate between the two so that machine noise hits both alike. The last
line is ``startup_ratio=<app median / bare median>`` (goal: at most 1.5).

    python bench/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
from textual.app import App
from textual.widgets import Label

class Bare(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_APP)
        env = dict(os.environ)
        # As on a user's machine: byte-code is written once and reused (some shells,
        # this workplace's among them, set PYTHONDONTWRITEBYTECODE for everything).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(
            BUHTA_DATA_DIR=str(Path(tmp) / "data"),
            BUHTA_HEADLESS="1",
            BUHTA_EXIT_ON_FIRST_FRAME="1",
        )
        app_cmd = [sys.executable, "-m", "tui"]
        bare_cmd = [sys.executable, str(bare)]
        # Warm-up: byte-code compiled, files in the page cache.
        timed(app_cmd, env)
        timed(bare_cmd, env)
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(timed(app_cmd, env))
            bare_times.append(timed(bare_cmd, env))
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    print(f"runs={args.runs}")
    print(f"bare_median_s={bare_median:.3f} bare_min_s={min(bare_times):.3f}")
    print(f"app_median_s={app_median:.3f} app_min_s={min(app_times):.3f}")
    print(f"startup_ratio={app_median / bare_median:.2f}")


if __name__ == "__main__":
    main()
