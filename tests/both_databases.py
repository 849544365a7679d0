"""Opt-in fixtures that run a test module on SQLite and on PostgreSQL.

A module imports them (``from tests.both_databases import database_url, settings``) and
every test in it runs twice: on a SQLite file, and on PostgreSQL in a schema of its own
(dropped afterwards, so runs sharing the database never disturb each other). Without
BUHTA_TEST_DATABASE_URL the PostgreSQL half is skipped and says so.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from server.db.session import normalize_url
from tests.conftest import make_settings


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    url = os.environ.get("BUHTA_TEST_DATABASE_URL")
    if not url:
        pytest.skip("BUHTA_TEST_DATABASE_URL not set: PostgreSQL skipped")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(normalize_url(url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    joiner = "&" if "?" in url else "?"
    try:
        yield f"{url}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(database_url, tmp_path):
    return make_settings(tmp_path, database_url=database_url)
