"""PostgreSQL's triggers (PL/pgSQL) and backfill for quote_counts (0005) and speaker_month_counts (0006).

Nothing on SQLite, where revisions 0005 and 0006 made their triggers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The same band and month as on SQLite: band b holds confidences with b of (0.5, 0.7, 0.9) at or below
# them; month is the article's YYYY-MM, '' when undated or when the article is gone.
HELPERS = (
    """CREATE FUNCTION quotes_band(c double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT (c >= 0.5)::int + (c >= 0.7)::int + (c >= 0.9)::int
    $$""",
    """CREATE FUNCTION quotes_month(published date) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(to_char(published, 'YYYY-MM'), '')
    $$""",
    """CREATE FUNCTION quotes_month_of(article integer) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT coalesce((SELECT quotes_month(published) FROM articles WHERE id = article), '')
    $$""",
)
# Pure counts, one row at a time, so row triggers are right (as affiliations_pairs in 0007). Deleting an
# article deletes its quotes by cascade after the article row is gone: a trigger before the article's
# deletion takes them off the speakers' months, and the quotes' own trigger skips quotes whose article
# has gone.
FUNCTIONS = (
    """CREATE FUNCTION quote_counts_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            UPDATE quote_counts SET n = n - 1 WHERE kind = OLD.kind AND band = quotes_band(OLD.confidence);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO quote_counts (kind, band, n) VALUES (NEW.kind, quotes_band(NEW.confidence), 1)
            ON CONFLICT (kind, band) DO UPDATE SET n = quote_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION speaker_month_counts_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.speaker_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM articles WHERE id = OLD.article_id) THEN
            UPDATE speaker_month_counts SET n = n - 1
            WHERE speaker_id = OLD.speaker_id AND month = quotes_month_of(OLD.article_id) AND kind = OLD.kind
              AND band = quotes_band(OLD.confidence);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.speaker_id IS NOT NULL THEN
            INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n)
            VALUES (NEW.speaker_id, quotes_month_of(NEW.article_id), NEW.kind, quotes_band(NEW.confidence), 1)
            ON CONFLICT (speaker_id, month, kind, band) DO UPDATE SET n = speaker_month_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$""",
    # an article's quotes leave its month: before it is deleted, or when its date moves to another month
    """CREATE FUNCTION speaker_month_counts_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE speaker_month_counts m SET n = m.n - d.n
        FROM (SELECT speaker_id, kind, quotes_band(confidence) AS band, count(*) AS n FROM quotes
              WHERE article_id = OLD.id AND speaker_id IS NOT NULL GROUP BY 1, 2, 3) d
        WHERE m.speaker_id = d.speaker_id AND m.kind = d.kind AND m.band = d.band
          AND m.month = quotes_month(OLD.published);
        IF TG_OP = 'UPDATE' THEN
            INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n)
            SELECT speaker_id, quotes_month(NEW.published), kind, quotes_band(confidence), count(*) FROM quotes
            WHERE article_id = NEW.id AND speaker_id IS NOT NULL GROUP BY 1, 2, 3, 4
            ON CONFLICT (speaker_id, month, kind, band) DO UPDATE SET n = speaker_month_counts.n + excluded.n;
            RETURN NULL;
        END IF;
        RETURN OLD;
    END $$""",
)
TRIGGERS = (
    ("quote_counts_after_insert_delete", "quotes",
     "AFTER INSERT OR DELETE ON quotes FOR EACH ROW EXECUTE FUNCTION quote_counts_row()"),
    ("quote_counts_after_update", "quotes",
     "AFTER UPDATE OF kind, confidence ON quotes FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind "
     "OR OLD.confidence IS DISTINCT FROM NEW.confidence) EXECUTE FUNCTION quote_counts_row()"),
    ("speaker_month_counts_after_insert_delete", "quotes",
     "AFTER INSERT OR DELETE ON quotes FOR EACH ROW EXECUTE FUNCTION speaker_month_counts_row()"),
    ("speaker_month_counts_after_update", "quotes",
     "AFTER UPDATE OF speaker_id, article_id, kind, confidence ON quotes FOR EACH ROW "
     "WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id OR OLD.article_id IS DISTINCT FROM NEW.article_id "
     "OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.confidence IS DISTINCT FROM NEW.confidence) "
     "EXECUTE FUNCTION speaker_month_counts_row()"),
    ("speaker_month_counts_before_article_delete", "articles",
     "BEFORE DELETE ON articles FOR EACH ROW EXECUTE FUNCTION speaker_month_counts_article()"),
    ("speaker_month_counts_after_article_date", "articles",
     "AFTER UPDATE OF published ON articles FOR EACH ROW "
     "WHEN (quotes_month(OLD.published) <> quotes_month(NEW.published)) "
     "EXECUTE FUNCTION speaker_month_counts_article()"),
)
BACKFILL = (
    "DELETE FROM quote_counts",
    "INSERT INTO quote_counts (kind, band, n) SELECT kind, quotes_band(confidence), count(*) FROM quotes "
    "GROUP BY 1, 2",
    "DELETE FROM speaker_month_counts",
    "INSERT INTO speaker_month_counts (speaker_id, month, kind, band, n) "
    "SELECT q.speaker_id, quotes_month(a.published), q.kind, quotes_band(q.confidence), count(*) "
    "FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id IS NOT NULL GROUP BY 1, 2, 3, 4",
)


def upgrade() -> None:
    """Upgrade the schema (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in HELPERS + FUNCTIONS:
        op.execute(statement)
    for name, _, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {body}")
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade the schema (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for function in ("speaker_month_counts_article()", "speaker_month_counts_row()", "quote_counts_row()",
                     "quotes_month_of(integer)", "quotes_month(date)", "quotes_band(double precision)"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
