"""Provides the organisation screens: the switcher, the requisites card, the team, accepting
an invitation and the audit log, one module each.

These are the screens the app opens by name (``org_screen('team')`` …).
"""

from screens.orgs.audit_log import AuditScreen
from screens.orgs.invitation import AcceptInvitationScreen
from screens.orgs.org_form import OrgFormScreen
from screens.orgs.switcher import OrgSwitcher
from screens.orgs.team import TeamScreen

__all__ = ["AcceptInvitationScreen", "AuditScreen", "OrgFormScreen", "OrgSwitcher", "TeamScreen"]
