"""Query speed: quote counters on speakers and articles and speaker-organisation pairs, kept by
triggers; fts5vocab over the full-text index; indexes for filters, sorting and stats

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 10:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# speakers.n_quotes / n_articles and articles.n_quotes let `speakers` and `stats` rank and count a
# million quotes without reading them. Triggers on quotes keep them right whatever writes the quotes
# (store, curation, import, plain SQL); the ORM never sets them. Like the FTS triggers of 0001, these
# go when a batch migration recreates "quotes": such a revision must run COUNT_TRIGGERS and
# COUNT_BACKFILL again. Columns are added with plain ALTER TABLE (see 0002: no batch recreate of
# parent tables).
#
# A speaker's article count moves only when the quote is its first (or last) in that article; the
# check reads the article's quotes through ix_quotes_article_id_start (a handful of rows): "+"
# keeps SQLite off ix_quotes_speaker_id, which would read all of a prolific speaker's quotes.
COUNT_TRIGGERS = (
    """CREATE TRIGGER quotes_counts_after_insert AFTER INSERT ON quotes BEGIN
        UPDATE articles SET n_quotes = n_quotes + 1 WHERE id = new.article_id;
        UPDATE speakers SET n_quotes = n_quotes + 1,
            n_articles = n_articles + NOT EXISTS (SELECT 1 FROM quotes WHERE article_id = new.article_id
                                                  AND +speaker_id = new.speaker_id AND id <> new.id)
        WHERE id = new.speaker_id;
    END""",
    """CREATE TRIGGER quotes_counts_after_delete AFTER DELETE ON quotes BEGIN
        UPDATE articles SET n_quotes = n_quotes - 1 WHERE id = old.article_id;
        UPDATE speakers SET n_quotes = n_quotes - 1,
            n_articles = n_articles - NOT EXISTS (SELECT 1 FROM quotes WHERE article_id = old.article_id
                                                  AND +speaker_id = old.speaker_id)
        WHERE id = old.speaker_id;
    END""",
    """CREATE TRIGGER quotes_counts_after_update AFTER UPDATE OF article_id, speaker_id ON quotes
    WHEN old.article_id IS NOT new.article_id OR old.speaker_id IS NOT new.speaker_id BEGIN
        UPDATE articles SET n_quotes = n_quotes - 1 WHERE id = old.article_id;
        UPDATE articles SET n_quotes = n_quotes + 1 WHERE id = new.article_id;
        UPDATE speakers SET n_quotes = n_quotes - 1,
            n_articles = n_articles - NOT EXISTS (SELECT 1 FROM quotes WHERE article_id = old.article_id
                                                  AND +speaker_id = old.speaker_id)
        WHERE id = old.speaker_id;
        UPDATE speakers SET n_quotes = n_quotes + 1,
            n_articles = n_articles + NOT EXISTS (SELECT 1 FROM quotes WHERE article_id = new.article_id
                                                  AND +speaker_id = new.speaker_id AND id <> new.id)
        WHERE id = new.speaker_id;
    END""",
)
# Each indexed term with the number of quotes holding it: who-said leaves common words out of its
# loosest search. A view of quotes_fts's index, nothing stored.
FTS_VOCAB = "CREATE VIRTUAL TABLE quotes_fts_vocab USING fts5vocab(quotes_fts, row)"
COUNT_TRIGGER_NAMES = ("quotes_counts_after_insert", "quotes_counts_after_delete", "quotes_counts_after_update")
# speaker_organizations: each (speaker, organisation) pair of the affiliations, with how many
# affiliations hold it, so counts by organisation need not read every affiliation.
PAIR_TRIGGERS = (
    """CREATE TRIGGER affiliations_pairs_after_insert AFTER INSERT ON affiliations
    WHEN new.organization_id IS NOT NULL BEGIN
        INSERT INTO speaker_organizations (speaker_id, organization_id, n_affiliations)
        VALUES (new.speaker_id, new.organization_id, 1)
        ON CONFLICT (speaker_id, organization_id) DO UPDATE SET n_affiliations = n_affiliations + 1;
    END""",
    """CREATE TRIGGER affiliations_pairs_after_delete AFTER DELETE ON affiliations
    WHEN old.organization_id IS NOT NULL BEGIN
        UPDATE speaker_organizations SET n_affiliations = n_affiliations - 1
        WHERE speaker_id = old.speaker_id AND organization_id = old.organization_id;
        DELETE FROM speaker_organizations
        WHERE speaker_id = old.speaker_id AND organization_id = old.organization_id AND n_affiliations <= 0;
    END""",
    """CREATE TRIGGER affiliations_pairs_after_update AFTER UPDATE OF speaker_id, organization_id ON affiliations
    WHEN old.speaker_id IS NOT new.speaker_id OR old.organization_id IS NOT new.organization_id BEGIN
        UPDATE speaker_organizations SET n_affiliations = n_affiliations - 1
        WHERE speaker_id = old.speaker_id AND organization_id = old.organization_id;
        DELETE FROM speaker_organizations
        WHERE speaker_id = old.speaker_id AND organization_id = old.organization_id AND n_affiliations <= 0;
        INSERT INTO speaker_organizations (speaker_id, organization_id, n_affiliations)
        SELECT new.speaker_id, new.organization_id, 1 WHERE new.organization_id IS NOT NULL
        ON CONFLICT (speaker_id, organization_id) DO UPDATE SET n_affiliations = n_affiliations + 1;
    END""",
)
PAIR_TRIGGER_NAMES = ("affiliations_pairs_after_insert", "affiliations_pairs_after_delete",
                      "affiliations_pairs_after_update")
PAIR_BACKFILL = (
    "DELETE FROM speaker_organizations",
    "INSERT INTO speaker_organizations (speaker_id, organization_id, n_affiliations) "
    "SELECT speaker_id, organization_id, count(*) FROM affiliations WHERE organization_id IS NOT NULL "
    "GROUP BY speaker_id, organization_id",
)
COUNT_BACKFILL = (
    "UPDATE speakers SET (n_quotes, n_articles) = "
    "(SELECT count(*), count(DISTINCT article_id) FROM quotes WHERE speaker_id = speakers.id)",
    "UPDATE articles SET n_quotes = (SELECT count(*) FROM quotes WHERE article_id = articles.id)",
)


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column('speakers', sa.Column('n_quotes', sa.Integer(), server_default='0', nullable=False))
    op.add_column('speakers', sa.Column('n_articles', sa.Integer(), server_default='0', nullable=False))
    op.add_column('articles', sa.Column('n_quotes', sa.Integer(), server_default='0', nullable=False))
    sqlite = op.get_bind().dialect.name == "sqlite"  # PostgreSQL's triggers come with revision 0007
    for statement in COUNT_BACKFILL:
        op.execute(statement)
    for trigger in COUNT_TRIGGERS if sqlite else ():
        op.execute(trigger)

    op.create_table('speaker_organizations',
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('n_affiliations', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_speaker_organizations_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_organizations_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('speaker_id', 'organization_id', name=op.f('pk_speaker_organizations'))
    )
    op.create_index(op.f('ix_speaker_organizations_organization_id'), 'speaker_organizations',
                    ['organization_id'], unique=False)
    for statement in PAIR_BACKFILL:
        op.execute(statement)
    for trigger in PAIR_TRIGGERS if sqlite else ():
        op.execute(trigger)

    # (published, n_quotes), (organization_id, speaker_id) and (speaker_id, organization_id, title)
    # replace their one-column indexes: the same lookups, and stats and the speakers listing read
    # them without touching the tables
    op.drop_index('ix_articles_published', table_name='articles')
    op.create_index('ix_articles_published_n_quotes', 'articles', ['published', 'n_quotes'], unique=False)
    op.create_index('ix_articles_outlet_n_quotes', 'articles', ['outlet', 'n_quotes'], unique=False)
    op.drop_index('ix_affiliations_organization_id', table_name='affiliations')
    op.create_index('ix_affiliations_organization_id_speaker_id', 'affiliations',
                    ['organization_id', 'speaker_id'], unique=False)
    op.drop_index('ix_affiliations_speaker_id', table_name='affiliations')
    op.create_index('ix_affiliations_speaker_id_organization_id_title', 'affiliations',
                    ['speaker_id', 'organization_id', 'title'], unique=False)
    op.create_index('ix_quotes_confidence', 'quotes', ['confidence'], unique=False)
    if sqlite:
        op.execute(FTS_VOCAB)


def downgrade() -> None:
    """Downgrade the schema (the counters go)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    for trigger in PAIR_TRIGGER_NAMES if sqlite else ():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_index(op.f('ix_speaker_organizations_organization_id'), table_name='speaker_organizations')
    op.drop_table('speaker_organizations')
    if sqlite:
        op.execute("DROP TABLE IF EXISTS quotes_fts_vocab")
    op.drop_index('ix_quotes_confidence', table_name='quotes')
    op.drop_index('ix_affiliations_speaker_id_organization_id_title', table_name='affiliations')
    op.create_index('ix_affiliations_speaker_id', 'affiliations', ['speaker_id'], unique=False)
    op.drop_index('ix_affiliations_organization_id_speaker_id', table_name='affiliations')
    op.create_index('ix_affiliations_organization_id', 'affiliations', ['organization_id'], unique=False)
    op.drop_index('ix_articles_outlet_n_quotes', table_name='articles')
    op.drop_index('ix_articles_published_n_quotes', table_name='articles')
    op.create_index('ix_articles_published', 'articles', ['published'], unique=False)
    for trigger in COUNT_TRIGGER_NAMES if sqlite else ():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_column('articles', 'n_quotes')
    op.drop_column('speakers', 'n_articles')
    op.drop_column('speakers', 'n_quotes')
