"""Provides the newsletter routes: the caller's topics, subscribe / unsubscribe and the
consent history under ``/api/v1/newsletter``, and the one-click unsubscribe link
``/u/{token}`` outside it (RFC 8058: no sign-in; a GET shows a page asking to confirm,
so a mail scanner following links unsubscribes nobody; the POST — the mail client's
``List-Unsubscribe=One-Click`` or the page's button — unsubscribes).
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from core.contract import newsletter as nl
from server import i18n
from server.api.deps import CallerDep, CtxDep, DbDep
from server.services.newsletter import Subscriptions

router = APIRouter(tags=["newsletter"])
public = APIRouter(tags=["newsletter"], include_in_schema=False)

Token = Annotated[str, Path(max_length=100)]


def service(request: Request) -> Subscriptions:
    return request.app.state.newsletter


@router.get("/newsletter/topics")
def list_topics(request: Request, db: DbDep, caller: CallerDep) -> nl.TopicList:
    """Every topic with the consent text to show before subscribing, and the caller's
    standing on it."""
    return service(request).topics(db, caller.ctx, caller.user)


@router.put("/newsletter/subscriptions/{topic}")
def subscribe(topic: nl.Topic, body: nl.SubscribeIn, request: Request, db: DbDep,
              caller: CallerDep) -> nl.TopicOut:
    """Subscribe against the consent text shown (its id and SHA-256 from ``topics``);
    409 ``newsletter.consent_outdated`` when that is no longer the text in force."""
    return service(request).subscribe(db, caller.ctx, caller.user, topic, body)


@router.delete("/newsletter/subscriptions/{topic}")
def unsubscribe(topic: nl.Topic, request: Request, db: DbDep, caller: CallerDep
                ) -> nl.TopicOut:
    return service(request).unsubscribe(db, caller.ctx, caller.user, topic)


@router.get("/newsletter/consents")
def consents(request: Request, db: DbDep, caller: CallerDep) -> nl.ConsentHistory:
    """The caller's consents and withdrawals, oldest first."""
    return service(request).history(db, caller.user)


def _page(lang: str, title_key: str, text: str, *, form: str | None = None,
          status: int = 200) -> HTMLResponse:
    title = html.escape(i18n.text(title_key, lang))
    button = ""
    if form is not None:
        label = html.escape(i18n.text("newsletter.page.button", lang))
        button = (f'<form method="post" action="{html.escape(form)}">'
                  f'<input type="hidden" name="List-Unsubscribe" value="One-Click">'
                  f'<button type="submit">{label}</button></form>')
    body = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="robots" content="noindex"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>{html.escape(text)}</p>{button}</body></html>\n")
    return HTMLResponse(body, status_code=status,
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@public.get("/u/{token}")
def unsubscribe_page(token: Token, request: Request, db: DbDep, ctx: CtxDep) -> HTMLResponse:
    from server.services.newsletter import topics

    found = service(request).by_token(db, token)
    if found is None:
        return _page(ctx.lang, "newsletter.page.invalid_title",
                     i18n.text("newsletter.page.invalid", ctx.lang), status=404)
    title = topics.title(found.topic, ctx.lang)
    if not found.active:
        return _page(ctx.lang, "newsletter.page.done_title",
                     i18n.text("newsletter.page.already", ctx.lang, email=found.email,
                               topic=title))
    return _page(ctx.lang, "newsletter.page.confirm_title",
                 i18n.text("newsletter.page.confirm", ctx.lang, email=found.email,
                           topic=title),
                 form=f"/u/{token}")


@public.post("/u/{token}")
def unsubscribe_one_click(token: Token, request: Request, db: DbDep, ctx: CtxDep
                          ) -> HTMLResponse:
    """RFC 8058 one-click: whatever the body, a valid link unsubscribes (and again is a
    no-op); a forged one is 404 and changes nothing."""
    from server.services.newsletter import topics

    svc = service(request)
    topic = svc.unsubscribe_by_token(db, ctx, token)
    if topic is None:
        return _page(ctx.lang, "newsletter.page.invalid_title",
                     i18n.text("newsletter.page.invalid", ctx.lang), status=404)
    return _page(ctx.lang, "newsletter.page.done_title",
                 i18n.text("newsletter.page.done", ctx.lang,
                           topic=topics.title(topic, ctx.lang)))
