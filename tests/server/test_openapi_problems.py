"""The OpenAPI document declares the problem answers (issue 19, point 10), and a 405 says
which methods the path takes (``Allow``, RFC 9110 § 15.5.6)."""

from __future__ import annotations

from tests.helpers import assert_problem
from tests.org_helpers import create_org, ooo, sign_up

PROBLEM = "application/problem+json"
REF = {"$ref": "#/components/schemas/Problem"}


async def _document(http) -> dict:
    resp = await http.get("/openapi.json")
    assert resp.status_code == 200
    return resp.json()


async def test_every_operation_declares_its_problem_answers(http):
    doc = await _document(http)
    problem = doc["components"]["schemas"]["Problem"]
    assert {"title", "status", "code", "detail"} <= set(problem["required"])
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    operations = [(path, method, op) for path, item in doc["paths"].items()
                  for method, op in item.items()]
    assert len(operations) > 60
    for path, method, op in operations:
        responses = op["responses"]
        for status in ("400", "404", "422", "429"):
            assert responses[status]["content"] == {PROBLEM: {"schema": REF}}, (path, status)
        if method in ("post", "put", "patch"):
            assert PROBLEM in responses["413"]["content"], path
            assert PROBLEM in responses["409"]["content"], path
        if path.startswith("/api/v1/orgs/"):
            # Every organisation's operation needs a token and a role in it.
            assert op["security"] == [{"bearer": []}], path
            for status in ("401", "403"):
                assert responses[status]["content"] == {PROBLEM: {"schema": REF}}, path
    login = doc["paths"]["/api/v1/auth/login"]["post"]
    # No token needed, but a wrong password is a 401; the health check has neither.
    assert "security" not in login and PROBLEM in login["responses"]["401"]["content"]
    health = doc["paths"]["/api/v1/health"]["get"]
    assert "security" not in health and "401" not in health["responses"]
    # FastAPI's own validation shape is never sent, so it is not declared either.
    assert "HTTPValidationError" not in doc["components"]["schemas"]


async def test_a_405_names_the_allowed_methods(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    resp = await http.delete(f"/orgs/{org['id']}/entries", headers=owner.h)
    assert_problem(resp, 405, "method_not_allowed")
    assert resp.headers["allow"] == "GET, HEAD, POST"
    resp = await http.put("/health")
    assert_problem(resp, 405, "method_not_allowed")
    assert resp.headers["allow"] == "GET, HEAD"
