"""Provides the rights table: which permission each screen's action needs, and the refusal.

One table (``RIGHTS``) names, for an action of a screen (or of any screen, ``"*"``),
the permission the server checks for it (``server.domain.roles.Perm``). The
permissions of the current member come from the server with the organisation
(``OrgSummary.permissions``). From the two:

- ``allowed(screen, action)`` — False when the role may not: the Footer, the key
  overlay and the palette show the action dimmed (a screen's ``check_action`` may
  return None for it too);
- ``reason(permission)`` — «Это делает Бухгалтер»: which roles may, for the overlay
  and the refusal;
- ``refuse(app, action, namespace)`` — the app's ``run_action`` asks it first: a
  refused action says why and does nothing (a key pressed, a palette command run).

The server still decides every request; this only says it before the work is done.
``ROLES_WITH`` (which roles hold a permission) names them; a test keeps it equal to
the server's table.
"""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen

from client.i18n import t

RIGHTS: dict[tuple[str, str], str] = {
    # Any screen: the keys that open another one.
    ("*", "app.org_screen('audit')"): "audit.read",
    ("*", "app.org_screen('reports')"): "ledger.read",
    ("*", "app.org_screen('chart')"): "ledger.read",
    ("*", "app.org_screen('documents')"): "ledger.read",
    ("*", "app.org_screen('bank')"): "ledger.read",
    ("*", "app.org_screen('payments')"): "ledger.read",
    ("*", "app.org_screen('counterparties')"): "ledger.read",
    # Учёт
    ("LedgerScreen", "new_entry"): "ledger.write",
    ("LedgerScreen", "reverse"): "ledger.write",
    ("LedgerScreen", "close_period"): "periods.close",
    ("LedgerScreen", "opening"): "ledger.write",
    ("OpeningScreen", "post"): "ledger.write",
    ("EntryFormScreen", "post"): "ledger.write",
    ("ChartScreen", "add"): "ledger.write",
    ("CounterpartiesScreen", "new"): "counterparties.write",
    ("CounterpartiesScreen", "archive"): "counterparties.write",
    ("CounterpartiesScreen", "restore"): "counterparties.write",
    ("CounterpartyFormScreen", "save"): "counterparties.write",
    ("DocumentsScreen", "new"): "documents.write",
    ("DocumentsScreen", "post"): "documents.write",
    ("DocumentsScreen", "cancel_doc"): "documents.write",
    ("DocumentViewScreen", "cancel_doc"): "documents.write",
    ("DocumentFormScreen", "save"): "documents.write",
    # Signing: the server takes a signature from a member who reads the books, in a
    # capacity its role may sign in (an observer reads but never signs: the refusal says so).
    ("DocumentViewScreen", "signatures"): "ledger.read",
    ("SignScreen", "sign"): "ledger.read",
    ("SignScreen", "export"): "ledger.read",
    ("SignScreen", "verify"): "ledger.read",
    ("BankScreen", "import_file"): "bank.write",
    ("BankScreen", "edit"): "bank.write",
    ("BankScreen", "rule"): "bank.write",
    ("BankScreen", "post"): "bank.write",
    ("RulesScreen", "delete"): "bank.write",
    ("PaymentsScreen", "new"): "bank.write",
    ("PaymentsScreen", "export"): "bank.write",
    ("PaymentsScreen", "delete"): "bank.write",
    ("PaymentFormScreen", "save"): "bank.write",
    # Зарплата
    ("PayrollScreen", "compute"): "payroll.write",
    ("PayrollScreen", "add_item"): "payroll.write",
    ("PayrollScreen", "absence"): "payroll.write",
    ("PayrollScreen", "approve"): "payroll.write",
    ("PayrollScreen", "pay"): "payroll.write",
    ("EmployeesScreen", "new"): "payroll.write",
    ("EmployeeFormScreen", "save"): "payroll.write",
    # Организация
    ("TeamScreen", "invite"): "team.manage",
    ("TeamScreen", "role"): "team.manage",
    ("TeamScreen", "block"): "team.manage",
    ("TeamScreen", "remove"): "team.manage",
}
"""(screen class name or ``"*"``, action) → the permission the server checks for it."""

SCREEN_RIGHTS: dict[str, str] = {
    "PayrollScreen": "payroll.read",
    "EmployeesScreen": "payroll.read",
    "QuarterScreen": "payroll.read",
    "PayrollFormsScreen": "payroll.read",
}
"""Screens that show nothing without a permission: they say so instead of loading."""

