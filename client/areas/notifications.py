"""Provides NotificationsApi: the notification centre (list, unread count, read marks),
the caller's channels (e-mail digest, Telegram), the event × channel matrix of an
organisation and of the caller, and the organisation's webhooks
(``core.contract.notifications``; the routes are listed in its docstring).

The list and the unread count answer with an ``ETag``; the transport sends it back as
``If-None-Match``, so a poll while nothing changed is a bodiless 304.
"""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id
from core.contract import notifications as nm


class NotificationsApi(Area):
    """``api.notifications``."""

    # --- the centre -----------------------------------------------------------------

    async def list(self, *, org_id: str | None = None, unread: bool = False,
                   cursor: str | None = None, limit: int = 30) -> nm.NotificationPage:
        params: dict[str, Any] = {"limit": limit}
        if org_id:
            params["org_id"] = path_id(org_id)
        if unread:
            params["unread"] = "true"
        if cursor:
            params["cursor"] = cursor
        return await self._call("GET", "/notifications", nm.NotificationPage, params=params)

    async def unread(self) -> nm.UnreadCount:
        return await self._call("GET", "/notifications/unread", nm.UnreadCount)

    async def mark_read(self, ids: list[str]) -> nm.UnreadCount:
        return await self._call("POST", "/notifications/read", nm.UnreadCount,
                                nm.MarkRead(ids=[path_id(i) for i in ids]))

    async def mark_all_read(self, org_id: str | None = None) -> nm.UnreadCount:
        body = nm.MarkRead(all=True, org_id=path_id(org_id) if org_id else None)
        return await self._call("POST", "/notifications/read", nm.UnreadCount, body)

    async def read(self, notification_id: str) -> nm.NotificationOut:
        return await self._call("POST", f"/notifications/{path_id(notification_id)}/read",
                                nm.NotificationOut)

    async def unread_one(self, notification_id: str) -> nm.NotificationOut:
        return await self._call("POST", f"/notifications/{path_id(notification_id)}/unread",
                                nm.NotificationOut)

    # --- the caller's channels --------------------------------------------------------

    async def settings(self) -> nm.ChannelSettings:
        return await self._call("GET", "/notifications/settings", nm.ChannelSettings)

    async def change_settings(self, body: nm.ChannelSettingsIn) -> nm.ChannelSettings:
        return await self._call("PUT", "/notifications/settings", nm.ChannelSettings, body)

    async def telegram_link(self) -> nm.TelegramLinkCode:
        return await self._call("POST", "/notifications/telegram/link", nm.TelegramLinkCode)

    async def telegram_unlink(self) -> nm.ChannelSettings:
        return await self._call("DELETE", "/notifications/telegram", nm.ChannelSettings)

    # --- the matrix -------------------------------------------------------------------

    def _matrix_path(self, org_id: str, scope: str) -> str:
        base = f"/orgs/{path_id(org_id)}/notifications/matrix"
        return f"{base}/me" if scope == "user" else base

    async def matrix(self, org_id: str, scope: str = "user") -> nm.NotificationMatrix:
        """``scope`` ``org``: the organisation's defaults; ``user``: the caller's own."""
        return await self._call("GET", self._matrix_path(org_id, scope), nm.NotificationMatrix)

    async def set_matrix(self, org_id: str, scope: str, cells: list[nm.MatrixCellIn]
                         ) -> nm.NotificationMatrix:
        return await self._call("PUT", self._matrix_path(org_id, scope), nm.NotificationMatrix,
                                nm.MatrixIn(cells=cells))

    # --- webhooks ---------------------------------------------------------------------

    def _hooks(self, org_id: str, webhook_id: str | None = None) -> str:
        base = f"/orgs/{path_id(org_id)}/webhooks"
        return f"{base}/{path_id(webhook_id)}" if webhook_id else base

    async def webhooks(self, org_id: str) -> nm.WebhookList:
        return await self._call("GET", self._hooks(org_id), nm.WebhookList)

    async def webhook(self, org_id: str, webhook_id: str) -> nm.WebhookOut:
        return await self._call("GET", self._hooks(org_id, webhook_id), nm.WebhookOut)

    async def create_webhook(self, org_id: str, body: nm.WebhookIn) -> nm.WebhookCreated:
        return await self._call("POST", self._hooks(org_id), nm.WebhookCreated, body)

    async def change_webhook(self, org_id: str, webhook_id: str, body: nm.WebhookPatch
                             ) -> nm.WebhookOut:
        return await self._call("PATCH", self._hooks(org_id, webhook_id), nm.WebhookOut, body)

    async def delete_webhook(self, org_id: str, webhook_id: str) -> None:
        await self._send("DELETE", self._hooks(org_id, webhook_id))

    async def rotate_secret(self, org_id: str, webhook_id: str) -> nm.WebhookCreated:
        return await self._call("POST", f"{self._hooks(org_id, webhook_id)}/secret",
                                nm.WebhookCreated)

    async def test_webhook(self, org_id: str, webhook_id: str) -> nm.WebhookDeliveryOut:
        return await self._call("POST", f"{self._hooks(org_id, webhook_id)}/test",
                                nm.WebhookDeliveryOut)

    async def deliveries(self, org_id: str, webhook_id: str, limit: int = 20
                         ) -> nm.WebhookDeliveryList:
        return await self._call("GET", f"{self._hooks(org_id, webhook_id)}/deliveries",
                                nm.WebhookDeliveryList, params={"limit": limit})
