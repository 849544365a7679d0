"""Provides the newsletter (рассылка): topics and provable consent (``subscriptions``),
signed one-click unsubscribe links (``links``), issues (``issues``), their mail and job
(``mail``) and the ``buhta-server newsletter send`` command (``command``)."""

from server.services.newsletter.subscriptions import Subscriptions

__all__ = ["Subscriptions"]
