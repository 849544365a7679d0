"""ApiClient against a scripted server (httpx.MockTransport): retries and typed errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from client.api import ApiClient
from client.errors import (
    ApiError,
    Conflict,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    SessionRevoked,
    ValidationFailed,
)

PROBLEM = {"content-type": "application/problem+json"}
SENT = {"status": "sent", "expires_in": 600}


def problem(status: int, code: str, detail: str = "сервер говорит", **extra) -> httpx.Response:
    body = {"type": "about:blank", "title": "x", "status": status, "code": code,
            "detail": detail, **extra}
    return httpx.Response(status, json=body, headers=PROBLEM)


class Script:
    """Answers requests from a list of outcomes (responses or exceptions to raise)."""

    def __init__(self, *outcomes: httpx.Response | Exception | Callable) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        if callable(outcome) and not isinstance(outcome, httpx.Response):
            return outcome(request)
        return outcome

    @property
    def keys(self) -> list[str | None]:
        return [r.headers.get("idempotency-key") for r in self.requests]


@pytest.fixture
async def client_for():
    made: list[ApiClient] = []

    def make(script: Script, retries: int = 3) -> ApiClient:
        api = ApiClient(base_url="http://buhta.test", server_key="k",
                        transport=httpx.MockTransport(script), retries=retries, backoff_s=(0,))
        made.append(api)
        return api

    yield make
    for api in made:
        await api.aclose()


def connect_error() -> httpx.ConnectError:
    return httpx.ConnectError("connection refused")


def read_timeout() -> httpx.ReadTimeout:
    return httpx.ReadTimeout("timed out")


async def test_transport_failures_are_retried_with_the_same_key(client_for):
    script = Script(connect_error(), read_timeout(), httpx.Response(202, json=SENT))
    api = client_for(script)
    sent = await api.auth.send_sms_code("+79123456789")
    assert sent.expires_in == 600
    assert len(script.requests) == 3
    keys = script.keys
    assert keys[0] and len(set(keys)) == 1
    # Every attempt carries the same body too.
    assert len({r.content for r in script.requests}) == 1
    assert script.requests[0].url.path == "/api/v1/auth/sms-codes"


async def test_each_call_gets_its_own_key(client_for):
    script = Script(httpx.Response(202, json=SENT))
    api = client_for(script)
    await api.auth.send_sms_code("+79123456789")
    await api.auth.send_sms_code("+79123456789")
    assert len(set(script.keys)) == 2


async def test_reads_carry_no_key(client_for):
    script = Script(httpx.Response(200, json={"items": []}))
    api = client_for(script)
    api.embedded = True
    assert await api.auth.local_mailbox() == []
    assert script.keys == [None]
    assert script.requests[0].url.params["after"] == "0"


async def test_gives_up_with_network_error_after_the_retries(client_for):
    script = Script(connect_error())
    api = client_for(script, retries=2)
    with pytest.raises(NetworkError) as caught:
        await api.auth.send_sms_code("+79123456789")
    assert len(script.requests) == 3  # the first try and two retries
    assert len(set(script.keys)) == 1
    err = caught.value
    assert err.code == "network.unavailable" and err.status == 0
    assert "ConnectError" in err.cause
    assert isinstance(err, ApiError)


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_gateway_errors_are_retried(client_for, status):
    script = Script(httpx.Response(status, text="upstream down"), httpx.Response(202, json=SENT))
    api = client_for(script)
    assert (await api.auth.send_sms_code("+79123456789")).status == "sent"
    assert len(script.requests) == 2 and len(set(script.keys)) == 1


async def test_persistent_503_becomes_server_error(client_for):
    script = Script(problem(503, "server.unavailable", "на обслуживании"))
    api = client_for(script, retries=2)
    with pytest.raises(ServerError) as caught:
        await api.auth.send_sms_code("+79123456789")
    assert len(script.requests) == 3
    assert caught.value.status == 503 and caught.value.detail == "на обслуживании"


async def test_in_progress_is_retried(client_for):
    script = Script(problem(409, "idempotency.in_progress"), httpx.Response(202, json=SENT))
    api = client_for(script)
    await api.auth.send_sms_code("+79123456789")
    assert len(script.requests) == 2 and len(set(script.keys)) == 1


async def test_other_conflicts_are_not_retried(client_for):
    script = Script(problem(409, "ledger.conflict"))
    api = client_for(script)
    with pytest.raises(Conflict):
        await api.auth.send_sms_code("+79123456789")
    assert len(script.requests) == 1


async def test_429_is_rate_limited_with_retry_after(client_for):
    response = problem(429, "auth.rate_limited", "Подождите", retry_after=42)
    response.headers["Retry-After"] = "42"
    script = Script(response)
    api = client_for(script)
    with pytest.raises(RateLimited) as caught:
        await api.auth.send_sms_code("+79123456789")
    assert caught.value.retry_after == 42
    assert caught.value.code == "auth.rate_limited" and caught.value.detail == "Подождите"
    assert len(script.requests) == 1  # a rate limit is the user's to wait out


async def test_422_is_validation_failed_with_field_errors(client_for):
    errors = [{"field": "phone", "message": "Введите мобильный номер"}]
    script = Script(problem(422, "validation.failed", "Проверьте поля", errors=errors))
    api = client_for(script)
    with pytest.raises(ValidationFailed) as caught:
        await api.auth.send_sms_code("+79123456789")
    assert caught.value.errors == errors
    assert caught.value.status == 422 and str(caught.value) == "Проверьте поля"


async def test_non_json_500_is_a_server_error_with_a_readable_detail(client_for):
    script = Script(httpx.Response(500, text="<html>Internal Server Error</html>"))
    api = client_for(script)
    with pytest.raises(ServerError) as caught:
        await api.auth.send_sms_code("+79123456789")
    err = caught.value
    assert err.status == 500 and err.code == "server.internal"
    assert "<html>" not in err.detail and err.detail
    assert len(script.requests) == 1  # a bug is not retried


async def test_unreadable_success_is_a_server_error(client_for):
    script = Script(httpx.Response(202, json={"unexpected": True}))
    api = client_for(script)
    with pytest.raises(ServerError) as caught:
        await api.auth.send_sms_code("+79123456789")
    assert caught.value.code == "client.bad_response"


async def test_404_is_not_found(client_for):
    script = Script(problem(404, "devices.not_found"))
    api = client_for(script)
    api.session.access = "token"
    with pytest.raises(NotFound):
        await api.auth.revoke_device("00000000-0000-4000-8000-000000000000")


def pair(n: int) -> dict:
    return {
        "access_token": f"access-token-{n}", "refresh_token": f"refresh-token-{n}",
        "expires_in": 900,
        "device_id": "dev-1", "remember": False,
        "user": {"id": "u1", "email": "ivan@example.ru", "phone": "+79123456789",
                 "email_confirmed": True, "created_at": datetime.now(UTC).isoformat()},
    }


async def test_access_expired_is_renewed_once_and_the_request_repeated(client_for):
    me = {"id": "u1", "email": "ivan@example.ru", "phone": "+79123456789",
          "email_confirmed": True, "created_at": datetime.now(UTC).isoformat()}
    seen: list[tuple[str, str | None]] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("authorization")))
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json=pair(1))
        if request.url.path.endswith("/auth/refresh"):
            return httpx.Response(200, json=pair(2))
        if request.headers["authorization"] == "Bearer access-token-1":
            return problem(401, "auth.access_expired")
        return httpx.Response(200, json=me)

    api = client_for(Script(server))
    await api.auth.login("ivan@example.ru", "пароль пароль", remember=False)
    assert (await api.auth.me()).email == "ivan@example.ru"
    assert [p.rsplit("/", 1)[-1] for p, _ in seen] == ["login", "me", "refresh", "me"]
    assert seen[-1][1] == "Bearer access-token-2"


async def test_access_expired_twice_gives_up(client_for):
    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/auth/login"):
            return httpx.Response(200, json=pair(1))
        if request.url.path.endswith("/auth/refresh"):
            return httpx.Response(200, json=pair(2))
        return problem(401, "auth.access_expired")

    script = Script(server)
    api = client_for(script)
    await api.auth.login("ivan@example.ru", "пароль пароль", remember=False)
    with pytest.raises(SessionRevoked):
        await api.auth.me()
    paths = [r.url.path.rsplit("/", 1)[-1] for r in script.requests]
    assert paths == ["login", "me", "refresh", "me"]  # no endless renew loop
    assert not api.signed_in
