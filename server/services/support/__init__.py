"""Provides the support centre: requests (обращения) and their conversation, callback
orders, the ``support`` role of agents (not an organisation role) and the temporary read
access a user grants support to one organisation.

``service_of(app.state)`` is the one ``Support`` of an application (routes, the access
check and the CLI share it); tests set its ``clock``.
"""

from __future__ import annotations

from typing import Any

from server.services.support.service import Support

__all__ = ["Support", "service_of"]


def service_of(state: Any) -> Support:
    """The application's Support (made on first use from its settings)."""
    found = getattr(state, "support", None)
    if found is None:
        found = Support(state.settings)
        state.support = found
    return found
