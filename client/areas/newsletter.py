"""Provides NewsletterApi: the caller's newsletter topics, subscribing against the consent
text shown, unsubscribing and the consent history (``core.contract.newsletter``)."""

from __future__ import annotations

from client.areas.base import Area
from core.contract import newsletter as nl


def _topic(topic: str) -> str:
    """Only a known topic goes into the path."""
    if topic not in nl.TOPICS:
        raise ValueError(f"not a newsletter topic: {topic!r}")
    return topic


class NewsletterApi(Area):
    """``api.newsletter``."""

    async def topics(self) -> nl.TopicList:
        return await self._call("GET", "/newsletter/topics", nl.TopicList)

    async def subscribe(self, shown: nl.TopicOut, source: nl.ConsentSource = "app"
                        ) -> nl.TopicOut:
        """Subscribe to ``shown.topic`` with the consent text ``shown`` carried (the one
        the screen showed): its id and SHA-256 go back to the server."""
        body = nl.SubscribeIn(consent_text_id=shown.consent_text_id,
                              consent_text_sha256=shown.consent_text_sha256, source=source)
        return await self._call("PUT", f"/newsletter/subscriptions/{_topic(shown.topic)}",
                                nl.TopicOut, body)

    async def unsubscribe(self, topic: str) -> nl.TopicOut:
        return await self._call("DELETE", f"/newsletter/subscriptions/{_topic(topic)}",
                                nl.TopicOut)

    async def consents(self) -> nl.ConsentHistory:
        return await self._call("GET", "/newsletter/consents", nl.ConsentHistory)
