"""The web application on PostgreSQL gives what it gives on SQLite (the seeded database exported from
SQLite and imported into a PostgreSQL one)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi", reason="the web extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from quotes.cli import main  # noqa: E402
from quotes.web.app import create_app  # noqa: E402

pytestmark = pytest.mark.usefixtures("unhurried_pages")

#: JSON twins of the pages, with filters, a phrase, a prefix and a word the full-text index must find.
PATHS = (
    "/api/overview",
    "/api/quotes?country=AZ",
    "/api/quotes?kind=direct&min_confidence=0.9",
    "/api/quotes?q=war",
    "/api/quotes?q=%22to%20the%20end%22",
    "/api/quotes?q=milit*&country=AZ",
    "/api/quotes?since=2023-09-20&until=2023-09-30",
    "/api/countries",
    "/api/speakers",
    "/api/organizations",
)


def _comparable(value):
    """The response with lists as sorted items (ties may come in another order on another backend), without
    the search snippet (FTS5's snippet and ts_headline cut the text at different words) and the rank."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in ("snippet", "rank")}
    if isinstance(value, list):
        return sorted((_comparable(v) for v in value), key=repr)
    return value


@pytest.fixture
def pg_client(pg_url, seeded_db_template, tmp_path):
    runner = CliRunner()
    export = tmp_path / "seeded.jsonl"
    result = runner.invoke(main, ["--db", str(seeded_db_template), "export", "-o", str(export)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--db", pg_url, "import", str(export)])
    assert result.exit_code == 0, result.output
    with TestClient(create_app(pg_url)) as c:
        yield c


def test_every_page_and_its_json_on_postgresql_as_on_sqlite(seeded_client, pg_client):
    for path in PATHS:
        on_sqlite, on_pg = seeded_client.get(path), pg_client.get(path)
        assert on_sqlite.status_code == on_pg.status_code == 200, (path, on_pg.text[:300])
        assert _comparable(on_pg.json()) == _comparable(on_sqlite.json()), path
    for page in ("/", "/quotes?q=war", "/who-said?q=to+the+end", "/articles/1", "/speakers/1", "/countries/AZ"):
        assert pg_client.get(page).status_code == 200, page