ROLE_ORDER = ("accountant", "director", "primary", "hr", "observer")

ROLES_WITH: dict[str, tuple[str, ...]] = {
    "org.read": ROLE_ORDER,
    "org.edit": ("accountant",),
    "team.read": ROLE_ORDER,
    "team.manage": ("accountant",),
    "audit.read": ("accountant", "director"),
    "ledger.read": ("accountant", "director", "primary", "observer"),
    "ledger.write": ("accountant",),
    "documents.write": ("accountant", "primary"),
    "bank.write": ("accountant", "primary"),
    "counterparties.write": ("accountant", "primary"),
    "periods.close": ("accountant",),
    "payroll.read": ("accountant", "director", "hr"),
    "payroll.write": ("accountant", "hr"),
    "tasks.read_all": ("accountant", "director"),
    "approve": ("accountant", "director"),
}
"""Which roles hold each permission (server.domain.roles.ROLE_PERMS), to name them."""


def split_action(action: str) -> tuple[str, str]:
    """``"app.org_screen('card')"`` → ``("app", "org_screen('card')")``;
    ``"new"`` → ``("", "new")``."""
    head, _, rest = action.partition("(")
    if "." in head:
        prefix, _, name = head.partition(".")
        return prefix, name + (f"({rest}" if rest else "")
    return "", action


def permission(screen: Screen[Any] | None, action: str) -> str | None:
    """The permission ``action`` needs on ``screen`` (the table's), or None: free for all."""
    prefix, bare = split_action(action)
    if prefix == "app":
        return RIGHTS.get(("*", action))
    if prefix not in ("", "screen") or screen is None:
        return None
    name = bare.partition("(")[0]
    for cls in type(screen).__mro__:
        found = RIGHTS.get((cls.__name__, bare)) or RIGHTS.get((cls.__name__, name))
        if found:
            return found
    return None


def granted(app: Any) -> frozenset[str] | None:
    """The current member's permissions in the active organisation; None: not known."""
    org = getattr(app, "org", None)
    perms = getattr(org, "permissions", None) if org is not None else None
    return frozenset(perms) if perms else None


def has(app: Any, perm: str) -> bool:
    perms = granted(app)
    return perms is None or perm in perms


def allowed(screen: Screen[Any] | None, action: str) -> bool:
    """False when the member's role may not do ``action`` on ``screen``."""
    if screen is None:
        return True
    perm = permission(screen, action)
    return perm is None or has(screen.app, perm)


def reason(perm: str) -> str:
    """«Это делает Бухгалтер», «Это делают Бухгалтер и Кадровик»."""
    names = [t(f"role.{role}") for role in ROLES_WITH.get(perm, ("accountant",))]
    if len(names) == 1:
        return t("rights.only_one", role=names[0])
    listed = t("rights.and", first=", ".join(names[:-1]), last=names[-1])
    return t("rights.only_many", roles=listed)


def refusal(screen: Screen[Any] | None, action: str) -> str | None:
    """Why the member may not do ``action`` on ``screen``, or None when it may."""
    if screen is None:
        return None
    perm = permission(screen, action)
    if perm is None or has(screen.app, perm):
        return None
    return reason(perm)


def screen_refusal(screen: Screen[Any]) -> str | None:
    """Why the member's role may not see ``screen`` at all, or None when it may."""
    for cls in type(screen).__mro__:
        perm = SCREEN_RIGHTS.get(cls.__name__)
        if perm is not None:
            if has(screen.app, perm):
                return None
            role = getattr(screen.app.org, "role", "")
            return t("rights.screen_refused", role=t(f"role.{role}"), reason=reason(perm))
    return None


def refuse(app: Any, action: str, namespace: DOMNode | None) -> bool:
    """Before ``app.run_action``: a refused action says why (True: it was refused)."""
    screen = namespace if isinstance(namespace, Screen) else getattr(app, "screen", None)
    if split_action(action)[0] not in ("", "app", "screen"):
        return False
    if not isinstance(namespace, Screen) and split_action(action)[0] != "app":
        return False  # a widget's own action (a table's cursor, an input's editing)
    text = refusal(screen, action)
    if text is None:
        return False
    app.notify(text, severity="warning", timeout=6)
    return True
