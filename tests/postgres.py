"""A PostgreSQL schema of its own for a test worker, so parallel workers never meet."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from homelab_cmd.db.engine import make_engine, normalise_url

POSTGRES_URL = os.environ.get("HOMELAB_CMD_TEST_POSTGRES_URL")


@contextmanager
def private_schema(prefix: str) -> Iterator[str]:
    """Yield a URL whose search_path is a fresh, empty schema; drop it afterwards."""
    assert POSTGRES_URL is not None
    # The pid as well: several checkouts may run their suites against one server at once.
    schema = f"{prefix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(normalise_url(POSTGRES_URL)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        yield url.render_as_string(hide_password=False)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()
