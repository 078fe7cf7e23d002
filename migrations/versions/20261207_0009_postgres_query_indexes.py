"""PostgreSQL's index for quotes in article order: (article_id, start, id), read without the table.

Nothing on SQLite, whose (article_id, start) index already holds the rowid (the quote's id) after its
columns.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# A page deep into `list` (--offset 100000) finds its quote ids first: with id in the index PostgreSQL
# reads them from it alone, in order, instead of fetching each skipped quote and sorting ties on start.
INDEX = "CREATE INDEX IF NOT EXISTS ix_quotes_article_order ON quotes (article_id, start, id)"


def upgrade() -> None:
    """Upgrade the schema (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(INDEX)


def downgrade() -> None:
    """Downgrade the schema (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_quotes_article_order")
