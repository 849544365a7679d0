"""Provides ``buhta``: the terminal app's command line.

Kept light: nothing heavy is imported before the first frame (see tui/app.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from client.options import StartOptions
    from core.contract import OrgSummary
    from tui.app import BuhtaApp


def _common_flags(parser: argparse.ArgumentParser, *, inherited: bool = False) -> None:
    """The flags of the app and of each subcommand (after it they only override)."""
    from client.i18n import t

    default = {"default": argparse.SUPPRESS} if inherited else {}
    parser.add_argument("--server", metavar=t("cli.flag.server_metavar"), help=t("cli.flag.server"),
                        **default)
    parser.add_argument("--lang", choices=("ru", "en"), help=t("cli.flag.lang"), **default)
    parser.add_argument("--data-dir", metavar=t("cli.flag.data_dir_metavar"),
                        help=t("cli.flag.data_dir"), **default)
    parser.add_argument("--no-remember", action="store_true", help=t("cli.flag.no_remember"),
                        **default)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    from client.cli_i18n import RussianHelpFormatter, localize_argparse
    from client.i18n import t

    words = list(sys.argv[1:] if argv is None else argv)
    for i, word in enumerate(words):  # the help speaks the --lang asked for
        lang = word.partition("=")[2] if word.startswith("--lang=") else (
            words[i + 1] if word == "--lang" and i + 1 < len(words) else "")
        if lang in ("ru", "en"):
            from client.i18n import set_locale

            set_locale(lang)
    localize_argparse()  # argparse's own words (usage:, options:, -h) in our language
    parser = argparse.ArgumentParser(
        prog="buhta", description=t("cli.description"), formatter_class=RussianHelpFormatter
    )
    _common_flags(parser)
    commands = parser.add_subparsers(dest="command", metavar="{export,web}",
                                     title=t("cli.subcommands"))
    export_cmd = commands.add_parser(
        "export", help=t("cli.export.help"), description=t("cli.export.description"),
        formatter_class=RussianHelpFormatter,
    )
    _common_flags(export_cmd, inherited=True)
    export_cmd.add_argument("--format", choices=("ledger", "hledger"), default="ledger",
                            help=t("cli.export.format"))
    export_cmd.add_argument("--org", metavar=t("cli.export.org_metavar"),
                            help=t("cli.export.org"))
    export_cmd.add_argument("-o", "--output", metavar=t("cli.export.output_metavar"),
                            help=t("cli.export.output"))
    web_cmd = commands.add_parser(
        "web", help=t("cli.web.help"), description=t("cli.web.description"),
        formatter_class=RussianHelpFormatter,
    )
    _common_flags(web_cmd, inherited=True)
    from tui.web import add_arguments

    add_arguments(web_cmd)
    return parser.parse_args(argv)


def start_options(args: argparse.Namespace) -> StartOptions:
    """The flags as settings arguments (they win over ``BUHTA_*``, which stays untouched)."""
    from client.options import StartOptions

    return StartOptions(
        server=args.server or None,
        lang=args.lang or None,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        remember_allowed=False if args.no_remember else None,
    )


def make_app(options: StartOptions, *, exit_on_first_frame: bool = False) -> BuhtaApp:
    from tui.app import BuhtaApp

    return BuhtaApp(options=options, exit_on_first_frame=exit_on_first_frame)


async def run(args: argparse.Namespace, options: StartOptions | None = None) -> None:
    app = make_app(options or start_options(args),
                   exit_on_first_frame=os.environ.get("BUHTA_EXIT_ON_FIRST_FRAME") == "1")
    try:
        await app.run_async(headless=os.environ.get("BUHTA_HEADLESS") == "1")
    finally:
        if app.connection is not None:
            await app.connection.aclose()


# --- buhta export ----------------------------------------------------------------------
# Everything below imports its modules when called: the app's start-up path stays as it is.


async def export(args: argparse.Namespace, options: StartOptions | None = None) -> int:
    """``buhta export``: the books of one organisation as a ledger-cli / hledger journal,
    signed in with the device the app remembered. Returns the exit status."""
    from client.i18n import detect_locale, set_locale, t
    from client.paths import credentials_path, embedded_database_path
    from client.session import SessionStore, server_key

    settings = (options or start_options(args)).settings()
    set_locale(settings.lang or detect_locale())
    root = settings.data_dir
    store = SessionStore(credentials_path(root), enabled=settings.remember_allowed)
    if store.load(server_key(settings.server, embedded_database_path(root))) is None:
        return _fail(t("export.no_device"))  # before an embedded database is even opened
    from client.connect import connect
    from client.errors import ApiError, SessionRevoked, os_error_text

    connection = connect(settings)
    api = connection.api
    try:
        try:
            await api.auth.resume()
        except SessionRevoked:
            return _fail(t("export.session_ended"))
        orgs = [o for o in await api.orgs.mine() if o.status == "active"]
        org, problem = pick_org(orgs, args.org)
        if org is None:
            return _fail(problem)
        text = await api.reports.export_journal(org.id, args.format)
    except ApiError as exc:
        return _fail(t("export.failed", error=exc.detail))
    finally:
        await connection.aclose()
    data = text.encode("utf-8")
    if not args.output:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    path = Path(args.output).expanduser()
    try:
        path.write_bytes(data)
    except OSError as exc:
        return _fail(t("export.write_failed", path=path, error=os_error_text(exc)))
    entries = sum(1 for line in text.split("\n") if line[:1].isdigit())
    print(t("export.written", org=org.short_name, path=path, entries=entries), file=sys.stderr)
    return 0


def pick_org(orgs: list[OrgSummary], wanted: str | None) -> tuple[OrgSummary | None, str]:
    """The organisation to export: the only one, or the one ``wanted`` names (its ИНН, its
    name, or a part of the name, case and ё aside); otherwise None and the reason."""
    from client.i18n import t

    listed = ", ".join(f"{o.short_name} ({o.inn})" for o in orgs)
    if not orgs:
        return None, t("export.no_orgs")
    if not wanted or not wanted.strip():
        return (orgs[0], "") if len(orgs) == 1 else (None, t("export.ambiguous_org",
                                                             orgs=listed))
    key = wanted.strip()
    if key.isdigit():
        found = [o for o in orgs if o.inn == key]
    else:
        def fold(text: str) -> str:
            return " ".join(text.casefold().replace("ё", "е").split())

        found = [o for o in orgs if fold(o.short_name) == fold(key)] or \
            [o for o in orgs if fold(key) in fold(o.short_name)]
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, t("export.org_not_found", org=key, orgs=listed)
    return None, t("export.org_many_match", org=key,
                   orgs=", ".join(f"{o.short_name} ({o.inn})" for o in found))


def _fail(message: str) -> int:
    print(f"buhta export: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    options = start_options(args)
    if options.lang:
        from client.i18n import set_locale

        set_locale(options.lang)
    if args.command == "export":
        raise SystemExit(asyncio.run(export(args, options)))
    if args.command == "web":
        from tui.web import serve

        raise SystemExit(serve(args))
    asyncio.run(run(args, options))


if __name__ == "__main__":
    main()
