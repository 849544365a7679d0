"""Schemathesis over every operation of a real ``buhta-server`` on 127.0.0.1 (SQLite and
PostgreSQL): no answer is a 5xx, and every answer conforms to the OpenAPI document (its
status is declared, its content type and body match the declared schema). Each operation
gets valid requests (positive mode) and requests that break its schema (negative mode).

The requests are made as a real registered user with an organisation (Bearer token, the
organisation's id in ``{org_id}``); the operations that can end the session (sign-out,
devices, password, account) run last. Bounded: ``BUHTA_FUZZ_EXAMPLES`` examples per
operation (3 in ``make test``; ``make fuzz`` runs 40), no shrinking, no example database.
``BUHTA_FUZZ_REPORT=1`` prints the figures (operations, requests, 5xx, statuses).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.conftest import bearer, login, register
from tests.e2e.test_server_process import database_url, server  # noqa: F401 (fixtures)

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

EXAMPLES = int(os.environ.get("BUHTA_FUZZ_EXAMPLES", "3"))
OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
    "bank_accounts": [{"bik": "044525225", "account": "40817810899910004312",
                       "bank_name": "ПАО Сбербанк", "corr_account": "30101810400000000225"}],
}
# Paths whose operations may end the session or the account: last, with a fresh token.
LAST = ("/api/v1/auth/", "/api/v1/devices", "/api/v1/me")


async def _sign_in(base: str, *, first: bool) -> tuple[dict[str, str], str]:
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as http:
        if first:
            await register(http)
        h = bearer(await login(http))
        if first:
            resp = await http.post("/orgs", json=OOO, headers=h)
            assert resp.status_code == 201, resp.text
            return h, resp.json()["id"]
        return h, ""


def _order(operation: Any) -> tuple[bool, str, str]:
    return operation.path.startswith(LAST), operation.path, operation.method


def test_no_operation_answers_a_5xx_and_every_answer_conforms(server):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    headers, org_id = asyncio.run(_sign_in(server, first=True))
    document = httpx.get(f"{server}/api/v1/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=_order)
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    misfits: list[str] = []
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]

    def runner(operation: Any, fixed: dict[str, str] | None, headers: dict[str, str],
               mode: Any) -> Any:
        label = f"{operation.method.upper()} {operation.path} ({mode.value})"

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(mode, path_parameters=fixed))
        def run(case: Any) -> None:
            response = case.call(base_url=server, headers=headers, timeout=60)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                errors.append(f"{label} → {response.status_code}: {response.text[:300]}")
                return
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as exc:  # a FailureGroup of checks
                misfits.append(f"{label} → {response.status_code}: {str(exc)[:600]}")

        return run

    for operation in operations:
        # A token may have been revoked by the operation before: sign in again.
        probe = httpx.get(f"{server}/api/v1/orgs", headers=headers, timeout=30)
        if probe.status_code == 401:
            headers = asyncio.run(_sign_in(server, first=False))[0]
        fixed = {"org_id": org_id} if "{org_id}" in operation.path else None
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                runner(operation, fixed, headers, mode)()
            except Unsatisfiable:
                # Nothing to break (GET /health has no parameter): positive only.
                assert mode is GenerationMode.NEGATIVE, operation.path

    requests = sum(statuses.values())
    if os.environ.get("BUHTA_FUZZ_REPORT"):
        print(f"\nschemathesis: operations={len(operations)} requests={requests} "
              f"5xx={sum(v for k, v in statuses.items() if k >= 500)} "
              f"statuses={dict(sorted(statuses.items()))}")
        for line in errors + misfits:
            print("  " + line)
    assert len(operations) > 60
    assert requests >= len(operations)
    assert not errors, "\n".join(errors)
    assert not misfits, "\n".join(misfits[:20])
