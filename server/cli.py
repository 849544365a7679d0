"""Provides ``buhta-server``: the hosted API under uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys

KEEP_ALIVE_S = 75
"""Seconds uvicorn keeps an idle connection open."""


def main(argv: list[str] | None = None) -> None:
    if (argv if argv is not None else sys.argv[1:])[:1] == ["worker"]:
        return _worker((argv if argv is not None else sys.argv[1:])[1:])
    if (argv if argv is not None else sys.argv[1:])[:1] == ["support"]:
        from server.services.support.cli import main as support_main

        raise SystemExit(support_main((argv if argv is not None else sys.argv[1:])[1:]))
    if (argv if argv is not None else sys.argv[1:])[:1] == ["newsletter"]:
        from server.services.newsletter import command

        raise SystemExit(command.main((argv if argv is not None else sys.argv[1:])[1:]))
    parser = argparse.ArgumentParser(
        prog="buhta-server",
        description="Buhta API server. Other settings come from BUHTA_* variables (README).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--database-url", help="overrides BUHTA_DATABASE_URL")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--log-level", default="info")
    parser.add_argument(
        "--migrate-only", action="store_true", help="upgrade the database and exit"
    )
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["BUHTA_DATABASE_URL"] = args.database_url
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s")

    from server.config import Settings

    settings = Settings()
    if settings.dev_outbox and not _is_loopback(args.host):
        # The dev outbox shows every code the server sent: never beyond this machine.
        parser.error(
            f"BUHTA_DEV_OUTBOX exposes every code sent; it only runs on a loopback address "
            f"(127.0.0.1, ::1, localhost), not on {args.host}"
        )
    if args.migrate_only:
        from server.db.session import make_engine, migrate

        migrate(make_engine(settings.database_url))
        return

    import uvicorn

    uvicorn.run(
        "server.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=settings.trust_forwarded_for,
        # Above a person's pause between two screens: each step on a slow link would
        # otherwise pay a new handshake (the client's pool keeps a connection 60 s).
        timeout_keep_alive=KEEP_ALIVE_S,
        server_header=False,  # 17 bytes on every answer, and nobody needs it
    )


def _worker(argv: list[str]) -> None:
    """``buhta-server worker``: mail, SMS and notification delivery in its own process."""
    parser = argparse.ArgumentParser(prog="buhta-server worker",
                                     description="Delivery worker (mail, SMS, notifications).")
    parser.add_argument("--database-url", help="overrides BUHTA_DATABASE_URL")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    if args.database_url:
        os.environ["BUHTA_DATABASE_URL"] = args.database_url
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    from server.config import Settings
    from server.delivery.run import run

    run(Settings())


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve anywhere


if __name__ == "__main__":
    main()
