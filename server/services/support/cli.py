"""Provides ``buhta-server support``: the agents' command on the server's database.

    buhta-server support grant EMAIL [--revoke]     the support role on or off
    buhta-server support list [--status S ...]      the open requests, oldest first
    buhta-server support show NUMBER                a request, its context and conversation
    buhta-server support reply NUMBER --agent EMAIL [--text TEXT]   (else stdin)
    buhta-server support close NUMBER --agent EMAIL
    buhta-server support callbacks-due [--all]      callbacks whose window has begun
    buhta-server support callback-done ID --agent EMAIL

``--agent`` may come from ``BUHTA_SUPPORT_AGENT``; it must be a user holding the support
role. The database is ``--database-url`` or ``BUHTA_DATABASE_URL`` (already migrated).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TextIO

from sqlalchemy import select

from core.contract import support as sp
from server.services.context import Ctx
from server.services.errors import ServiceError

LANG = "ru"
STATUS_WORDS = {"new": "новое", "in_progress": "в работе",
                "waiting_user": "ждёт ответа пользователя", "closed": "закрыто"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="buhta-server support",
                                     description="Support requests and callbacks (agents).")
    parser.add_argument("--database-url", help="overrides BUHTA_DATABASE_URL")
    sub = parser.add_subparsers(dest="command", required=True)
    grant = sub.add_parser("grant", help="give (or --revoke) the support role")
    grant.add_argument("email")
    grant.add_argument("--revoke", action="store_true")
    listing = sub.add_parser("list", help="requests, oldest first (default: the open ones)")
    listing.add_argument("--status", action="append", choices=sp.STATUSES)
    show = sub.add_parser("show", help="one request with its conversation")
    show.add_argument("number", type=int)
    for name in ("reply", "close"):
        cmd = sub.add_parser(name, help=f"{name} a request")
        cmd.add_argument("number", type=int)
        cmd.add_argument("--agent", default=os.environ.get("BUHTA_SUPPORT_AGENT"))
        if name == "reply":
            cmd.add_argument("--text", help="the answer (default: read from stdin)")
    due = sub.add_parser("callbacks-due", help="callbacks whose window has begun")
    due.add_argument("--all", action="store_true", help="every open callback")
    done = sub.add_parser("callback-done", help="mark a callback made")
    done.add_argument("id")
    done.add_argument("--agent", default=os.environ.get("BUHTA_SUPPORT_AGENT"))
    return parser


def _request_lines(r: sp.RequestOut) -> list[str]:
    lines = [f"№ {r.id} [{STATUS_WORDS[r.status]}] {r.topic_name}: {r.subject}",
             f"  от {r.user_email}, {r.created_at:%d.%m.%Y %H:%M} UTC"
             + (f", организация {r.org_short_name}" if r.org_short_name else "")]
    if r.context is not None:
        lines.append("  контекст: " + ", ".join(f"{k}={v}" for k, v in r.context.items()))
    for g in r.grants:
        if g.live:
            lines.append(f"  доступ на чтение: {g.org_short_name} до "
                         f"{g.expires_at:%d.%m.%Y %H:%M} UTC")
    return lines


def _print_request(r: sp.RequestOut, out: TextIO, *, full: bool) -> None:
    for line in _request_lines(r):
        print(line, file=out)
    if full:
        for msg in r.messages:
            print(f"--- {msg.author}, {msg.created_at:%d.%m.%Y %H:%M} UTC", file=out)
            print(msg.text, file=out)


def _agent_id(db, support, email: str | None) -> str:  # type: ignore[no-untyped-def]
    from server.db.models import User

    if not email:
        raise SystemExit("--agent EMAIL (or BUHTA_SUPPORT_AGENT) is needed")
    with db.begin():
        user = db.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None or not support.is_agent(db, user.id):
            raise SystemExit(f"{email} is not a support agent (buhta-server support grant)")
        return user.id


def main(argv: list[str] | None = None, *, out: TextIO | None = None,
         stdin: TextIO | None = None, clock=None) -> int:  # type: ignore[no-untyped-def]
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    if args.database_url:
        os.environ["BUHTA_DATABASE_URL"] = args.database_url
    from server.config import Settings
    from server.db.session import make_engine, make_sessionmaker
    from server.services.support import Support

    settings = Settings()
    engine = make_engine(settings.database_url)
    support = Support(settings, **({"clock": clock} if clock else {}))
    try:
        with make_sessionmaker(engine)() as db:
            return _run(args, db, support, out, stdin or sys.stdin)
    except ServiceError as exc:
        from server.i18n import text

        print(text(f"error.{exc.code}", LANG, **exc.params), file=sys.stderr)
        return 1
    except ValueError as exc:  # pydantic's ValidationError: an empty or too long answer
        print(f"support: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _run(args, db, support, out: TextIO, stdin: TextIO) -> int:  # type: ignore[no-untyped-def]
    ctx = Ctx(ip="cli", lang=LANG)
    if args.command == "grant":
        support.make_agent(db, args.email, f"cli:{getpass.getuser()}", revoke=args.revoke)
        word = "больше не агент поддержки" if args.revoke else "теперь агент поддержки"
        print(f"{args.email} {word}", file=out)
    elif args.command == "list":
        page = support.queue(db, ctx, args.status or (), limit=200)
        for r in page.items:
            _print_request(r, out, full=False)
        print(f"обращений: {len(page.items)}", file=out)
    elif args.command == "show":
        _print_request(support.show(db, ctx, args.number), out, full=True)
    elif args.command == "reply":
        agent = _agent_id(db, support, args.agent)
        body = sp.MessageIn(text=args.text if args.text is not None else stdin.read())
        actx = Ctx(ip="cli", lang=LANG, user_id=agent)
        _print_request(support.answer(db, actx, agent, args.number, body), out, full=False)
    elif args.command == "close":
        agent = _agent_id(db, support, args.agent)
        actx = Ctx(ip="cli", lang=LANG, user_id=agent)
        _print_request(support.agent_close(db, actx, args.number), out, full=False)
    elif args.command == "callbacks-due":
        found = support.callbacks_due(db, ctx, due=not args.all)
        for c in found.items:
            print(f"{c.id} {c.phone} {c.topic_name}: {c.local_window} — {c.user_email}",
                  file=out)
        print(f"звонков: {len(found.items)}", file=out)
    elif args.command == "callback-done":
        agent = _agent_id(db, support, args.agent)
        c = support.callback_done(db, Ctx(ip="cli", lang=LANG, user_id=agent), agent, args.id)
        print(f"{c.id} {c.phone}: сделан", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
