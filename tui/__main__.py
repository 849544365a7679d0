"""Provides ``buhta``: the terminal app's command line.

Kept light: nothing heavy is imported before the first frame (see tui/app.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="buhta", description="Бухта: бухгалтерия в терминале / accounting in the terminal"
    )
    parser.add_argument("--server", help="URL of a hosted Buhta server (default: embedded)")
    parser.add_argument("--lang", choices=("ru", "en"), help="interface language")
    parser.add_argument("--data-dir", help="where the embedded database and credentials live")
    parser.add_argument(
        "--no-remember", action="store_true",
        help="never remember this device (for shared or served terminals)",
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> None:
    from tui.app import BuhtaApp

    app = BuhtaApp(exit_on_first_frame=os.environ.get("BUHTA_EXIT_ON_FIRST_FRAME") == "1")
    try:
        await app.run_async(headless=os.environ.get("BUHTA_HEADLESS") == "1")
    finally:
        if app.connection is not None:
            await app.connection.aclose()


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    # The settings are read from the environment by each layer, so the flags go there.
    if args.server:
        os.environ["BUHTA_SERVER"] = args.server
    if args.lang:
        os.environ["BUHTA_LANG"] = args.lang
    if args.data_dir:
        os.environ["BUHTA_DATA_DIR"] = args.data_dir
    if args.no_remember:
        os.environ["BUHTA_REMEMBER_ALLOWED"] = "false"
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
