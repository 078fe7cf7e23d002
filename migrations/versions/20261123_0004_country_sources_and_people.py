"""Where countries come from and what people told: country_source on speakers and organisations,
speakers.wikidata_id, affiliations without an article (posts given by `quotes people import`) and
affiliations.inferred (the organisation is a guess from the article's setting)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:00:00.000000
"""
from __future__ import annotations

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# speakers and organizations change with plain ALTER TABLE ADD/DROP COLUMN only: they are parents of
# ON DELETE CASCADE foreign keys (see 0002). affiliations is no table's parent, so the batch
# "recreate" that making article_id nullable needs is safe there; SQLite drops the recreated
# table's triggers, so the speaker_organizations triggers of 0003 (PAIR_TRIGGERS, copied here as
# they were) are created again. The copy does not fire them: the pair counts stay right.
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

# Countries stored before this revision: what a person set is curated, the rest was said in the text
# (a person's guessed country was never stored; an organisation's may have been, and is called stated
# here: nothing tells it apart any more).
BACKFILL = tuple(
    f"UPDATE {table} SET country_source = CASE WHEN curated THEN 'curated' ELSE 'stated' END "
    "WHERE country IS NOT NULL"
    for table in ("speakers", "organizations"))


def _sqlite() -> bool:
    """Only SQLite recreates the table and loses its triggers (PostgreSQL's are revision 0007's)."""
    return op.get_bind().dialect.name == "sqlite"


def _drop_pair_triggers() -> None:
    for trigger in PAIR_TRIGGER_NAMES if _sqlite() else ():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def _create_pair_triggers() -> None:
    for trigger in PAIR_TRIGGERS if _sqlite() else ():
        op.execute(trigger)


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column('speakers', sa.Column('country_source', sa.String(length=20), nullable=True))
    op.add_column('speakers', sa.Column('wikidata_id', sa.String(length=20), nullable=True))
    op.create_index(op.f('ix_speakers_wikidata_id'), 'speakers', ['wikidata_id'], unique=False)
    op.add_column('organizations', sa.Column('country_source', sa.String(length=20), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)

    _drop_pair_triggers()
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inferred', sa.Boolean(), server_default='0', nullable=False))
        batch_op.alter_column('article_id', existing_type=sa.INTEGER(), nullable=True)
    _create_pair_triggers()


def downgrade() -> None:
    """Downgrade the schema (posts given without an article, Wikidata ids and country sources are lost)."""
    op.execute("DELETE FROM affiliations WHERE article_id IS NULL")
    _drop_pair_triggers()
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.alter_column('article_id', existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column('inferred')
    _create_pair_triggers()

    op.drop_column('organizations', 'country_source')
    op.drop_index(op.f('ix_speakers_wikidata_id'), table_name='speakers')
    op.drop_column('speakers', 'wikidata_id')
    op.drop_column('speakers', 'country_source')
