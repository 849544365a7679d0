"""Provides ``buhta web``: the same app in a browser, through the ``textual-serve`` package.

textual-serve is a small aiohttp server: its page runs xterm.js, and every browser
connection (every tab) starts its own ``buhta`` process, whose terminal travels over a
websocket. It has no authentication of its own, so it listens on 127.0.0.1 by default
and belongs behind a reverse proxy that asks who is there (README, «В браузере»).

The served processes never remember a device: each is started with ``--no-remember``
and ``BUHTA_REMEMBER_ALLOWED=false``, so the tokens live in that process's memory only
(SessionStore disabled: nothing written to the credentials file, the offline cache in
memory) and end with the tab.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

WEB_ENV = {
    # Remembering is off in every process the browser starts (the flag says it too).
    "BUHTA_REMEMBER_ALLOWED": "false",
    # Lets the app know it is served (e.g. not to offer what a browser cannot do).
    "BUHTA_WEB": "1",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``buhta web``'s own flags."""
    from client.i18n import t

    parser.add_argument("--host", default=DEFAULT_HOST, metavar=t("cli.web.host_metavar"),
                        help=t("cli.web.host"))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        metavar=t("cli.web.port_metavar"),
                        help=t("cli.web.port"))
    parser.add_argument("--public-url", metavar=t("cli.web.public_url_metavar"),
                        help=t("cli.web.public_url"))


def child_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser connection: this Python's
    ``buhta`` with the same server, language and data dir, never remembering."""
    words = [sys.executable, "-m", "tui", "--no-remember"]
    for flag, name in (("--server", "server"), ("--lang", "lang"), ("--data-dir", "data_dir")):
        value = getattr(args, name, None)
        if value:
            words += [flag, str(value)]
    return shlex.join(words)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(args: argparse.Namespace) -> int:
    """Runs the web server until Ctrl+C (or SIGTERM). Returns the exit status."""
    from client.i18n import t

    try:
        from textual_serve.server import Server
    except ImportError:
        print(f"buhta web: {t('cli.web.no_package')}", file=sys.stderr)
        return 1
    if not is_loopback(args.host):
        print(f"buhta web: {t('cli.web.not_local', host=args.host)}", file=sys.stderr)
    os.environ.update(WEB_ENV)  # textual-serve hands its environment to each process
    server = Server(child_command(args), host=args.host, port=args.port,
                    title=t("web.title"), public_url=args.public_url or None)
    try:
        server.serve()
    except OSError as exc:  # the port is taken, the address is not ours
        from client.errors import os_error_text

        print(f"buhta web: {t('cli.web.failed', error=os_error_text(exc))}", file=sys.stderr)
        return 1
    return 0
