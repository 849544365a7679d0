from tests.conftest import bearer, login, register


async def test_register_confirm_login_me(http):
    await register(http)
    pair = await login(http)
    resp = await http.get("/me", headers=bearer(pair))
    assert resp.status_code == 200
    assert resp.json()["email"] == "ivan@example.ru"
