"""PostgreSQL's full-text index (a generated tsvector with a GIN index) and counter triggers (PL/pgSQL).

Nothing on SQLite, where revisions 0001 and 0003 made the FTS5 index and the triggers.

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The text search configuration folds case and accents and does not stem, as FTS5's unicode61 tokenizer
# with remove_diacritics does on SQLite, so a search finds the same quotes on both. unaccent is a
# trusted extension (PostgreSQL 13+): a database's owner may create it.
SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION quotes_text (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION quotes_text ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple",
    # stored, not computed per query: ranking and snippets read it, and ts_rank on a recomputed vector
    # would parse every matching quote again
    "ALTER TABLE quotes ADD COLUMN text_search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('quotes_text'::regconfig, text)) STORED",
    "CREATE INDEX ix_quotes_text_search ON quotes USING gin (text_search)",
    # --sort newest puts undated articles last (NULLS LAST): PostgreSQL reads the (published, n_quotes)
    # index backwards only with them first, so without this it sorts every quote (2 s at 1M quotes, 3 ms with)
    "CREATE INDEX ix_articles_published_newest ON articles (published DESC NULLS LAST, id DESC)",
)

# The counters of revision 0003 (speakers.n_quotes, n_articles; articles.n_quotes). Statement triggers
# with transition tables, not row triggers: PostgreSQL fires AFTER ROW triggers once the whole statement
# is done, so a row trigger of a many-row INSERT would see the other new quotes of its speaker and
# article and count the article for none of them. A (speaker, article) pair is new when no quote held it
# before the statement, and gone when none holds it after; "+ 0" keeps the check on the article's few
# quotes (ix_quotes_article_id_start), not on all of a prolific speaker's.
COUNT_FUNCTIONS = (
    """CREATE FUNCTION quotes_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles a SET n_quotes = a.n_quotes + d.n
        FROM (SELECT article_id, count(*) AS n FROM new_rows GROUP BY article_id) d WHERE a.id = d.article_id;
        UPDATE speakers s SET n_quotes = s.n_quotes + d.n, n_articles = s.n_articles + d.a
        FROM (SELECT p.speaker_id, sum(p.n) AS n, count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM quotes q WHERE q.article_id = p.article_id AND q.speaker_id + 0 = p.speaker_id
                  AND NOT EXISTS (SELECT 1 FROM new_rows r WHERE r.id = q.id))) AS a
              FROM (SELECT speaker_id, article_id, count(*) AS n FROM new_rows WHERE speaker_id IS NOT NULL
                    GROUP BY speaker_id, article_id) p
              GROUP BY p.speaker_id) d
        WHERE s.id = d.speaker_id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION quotes_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE articles a SET n_quotes = a.n_quotes - d.n
        FROM (SELECT article_id, count(*) AS n FROM old_rows GROUP BY article_id) d WHERE a.id = d.article_id;
        UPDATE speakers s SET n_quotes = s.n_quotes - d.n, n_articles = s.n_articles - d.a
        FROM (SELECT p.speaker_id, sum(p.n) AS n, count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM quotes q WHERE q.article_id = p.article_id AND q.speaker_id + 0 = p.speaker_id)) AS a
              FROM (SELECT speaker_id, article_id, count(*) AS n FROM old_rows WHERE speaker_id IS NOT NULL
                    GROUP BY speaker_id, article_id) p
              GROUP BY p.speaker_id) d
        WHERE s.id = d.speaker_id;
        RETURN NULL;
    END $$""",
    # an update moving quotes: the rows whose article or speaker changed leave their old pair and join
    # their new one; before the statement a pair was held by the quotes holding it now, less the moved
    # rows, plus the moved rows that held it then
    """CREATE FUNCTION quotes_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        CREATE TEMPORARY TABLE IF NOT EXISTS quotes_moved (
            id integer, old_article integer, old_speaker integer, new_article integer, new_speaker integer
        ) ON COMMIT DROP;
        DELETE FROM quotes_moved;
        INSERT INTO quotes_moved
        SELECT o.id, o.article_id, o.speaker_id, n.article_id, n.speaker_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.article_id IS DISTINCT FROM n.article_id OR o.speaker_id IS DISTINCT FROM n.speaker_id;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        UPDATE articles a SET n_quotes = a.n_quotes + d.n
        FROM (SELECT article, sum(n) AS n FROM (
                  SELECT old_article AS article, -1 AS n FROM quotes_moved
                  UNION ALL SELECT new_article, 1 FROM quotes_moved) m GROUP BY article) d
        WHERE a.id = d.article;
        UPDATE speakers s SET n_quotes = s.n_quotes - d.n, n_articles = s.n_articles - d.a
        FROM (SELECT p.speaker_id, sum(p.n) AS n, count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM quotes q WHERE q.article_id = p.article_id AND q.speaker_id + 0 = p.speaker_id)) AS a
              FROM (SELECT old_speaker AS speaker_id, old_article AS article_id, count(*) AS n FROM quotes_moved
                    WHERE old_speaker IS NOT NULL GROUP BY 1, 2) p
              GROUP BY p.speaker_id) d
        WHERE s.id = d.speaker_id;
        UPDATE speakers s SET n_quotes = s.n_quotes + d.n, n_articles = s.n_articles + d.a
        FROM (SELECT p.speaker_id, sum(p.n) AS n, count(*) FILTER (WHERE NOT EXISTS (
                  SELECT 1 FROM quotes q WHERE q.article_id = p.article_id AND q.speaker_id + 0 = p.speaker_id
                  AND NOT EXISTS (SELECT 1 FROM quotes_moved m WHERE m.id = q.id))
                  AND NOT EXISTS (SELECT 1 FROM quotes_moved m WHERE m.old_article = p.article_id
                                  AND m.old_speaker = p.speaker_id)) AS a
              FROM (SELECT new_speaker AS speaker_id, new_article AS article_id, count(*) AS n FROM quotes_moved
                    WHERE new_speaker IS NOT NULL GROUP BY 1, 2) p
              GROUP BY p.speaker_id) d
        WHERE s.id = d.speaker_id;
        DELETE FROM quotes_moved;
        RETURN NULL;
    END $$""",
)
COUNT_TRIGGERS = (
    "CREATE TRIGGER quotes_counts_after_insert AFTER INSERT ON quotes REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION quotes_counts_insert()",
    "CREATE TRIGGER quotes_counts_after_delete AFTER DELETE ON quotes REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION quotes_counts_delete()",
    "CREATE TRIGGER quotes_counts_after_update AFTER UPDATE ON quotes "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quotes_counts_update()",
)
# speaker_organizations (revision 0003): pure counts, so row triggers are right here
PAIR_FUNCTION = """CREATE FUNCTION affiliations_pairs() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.organization_id IS NOT NULL THEN
            UPDATE speaker_organizations SET n_affiliations = n_affiliations - 1
            WHERE speaker_id = OLD.speaker_id AND organization_id = OLD.organization_id;
            DELETE FROM speaker_organizations
            WHERE speaker_id = OLD.speaker_id AND organization_id = OLD.organization_id AND n_affiliations <= 0;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.organization_id IS NOT NULL THEN
            INSERT INTO speaker_organizations (speaker_id, organization_id, n_affiliations)
            VALUES (NEW.speaker_id, NEW.organization_id, 1)
            ON CONFLICT (speaker_id, organization_id)
            DO UPDATE SET n_affiliations = speaker_organizations.n_affiliations + 1;
        END IF;
        RETURN NULL;
    END $$"""
PAIR_TRIGGERS = (
    "CREATE TRIGGER affiliations_pairs_after_insert AFTER INSERT OR DELETE ON affiliations "
    "FOR EACH ROW EXECUTE FUNCTION affiliations_pairs()",
    "CREATE TRIGGER affiliations_pairs_after_update AFTER UPDATE OF speaker_id, organization_id ON affiliations "
    "FOR EACH ROW WHEN (OLD.speaker_id IS DISTINCT FROM NEW.speaker_id "
    "OR OLD.organization_id IS DISTINCT FROM NEW.organization_id) EXECUTE FUNCTION affiliations_pairs()",
)
BACKFILL = (
    "UPDATE speakers SET (n_quotes, n_articles) = "
    "(SELECT count(*), count(DISTINCT article_id) FROM quotes WHERE speaker_id = speakers.id)",
    "UPDATE articles SET n_quotes = (SELECT count(*) FROM quotes WHERE article_id = articles.id)",
    "DELETE FROM speaker_organizations",
    "INSERT INTO speaker_organizations (speaker_id, organization_id, n_affiliations) "
    "SELECT speaker_id, organization_id, count(*) FROM affiliations WHERE organization_id IS NOT NULL "
    "GROUP BY speaker_id, organization_id",
)


def upgrade() -> None:
    """Upgrade the schema (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in SEARCH + COUNT_FUNCTIONS + COUNT_TRIGGERS + (PAIR_FUNCTION,) + PAIR_TRIGGERS + BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    """Downgrade the schema (PostgreSQL only: the counters stop, search goes)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for trigger, table in (("quotes_counts_after_insert", "quotes"), ("quotes_counts_after_delete", "quotes"),
                           ("quotes_counts_after_update", "quotes"),
                           ("affiliations_pairs_after_insert", "affiliations"),
                           ("affiliations_pairs_after_update", "affiliations")):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    for function in ("quotes_counts_insert", "quotes_counts_delete", "quotes_counts_update", "affiliations_pairs"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.execute("DROP INDEX IF EXISTS ix_articles_published_newest")
    op.execute("DROP INDEX IF EXISTS ix_quotes_text_search")
    op.execute("ALTER TABLE quotes DROP COLUMN IF EXISTS text_search")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS quotes_text")
