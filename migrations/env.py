"""Alembic environment. Configuration is built in code by desktop.db.migrate; there is no alembic.ini.

The caller hands over an open connection (``config.attributes["connection"]``), so migrations run on
exactly the engine, PRAGMAs and transaction the application uses. SQLite gets batch mode, Alembic's
"move and copy" way of altering tables that SQLite's ALTER cannot.
"""

from __future__ import annotations

from alembic import context

from desktop.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through desktop.db.migrate, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
