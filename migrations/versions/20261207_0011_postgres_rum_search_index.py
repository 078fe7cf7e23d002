"""PostgreSQL's ranked full-text index: a RUM index on quotes.text_search, where the server has RUM.

RUM (Postgres Professional's ``rum`` extension; Debian's ``postgresql-NN-rum`` package) keeps each word's
positions in the index, so ``ORDER BY tsvector <=> query LIMIT n`` is an index scan that hands the
matches over best first: a page of a common word's matches costs the page, not a rank of every match.
The GIN index of revision 0007 stays for everything else (and is the whole story without RUM).

Made only when the server offers the extension and this role may create it (or it is there already):
otherwise nothing happens and search ranks with ts_rank over the GIN index as before. Nothing on SQLite.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 13:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
from sqlalchemy import text


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# quotes.store.models.PG_RANK_INDEX
INDEX_NAME = "ix_quotes_text_search_rum"
# Of an expression, so that only statements naming it, ranked search's, read it: the planner would take
# RUM's plain index scan for other matches too (a few rows expected), and for ANDs, prefixes and phrases of
# common words RUM's scan takes 80 to 250 ms at 1M quotes where GIN's bitmap takes 5 to 80. The expression
# weights every position by the quote's length, in RUM's four weight classes (A up to 8 distinct words, B
# up to 16, C up to 32, D longer): RUM's distance divides by the weight's factor (1, 0.4, 0.2, 0.1), which
# the index knows, where it cannot know the length; so shorter quotes rank first, as with ts_rank's
# normalisation 1 and SQLite's bm25, in four steps.
RANK_VECTOR = ("setweight(text_search, CASE WHEN length(text_search) <= 8 THEN 'A' WHEN length(text_search) <= 16 "
               "THEN 'B' WHEN length(text_search) <= 32 THEN 'C' ELSE 'D' END::\"char\")")
INDEX = f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON quotes USING rum (({RANK_VECTOR}) rum_tsvector_ops)"

# RUM is not a trusted extension: creating it takes a superuser. Installed already, or installable by us.
CAN_CREATE = text(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') OR ("
    " EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')"
    " AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))")


def upgrade() -> None:
    """Upgrade the schema (PostgreSQL with RUM only)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not bind.scalar(CAN_CREATE):
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS rum")
    op.execute(INDEX)


def downgrade() -> None:
    """Downgrade the schema (PostgreSQL only)."""
    # the extension stays: it may have been there before, and other objects of the database may use it
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")
