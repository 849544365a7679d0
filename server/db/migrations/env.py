"""Alembic environment: runs on the connection the server hands over, or on BUHTA_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from server.db.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from server.config import Settings
        from server.db.session import make_engine

        engine = make_engine(Settings().database_url)
        with engine.begin() as connection:
            context.configure(
                connection=connection, target_metadata=target_metadata, render_as_batch=True
            )
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    context.run_migrations()


run()
