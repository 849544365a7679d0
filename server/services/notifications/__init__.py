"""Provides notifications: ``notify`` (an event, written in the caller's transaction), the
in-app list, the channels (e-mail with its daily digest, Telegram, webhooks) and the
event × channel matrix. Deliveries run from the job table (``server.services.jobs``)
in the worker (``server.delivery.worker``)."""

from __future__ import annotations

from server.services.notifications.dispatch import notify, notify_roles

__all__ = ["notify", "notify_roles"]
