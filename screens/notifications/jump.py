"""Provides ``open_object``: Enter on a notification opens what it points at, in the
notification's organisation (switching to it first), by module path as the app and the
dashboard open screens (never importing another area's package).

| object         | opens                                                         |
|----------------|---------------------------------------------------------------|
| task           | the task's card (after a GET)                                 |
| document       | the draft's form or the document's card (after a GET)         |
| entry          | the entry (after a GET)                                       |
| employee       | the employee's card (after a GET)                             |
| payroll_run    | the payroll mode                                              |
| statement      | the bank screen                                               |
| deadline       | the tax calendar at the deadline's year, the deadline chosen  |
| device         | the devices screen                                            |
| member         | the organisation's team                                       |
| support_ticket | the support request's conversation                            |
| org            | the organisation's card                                       |
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

from client.errors import ApiError
from client.i18n import t
from core.contract import notifications as nm

TASK_VIEW = "screens.tasks.view:TaskViewScreen"
DOCUMENT_FORM = "screens.documents.form:DocumentFormScreen"
DOCUMENT_VIEW = "screens.documents.view:DocumentViewScreen"
ENTRY_VIEW = "tui.dialogs.entry_view:EntryView"
EMPLOYEE_CARD = "screens.payroll.employee_form:EmployeeFormScreen"
CALENDAR = "screens.calendar.year:CalendarScreen"
CONVERSATION = "screens.support.requests:ConversationScreen"

ORG_SCREEN = {"statement": "bank", "member": "team", "org": "card"}


def screen_class(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def deadline_year(deadline_id: str) -> int | None:
    """``usn_advance:2026-Q1`` → 2026."""
    found = re.search(r"(?<!\d)(20\d\d)(?!\d)", deadline_id)
    return int(found.group(1)) if found else None


async def open_object(app: Any, note: nm.NotificationOut) -> None:
    """Run as the app's worker (a screen's worker dies with it)."""
    obj = note.object
    if obj is None:
        return
    try:
        if note.org_id and (app.org is None or app.org.id != note.org_id):
            await app.load_orgs(prefer=note.org_id)
            if app.org is None or app.org.id != note.org_id:
                app.notify(t("notif.org_gone"), severity="warning")
                return
        await _open(app, note.org_id or "", obj)
    except ApiError as error:
        app.notify(error.detail, severity="error", timeout=8)


async def _open(app: Any, org_id: str, obj: nm.ObjectRef) -> None:
    kind, oid = obj.kind, obj.id
    if kind in ORG_SCREEN:
        await app.run_action(f"org_screen('{ORG_SCREEN[kind]}')")
        return
    if kind == "payroll_run":
        await app.run_action("goto('payroll')")
        return
    if kind == "device":
        await app.run_action("devices")
        return
    if kind == "deadline":
        await app.push_screen(screen_class(CALENDAR)(year=deadline_year(oid), select=oid))
        return
    if kind == "support_ticket":
        await app.push_screen(screen_class(CONVERSATION)(int(oid)))
        return
    api = await app.api()
    if kind == "task":
        await app.push_screen(screen_class(TASK_VIEW)(await api.tasks.get(org_id, oid)))
    elif kind == "document":
        doc = await api.documents.get(org_id, oid)
        screen = (screen_class(DOCUMENT_FORM)(doc.type, doc) if doc.state == "draft"
                  else screen_class(DOCUMENT_VIEW)(doc))
        await app.push_screen(screen)
    elif kind == "entry":
        await app.push_screen(screen_class(ENTRY_VIEW)(await api.ledger.entry(org_id, oid)))
    elif kind == "employee":
        await app.push_screen(screen_class(EMPLOYEE_CARD)(await api.payroll.employee(org_id,
                                                                                    oid)))
    else:
        app.notify(t("notif.no_object"))
