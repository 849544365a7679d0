"""Provides ServiceError: a refusal with a stable code, rendered as problem+json."""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        *,
        retry_after: int | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.params = params or {}


class RateLimited(ServiceError):
    def __init__(self, retry_after: int, code: str = "auth.rate_limited") -> None:
        retry_after = max(1, retry_after)
        super().__init__(429, code, retry_after=retry_after, params={"retry_after": retry_after})
